package checks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/afero"

	"github.com/gcrun/gcrun/checks/rootfs"
)

// sshdRoot describes a scanned root for one test case.
type sshdRoot struct {
	files map[string]string // path inside the root -> content
	dirs  []string
	// links and fifos need a real file system; cases that use them run
	// on the OS only.
	links map[string]string // path -> target as written
	fifos []string
	// sparse files of the given sizes, without their data being written.
	sparse map[string]int64
}

// sshdOnOS builds the root in a temporary directory.
func sshdOnOS(t *testing.T, r sshdRoot) afero.Fs {
	t.Helper()
	dir := t.TempDir()
	mk := func(p string) string {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		return full
	}
	for _, d := range r.dirs {
		if err := os.MkdirAll(mk(d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for p, c := range r.files {
		if err := os.WriteFile(mk(p), []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for p, target := range r.links {
		if err := os.Symlink(target, mk(p)); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range r.fifos {
		if err := syscall.Mkfifo(mk(p), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for p, size := range r.sparse {
		if err := os.WriteFile(mk(p), nil, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Truncate(mk(p), size); err != nil {
			t.Fatal(err)
		}
	}
	fsys, err := rootfs.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	return fsys
}

// sshdInMemory builds the root in an afero.MemMapFs.
func sshdInMemory(t *testing.T, r sshdRoot) afero.Fs {
	t.Helper()
	mem := afero.NewMemMapFs()
	for _, d := range r.dirs {
		if err := mem.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for p, c := range r.files {
		if err := mem.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := afero.WriteFile(mem, p, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return rootfs.Wrap(mem)
}

// sshdFileSystems returns the file systems a case runs on.
func sshdFileSystems(t *testing.T, r sshdRoot) map[string]afero.Fs {
	t.Helper()
	out := map[string]afero.Fs{"os": sshdOnOS(t, r)}
	if len(r.links) == 0 && len(r.fifos) == 0 && len(r.sparse) == 0 {
		out["mem"] = sshdInMemory(t, r)
	}
	return out
}

// sshdConf is the default global configuration with over applied.
func sshdConf(over SSHDConfig) SSHDConfig {
	cfg := SSHDConfig{}
	for k, v := range sshdDefaults {
		cfg[k] = v
	}
	cfg["listenaddress"] = []string{"[::]:22", "0.0.0.0:22"}
	cfg["hostkey"] = []string{"/etc/ssh/ssh_host_rsa_key", "/etc/ssh/ssh_host_ecdsa_key", "/etc/ssh/ssh_host_ed25519_key"}
	for k, v := range over {
		cfg[k] = v
	}
	return cfg
}

// at is a location in the main configuration file.
func at(line int) SSHDLocation { return SSHDLocation{File: SSHDConfigPath, Line: line} }

// facts builds the expected facts for an existing main file.
func sshdFacts(files []string, cfg SSHDConfig, src map[string]SSHDLocation, match ...SSHDMatch) *SSHDFacts {
	if src == nil {
		src = map[string]SSHDLocation{}
	}
	if match == nil {
		match = []SSHDMatch{}
	}
	return &SSHDFacts{ConfigPath: SSHDConfigPath, Exists: true, Files: files, Config: cfg, Sources: src, Match: match,
		MatchLines: []SSHDMatchLine{}, FirstPass: sshdNoFirstPass()}
}

// sshdExpectExtra returns want with the facts sshd_extra.go adds, for a
// root that sets no DebianBanner and has no moduli file and no public host
// keys: DebianBanner "yes", a missing /etc/ssh/moduli and one missing key
// per HostKey. Fields want sets already are kept.
func sshdExpectExtra(want *SSHDFacts) *SSHDFacts {
	if want == nil || !want.Exists {
		return want
	}
	w := *want
	if w.DebianBanner == "" {
		w.DebianBanner = "yes"
	}
	if w.Moduli == nil {
		w.Moduli = &SSHDModuli{Path: "/etc/ssh/moduli", Sizes: map[string]int{}}
	}
	if w.HostKeys == nil {
		w.HostKeys = []SSHDHostKey{}
		keys, _ := w.Config["hostkey"].([]string)
		for _, k := range keys {
			w.HostKeys = append(w.HostKeys, SSHDHostKey{Path: k, PublicKey: k + ".pub"})
		}
	}
	return &w
}

func sshdNoFirstPass() SSHDSettings {
	return SSHDSettings{Config: SSHDConfig{}, Sources: map[string]SSHDLocation{}}
}

// sshdWith sets the expected Match lines and first-pass values of f.
func sshdWith(f *SSHDFacts, lines []SSHDMatchLine, first SSHDSettings) *SSHDFacts {
	f.MatchLines = lines
	f.FirstPass = first
	return f
}

// ml is an expected Match line.
func ml(block int, kw string, v any, loc SSHDLocation) SSHDMatchLine {
	return SSHDMatchLine{Block: block, Keyword: kw, Value: v, File: loc.File, Line: loc.Line}
}

var sshdMain = []string{SSHDConfigPath}

func TestSSHD(t *testing.T) {
	const (
		main   = SSHDConfigPath
		dropin = "/etc/ssh/sshd_config.d"
	)
	cases := []struct {
		name string
		root sshdRoot
		path string
		want *SSHDFacts
	}{
		{
			name: "missing config is a fact",
			root: sshdRoot{files: map[string]string{"/etc/hostname": "x\n"}},
			want: &SSHDFacts{ConfigPath: main, Files: []string{}, Config: SSHDConfig{},
				Sources: map[string]SSHDLocation{}, Match: []SSHDMatch{}, MatchLines: []SSHDMatchLine{}, FirstPass: sshdNoFirstPass()},
		},
		{
			name: "defaults",
			root: sshdRoot{files: map[string]string{main: "# only comments\n\n   \t\n#Port 2222\n"}},
			want: sshdFacts(sshdMain, sshdConf(nil), nil),
		},
		{
			name: "first wins, case, equals, quotes, normalisation",
			root: sshdRoot{files: map[string]string{main: `PermitRootLogin no
permitrootlogin yes
PASSWORDAUTHENTICATION=No
X11Forwarding = YES
Banner "/etc/issue net"
LogLevel 'debug1'
LoginGraceTime 2m
ClientAliveInterval 1h30M
Compression delayed
PermitRootLogin prohibit-password
AllowTcpForwarding all
Ciphers aes256-ctr,aes128-ctr
MaxAuthTries 03
FingerprintHash md5
ChallengeResponseAuthentication no
AcceptEnv LANG LC_* # comment
`}},
			want: sshdFacts(sshdMain, sshdConf(SSHDConfig{
				"permitrootlogin":              "no",
				"passwordauthentication":       "no",
				"x11forwarding":                "yes",
				"banner":                       "/etc/issue net",
				"loglevel":                     "DEBUG",
				"logingracetime":               "120",
				"clientaliveinterval":          "5400",
				"compression":                  "yes",
				"allowtcpforwarding":           "yes",
				"ciphers":                      "aes256-ctr,aes128-ctr",
				"maxauthtries":                 "3",
				"fingerprinthash":              "MD5",
				"kbdinteractiveauthentication": "no",
				"acceptenv":                    []string{"LANG", "LC_*"},
			}), map[string]SSHDLocation{
				"permitrootlogin": at(1), "passwordauthentication": at(3), "x11forwarding": at(4),
				"banner": at(5), "loglevel": at(6), "logingracetime": at(7), "clientaliveinterval": at(8),
				"compression": at(9), "allowtcpforwarding": at(11), "ciphers": at(12), "maxauthtries": at(13),
				"fingerprinthash": at(14), "kbdinteractiveauthentication": at(15), "acceptenv": at(16),
			}),
		},
		{
			name: "accumulating keywords",
			root: sshdRoot{files: map[string]string{main: `Port 22
Port 2222
HostKey /etc/ssh/k1
HostKey relative_key
AllowUsers alice bob@10.0.0.0/8
AllowUsers carol
DenyGroups wheel
AcceptEnv LANG
AcceptEnv LC_*
Subsystem sftp internal-sftp -l INFO
Subsystem backup /usr/bin/backup
SetEnv A=1 B=2 A=3
SetEnv C=3
AddressFamily inet
`}},
			want: sshdFacts(sshdMain, sshdConf(SSHDConfig{
				"port":          []string{"22", "2222"},
				"addressfamily": "inet",
				"listenaddress": []string{"0.0.0.0:22", "0.0.0.0:2222"},
				"hostkey":       []string{"/etc/ssh/k1", "//relative_key"},
				"allowusers":    []string{"alice", "bob@10.0.0.0/8", "carol"},
				"denygroups":    []string{"wheel"},
				"acceptenv":     []string{"LANG", "LC_*"},
				"subsystem":     []string{"sftp internal-sftp -l INFO", "backup /usr/bin/backup"},
				"setenv":        []string{"A=1", "B=2"},
			}), map[string]SSHDLocation{
				"port": at(1), "hostkey": at(3), "allowusers": at(5), "denygroups": at(7), "acceptenv": at(8),
				"subsystem": at(10), "setenv": at(12), "addressfamily": at(14),
			}),
		},
		{
			name: "listen addresses",
			root: sshdRoot{files: map[string]string{main: `ListenAddress 127.1
ListenAddress [::1]:2201
ListenAddress 10.0.0.1:2202 rdomain vrf1
ListenAddress host.example:2203
Port 2200
`}},
			want: sshdFacts(sshdMain, sshdConf(SSHDConfig{
				"port": []string{"2200"},
				// Host names are not resolved; routing domains group.
				"listenaddress": []string{"127.0.0.1:2200", "[::1]:2201", "host.example:2203", "10.0.0.1:2202 rdomain vrf1"},
			}), map[string]SSHDLocation{"listenaddress": at(1), "port": at(5)}),
		},
		{
			name: "include with glob order and relative path",
			root: sshdRoot{
				files: map[string]string{
					main: `Include sshd_config.d/*.conf
PermitRootLogin yes
Include /etc/ssh/missing.conf /etc/ssh/none.d/*
X11Forwarding yes
`,
					dropin + "/50-cloud.conf": "PasswordAuthentication no\nPort 2222\n",
					dropin + "/10-base.conf":  "PermitRootLogin no\nPasswordAuthentication yes\nPort 22\n",
					dropin + "/.hidden.conf":  "X11Forwarding no\n",
					dropin + "/README":        "Garbage that is never read\n",
				},
				dirs: []string{dropin + "/20-dir.conf"},
			},
			want: sshdFacts([]string{main, dropin + "/10-base.conf", dropin + "/50-cloud.conf"}, sshdConf(SSHDConfig{
				"permitrootlogin":        "no",
				"passwordauthentication": "yes",
				"port":                   []string{"22", "2222"},
				"listenaddress":          []string{"[::]:22", "0.0.0.0:22", "[::]:2222", "0.0.0.0:2222"},
				"x11forwarding":          "yes",
			}), map[string]SSHDLocation{
				"permitrootlogin":        {File: dropin + "/10-base.conf", Line: 1},
				"passwordauthentication": {File: dropin + "/10-base.conf", Line: 2},
				"port":                   {File: dropin + "/10-base.conf", Line: 3},
				"x11forwarding":          at(4),
			}),
		},
		{
			name: "include unescapes like glob",
			root: sshdRoot{files: map[string]string{
				main:                   "Include /etc/s\\sh\\/x\\*.d/*.conf\n",
				"/etc/ssh/x*.d/a.conf": "Port 1\n",
				"/etc/ssh/xy.d/b.conf": "Port 2\n",
			}},
			want: sshdFacts([]string{main, "/etc/ssh/x*.d/a.conf"}, sshdConf(SSHDConfig{
				"port":          []string{"1"},
				"listenaddress": []string{"[::]:1", "0.0.0.0:1"},
			}), map[string]SSHDLocation{"port": {File: "/etc/ssh/x*.d/a.conf", Line: 1}}),
		},
		{
			name: "include nesting up to the limit",
			root: sshdRoot{files: sshdIncludeChain(sshdMaxIncludeDepth, "PermitRootLogin no\n")},
			want: sshdFacts(sshdChainFiles(sshdMaxIncludeDepth), sshdConf(SSHDConfig{"permitrootlogin": "no"}),
				map[string]SSHDLocation{"permitrootlogin": {File: fmt.Sprintf("/etc/ssh/inc/%d.conf", sshdMaxIncludeDepth), Line: 1}}),
		},
		{
			name: "match blocks",
			root: sshdRoot{files: map[string]string{
				main: `PasswordAuthentication no
AllowUsers root
Match User alice,!bob Address 10.0.0.0/8 Group "adm ins"
	PasswordAuthentication yes
	AllowUsers alice
	AuthorizedKeysFile /etc/keys/%u
Match LocalPort 2222 Host *.example.com LocalAddress 192.0.2.1 RDomain vrf1
	Include /etc/ssh/match.d/*.conf
	PermitRootLogin no
Match all
	X11Forwarding yes
	PasswordAuthentication yes
	Port 2022
`,
				"/etc/ssh/match.d/a.conf": "MaxAuthTries 2\nMatch all\nBanner /etc/banner\n",
			}},
			want: sshdWith(sshdFacts([]string{main, "/etc/ssh/match.d/a.conf"}, sshdConf(SSHDConfig{
				// "Match all" applies to every connection, and sshd -T
				// shows it: it overrides Match-able keywords and sets
				// global-only ones that nothing set before.
				"passwordauthentication": "yes",
				"x11forwarding":          "yes",
				"allowusers":             []string{"root"},
				"port":                   []string{"2022"},
				"listenaddress":          []string{"[::]:2022", "0.0.0.0:2022"},
			}), map[string]SSHDLocation{
				"passwordauthentication": at(12), "allowusers": at(2), "x11forwarding": at(11), "port": at(13),
			},
				SSHDMatch{
					Criteria: []SSHDCriterion{
						{Type: "user", Patterns: []string{"alice", "!bob"}},
						{Type: "address", Patterns: []string{"10.0.0.0/8"}},
						{Type: "group", Patterns: []string{"adm ins"}},
					},
					Parent: -1,
					File:   main, Line: 3,
					Config:  SSHDConfig{"passwordauthentication": "yes", "allowusers": []string{"alice"}, "authorizedkeysfile": "/etc/keys/%u"},
					Sources: map[string]SSHDLocation{"passwordauthentication": at(4), "allowusers": at(5), "authorizedkeysfile": at(6)},
				},
				SSHDMatch{
					Criteria: []SSHDCriterion{
						{Type: "localport", Patterns: []string{"2222"}},
						{Type: "host", Patterns: []string{"*.example.com"}},
						{Type: "localaddress", Patterns: []string{"192.0.2.1"}},
						{Type: "rdomain", Patterns: []string{"vrf1"}},
					},
					Parent: -1,
					File:   main, Line: 7,
					// The Include's lines belong to the block; the block
					// goes on after the Include even though the included
					// file started a block of its own.
					Config:  SSHDConfig{"maxauthtries": "2", "permitrootlogin": "no"},
					Sources: map[string]SSHDLocation{"maxauthtries": {File: "/etc/ssh/match.d/a.conf", Line: 1}, "permitrootlogin": at(9)},
				},
				SSHDMatch{
					// Included from an inactive block: this "Match all"
					// never applies, so its Banner is not global.
					Criteria: []SSHDCriterion{{Type: "all", Patterns: []string{}}},
					Parent:   1,
					File:     "/etc/ssh/match.d/a.conf", Line: 2,
					Config:  SSHDConfig{"banner": "/etc/banner"},
					Sources: map[string]SSHDLocation{"banner": {File: "/etc/ssh/match.d/a.conf", Line: 3}},
				},
				SSHDMatch{
					Criteria: []SSHDCriterion{{Type: "all", Patterns: []string{}}},
					File:     main, Line: 10,
					Parent:  -1,
					Config:  SSHDConfig{"x11forwarding": "yes", "passwordauthentication": "yes", "port": []string{"2022"}},
					Sources: map[string]SSHDLocation{"x11forwarding": at(11), "passwordauthentication": at(12), "port": at(13)},
				},
			), []SSHDMatchLine{
				ml(0, "passwordauthentication", "yes", at(4)),
				ml(0, "allowusers", []string{"alice"}, at(5)),
				ml(0, "authorizedkeysfile", "/etc/keys/%u", at(6)),
				ml(1, "maxauthtries", "2", SSHDLocation{File: "/etc/ssh/match.d/a.conf", Line: 1}),
				ml(2, "banner", "/etc/banner", SSHDLocation{File: "/etc/ssh/match.d/a.conf", Line: 3}),
				ml(1, "permitrootlogin", "no", at(9)),
				ml(3, "x11forwarding", "yes", at(11)),
				ml(3, "passwordauthentication", "yes", at(12)),
				// Port is global-only: sshd does not copy it per connection.
			}, SSHDSettings{
				// What the first pass gave the keywords "Match all" sets
				// again for every connection.
				Config:  SSHDConfig{"passwordauthentication": "no", "x11forwarding": "yes"},
				Sources: map[string]SSHDLocation{"passwordauthentication": at(1), "x11forwarding": at(11)},
			}),
		},
		{
			name: "tilde expands with the root's passwd",
			root: sshdRoot{files: map[string]string{
				main:          "AuthorizedKeysFile ~/.ssh/authorized_keys ~alice/keys .ssh/k2\nBanner ~/banner\n",
				"/etc/passwd": "root:x:0:0:root:/var/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n",
			}},
			want: sshdFacts(sshdMain, sshdConf(SSHDConfig{
				"authorizedkeysfile": "/var/root/.ssh/authorized_keys /home/alice/keys .ssh/k2",
				"banner":             "/var/root/banner",
			}), map[string]SSHDLocation{"authorizedkeysfile": at(1), "banner": at(2)}),
		},
		{
			name: "other config path",
			root: sshdRoot{files: map[string]string{"/srv/sshd.conf": "Port 2\n"}},
			path: "/srv/sshd.conf",
			want: &SSHDFacts{ConfigPath: "/srv/sshd.conf", Exists: true, Files: []string{"/srv/sshd.conf"},
				Config:  sshdConf(SSHDConfig{"port": []string{"2"}, "listenaddress": []string{"[::]:2", "0.0.0.0:2"}}),
				Sources: map[string]SSHDLocation{"port": {File: "/srv/sshd.conf", Line: 1}}, Match: []SSHDMatch{},
				MatchLines: []SSHDMatchLine{}, FirstPass: sshdNoFirstPass()},
		},
		{
			name: "symlinks resolve inside the root",
			root: sshdRoot{
				files: map[string]string{
					"/srv/ssh/real_config": "Include /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin no\n",
					"/srv/ssh/dropin.conf": "PasswordAuthentication no\n",
				},
				links: map[string]string{
					// Absolute targets must not reach the scanning host's
					// files: /srv/ssh/... exists only inside the root.
					main:                  "/srv/ssh/real_config",
					dropin + "/link.conf": "/srv/ssh/dropin.conf",
				},
			},
			want: sshdFacts([]string{main, dropin + "/link.conf"},
				sshdConf(SSHDConfig{"permitrootlogin": "no", "passwordauthentication": "no"}),
				map[string]SSHDLocation{"permitrootlogin": at(2), "passwordauthentication": {File: dropin + "/link.conf", Line: 1}}),
		},
	}
	for _, tc := range cases {
		for fsName, fsys := range sshdFileSystems(t, tc.root) {
			t.Run(tc.name+"/"+fsName, func(t *testing.T) {
				got, err := SSHD{ConfigPath: tc.path}.Collect(context.Background(), Target{Fs: fsys, Root: "/"})
				if err != nil {
					t.Fatalf("Collect: %v", err)
				}
				if diff := cmp.Diff(sshdExpectExtra(tc.want), got); diff != "" {
					t.Errorf("facts (-want +got):\n%s", diff)
				}
			})
		}
	}
}

// TestSSHDMatchNotMerged checks that a block's values are normalised on
// their own, not combined with the global configuration.
func TestSSHDMatchNotMerged(t *testing.T) {
	root := sshdRoot{files: map[string]string{SSHDConfigPath: `RekeyLimit 2G 1h
PubkeyAcceptedAlgorithms ssh-ed25519
Match Group sftp
	PubkeyAcceptedAlgorithms +ssh-rsa
	RekeyLimit 1G
	ForceCommand NONE
	ChannelTimeout none
	CASignatureAlgorithms ssh-ed25519-cert-v01@openssh.com
`}}
	want := sshdFacts(sshdMain, sshdConf(SSHDConfig{
		"rekeylimit":               "2147483648 3600",
		"pubkeyacceptedalgorithms": "ssh-ed25519",
	}), map[string]SSHDLocation{"rekeylimit": at(1), "pubkeyacceptedalgorithms": at(2)}, SSHDMatch{
		Criteria: []SSHDCriterion{{Type: "group", Patterns: []string{"sftp"}}},
		Parent:   -1,
		File:     SSHDConfigPath, Line: 3,
		Config: SSHDConfig{
			"pubkeyacceptedalgorithms": sshdDefaultKeyAlgs + ",ssh-rsa",
			"rekeylimit":               "1073741824 0",
			"forcecommand":             "none",
			"channeltimeout":           "none",
			// Nothing to expand to: sshd would drop a matching connection,
			// but accepts the file, so the value stays as written.
			"casignaturealgorithms": "ssh-ed25519-cert-v01@openssh.com",
		},
		Sources: map[string]SSHDLocation{"pubkeyacceptedalgorithms": at(4), "rekeylimit": at(5), "forcecommand": at(6),
			"channeltimeout": at(7), "casignaturealgorithms": at(8)},
	})
	want.MatchLines = []SSHDMatchLine{
		// Lines keep what merging needs: the "+" of an algorithm list,
		// RekeyLimit without an interval.
		ml(0, "pubkeyacceptedalgorithms", "+ssh-rsa", at(4)),
		ml(0, "rekeylimit", "1073741824", at(5)),
		ml(0, "forcecommand", "none", at(6)),
		ml(0, "channeltimeout", "none", at(7)),
		ml(0, "casignaturealgorithms", "ssh-ed25519-cert-v01@openssh.com", at(8)),
	}
	for fsName, fsys := range sshdFileSystems(t, root) {
		t.Run(fsName, func(t *testing.T) {
			got, err := SSHD{}.Collect(context.Background(), Target{Fs: fsys, Root: "/"})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(sshdExpectExtra(want), got); diff != "" {
				t.Errorf("facts (-want +got):\n%s", diff)
			}
		})
	}
}

// sshdIncludeChain returns a main file that includes inc/1.conf, which
// includes inc/2.conf, and so on to inc/depth.conf, which holds last.
func sshdIncludeChain(depth int, last string) map[string]string {
	files := map[string]string{SSHDConfigPath: "Include inc/1.conf\n"}
	for i := 1; i < depth; i++ {
		files[fmt.Sprintf("/etc/ssh/inc/%d.conf", i)] = fmt.Sprintf("Include /etc/ssh/inc/%d.conf\n", i+1)
	}
	files[fmt.Sprintf("/etc/ssh/inc/%d.conf", depth)] = last
	return files
}

// sshdWideIncludes returns a main file including d/*, whose n files each
// include e/*, which holds m files: n*(m+1) reads at depth 2.
func sshdWideIncludes(n, m int) map[string]string {
	files := map[string]string{SSHDConfigPath: "Include d/*\n"}
	for i := 1; i <= n; i++ {
		files[fmt.Sprintf("/etc/ssh/d/%02d.conf", i)] = "Include /etc/ssh/e/*\n"
	}
	for i := 1; i <= m; i++ {
		files[fmt.Sprintf("/etc/ssh/e/%02d.conf", i)] = "# nothing\n"
	}
	return files
}

func sshdChainFiles(depth int) []string {
	out := []string{SSHDConfigPath}
	for i := 1; i <= depth; i++ {
		out = append(out, fmt.Sprintf("/etc/ssh/inc/%d.conf", i))
	}
	return out
}

func TestSSHDErrors(t *testing.T) {
	big := "# " + strings.Repeat("x", MaxConfigSize) + "\n"
	cases := []struct {
		name string
		root sshdRoot
		want string // the whole error message
	}{
		{"unknown keyword", sshdRoot{files: map[string]string{SSHDConfigPath: "# c\nPort 22\nFoo bar\n"}},
			`sshd: /etc/ssh/sshd_config:3: unknown keyword "Foo"`},
		{"missing argument", sshdRoot{files: map[string]string{SSHDConfigPath: "PermitRootLogin\n"}},
			`sshd: /etc/ssh/sshd_config:1: no argument after keyword "PermitRootLogin"`},
		{"missing argument after comment", sshdRoot{files: map[string]string{SSHDConfigPath: "Port # 22\n"}},
			`sshd: /etc/ssh/sshd_config:1: Port: missing argument`},
		{"bad yes/no", sshdRoot{files: map[string]string{SSHDConfigPath: "\nPasswordAuthentication maybe\n"}},
			`sshd: /etc/ssh/sshd_config:2: PasswordAuthentication: unsupported value "maybe"`},
		{"extra arguments", sshdRoot{files: map[string]string{SSHDConfigPath: "PermitRootLogin no yes\n"}},
			`sshd: /etc/ssh/sshd_config:1: PermitRootLogin: extra arguments at end of line`},
		{"bad number", sshdRoot{files: map[string]string{SSHDConfigPath: "MaxAuthTries 3x\n"}},
			`sshd: /etc/ssh/sshd_config:1: MaxAuthTries: integer value "3x" invalid`},
		{"bad time", sshdRoot{files: map[string]string{SSHDConfigPath: "LoginGraceTime 2y\n"}},
			`sshd: /etc/ssh/sshd_config:1: LoginGraceTime: invalid time value "2y"`},
		{"bad port", sshdRoot{files: map[string]string{SSHDConfigPath: "Port 70000\n"}},
			`sshd: /etc/ssh/sshd_config:1: Port: bad port number "70000"`},
		{"unterminated quote", sshdRoot{files: map[string]string{SSHDConfigPath: "Banner \"/etc/issue\n"}},
			`sshd: /etc/ssh/sshd_config:1: Banner: invalid quotes`},
		{"garbage", sshdRoot{files: map[string]string{SSHDConfigPath: "\x7fELF\x02\x01\x01 binary\n"}},
			"sshd: /etc/ssh/sshd_config:1: unknown keyword \"\\x7fELF\\x02\\x01\\x01\""},
		{"NUL byte", sshdRoot{files: map[string]string{SSHDConfigPath: "Port 22\nPo\x00rt\n"}},
			`sshd: /etc/ssh/sshd_config:2: NUL byte in configuration`},
		{"global keyword in Match", sshdRoot{files: map[string]string{SSHDConfigPath: "Match User x\nPort 22\n"}},
			`sshd: /etc/ssh/sshd_config:2: Port is not allowed within a Match block`},
		{"bad Match", sshdRoot{files: map[string]string{SSHDConfigPath: "Match User x Bogus y\n"}},
			`sshd: /etc/ssh/sshd_config:1: Match: unsupported attribute "Bogus"`},
		{"Match all combined", sshdRoot{files: map[string]string{SSHDConfigPath: "Match all User x\n"}},
			`sshd: /etc/ssh/sshd_config:1: Match: 'all' cannot be combined with other Match attributes`},
		{"bad Match address", sshdRoot{files: map[string]string{SSHDConfigPath: "Match Address 10.0.0.1/8\n"}},
			`sshd: /etc/ssh/sshd_config:1: Match: invalid Address argument "10.0.0.1/8"`},
		{"error in included file", sshdRoot{files: map[string]string{
			SSHDConfigPath:           "Include conf.d/*.conf\n",
			"/etc/ssh/conf.d/a.conf": "\n\nUseDNS perhaps\n"}},
			`sshd: /etc/ssh/conf.d/a.conf:3: UseDNS: unsupported value "perhaps"`},
		{"duplicate subsystem", sshdRoot{files: map[string]string{SSHDConfigPath: "Subsystem sftp a\nSubsystem sftp b\n"}},
			`sshd: /etc/ssh/sshd_config:2: Subsystem "sftp" already defined`},
		{"include recursion", sshdRoot{files: map[string]string{SSHDConfigPath: "# loop\nInclude /etc/ssh/sshd_config\n"}},
			`sshd: /etc/ssh/sshd_config:2: Include /etc/ssh/sshd_config: too many nested includes (limit 16)`},
		{"include one too deep", sshdRoot{files: sshdIncludeChain(sshdMaxIncludeDepth+1, "Port 22\n")},
			fmt.Sprintf("sshd: /etc/ssh/inc/%d.conf:1: Include /etc/ssh/inc/%d.conf: too many nested includes (limit 16)",
				sshdMaxIncludeDepth, sshdMaxIncludeDepth+1)},
		{"too many included files", sshdRoot{files: sshdWideIncludes(30, 40)},
			"sshd: /etc/ssh/d/25.conf:1: Include /etc/ssh/e/*: more than 1000 included files"},
		{"tilde without passwd", sshdRoot{files: map[string]string{SSHDConfigPath: "Banner ~/b\n"}},
			`sshd: /etc/ssh/sshd_config:1: Banner: cannot expand "~/b": no /etc/passwd in the root`},
		{"command without user", sshdRoot{files: map[string]string{SSHDConfigPath: "Port 22\nAuthorizedKeysCommand /bin/keys %u\n"}},
			`sshd: /etc/ssh/sshd_config:2: AuthorizedKeysCommand set without AuthorizedKeysCommandUser`},
		{"unsatisfiable methods", sshdRoot{files: map[string]string{SSHDConfigPath: "AuthenticationMethods password\nPasswordAuthentication no\n"}},
			`sshd: /etc/ssh/sshd_config:1: AuthenticationMethods "password" cannot be satisfied by enabled authentication methods`},
		{"huge file", sshdRoot{files: map[string]string{SSHDConfigPath: big}},
			fmt.Sprintf("sshd: /etc/ssh/sshd_config: read: file too large: %d bytes, limit %d", len(big), MaxConfigSize)},
		{"huge included file", sshdRoot{files: map[string]string{SSHDConfigPath: "Include x.conf\n", "/etc/ssh/x.conf": big}},
			fmt.Sprintf("sshd: /etc/ssh/x.conf: read: file too large: %d bytes, limit %d", len(big), MaxConfigSize)},
		{"config is a directory", sshdRoot{dirs: []string{SSHDConfigPath}},
			`sshd: /etc/ssh/sshd_config: read: not a regular file`},
		{"FIFO as config", sshdRoot{fifos: []string{SSHDConfigPath}},
			`sshd: /etc/ssh/sshd_config: read: not a regular file`},
		{"FIFO as included file", sshdRoot{files: map[string]string{SSHDConfigPath: "Include /etc/ssh/conf.d/*\n"}, fifos: []string{"/etc/ssh/conf.d/fifo"}},
			`sshd: /etc/ssh/conf.d/fifo: read: not a regular file`},
		{"dangling symlink included", sshdRoot{files: map[string]string{SSHDConfigPath: "Include /etc/ssh/conf.d/*\n"},
			links: map[string]string{"/etc/ssh/conf.d/x": "/nowhere"}},
			`sshd: /etc/ssh/conf.d/x: stat: no such file or directory`},
	}
	for _, tc := range cases {
		for fsName, fsys := range sshdFileSystems(t, tc.root) {
			t.Run(tc.name+"/"+fsName, func(t *testing.T) {
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				done := make(chan struct{})
				var got any
				var err error
				go func() {
					defer close(done)
					got, err = SSHD{}.Collect(ctx, Target{Fs: fsys, Root: "/"})
				}()
				select {
				case <-done:
				case <-ctx.Done():
					t.Fatal("Collect hangs")
				}
				if err == nil {
					t.Fatalf("Collect succeeded with %+v, want error %q", got, tc.want)
				}
				if msg := err.Error(); msg != tc.want {
					t.Errorf("error:\n got %s\nwant %s", err, tc.want)
				}
				var ce *SSHDConfigError
				if !errors.As(err, &ce) {
					t.Errorf("error %T is not an *SSHDConfigError", err)
				}
			})
		}
	}
}

// sshdDenyFs fails to open one path, as a file the scan may not read.
type sshdDenyFs struct {
	afero.Fs
	deny string
}

func (f sshdDenyFs) OpenFile(name string, flag int, perm os.FileMode) (afero.File, error) {
	if name == f.deny {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return f.Fs.OpenFile(name, flag, perm)
}

func (f sshdDenyFs) Open(name string) (afero.File, error) { return f.OpenFile(name, os.O_RDONLY, 0) }

func TestSSHDUnreadableFile(t *testing.T) {
	mem := afero.NewMemMapFs()
	if err := afero.WriteFile(mem, SSHDConfigPath, []byte("Include /etc/ssh/secret.conf\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := afero.WriteFile(mem, "/etc/ssh/secret.conf", []byte("Port 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	fsys := rootfs.Wrap(sshdDenyFs{Fs: mem, deny: "/etc/ssh/secret.conf"})
	_, err := SSHD{}.Collect(context.Background(), Target{Fs: fsys, Root: "/"})
	want := "sshd: /etc/ssh/secret.conf: open: permission denied"
	if err == nil || err.Error() != want {
		t.Fatalf("error: got %v, want %s", err, want)
	}
	if !errors.Is(err, fs.ErrPermission) {
		t.Errorf("error does not wrap fs.ErrPermission: %v", err)
	}
}

func TestSSHDCancelled(t *testing.T) {
	fsys := sshdInMemory(t, sshdRoot{files: sshdIncludeChain(3, "Port 1\n")})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := (SSHD{}).Collect(ctx, Target{Fs: fsys, Root: "/"}); !errors.Is(err, context.Canceled) {
		t.Fatalf("error: got %v, want context.Canceled", err)
	}
}

// TestSSHDJSON pins the JSON shape rules rely on: strings for single
// values, arrays for keywords sshd -T prints on several lines, and {} and
// [] (never null) when the configuration is missing.
func TestSSHDJSON(t *testing.T) {
	missing, err := SSHD{}.Collect(context.Background(), Target{Fs: sshdInMemory(t, sshdRoot{}), Root: "/"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(missing)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"config_path":"/etc/ssh/sshd_config","exists":false,"files":[],"config":{},"sources":{},"match":[],` +
		`"match_lines":[],"first_pass":{"config":{},"sources":{}}}`
	if string(b) != want {
		t.Errorf("missing config:\n got %s\nwant %s", b, want)
	}

	fsys := sshdInMemory(t, sshdRoot{files: map[string]string{SSHDConfigPath: "PermitRootLogin no\nMatch User a\nX11Forwarding yes\n"}})
	got, err := SSHD{}.Collect(context.Background(), Target{Fs: fsys, Root: "/"})
	if err != nil {
		t.Fatal(err)
	}
	b, err = json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Config  map[string]any `json:"config"`
		Sources map[string]any `json:"sources"`
		Match   []struct {
			Criteria []map[string]any `json:"criteria"`
			Config   map[string]any   `json:"config"`
			File     string           `json:"file"`
			Line     int              `json:"line"`
		} `json:"match"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		what string
		got  any
		want any
	}{
		{"permitrootlogin", doc.Config["permitrootlogin"], "no"},
		{"port", doc.Config["port"], []any{"22"}},
		{"allowusers", doc.Config["allowusers"], []any{}},
		{"sources", doc.Sources["permitrootlogin"], map[string]any{"file": SSHDConfigPath, "line": float64(1)}},
		{"criteria", doc.Match[0].Criteria, []map[string]any{{"type": "user", "patterns": []any{"a"}}}},
		{"match config", doc.Match[0].Config, map[string]any{"x11forwarding": "yes"}},
		{"match line", doc.Match[0].Line, 2},
	}
	for _, c := range checks {
		if diff := cmp.Diff(c.want, c.got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", c.what, diff)
		}
	}
	// Every keyword is a string or a list of strings.
	for k, v := range got.(*SSHDFacts).Config {
		switch v.(type) {
		case string, []string:
		default:
			t.Errorf("config[%q] is %T", k, v)
		}
	}
}

// TestSSHDStrdelim pins the tokeniser on the cases sshd's strdelim makes
// subtle: one "=" with optional white space, quoted keywords.
func TestSSHDStrdelim(t *testing.T) {
	type tok struct {
		Tok    string
		TokOK  bool
		Rest   string
		RestOK bool
	}
	cases := map[string]tok{
		"Port 22":      {"Port", true, "22", true},
		"Port=22":      {"Port", true, "22", true},
		"Port = 22":    {"Port", true, "22", true},
		"Port  =  22":  {"Port", true, "22", true},
		"Port==22":     {"Port", true, "=22", true},
		"Port = = 22":  {"Port", true, "= 22", true},
		"Port":         {"Port", true, "", false},
		`"Port" 22`:    {"Port", true, "22", true},
		`"Port 22`:     {"", false, "", false},
		"Port\t\t22 x": {"Port", true, "22 x", true},
	}
	for in, want := range cases {
		var got tok
		got.Tok, got.TokOK, got.Rest, got.RestOK = sshdStrdelim(in, true)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("sshdStrdelim(%q) (-want +got):\n%s", in, diff)
		}
	}
}

func TestSSHDArgvSplit(t *testing.T) {
	cases := []struct {
		in   string
		want []string
		ok   bool
	}{
		{"a b\tc", []string{"a", "b", "c"}, true},
		{`"a b" 'c d'`, []string{"a b", "c d"}, true},
		{`a\ b c\"d`, []string{"a b", `c"d`}, true},
		{`x"y z"w`, []string{"xy zw"}, true},
		{"a # b c", []string{"a"}, true},
		{"a#b", []string{"a#b"}, true},
		{`"a`, nil, false},
		{`\q`, []string{`\q`}, true},
		{"", []string{}, true},
	}
	for _, c := range cases {
		got, ok := sshdArgvSplit(c.in)
		if ok != c.ok || c.ok && !cmp.Equal(got, c.want) {
			t.Errorf("sshdArgvSplit(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestSSHDAssemble(t *testing.T) {
	cases := []struct {
		list, want string
		err        bool
	}{
		{"", sshdDefaultCiphers, false},
		{"aes256-ctr,aes128-ctr,aes256-ctr", "aes256-ctr,aes128-ctr", false},
		{"+aes128-cbc", sshdDefaultCiphers + ",aes128-cbc", false},
		{"-aes*", "chacha20-poly1305@openssh.com", false},
		{"-*", sshdDefaultCiphers, false},
		{"^aes256-cbc", "aes256-cbc," + sshdDefaultCiphers, false},
		{"aes*-gcm@openssh.com", "aes128-gcm@openssh.com,aes256-gcm@openssh.com", false},
		{"!aes128-ctr", "", true},
		{"nothing*", "", true},
	}
	for _, c := range cases {
		got, err := sshdAssemble(c.list, sshdDefaultCiphers, sshdAllCiphers)
		if (err != nil) != c.err || got != c.want {
			t.Errorf("sshdAssemble(%q) = %q, %v; want %q, error %v", c.list, got, err, c.want, c.err)
		}
	}
}

func TestSSHDConvtime(t *testing.T) {
	cases := map[string]int{
		"0": 0, "120": 120, "2m": 120, "1h30m": 5400, "1W": 604800, "10s5": 15, "90M": 5400,
		"": -1, "x": -1, "1x": -1, "-1": -1, "2147483647": 2147483647, "2147483648": -1, "1h-1": -1,
	}
	for in, want := range cases {
		if got := sshdConvtime(in); got != want {
			t.Errorf("sshdConvtime(%q) = %d, want %d", in, got, want)
		}
	}
}

// FuzzSSHD feeds arbitrary configurations to the collector: it must return
// facts or an error, never panic or hang; every value must keep the types
// rules rely on; the facts must print as sshd -T output and survive JSON;
// and Effective must give the same answer for a few connections on the
// facts and on their JSON copy. FuzzSSHDOracle holds the results against
// the real sshd.
func FuzzSSHD(f *testing.F) {
	seeds := []string{
		"Port 22\n",
		"PermitRootLogin=no\nMatch User a,!b Address 10.0.0.0/8\n\tX11Forwarding yes\n",
		"Include /etc/ssh/sshd_config.d/*.conf\nMatch all\nInclude x\nPort 1\n",
		"Ciphers +aes128-cbc\nMACs -hmac*\nKexAlgorithms ^x\nRekeyLimit 1.5G 1h\nMaxStartups 1:2:3\n",
		"ListenAddress [::1]:22 rdomain x\nListenAddress 127.1\nAddressFamily inet6\n",
		"\"Port 22\nBanner \"a b\" # c\nForceCommand x \"y\nSubsystem a b c\n",
		"IPQoS 0x1 af11\nSetEnv A=1 A=2\nAuthenticationMethods any\nPermitOpen [::1]:*\n",
		"Match Group g LocalPort 22\nAuthenticationMethods publickey\nMatch User root\nAuthenticationMethods any\n",
		"Match Host *.a,!b*\nRekeyLimit 1G\nMatch RDomain r LocalAddress ::1\nUnusedConnectionTimeout none\n",
	}
	for _, s := range seeds {
		f.Add(s, "PermitRootLogin no\nMatch all\nPasswordAuthentication no\n")
	}
	conns := []SSHDConnection{
		{},
		{User: "root", Host: "a.example", Addr: "10.0.0.1", LocalAddr: "::1", LocalPort: 22, RDomain: "r", Groups: []string{"g", "root"}},
		{User: "b", Addr: "192.0.2.1", LocalPort: 2222, Groups: []string{}},
		{User: "x", Host: "B", LocalPort: 1}, // groups unknown
	}
	f.Fuzz(func(t *testing.T, main, dropin string) {
		mem := afero.NewMemMapFs()
		_ = afero.WriteFile(mem, SSHDConfigPath, []byte(main), 0o644)
		_ = afero.WriteFile(mem, "/etc/ssh/sshd_config.d/x.conf", []byte(dropin), 0o644)
		_ = afero.WriteFile(mem, "/etc/ssh/x", []byte(dropin), 0o644)
		_ = afero.WriteFile(mem, "/etc/passwd", []byte("root:x:0:0::/root:/bin/sh\n"), 0o644)
		got, err := SSHD{}.Collect(context.Background(), Target{Fs: rootfs.Wrap(mem), Root: "/"})
		if err != nil {
			var ce *SSHDConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("error %T is not an *SSHDConfigError: %v", err, err)
			}
			return
		}
		facts := got.(*SSHDFacts)
		configs := []SSHDConfig{facts.Config, facts.FirstPass.Config}
		for _, m := range facts.Match {
			configs = append(configs, m.Config)
		}
		for _, cfg := range configs {
			for k, v := range cfg {
				switch v.(type) {
				case string, []string:
				default:
					t.Fatalf("config[%q] is %T", k, v)
				}
			}
			if err := cfg.WriteSSHDT(io.Discard); err != nil {
				t.Fatalf("WriteSSHDT: %v", err)
			}
		}
		b, err := json.Marshal(facts)
		if err != nil {
			t.Fatal(err)
		}
		var back SSHDFacts
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("facts do not read back from JSON: %v", err)
		}
		// JSON turns bytes that are not UTF-8 into U+FFFD, so only valid
		// text comes back unchanged.
		exact := utf8.ValidString(main) && utf8.ValidString(dropin)
		for _, c := range conns {
			e1, err1 := facts.Effective(c)
			e2, err2 := back.Effective(c)
			if exact && ((err1 == nil) != (err2 == nil) || err1 == nil && !cmp.Equal(e1, e2)) {
				t.Fatalf("Effective(%v) differs on the JSON copy: %v / %v", c, err1, err2)
			}
			if err1 != nil {
				var ce *SSHDConfigError
				if !errors.As(err1, &ce) {
					t.Fatalf("Effective error %T is not an *SSHDConfigError: %v", err1, err1)
				}
				continue
			}
			if err := e1.Config.WriteSSHDT(io.Discard); err != nil {
				t.Fatalf("WriteSSHDT(Effective): %v", err)
			}
		}
	})
}

// TestSSHDBadInput covers the hostile roots of the issue: each must end in
// a clear error or in what sshd itself does, quickly, without a panic.
func TestSSHDBadInput(t *testing.T) {
	garbage := make([]byte, 64<<10)
	rng := rand.New(rand.NewSource(3))
	rng.Read(garbage)
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "host.conf"), []byte("PermitRootLogin yes\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	relOutside, err := filepath.Rel("/", filepath.Join(outside, "host.conf"))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		root sshdRoot
		err  string // a substring of the error; "" means success
		// check inspects the facts of a success.
		check func(t *testing.T, f *SSHDFacts)
	}{
		{name: "binary garbage", root: sshdRoot{files: map[string]string{SSHDConfigPath: string(garbage)}},
			err: "sshd: /etc/ssh/sshd_config:"},
		{name: "binary garbage without NUL", root: sshdRoot{files: map[string]string{
			SSHDConfigPath: strings.ReplaceAll(string(garbage), "\x00", "\x01")}},
			err: "sshd: /etc/ssh/sshd_config:"},
		{name: "100 MB main file", root: sshdRoot{sparse: map[string]int64{SSHDConfigPath: 100 << 20}},
			err: "sshd: /etc/ssh/sshd_config: read: file too large: 104857600 bytes, limit 4194304"},
		// Sparse files: the size limit must stop the read before any of
		// it is read (or even allocated).
		{name: "100 MB included file", root: sshdRoot{files: map[string]string{SSHDConfigPath: "Include big.conf\n"},
			sparse: map[string]int64{"/etc/ssh/big.conf": 100 << 20}},
			err: "sshd: /etc/ssh/big.conf: read: file too large: 104857600 bytes, limit 4194304"},
		{name: "include loop a-b-a", root: sshdRoot{files: map[string]string{
			SSHDConfigPath: "Include a.conf\n", "/etc/ssh/a.conf": "Include b.conf\n", "/etc/ssh/b.conf": "Include a.conf\n"}},
			err: "too many nested includes (limit 16)"},
		{name: "include loop through a glob", root: sshdRoot{files: map[string]string{
			SSHDConfigPath: "Include d/*\n", "/etc/ssh/d/x": "Include /etc/ssh/d/*\n"}},
			err: "too many nested includes (limit 16)"},
		{name: "missing include target is ignored, as sshd ignores it",
			root: sshdRoot{files: map[string]string{SSHDConfigPath: "Include missing.conf /nowhere/*.conf\nPort 2222\n"}},
			check: func(t *testing.T, f *SSHDFacts) {
				if !cmp.Equal(f.Files, []string{SSHDConfigPath}) || !cmp.Equal(f.Config["port"], []string{"2222"}) {
					t.Errorf("files %v, port %v", f.Files, f.Config["port"])
				}
			}},
		{name: "included symlink out of the root stays inside",
			root: sshdRoot{
				files: map[string]string{SSHDConfigPath: "Include /etc/ssh/sshd_config.d/*.conf\n"},
				links: map[string]string{
					"/etc/ssh/sshd_config.d/abs.conf": filepath.Join(outside, "host.conf"),
					"/etc/ssh/sshd_config.d/rel.conf": "../../../../../../../../" + relOutside,
				},
			},
			// Both links resolve inside the root, where nothing is: the
			// scanning host's file is never read.
			err: "sshd: /etc/ssh/sshd_config.d/abs.conf: stat: no such file or directory"},
		{name: "main file a symlink out of the root",
			root: sshdRoot{links: map[string]string{SSHDConfigPath: "../../../../" + relOutside}},
			check: func(t *testing.T, f *SSHDFacts) {
				if f.Exists {
					t.Errorf("the host's file was read: %+v", f.Config["permitrootlogin"])
				}
			}},
		{name: "symlink out of the root to a file that exists inside",
			root: sshdRoot{
				files: map[string]string{SSHDConfigPath: "Include x.conf\n", filepath.Join("/", relOutside): "X11Forwarding yes\n"},
				links: map[string]string{"/etc/ssh/x.conf": "../../../../../../" + relOutside},
			},
			check: func(t *testing.T, f *SSHDFacts) {
				if f.Config["x11forwarding"] != "yes" || f.Config["permitrootlogin"] != "without-password" {
					t.Errorf("x11forwarding %v, permitrootlogin %v", f.Config["x11forwarding"], f.Config["permitrootlogin"])
				}
			}},
		{name: "symlink loop", root: sshdRoot{
			files: map[string]string{SSHDConfigPath: "Include loop.conf\n"},
			links: map[string]string{"/etc/ssh/loop.conf": "/etc/ssh/loop2.conf", "/etc/ssh/loop2.conf": "/etc/ssh/loop.conf"}},
			err: "sshd: /etc/ssh/loop.conf:"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fsys := sshdOnOS(t, tc.root)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			start := time.Now()
			var got any
			var err error
			done := make(chan struct{})
			go func() {
				defer close(done)
				got, err = SSHD{}.Collect(ctx, Target{Fs: fsys, Root: "/"})
			}()
			select {
			case <-done:
			case <-ctx.Done():
				t.Fatal("Collect hangs")
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("Collect took %v", d)
			}
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error: got %v, want %q", err, tc.err)
				}
				var ce *SSHDConfigError
				if !errors.As(err, &ce) {
					t.Errorf("error %T is not an *SSHDConfigError", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, got.(*SSHDFacts))
		})
	}
}
