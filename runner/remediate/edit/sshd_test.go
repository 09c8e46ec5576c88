package edit

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// editCase is one successful edit: in becomes want, changed tells whether
// the editor must report a change.
type editCase struct {
	name    string
	in      string
	want    string
	changed bool
}

// checkEdit runs one case of an editor and checks idempotence: applying
// the editor to its own result must report no change and return the same
// bytes.
func checkEdit(t *testing.T, c editCase, apply func([]byte) ([]byte, bool, error)) {
	t.Helper()
	got, changed, err := apply([]byte(c.in))
	if err != nil {
		t.Fatalf("error: %v", err)
	}
	if diff := cmp.Diff(c.want, string(got)); diff != "" {
		t.Errorf("content (-want +got):\n%s", diff)
	}
	if changed != c.changed {
		t.Errorf("changed = %v, want %v", changed, c.changed)
	}
	if changed != (string(got) != c.in) {
		t.Errorf("changed = %v but content differs = %v", changed, string(got) != c.in)
	}
	again, changed2, err := apply(got)
	if err != nil {
		t.Fatalf("second application: %v", err)
	}
	if changed2 || string(again) != string(got) {
		t.Errorf("second application changed = %v, content (-first +second):\n%s", changed2, cmp.Diff(string(got), string(again)))
	}
}

// checkErr runs a call that must fail with an error containing want.
func checkErr(t *testing.T, want string, apply func() ([]byte, bool, error)) {
	t.Helper()
	got, changed, err := apply()
	if err == nil {
		t.Fatalf("no error (changed=%v, content %q); want one containing %q", changed, got, want)
	}
	if !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not contain %q", err, want)
	}
	if got != nil || changed {
		t.Errorf("error with content %q, changed=%v; want nil, false", got, changed)
	}
}

func TestSetSSHD(t *testing.T) {
	type sshdCase struct {
		editCase
		keyword, value string
	}
	prl := func(name, in, want string, changed bool) sshdCase {
		return sshdCase{editCase{name, in, want, changed}, "PermitRootLogin", "no"}
	}
	cases := []sshdCase{
		prl("first global occurrence changed in place, later duplicate kept",
			"Port 22\nPermitRootLogin yes\nX11Forwarding no\nPermitRootLogin yes\n",
			"Port 22\nPermitRootLogin no\nX11Forwarding no\nPermitRootLogin yes\n", true),
		prl("indentation kept",
			"Port 22\n  \tPermitRootLogin yes\n",
			"Port 22\n  \tPermitRootLogin no\n", true),
		prl("keyword spelled differently keeps its spelling",
			"permitrootlogin yes\n",
			"permitrootlogin no\n", true),
		prl("Keyword=value form",
			"PermitRootLogin=yes\n",
			"PermitRootLogin no\n", true),
		prl("Keyword = value form",
			"PERMITROOTLOGIN = yes\n",
			"PERMITROOTLOGIN no\n", true),
		prl("already the value in = form",
			"PermitRootLogin=no\nPermitRootLogin yes\n",
			"PermitRootLogin=no\nPermitRootLogin yes\n", false),
		prl("already the value, extra spaces and quotes",
			"  permitrootlogin \t \"no\"   \n",
			"  permitrootlogin \t \"no\"   \n", false),
		prl("value compared exactly: No becomes no",
			"PermitRootLogin No\n",
			"PermitRootLogin no\n", true),
		prl("quoted keyword",
			"\"PermitRootLogin\" yes\n",
			"PermitRootLogin no\n", true),
		prl("trailing comment kept",
			"PermitRootLogin yes   # set by the installer\n",
			"PermitRootLogin no   # set by the installer\n", true),
		{editCase{"trailing comment dropped when the value would swallow it",
			"Banner none # no banner\n",
			"Banner /x\\\n", true}, "Banner", "/x\\"},
		prl("line without argument fixed",
			"PermitRootLogin\n",
			"PermitRootLogin no\n", true),
		prl("line with only a comment after the keyword",
			"PermitRootLogin # TODO\n",
			"PermitRootLogin no # TODO\n", true),
		prl("inserted before the first Match, its comment stays with it",
			"Port 22\nX11Forwarding no\n\n# Administrators may log in as root.\nMatch User admin\n\tPermitRootLogin yes\nMatch User bob\n\tPermitRootLogin yes\n",
			"Port 22\nX11Forwarding no\nPermitRootLogin no\n\n# Administrators may log in as root.\nMatch User admin\n\tPermitRootLogin yes\nMatch User bob\n\tPermitRootLogin yes\n", true),
		prl("inserted directly before Match without comment",
			"Port 22\nMatch User bob\n\tX11Forwarding yes\n",
			"Port 22\nPermitRootLogin no\nMatch User bob\n\tX11Forwarding yes\n", true),
		prl("Match on the first line",
			"Match User bob\n\tX11Forwarding yes\n",
			"PermitRootLogin no\nMatch User bob\n\tX11Forwarding yes\n", true),
		prl("only Match blocks, with a comment",
			"# per user\nMatch User alice\n\tPermitRootLogin yes\nMatch User bob\n\tMaxSessions 2\n",
			"PermitRootLogin no\n# per user\nMatch User alice\n\tPermitRootLogin yes\nMatch User bob\n\tMaxSessions 2\n", true),
		prl("keyword only inside a Match block",
			"Port 22\nMatch User alice\n\tPermitRootLogin yes\n",
			"Port 22\nPermitRootLogin no\nMatch User alice\n\tPermitRootLogin yes\n", true),
		prl("keyword in a Match block already the value is not global",
			"Match User alice\n\tPermitRootLogin no\n",
			"PermitRootLogin no\nMatch User alice\n\tPermitRootLogin no\n", true),
		prl("Match=criteria form and lowercase match",
			"Port 22\nmatch=User alice\n\tPermitRootLogin yes\n",
			"Port 22\nPermitRootLogin no\nmatch=User alice\n\tPermitRootLogin yes\n", true),
		prl("commented occurrences left alone",
			"#PermitRootLogin yes\n  # PermitRootLogin prohibit-password\n",
			"#PermitRootLogin yes\n  # PermitRootLogin prohibit-password\nPermitRootLogin no\n", true),
		prl("commented Match is no Match",
			"Port 22\n#Match User anoncvs\n#\tX11Forwarding no\n",
			"Port 22\n#Match User anoncvs\n#\tX11Forwarding no\nPermitRootLogin no\n", true),
		prl("keyword as a prefix of another is another",
			"PermitRootLoginX yes\n",
			"PermitRootLoginX yes\nPermitRootLogin no\n", true),
		prl("Include before is kept, keyword appended after it",
			"Include /etc/ssh/sshd_config.d/*.conf\nPort 22\n",
			"Include /etc/ssh/sshd_config.d/*.conf\nPort 22\nPermitRootLogin no\n", true),
		prl("CRLF changed in place",
			"Port 22\r\nPermitRootLogin yes\r\nX11Forwarding no\r\n",
			"Port 22\r\nPermitRootLogin no\r\nX11Forwarding no\r\n", true),
		prl("CRLF inserted before Match",
			"Port 22\r\n\r\nMatch User bob\r\n\tX11Forwarding yes\r\n",
			"Port 22\r\nPermitRootLogin no\r\n\r\nMatch User bob\r\n\tX11Forwarding yes\r\n", true),
		prl("CRLF appended without final newline",
			"Port 22\r\nUsePAM yes",
			"Port 22\r\nUsePAM yes\r\nPermitRootLogin no\r\n", true),
		prl("mixed endings: LF for new lines when most lines use LF",
			"Port 22\r\nUsePAM yes\nX11Forwarding no\n",
			"Port 22\r\nUsePAM yes\nX11Forwarding no\nPermitRootLogin no\n", true),
		prl("no trailing newline, appended",
			"Port 22",
			"Port 22\nPermitRootLogin no\n", true),
		prl("no trailing newline, changed in place",
			"Port 22\nPermitRootLogin yes",
			"Port 22\nPermitRootLogin no", true),
		prl("no trailing newline, inserted before Match",
			"Port 22\nMatch User bob\n\tX11Forwarding yes",
			"Port 22\nPermitRootLogin no\nMatch User bob\n\tX11Forwarding yes", true),
		prl("empty file",
			"",
			"PermitRootLogin no\n", true),
		prl("only a newline",
			"\n",
			"\nPermitRootLogin no\n", true),
		{editCase{"Match all with the same value",
			"Match User a\n\tMaxSessions 1\nMatch ALL\n\tMaxSessions 5\nMatch all\n\tMaxSessions 7\n",
			"MaxSessions 5\nMatch User a\n\tMaxSessions 1\nMatch ALL\n\tMaxSessions 5\nMatch all\n\tMaxSessions 7\n", true}, "MaxSessions", "5"},
		{editCase{"values with spaces", "AllowUsers carol\nMatch User dave\n\tAllowUsers dave\n",
			"AllowUsers alice bob\nMatch User dave\n\tAllowUsers dave\n", true}, "AllowUsers", "alice bob"},
		{editCase{"values with spaces already set with other spacing", "AllowUsers   alice \"bob\"\n",
			"AllowUsers   alice \"bob\"\n", false}, "AllowUsers", "alice bob"},
		{editCase{"values with spaces inserted", "Port 22\n",
			"Port 22\nAllowUsers alice bob\n", true}, "AllowUsers", "alice bob"},
		{editCase{"repeat-sensitive keyword with one global line and one in a block",
			"Port 22\nMatch User a\n\tAllowUsers a\n",
			"Port 22\nAllowUsers alice\nMatch User a\n\tAllowUsers a\n", true}, "AllowUsers", "alice"},
		{editCase{"alias line rewritten with the keyword asked for",
			"ChallengeResponseAuthentication yes\nKbdInteractiveAuthentication no\n",
			"KbdInteractiveAuthentication no\nKbdInteractiveAuthentication no\n", true}, "KbdInteractiveAuthentication", "no"},
		{editCase{"alias line already the value",
			"ChallengeResponseAuthentication no\n",
			"ChallengeResponseAuthentication no\n", false}, "KbdInteractiveAuthentication", "no"},
		{editCase{"quoted value with a space",
			"Banner /etc/issue.net\n",
			"Banner \"/etc/issue net\"\n", true}, "Banner", "\"/etc/issue net\""},
		{editCase{"not-UTF-8 bytes kept",
			"# caf\xe9\nPort 22\n",
			"# caf\xe9\nPort 22\nLogLevel VERBOSE\n", true}, "LogLevel", "VERBOSE"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checkEdit(t, c.editCase, func(b []byte) ([]byte, bool, error) { return SetSSHD(b, c.keyword, c.value) })
		})
	}
}

func TestSetSSHDErrors(t *testing.T) {
	cases := []struct {
		name, content, keyword, value, want string
	}{
		{"newline in value", "", "PermitRootLogin", "no\nPermitRootLogin yes", "may only write one line"},
		{"CR in value", "", "PermitRootLogin", "no\rPermitRootLogin yes", "may only write one line"},
		{"NUL in value", "", "PermitRootLogin", "no\x00", "may only write one line"},
		{"newline in keyword", "", "PermitRootLogin no\nPort", "22", "may only write one line"},
		{"space in keyword", "", "Permit RootLogin", "no", "white space"},
		{"= in keyword", "", "PermitRootLogin=yes", "no", `"="`},
		{"empty keyword", "", "", "no", "empty key"},
		{"keyword not alphanumeric", "", "Permit-RootLogin", "no", "not alphanumeric"},
		{"Match", "", "Match", "all", "not a setting"},
		{"Include", "", "include", "/tmp/x", "not a setting"},
		{"Subsystem", "", "Subsystem", "sftp internal-sftp", "keyed by its name"},
		{"empty value", "", "PermitRootLogin", "", "empty value"},
		{"blank value", "", "PermitRootLogin", "  ", "empty value"},
		{"leading space", "", "PermitRootLogin", " no", "white space"},
		{"unbalanced quote", "", "Banner", "\"/etc/issue", "unbalanced quotes"},
		{"comment in value", "", "PermitRootLogin", "no #yes", "comment"},
		{"value starting with =", "", "PermitRootLogin", "=no", "would not read back"},
		{"value only a comment", "", "PermitRootLogin", "#no", "comment"},
		{"NUL in content", "Port 22\nPermit\x00RootLogin yes\n", "PermitRootLogin", "no", "line 2: content contains a NUL byte"},
		{"repeated AllowUsers", "AllowUsers a\nPort 22\nallowusers b\nMatch User x\n\tAllowUsers c\n", "AllowUsers", "alice", "lines 1, 3"},
		{"repeated HostKey through its alias", "HostKey /a\nHostDSAKey /b\n", "HostKey", "/c", "lines 1, 2"},
		{"Match all sets another value", "Port 22\nMatch User a\n\tMaxSessions 1\nMatch all # everyone\n\tmaxsessions 2\n", "MaxSessions", "5", `line 5: a "Match all" block sets maxsessions`},
		{"repeated IPQoS", "IPQoS af21\nIPQoS cs1\n", "IPQoS", "lowdelay", "combines"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checkErr(t, c.want, func() ([]byte, bool, error) { return SetSSHD([]byte(c.content), c.keyword, c.value) })
		})
	}
}

func TestSSHDKeyword(t *testing.T) {
	type kw struct {
		Kw, Rest string
		OK       bool
	}
	cases := []struct {
		in   string
		want kw
	}{
		{"PermitRootLogin no", kw{"PermitRootLogin", "no", true}},
		{"  PermitRootLogin=no\r", kw{"PermitRootLogin", "no", true}},
		{"PermitRootLogin = no # c", kw{"PermitRootLogin", "no # c", true}},
		{"PermitRootLogin\t\tno  ", kw{"PermitRootLogin", "no", true}},
		{"\"PermitRootLogin\" no", kw{"PermitRootLogin", "no", true}},
		{"=PermitRootLogin no", kw{"PermitRootLogin", "no", true}},
		{"#PermitRootLogin no", kw{"", "", false}},
		{"   ", kw{"", "", false}},
		{"\"PermitRootLogin no", kw{"", "", false}},
		{"Match=User alice", kw{"Match", "User alice", true}},
	}
	for _, c := range cases {
		k, r, ok := sshdKeyword(c.in)
		if diff := cmp.Diff(c.want, kw{k, r, ok}); diff != "" {
			t.Errorf("sshdKeyword(%q) (-want +got):\n%s", c.in, diff)
		}
	}
}

func TestSSHDArgs(t *testing.T) {
	type res struct {
		Args    []string
		Comment int
		OK      bool
	}
	cases := []struct {
		in   string
		want res
	}{
		{"alice bob", res{[]string{"alice", "bob"}, -1, true}},
		{"  alice\t\"b ob\" 'c'", res{[]string{"alice", "b ob", "c"}, -1, true}},
		{`a\ b`, res{[]string{"a b"}, -1, true}},
		{"no # comment", res{[]string{"no"}, 3, true}},
		{"a#b", res{[]string{"a#b"}, -1, true}},
		{"\"#x\"", res{[]string{"#x"}, -1, true}},
		{"\"open", res{nil, -1, false}},
		{"", res{[]string{}, -1, true}},
	}
	for _, c := range cases {
		a, cm, ok := sshdArgs(c.in)
		if diff := cmp.Diff(c.want, res{a, cm, ok}); diff != "" {
			t.Errorf("sshdArgs(%q) (-want +got):\n%s", c.in, diff)
		}
	}
}

// FuzzSetSSHD holds SetSSHD to its contract on arbitrary files: the result
// differs from the input by exactly one changed or one inserted line (plus
// a newline for a last line it appends after), the first global setting
// of the keyword in the result has the value, and a second application
// changes nothing.
func FuzzSetSSHD(f *testing.F) {
	for _, s := range []string{
		"", "Port 22\n", "PermitRootLogin yes\nPermitRootLogin no\n", "Match User a\n\tPermitRootLogin yes",
		"# c\r\nPermitRootLogin=yes\r\nMatch all\r\n", "\"PermitRootLogin\" \"yes\" # c\n", "permitrootlogin\n",
		"=\n\"\nMatch\n", "ChallengeResponseAuthentication yes\n",
	} {
		f.Add(s, "PermitRootLogin", "no")
	}
	f.Add("AllowUsers a\nMatch User b\n\tAllowUsers c\n", "AllowUsers", "alice bob")
	f.Add("Port 22\n", "KbdInteractiveAuthentication", "no")
	f.Fuzz(func(t *testing.T, in, keyword, value string) {
		out, changed, err := SetSSHD([]byte(in), keyword, value)
		if err != nil {
			return
		}
		want, _, _ := sshdArgs(value)
		canonical := sshdCanonical(strings.ToLower(keyword))
		splitAfter := func(s string) []string {
			l := strings.SplitAfter(s, "\n")
			if l[len(l)-1] == "" {
				l = l[:len(l)-1]
			}
			return l
		}
		before, after := splitAfter(in), splitAfter(string(out))
		if !changed {
			if string(out) != in {
				t.Fatalf("unchanged but content differs: %q -> %q", in, out)
			}
		} else {
			diffs := 0
			if len(after) == len(before) {
				for i := range before {
					if before[i] != after[i] {
						diffs++
					}
				}
			} else if len(after) == len(before)+1 {
				// One inserted line; drop it and compare, allowing the
				// newline added to a last line without one.
				for i := range after {
					rest := append(append([]string{}, after[:i]...), after[i+1:]...)
					r := strings.Join(rest, "")
					if tail, ok := strings.CutPrefix(r, in); ok && (tail == "" || tail == "\n" || tail == "\r\n") {
						diffs = 1
						break
					}
				}
				if diffs == 0 {
					diffs = 2
				}
			} else {
				diffs = 2
			}
			if diffs != 1 {
				t.Fatalf("more than one line changed: %q -> %q", in, out)
			}
		}
		found := false
		for _, l := range strings.Split(string(out), "\n") {
			kw, rest, ok := sshdKeyword(l)
			if !ok {
				continue
			}
			if strings.EqualFold(kw, "match") {
				t.Fatalf("no global setting of %s before the first Match in %q", keyword, out)
			}
			if sshdCanonical(strings.ToLower(kw)) == canonical {
				got, _, _ := sshdArgs(rest)
				if !cmp.Equal(got, want) {
					t.Fatalf("first global %s is %q, want %q, in %q", keyword, got, want, out)
				}
				found = true
				break
			}
		}
		if !found {
			t.Fatalf("no setting of %s in %q", keyword, out)
		}
		again, changed2, err := SetSSHD(out, keyword, value)
		if err != nil || changed2 || string(again) != string(out) {
			t.Fatalf("second application: changed=%v err=%v\n%q\n%q", changed2, err, out, again)
		}
	})
}
