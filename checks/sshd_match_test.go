package checks

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"math/rand"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/afero"

	"github.com/gcrun/gcrun/checks/rootfs"
)

func TestParseSSHDConnection(t *testing.T) {
	cases := []struct {
		spec string
		want SSHDConnection
		err  string
	}{
		{"", SSHDConnection{}, ""},
		{"user=alice,host=h.example,addr=10.0.0.1,laddr=::1,lport=2222,rdomain=vrf1",
			SSHDConnection{User: "alice", Host: "h.example", Addr: "10.0.0.1", LocalAddr: "::1", LocalPort: 2222, RDomain: "vrf1"}, ""},
		{"user=a,user=b", SSHDConnection{User: "b"}, ""},
		// sshd stops at the first empty item and ignores the rest.
		{"user=a,,lport=x", SSHDConnection{User: "a"}, ""},
		{",user=a", SSHDConnection{}, ""},
		{"user=a=b", SSHDConnection{User: "a=b"}, ""},
		{"lport=0", SSHDConnection{}, ""},
		{"lport=x", SSHDConnection{}, "Invalid port 'x' in test mode specification lport=x"},
		{"lport=65536", SSHDConnection{}, "Invalid port '65536' in test mode specification lport=65536"},
		{"port=22", SSHDConnection{}, "Invalid test mode specification port=22"},
		{"username=a", SSHDConnection{}, "Invalid test mode specification username=a"},
		{"USER=a", SSHDConnection{}, "Invalid test mode specification USER=a"},
		{"user", SSHDConnection{}, "Invalid test mode specification user"},
		{"user=", SSHDConnection{}, "empty user in test mode specification user="},
	}
	for _, c := range cases {
		got, err := ParseSSHDConnection(c.spec)
		if c.err != "" {
			if err == nil || err.Error() != c.err {
				t.Errorf("ParseSSHDConnection(%q): error %v, want %q", c.spec, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseSSHDConnection(%q): %v", c.spec, err)
			continue
		}
		if diff := cmp.Diff(c.want, got); diff != "" {
			t.Errorf("ParseSSHDConnection(%q) (-want +got):\n%s", c.spec, diff)
		}
	}
	c := SSHDConnection{User: "u", Host: "h", Addr: "a", LocalAddr: "l", LocalPort: 1, RDomain: "r", Groups: []string{"g"}}
	if s := c.String(); s != "user=u,host=h,addr=a,laddr=l,lport=1,rdomain=r" {
		t.Errorf("String() = %q", s)
	}
	if back, err := ParseSSHDConnection(c.String()); err != nil || !cmp.Equal(back, SSHDConnection{User: "u", Host: "h", Addr: "a", LocalAddr: "l", LocalPort: 1, RDomain: "r"}) {
		t.Errorf("String() does not parse back: %+v, %v", back, err)
	}
}

// TestSSHDConnectionJSON pins the shape a Rego built-in receives: the -C
// keys, and groups null (not looked up) apart from [] (in no group).
func TestSSHDConnectionJSON(t *testing.T) {
	for _, c := range []struct {
		conn SSHDConnection
		want string
	}{
		{SSHDConnection{User: "a", LocalPort: 22}, `{"user":"a","lport":22,"groups":null}`},
		{SSHDConnection{Addr: "::1", Groups: []string{}}, `{"addr":"::1","groups":[]}`},
		{SSHDConnection{Host: "h", LocalAddr: "l", RDomain: "r", Groups: []string{"g"}}, `{"host":"h","laddr":"l","rdomain":"r","groups":["g"]}`},
	} {
		b, err := json.Marshal(c.conn)
		if err != nil || string(b) != c.want {
			t.Errorf("json.Marshal(%+v) = %s, %v; want %s", c.conn, b, err, c.want)
		}
		var back SSHDConnection
		if err := json.Unmarshal(b, &back); err != nil || !cmp.Equal(back, c.conn) {
			t.Errorf("%s reads back as %+v, %v", b, back, err)
		}
	}
}

func TestSSHDUserGroups(t *testing.T) {
	passwd := `root:x:0:0:root:/root:/bin/sh
   # comment

alice:x:1000:1000::/home/alice:/bin/sh
bob:x:1001:notanumber::/home/bob:/bin/sh
bob:x:1001:1001::/home/bob:/bin/sh
nogid:x:1002:4242::/:/bin/sh
short:x
alice:x:1003:2000::/home/alice2:/bin/sh
`
	group := `root:x:0:
alice:x:1000:
admins:x:2000:carol,alice
first:x:3000:
second:x:3000:alice
bad:x:nope:alice
ops:x:4000:bob, alice
staff:x:2000:alice
wheel:x:10:alice,alice
dup:x:1000:alice
`
	fsys := sshdInMemory(t, sshdRoot{files: map[string]string{"/etc/passwd": passwd, "/etc/group": group}})
	cases := []struct {
		user   string
		groups []string
		known  bool
	}{
		// Primary group first, then memberships in file order; gid 3000
		// is named by its first entry; "bad" has no gid and " alice" is
		// not alice; the primary gid is not listed twice.
		{"alice", []string{"alice", "admins", "first", "wheel"}, true},
		{"bob", []string{"ops"}, true}, // the first parsable entry: gid 1001 has no group
		{"root", []string{"root"}, true},
		{"nogid", []string{}, true},
		{"carol", []string{}, false}, // listed as a member, but not a user
		{"", []string{}, false},
		{"short", []string{}, false},
	}
	for _, c := range cases {
		groups, known, err := SSHDUserGroups(fsys, c.user)
		if err != nil || known != c.known || !cmp.Equal(groups, c.groups) {
			t.Errorf("SSHDUserGroups(%q) = %q, %v, %v; want %q, %v", c.user, groups, known, err, c.groups, c.known)
		}
	}

	// No /etc/group: the user exists but no gid has a name.
	noGroup := sshdInMemory(t, sshdRoot{files: map[string]string{"/etc/passwd": passwd}})
	if g, known, err := SSHDUserGroups(noGroup, "alice"); err != nil || !known || g == nil || len(g) != 0 {
		t.Errorf("without /etc/group: %q, %v, %v", g, known, err)
	}
	// No /etc/passwd: nobody exists, which is no error.
	empty := sshdInMemory(t, sshdRoot{})
	if g, known, err := SSHDUserGroups(empty, "alice"); err != nil || known || g == nil || len(g) != 0 {
		t.Errorf("without /etc/passwd: %q, %v, %v", g, known, err)
	}
	// Unreadable or oversized databases are errors: the groups are then
	// unknown, not empty.
	mem := afero.NewMemMapFs()
	_ = afero.WriteFile(mem, "/etc/passwd", []byte(passwd), 0o644)
	_ = afero.WriteFile(mem, "/etc/group", []byte(group), 0o644)
	deny := rootfs.Wrap(sshdDenyFs{Fs: mem, deny: "/etc/group"})
	if g, _, err := SSHDUserGroups(deny, "alice"); !errors.Is(err, fs.ErrPermission) || g != nil {
		t.Errorf("unreadable /etc/group: %q, %v", g, err)
	}
	huge := sshdOnOS(t, sshdRoot{files: map[string]string{"/etc/passwd": strings.Repeat("#\n", MaxConfigSize/2+1)}})
	if g, _, err := SSHDUserGroups(huge, "alice"); !errors.Is(err, ErrTooLarge) || g != nil {
		t.Errorf("oversized /etc/passwd: %q, %v", g, err)
	}
	dir := sshdOnOS(t, sshdRoot{dirs: []string{"/etc/passwd"}})
	if _, _, err := SSHDUserGroups(dir, "alice"); !errors.Is(err, ErrNotRegular) {
		t.Errorf("/etc/passwd a directory: %v", err)
	}
}

// sshdCollectMem collects a configuration from an in-memory root.
func sshdCollectMem(t *testing.T, files map[string]string) *SSHDFacts {
	t.Helper()
	got, err := SSHD{}.Collect(context.Background(), Target{Fs: sshdInMemory(t, sshdRoot{files: files}), Root: "/"})
	if err != nil {
		t.Fatal(err)
	}
	return got.(*SSHDFacts)
}

// TestSSHDEffective pins per-connection results without sshd (the oracle
// suite checks the same rules against the real binary).
func TestSSHDEffective(t *testing.T) {
	facts := sshdCollectMem(t, map[string]string{
		SSHDConfigPath: `PasswordAuthentication no
AllowUsers root admin
RekeyLimit 2G 1h
Include /etc/ssh/users.conf
Match User alice,!mallory Address 10.0.0.0/8,!10.9.0.0/16
	PasswordAuthentication yes
	AllowUsers alice
	Include /etc/ssh/nested.conf
	AllowUsers alice2
Match Group admins LocalPort 2222
	PermitRootLogin yes
	RekeyLimit 1G
Match Host *.example.com
	X11Forwarding yes
	PasswordAuthentication no
Match all
	MaxAuthTries 3
	AllowUsers everyone
`,
		"/etc/ssh/users.conf":  "Match User bob\n\tAuthenticationMethods publickey\n",
		"/etc/ssh/nested.conf": "Match all\n\tAllowUsers nested\nMatch User nobody\n\tBanner /x\n",
	})
	type want struct {
		matched []int
		values  map[string]any
		src     map[string]int // keyword -> line in the main file
	}
	cases := []struct {
		name string
		conn SSHDConnection
		want want
		err  string
	}{
		{"no connection", SSHDConnection{}, want{matched: []int{6}, values: map[string]any{
			"passwordauthentication": "no", "allowusers": []string{"everyone"}, "maxauthtries": "3", "rekeylimit": "2147483648 3600",
		}, src: map[string]int{"allowusers": 18, "maxauthtries": 17, "passwordauthentication": 1}}, ""},
		{"alice from 10/8: nested blocks and interleaved lines", SSHDConnection{User: "alice", Addr: "10.1.2.3", LocalPort: 22, Groups: []string{}},
			want{matched: []int{1, 2, 6}, values: map[string]any{
				"passwordauthentication": "yes",
				// alice, then the nested "Match all", then alice again,
				// then the main "Match all": accumulated in that order,
				// replacing the global list.
				"allowusers": []string{"alice", "nested", "alice2", "everyone"},
			}, src: map[string]int{"passwordauthentication": 6, "allowusers": 7}}, ""},
		{"alice from the excluded network", SSHDConnection{User: "alice", Addr: "10.9.0.1", LocalPort: 22, Groups: []string{}},
			want{matched: []int{6}, values: map[string]any{"passwordauthentication": "no"}}, ""},
		{"mallory is negated", SSHDConnection{User: "mallory", Addr: "10.1.2.3", LocalPort: 22, Groups: []string{}},
			want{matched: []int{6}}, ""},
		{"admin group on 2222: RekeyLimit keeps the global interval", SSHDConnection{User: "root", LocalPort: 2222, Groups: []string{"admins"}},
			want{matched: []int{4, 6}, values: map[string]any{"permitrootlogin": "yes", "rekeylimit": "1073741824 3600"}}, ""},
		{"host pattern is case-insensitive; first block wins", SSHDConnection{Host: "WWW.Example.COM", LocalPort: 22},
			want{matched: []int{5, 6}, values: map[string]any{"x11forwarding": "yes", "passwordauthentication": "no"}}, ""},
		{"bob's block comes from a top-level Include", SSHDConnection{User: "bob", LocalPort: 22, Groups: []string{}},
			want{matched: []int{0, 6}, values: map[string]any{"authenticationmethods": "publickey"}}, ""},
		{"group lookup needed", SSHDConnection{User: "root", LocalPort: 2222}, want{}, "the user's groups are unknown"},
		{"group lookup not needed: the port does not match", SSHDConnection{User: "root", LocalPort: 22},
			want{matched: []int{6}}, ""},
		{"no local port", SSHDConnection{User: "root", Groups: []string{"admins"}}, want{},
			"'Match LocalPort' in configuration but 'lport' not in connection test specification"},
	}
	back := sshdJSONCopy(t, facts)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := facts.Effective(c.conn)
			if c.name == "no connection" {
				// Effective with no connection is sshd -T without -C, but
				// this configuration has a LocalPort criterion, which
				// sshd -T alone refuses; Config is what it would print.
				if err == nil {
					t.Fatal("Effective with no connection accepts a LocalPort criterion")
				}
				got = &SSHDEffective{Config: facts.Config, Sources: facts.Sources, Matched: []int{6}}
				err = nil
			}
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("error: got %v, want %q", err, c.err)
				}
				var ce *SSHDConfigError
				if !errors.As(err, &ce) || ce.Line == 0 {
					t.Errorf("error %v does not name a line", err)
				}
				if strings.Contains(c.err, "groups") && !errors.Is(err, ErrSSHDGroupsUnknown) {
					t.Errorf("error %v does not wrap ErrSSHDGroupsUnknown", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !cmp.Equal(got.Matched, c.want.matched) {
				t.Errorf("matched %v, want %v", got.Matched, c.want.matched)
			}
			for k, v := range c.want.values {
				if !cmp.Equal(got.Config[k], v) {
					t.Errorf("%s = %#v, want %#v", k, got.Config[k], v)
				}
			}
			for k, line := range c.want.src {
				if s := got.Sources[k]; s != at(line) {
					t.Errorf("source of %s = %v, want line %d", k, s, line)
				}
			}
			if c.name != "no connection" {
				again, err := back.Effective(c.conn)
				if err != nil || !cmp.Equal(got, again) {
					t.Errorf("Effective on the JSON copy differs: %v", err)
				}
			}
		})
	}
}

// sshdJSONCopy returns facts as a Rego built-in would get them.
func sshdJSONCopy(t *testing.T, f *SSHDFacts) *SSHDFacts {
	t.Helper()
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	var back SSHDFacts
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(f, &back); diff != "" {
		t.Fatalf("facts change through JSON (-before +after):\n%s", diff)
	}
	return &back
}

// TestSSHDEffectiveMatchesConfig checks, on every accepted case of the
// differential suite, that Effective with no connection reproduces Config
// (both are sshd -T without -C), also from JSON decoded into plain Go
// values the way a generic decoder would produce them.
func TestSSHDEffectiveMatchesConfig(t *testing.T) {
	for _, c := range sshdCases {
		t.Run(c.name, func(t *testing.T) {
			files := map[string]string{}
			for name, content := range c.files {
				content = strings.ReplaceAll(content, "@DIR@", "/case")
				content = strings.ReplaceAll(content, "@HOSTKEY@", "/etc/ssh/key")
				files["/case/"+name] = content
			}
			fsys := sshdInMemory(t, sshdRoot{files: files})
			got, err := SSHD{ConfigPath: "/case/sshd_config"}.Collect(context.Background(), Target{Fs: fsys, Root: "/"})
			if err != nil {
				t.Skipf("not accepted here: %v", err) // e.g. needs /etc/services
			}
			facts := got.(*SSHDFacts)
			eff, err := facts.Effective(SSHDConnection{})
			if err != nil {
				if strings.Contains(err.Error(), "lport") {
					return
				}
				t.Fatal(err)
			}
			if diff := cmp.Diff(facts.Config, eff.Config); diff != "" {
				t.Errorf("Effective(no connection) vs Config (-config +effective):\n%s", diff)
			}
			if diff := cmp.Diff(facts.Sources, eff.Sources); diff != "" {
				t.Errorf("sources (-config +effective):\n%s", diff)
			}
			b, err := json.Marshal(facts)
			if err != nil {
				t.Fatal(err)
			}
			var generic map[string]any
			if err := json.Unmarshal(b, &generic); err != nil {
				t.Fatal(err)
			}
			// Rebuild the facts with []any lists, bypassing UnmarshalJSON.
			plain := &SSHDFacts{Exists: true, Config: SSHDConfig(generic["config"].(map[string]any)),
				Sources: facts.Sources, Match: facts.Match,
				FirstPass: SSHDSettings{Config: SSHDConfig(generic["first_pass"].(map[string]any)["config"].(map[string]any)), Sources: facts.FirstPass.Sources}}
			for i, l := range generic["match_lines"].([]any) {
				ml := facts.MatchLines[i]
				ml.Value = l.(map[string]any)["value"]
				plain.MatchLines = append(plain.MatchLines, ml)
			}
			again, err := plain.Effective(SSHDConnection{})
			if err != nil || !cmp.Equal(eff, again) {
				t.Errorf("Effective on generic JSON values differs: %v", err)
			}
		})
	}
}

func TestSSHDEffectiveBadFacts(t *testing.T) {
	good := sshdCollectMem(t, map[string]string{SSHDConfigPath: "Match User a\n\tX11Forwarding yes\nMatch all\n\tMaxSessions 1\n"})
	cases := []struct {
		name  string
		spoil func(f *SSHDFacts)
		err   string
	}{
		{"missing configuration", func(f *SSHDFacts) { f.Exists = false }, "does not exist"},
		{"parent after the block", func(f *SSHDFacts) { f.Match[0].Parent = 1 }, "parent 1 is not an earlier block"},
		{"no criteria", func(f *SSHDFacts) { f.Match[1].Criteria = nil }, "one or more attributes required"},
		{"unknown criterion", func(f *SSHDFacts) { f.Match[0].Criteria[0].Type = "colour" }, `unsupported attribute "colour"`},
		{"all combined", func(f *SSHDFacts) {
			f.Match[1].Criteria = append(f.Match[1].Criteria, SSHDCriterion{Type: "user", Patterns: []string{"x"}})
		}, "'all' cannot be combined"},
		{"bad local port", func(f *SSHDFacts) {
			f.Match[0].Criteria = []SSHDCriterion{{Type: "localport", Patterns: []string{"ssh"}}}
		}, `invalid LocalPort "ssh"`},
		{"global-only keyword", func(f *SSHDFacts) { f.MatchLines[0].Keyword = "port" }, `"port" cannot be set in a Match block`},
		{"unknown keyword", func(f *SSHDFacts) { f.MatchLines[0].Keyword = "colour" }, `"colour" cannot be set`},
		{"list for a string", func(f *SSHDFacts) { f.MatchLines[0].Value = []string{"yes"} }, "value of type []string"},
		{"number", func(f *SSHDFacts) { f.MatchLines[0].Value = 1.0 }, "value of type float64"},
		{"block out of range", func(f *SSHDFacts) { f.MatchLines[0].Block = 7 }, "no Match block 7"},
		{"bad RekeyLimit", func(f *SSHDFacts) {
			f.MatchLines = append(f.MatchLines, SSHDMatchLine{Block: 1, Keyword: "rekeylimit", Value: "1G", File: SSHDConfigPath, Line: 9})
		}, `RekeyLimit: bad value "1G"`},
		{"bad config value", func(f *SSHDFacts) { f.Config["port"] = 22 }, `config "port": value of type int`},
		{"bad first-pass value", func(f *SSHDFacts) { f.FirstPass.Config["maxsessions"] = true }, "value of type bool"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := sshdJSONCopy(t, good)
			c.spoil(f)
			_, err := f.Effective(SSHDConnection{User: "a", Groups: []string{}})
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Fatalf("error: got %v, want %q", err, c.err)
			}
		})
	}
	var none *SSHDFacts
	if _, err := none.Effective(SSHDConnection{}); err == nil {
		t.Error("Effective on nil facts succeeded")
	}
	var bad SSHDFacts
	if err := json.Unmarshal([]byte(`{"config":{"port":[1]}}`), &bad); err == nil {
		t.Error("a list of numbers decodes into SSHDConfig")
	}
	if err := json.Unmarshal([]byte(`{"match_lines":[{"value":{"a":1}}]}`), &bad); err == nil {
		t.Error("an object decodes as a Match line value")
	}
}

// sshdMatchPatternRef is match.c's match_pattern as written, recursion and
// all: the reference for the linear-time sshdMatchPattern.
func sshdMatchPatternRef(s, pat string) bool {
	for {
		if pat == "" {
			return s == ""
		}
		if pat[0] == '*' {
			for pat != "" && pat[0] == '*' {
				pat = pat[1:]
			}
			if pat == "" {
				return true
			}
			if pat[0] != '?' && pat[0] != '*' {
				for ; s != ""; s = s[1:] {
					if s[0] == pat[0] && sshdMatchPatternRef(s[1:], pat[1:]) {
						return true
					}
				}
				return false
			}
			for ; s != ""; s = s[1:] {
				if sshdMatchPatternRef(s, pat) {
					return true
				}
			}
			return false
		}
		if s == "" {
			return false
		}
		if pat[0] != '?' && pat[0] != s[0] {
			return false
		}
		s, pat = s[1:], pat[1:]
	}
}

func TestSSHDMatchPattern(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	word := func(alphabet string, n int) string {
		b := make([]byte, rng.Intn(n+1))
		for i := range b {
			b[i] = alphabet[rng.Intn(len(alphabet))]
		}
		return string(b)
	}
	for i := 0; i < 200000; i++ {
		s, p := word("ab*?", 7), word("ab*?", 6)
		if got, want := sshdMatchPattern(s, p), sshdMatchPatternRef(s, p); got != want {
			t.Fatalf("sshdMatchPattern(%q, %q) = %v, want %v", s, p, got, want)
		}
	}
	// A pattern that makes the C code backtrack exponentially.
	if sshdMatchPattern(strings.Repeat("a", 200), strings.Repeat("*a", 60)+"*b") {
		t.Error("matched")
	}
}

func TestSSHDMatchPatternList(t *testing.T) {
	long := strings.Repeat("x", 1023)
	cases := []struct {
		s, list string
		lower   bool
		want    int
	}{
		{"alice", "alice,bob", false, 1},
		{"bob", "alice,!bob", false, -1},
		{"bob", "b*,!bob", false, -1},
		{"carol", "alice,bob", false, 0},
		{"", "a,", false, 0}, // no empty pattern after a trailing comma
		{"", "a,,b", false, 1},
		{"", "", false, 0},
		{"", "!", false, -1},
		{"x", long[:1022] + ",x", false, 1},
		{"x", long + ",x", false, 0}, // a sub-pattern of 1023 bytes fails the list
		{"www.example.com", "WWW.*", true, 1},
		{"www.example.com", "WWW.*", false, 0},
	}
	for _, c := range cases {
		if got := sshdMatchPatternList(c.s, c.list, c.lower); got != c.want {
			t.Errorf("sshdMatchPatternList(%q, %.20q, %v) = %d, want %d", c.s, c.list, c.lower, got, c.want)
		}
	}
}

func TestSSHDAddrMatchList(t *testing.T) {
	cases := []struct {
		addr, list string
		want       int
	}{
		{"10.1.2.3", "10.0.0.0/8", 1},
		{"10.1.2.3", "10.0.0.0/8,!10.1.0.0/16", -1},
		{"10.1.2.3", "!10.1.0.0/16,10.0.0.0/8", -1},
		{"10.2.0.1", "10.0.0.0/8,!10.1.0.0/16", 1},
		{"192.168.1.7", "192.168.1.?", 1},
		{"192.168.1.77", "192.168.1.?", 0},
		{"010.1.2.3", "8.0.0.0/8", 1}, // inet_aton: octal
		{"127.1", "127.0.0.1", 1},
		{"::1", "::1", 1},
		{"::ffff:10.0.0.1", "10.0.0.0/8", 0}, // another family
		{"::ffff:10.0.0.1", "::ffff:0:0/96", 1},
		{"2001:db8::1", "2001:db8::/32", 1},
		{"fe80::1%2", "fe80::/10", 0}, // scope ids differ
		{"fe80::1%2", "fe80::/10,fe80::*", 1},
		{"not-an-address", "*", 0},
		{"10.0.0.1", "10.0.0.1/8", -2},
		{"10.0.0.1", "10.0.0.0/8,", -2},
		{"10.0.0.1", "!", -2},
		{"10.0.0.1", "10.0.0.0/33", -2},
		{"10.0.0.1", "10.0.0.0/x", 0}, // not CIDR: a pattern
	}
	for _, c := range cases {
		if got := sshdAddrMatchList(c.addr, c.list); got != c.want {
			t.Errorf("sshdAddrMatchList(%q, %q) = %d, want %d", c.addr, c.list, got, c.want)
		}
	}
}
