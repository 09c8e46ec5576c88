package checks

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/gcrun/gcrun/checks/rootfs"
	"github.com/gcrun/gcrun/internal/oracle"
	"github.com/google/go-cmp/cmp"
)

// sudoersValid are policies visudo -c accepts (TestSudoersOracle checks
// that it does) and the collector must accept too.
var sudoersValid = []string{
	"",
	"\n\n# only comments\n   # indented\n",
	"root ALL=(ALL:ALL) ALL\n%sudo ALL=(ALL:ALL) ALL\n",
	"root ALL=(ALL) ALL", // no final newline
	"Defaults env_reset\nDefaults mail_badpass\nDefaults secure_path=\"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\"\nDefaults use_pty\n",
	"Defaults\tuse_pty, !lecture ,logfile=/var/log/sudo.log,timestamp_timeout=5\n",
	"Defaults timestamp_timeout=-1\nDefaults timestamp_timeout=5.5\nDefaults passwd_timeout=0\n",
	"Defaults:%sudo,!bob env_keep += \"http_proxy https_proxy\"\nDefaults:alice !authenticate\n",
	"Defaults@web1,10.0.0.0/8 log_output\nDefaults>root,%wheel !set_logname\nDefaults!/usr/bin/less,/bin/more noexec\n",
	"Cmnd_Alias PAGERS = /usr/bin/more, /usr/bin/less\nDefaults!PAGERS noexec\n",
	"Defaults env_keep -= \"HOME\"\nDefaults !env_keep\nDefaults !syslog\nDefaults syslog=authpriv\nDefaults syslog_goodpri=info\n",
	"Defaults lecture=always\nDefaults lecture\nDefaults !lecture\nDefaults umask=0077\nDefaults passwd_tries=3\n",
	"Defaults iolog_dir=/var/log/sudo-io\nDefaults !logfile\nDefaults editor=/usr/bin/vi:/usr/bin/nano\n",
	"Defaults log_format=json\nDefaults timestamp_type=tty\nDefaults command_timeout=1h30m\n",
	"User_Alias ADMINS = alice, bob, %admins : OPS = carol\nRunas_Alias DB = postgres, mysql\nHost_Alias WEB = web1, web2.example.com, 192.0.2.0/24\nCmnd_Alias SHUTDOWN = /sbin/shutdown, /sbin/reboot\nCmd_Alias SVC = /usr/bin/systemctl restart *\nADMINS WEB = (DB) SHUTDOWN, SVC\nOPS ALL = NOPASSWD: SVC\n",
	"alice ALL = NOPASSWD: /usr/bin/apt update, PASSWD: /usr/bin/apt upgrade, /usr/bin/apt install *\n",
	"alice ALL = (root) NOPASSWD: SETENV: /bin/a, (bob) /bin/b, NOEXEC: /bin/c : db1 = (postgres : postgres) ALL\n",
	"alice ALL = (:wheel) /bin/a\nbob ALL = () /bin/b\ncarol ALL = (:) /bin/c\ndave ALL = (ALL, !root) /bin/d\n",
	"alice ALL = !/bin/su, !/usr/bin/passwd root, /bin/*\n",
	"alice ALL = !!/bin/ls\n",
	"alice ALL = sudoedit /etc/motd, sudoedit /etc/hosts\nbob ALL = list\n",
	"alice ALL = CWD=/tmp CHROOT=* TIMEOUT=5m /bin/ls\nbob ALL = NOTBEFORE=20250101000000Z NOTAFTER=2026010100Z /bin/ls, /bin/cat\n",
	"alice ALL = ROLE=sysadm_r TYPE=sysadm_t /bin/ls\n",
	"alice ALL = sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef /bin/ls\n",
	"alice ALL = sha224:0123456789abcdef0123456789abcdef0123456789abcdef01234567, sha256:ASNFZ4mrze8BI0VniavN7wEjRWeJq83vASNFZ4mrze8= /bin/ls\n",
	"alice ALL = ^/usr/bin/(ls|cat)$\n",
	"alice ALL = /bin/ls ^-[la]+$, ^/bin/ls$ \\\n\n",
	"alice ALL = /usr/bin/printf \\,\\:\\=\\#, /bin/echo \"\"\n",
	"alice ALL = /bin/ls \\\n  -l, \\\n /bin/cat\n",
	"Defaults env_keep += \"A \\\n  B\"\n",
	"#1000 ALL = /bin/ls\n%#1000 ALL = /bin/cat\n%:nonunix ALL = /bin/true\n+netgroup ALL = /bin/false\n",
	"\"alice smith\" ALL = /bin/ls\n\"%domain users\" ALL = /bin/cat\n",
	"alice 2001:db8::1, fe80::/64, 10.1.2.3 = /bin/ls\n",
	"alice ALL = /bin/ls # a trailing comment\n#includefoo is a comment\n#include_not\n#- comment too\n",
	"alice ALL = /bin/ls ; rm\n",
	"alice ALL = /bin/ls \\\n@include other\n", // an argument of /bin/ls, not a directive
	"alice ALL = /bin/ls,\\\n  /bin/cat\n",
	"alice\tALL\t=\t(ALL)\tALL\n  bob ALL = ALL\n",
	"alice ALL = /usr/bin/ \n",
	"ALICE ALL = ALL\n",
	"alice ALL = APPARMOR_PROFILE\n",
	"Defaults intercept_type=trace\nDefaults:ALL !intercept\n",
	"alice ALL = LOG_INPUT: LOG_OUTPUT: MAIL: FOLLOW: INTERCEPT: /bin/a, NOLOG_INPUT: NOLOG_OUTPUT: NOMAIL: NOFOLLOW: NOINTERCEPT: EXEC: NOSETENV: /bin/b\n",
	"alice ALL = NOPASSWD : /bin/a\n",
	"Defaults secure_path=\"/a\\\"b\"\n",
}

// sudoersInvalid are policies visudo -c refuses; the collector must
// refuse them with the file and line.
var sudoersInvalid = []struct{ policy, msg string }{
	{"root ALL=(ALL) ALL\nfoo bar\n", "/etc/sudoers:2: syntax error"},
	{"root ALL = ls\n", `/etc/sudoers:1: expected a fully-qualified path name, got "ls"`},
	{"Defaults foo\n", `/etc/sudoers:1: unknown defaults entry "foo"`},
	{"Defaults use_pty=1\n", `/etc/sudoers:1: option "use_pty" does not take a value`},
	{"Defaults logfile\n", `/etc/sudoers:1: no value specified for "logfile"`},
	{"Defaults logfile=var/log\n", `/etc/sudoers:1: values for "logfile" must start with a '/'`},
	{"Defaults env_reset+=x\n", `/etc/sudoers:1: invalid operator "+=" for "env_reset"`},
	{"Defaults timestamp_timeout=abc\n", `/etc/sudoers:1: value "abc" is invalid for option "timestamp_timeout"`},
	{"Defaults lecture=sometimes\n", `/etc/sudoers:1: value "sometimes" is invalid for option "lecture"`},
	{"Defaults syslog=kern\n", `/etc/sudoers:1: value "kern" is invalid for option "syslog"`},
	{"Defaults umask=0999\n", `/etc/sudoers:1: value "0999" is invalid for option "umask"`},
	{"Defaults passwd_tries=-1\n", `/etc/sudoers:1: value "-1" is invalid for option "passwd_tries"`},
	{"Defaults\n", "/etc/sudoers:1: syntax error"},
	{"Defaults use_pty use_pty\n", "/etc/sudoers:1: syntax error"},
	{"Cmnd_Alias A = /bin/ls\nCmnd_Alias A = /bin/cat\n", `/etc/sudoers:2: Alias "A" already defined`},
	{"User_Alias ALL = bob\n", "/etc/sudoers:1: syntax error, reserved word ALL used as an alias name"},
	{"Cmnd_Alias CWD = /bin/ls\n", "/etc/sudoers:1: syntax error, reserved word CWD used as an alias name"},
	{"User_Alias admins = bob\n", "/etc/sudoers:1: syntax error"},
	{"root ALL = (ALL /bin/ls\n", "/etc/sudoers:1: syntax error"},
	{"root ALL\n", "/etc/sudoers:1: syntax error"},
	{"root = /bin/ls\n", "/etc/sudoers:1: syntax error"},
	{"root ALL = /bin/ls,\n", "/etc/sudoers:1: syntax error"},
	{"root ALL = \"/bin/ls\n", "/etc/sudoers:1: unexpected line break in string"},
	{"Defaults secure_path=\"\"\n", "/etc/sudoers:1: empty string"},
	{"% ALL = ALL\n", "/etc/sudoers:1: empty group"},
	{"+ ALL = ALL\n", "/etc/sudoers:1: empty netgroup"},
	{"alice ALL = CWD=tmp /bin/ls\n", `/etc/sudoers:1: values for "CWD" must start with a '/', '~', or '*'`},
	{"alice ALL = TIMEOUT=5x /bin/ls\n", "/etc/sudoers:1: invalid timeout value"},
	{"alice ALL = NOTBEFORE=2025 /bin/ls\n", "/etc/sudoers:1: invalid notbefore value"},
	{"alice ALL = sha256:abcd /bin/ls\n", "/etc/sudoers:1: syntax error"},
	{"alice ALL = sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef ALIAS\n", "/etc/sudoers:1: a digest requires a path name"},
	{"alice ALL = NOPASSWD: CWD=/ /bin/ls\n", "/etc/sudoers:1: syntax error"},
	{"alice ALL = /bin/ls, \\\n@include other\n", "/etc/sudoers:2: invalid line continuation"},
	{"alice ALL = ^/bin/ls\n", `/etc/sudoers:1: expected a fully-qualified path name, got "^/bin/ls"`},
	{"alice ALL = /bin/ls ^-l\n", "/etc/sudoers:1: unterminated regular expression"},
	{"#-1 comment\n", "/etc/sudoers:1: syntax error"},
	{"@include missing\n", "/etc/sudoers:1: @include /etc/missing: unable to open: no such file"},
	{"alice ALL = /bin/ls\r\n", "/etc/sudoers:1: syntax error"},
}

// sudoersRoot is a root whose /etc/sudoers is policy, plus extra files
// (path to content; a path ending in / is a directory), all root-owned
// 0440 (directories 0755).
func sudoersRoot(t *testing.T, policy string, extra map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{"/etc/sudoers": policy}
	for p, c := range extra {
		files[p] = c
	}
	for p, c := range files {
		full := filepath.Join(dir, p)
		if strings.HasSuffix(p, "/") {
			if err := os.MkdirAll(full, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(c), 0o440); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func sudoersCollect(t *testing.T, dir string) (*SudoersFacts, error) {
	t.Helper()
	fsys, err := rootfs.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Sudoers{}.Collect(context.Background(), Target{Fs: fsys, Root: dir})
	if err != nil {
		return nil, err
	}
	return got.(*SudoersFacts), nil
}

func sudoersRequireRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		oracle.Missing(t, "sudo checks that sudoers files are owned by root")
	}
}

func TestSudoersAccepts(t *testing.T) {
	sudoersRequireRoot(t)
	for _, policy := range sudoersValid {
		if _, err := sudoersCollect(t, sudoersRoot(t, policy, nil)); err != nil {
			t.Errorf("%q: %v", policy, err)
		}
	}
}

func TestSudoersRejects(t *testing.T) {
	sudoersRequireRoot(t)
	for _, tc := range sudoersInvalid {
		_, err := sudoersCollect(t, sudoersRoot(t, tc.policy, nil))
		var se *SudoersError
		if !errors.As(err, &se) || !strings.HasPrefix(err.Error(), "sudoers: "+tc.msg) {
			t.Errorf("%q: err = %v, want %q", tc.policy, err, tc.msg)
		}
	}
}

// TestSudoersOracle runs visudo -c on every case: what it accepts the
// collector accepts, what it refuses the collector refuses.
func TestSudoersOracle(t *testing.T) {
	visudo := oracle.Require(t, "visudo")
	sudoersRequireRoot(t)
	check := func(policy string) (bool, string) {
		dir := sudoersRoot(t, policy, nil)
		out, err := exec.Command(visudo, "-c", "-f", filepath.Join(dir, "etc/sudoers")).CombinedOutput()
		return err == nil, string(out)
	}
	for _, policy := range sudoersValid {
		if ok, out := check(policy); !ok {
			t.Errorf("visudo refuses %q, which the collector accepts:\n%s", policy, out)
		}
	}
	for _, tc := range sudoersInvalid {
		if ok, _ := check(tc.policy); ok {
			t.Errorf("visudo accepts %q, which the collector refuses", tc.policy)
		}
	}
}

// sudoersTestdata loads testdata/sudoers/NAME into a root owned by root
// (in memory, so that the test needs no privileges).
func sudoersTestdata(t *testing.T, name string) []fileSpec {
	t.Helper()
	base := filepath.Join("testdata", "sudoers", name)
	var specs []fileSpec
	err := filepath.Walk(base, func(p string, fi os.FileInfo, err error) error {
		if err != nil || p == base {
			return err
		}
		rel := "/" + filepath.ToSlash(strings.TrimPrefix(p, base+string(filepath.Separator)))
		if fi.IsDir() {
			specs = append(specs, fileSpec{path: rel, dir: true, mode: 0o755})
			return nil
		}
		b, err := os.ReadFile(p)
		specs = append(specs, fileSpec{path: rel, content: string(b), mode: 0o440})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return specs
}

func sudoersCollectSpecs(t *testing.T, specs []fileSpec) *SudoersFacts {
	t.Helper()
	got, err := Sudoers{}.Collect(context.Background(), Target{Fs: memRoot(t, specs)})
	if err != nil {
		t.Fatal(err)
	}
	return got.(*SudoersFacts)
}

func sdef(binding string, targets []string, name, op string, value any, file string, line int) SudoersDefault {
	if targets == nil {
		targets = []string{}
	}
	return SudoersDefault{Binding: binding, Targets: targets, Name: name, Operator: op, Value: value, File: file, Line: line}
}

func scmd(command string, tags ...string) SudoersCommand {
	if tags == nil {
		tags = []string{}
	}
	return SudoersCommand{Command: command, Tags: tags, Options: map[string]string{}, Digests: []string{}}
}

func sspec(users, hosts []string, runas bool, ru, rg []string, file string, line int, cmds ...SudoersCommand) SudoersUserSpec {
	if ru == nil {
		ru = []string{}
	}
	if rg == nil {
		rg = []string{}
	}
	return SudoersUserSpec{Users: users, Hosts: hosts, RunasSpecified: runas, RunasUsers: ru, RunasGroups: rg, Commands: cmds, File: file, Line: line}
}

func sudoersEmptyAliases() map[string]map[string][]string {
	return map[string]map[string][]string{"User_Alias": {}, "Runas_Alias": {}, "Host_Alias": {}, "Cmnd_Alias": {}}
}

var sudoersAll = []string{"ALL"}

func TestSudoersDebian12(t *testing.T) {
	const f = "/etc/sudoers"
	want := &SudoersFacts{
		Path: f, Exists: true,
		Files:   []SudoersFile{{f, 54}, {"/etc/sudoers.d/README", 24}},
		Skipped: []SudoersSkipped{},
		Defaults: []SudoersDefault{
			sdef("", nil, "env_reset", "", true, f, 9),
			sdef("", nil, "mail_badpass", "", true, f, 10),
			sdef("", nil, "secure_path", "=", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", f, 11),
			sdef("", nil, "use_pty", "", true, f, 15),
		},
		UserSpecs: []SudoersUserSpec{
			sspec([]string{"root"}, sudoersAll, true, sudoersAll, sudoersAll, f, 47, scmd("ALL", "SETENV")),
			sspec([]string{"%sudo"}, sudoersAll, true, sudoersAll, sudoersAll, f, 50, scmd("ALL", "SETENV")),
		},
		Aliases: sudoersEmptyAliases(),
	}
	got := sudoersCollectSpecs(t, sudoersTestdata(t, "debian12"))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("facts (-want +got):\n%s", diff)
	}
}

func TestSudoersHardened(t *testing.T) {
	const (
		f   = "/etc/sudoers"
		ops = "/etc/sudoers.d/10-ops"
		bak = "/etc/sudoers.d/backup.inc"
	)
	operators := []string{"OPERATORS"}
	want := &SudoersFacts{
		Path: f, Exists: true,
		Files:   []SudoersFile{{f, 15}, {ops, 9}, {bak, 2}},
		Skipped: []SudoersSkipped{},
		Defaults: []SudoersDefault{
			sdef("", nil, "env_reset", "", true, f, 4),
			sdef("", nil, "mail_badpass", "", true, f, 5),
			sdef("", nil, "secure_path", "=", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", f, 6),
			sdef("", nil, "use_pty", "", true, f, 7),
			sdef("", nil, "logfile", "=", "/var/log/sudo.log", f, 8),
			sdef("", nil, "timestamp_timeout", "=", "5", f, 8),
			sdef("user", []string{"%sudo"}, "env_keep", "+=", "http_proxy https_proxy", f, 10),
		},
		UserSpecs: []SudoersUserSpec{
			sspec([]string{"root"}, sudoersAll, true, sudoersAll, sudoersAll, f, 12, scmd("ALL", "SETENV")),
			sspec([]string{"%sudo"}, sudoersAll, true, sudoersAll, sudoersAll, f, 13, scmd("ALL", "SETENV")),
			sspec(operators, []string{"WEB"}, true, []string{"root"}, nil, ops, 6, scmd("SERVICES"), scmd("/usr/bin/journalctl -u nginx")),
			sspec(operators, []string{"WEB"}, true, []string{"www-data"}, nil, ops, 6, scmd("/usr/bin/tail -f /var/log/nginx/access.log")),
			sspec(operators, []string{"DB"}, true, []string{"postgres"}, nil, ops, 8, scmd("/usr/bin/psql")),
			sspec([]string{"backup"}, sudoersAll, true, []string{"root"}, nil, bak, 2,
				scmd("/usr/local/sbin/backup-now", "NOPASSWD"), scmd("/usr/bin/rsync", "PASSWD")),
		},
		Aliases: map[string]map[string][]string{
			"User_Alias":  {"OPERATORS": {"alice", "bob", "!mallory"}},
			"Runas_Alias": {},
			"Host_Alias":  {"WEB": {"web1", "web2"}, "DB": {"db1"}},
			"Cmnd_Alias":  {"SERVICES": {"/usr/bin/systemctl restart nginx", "/usr/bin/systemctl reload nginx"}},
		},
	}
	got := sudoersCollectSpecs(t, sudoersTestdata(t, "hardened"))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("facts (-want +got):\n%s", diff)
	}
}

// TestSudoersTestdataOracle: visudo accepts both trees.
func TestSudoersTestdataOracle(t *testing.T) {
	visudo := oracle.Require(t, "visudo")
	sudoersRequireRoot(t)
	for _, name := range []string{"debian12", "hardened"} {
		extra := map[string]string{}
		var policy string
		for _, s := range sudoersTestdata(t, name) {
			switch {
			case s.path == "/etc/sudoers":
				// Debian's absolute @includedir would read this machine's
				// /etc/sudoers.d: point it at the tree's own.
				policy = strings.ReplaceAll(s.content, "@includedir /etc/sudoers.d", "@includedir sudoers.d")
			case s.dir:
				extra[s.path+"/"] = ""
			default:
				extra[s.path] = s.content
			}
		}
		dir := sudoersRoot(t, policy, extra)
		if out, err := exec.Command(visudo, "-c", "-f", filepath.Join(dir, "etc/sudoers")).CombinedOutput(); err != nil {
			t.Errorf("%s: visudo: %v\n%s", name, err, out)
		}
		if _, err := sudoersCollect(t, dir); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestSudoersCarryForward checks tags, options and Runas_Specs carried
// from command to command, and the split into user specs.
func TestSudoersCarryForward(t *testing.T) {
	policy := "alice ALL = (root) NOPASSWD: SETENV: /bin/a, (bob) /bin/b, NOEXEC: PASSWD: /bin/c : db1 = (postgres : postgres) ALL, /bin/d\n" +
		"bob ALL = CWD=/tmp /bin/a, TIMEOUT=1h /bin/b, ROLE=r_r /bin/c, /bin/d\n" +
		"carol ALL = ALL, /bin/x\n" +
		"dave ALL = sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef !/bin/ls \\\n  -l,\\\n /usr/bin/printf \\,\\:x\n"
	const f = "/etc/sudoers"
	alice, bob, carol, dave := []string{"alice"}, []string{"bob"}, []string{"carol"}, []string{"dave"}
	opts := func(c SudoersCommand, kv ...string) SudoersCommand {
		for i := 0; i < len(kv); i += 2 {
			c.Options[kv[i]] = kv[i+1]
		}
		return c
	}
	neg := scmd("/bin/ls -l")
	neg.Negated = true
	neg.Digests = []string{"sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}
	want := []SudoersUserSpec{
		sspec(alice, sudoersAll, true, []string{"root"}, nil, f, 1, scmd("/bin/a", "NOPASSWD", "SETENV")),
		sspec(alice, sudoersAll, true, []string{"bob"}, nil, f, 1, scmd("/bin/b", "NOPASSWD", "SETENV"), scmd("/bin/c", "PASSWD", "NOEXEC", "SETENV")),
		// A new host list starts afresh; ALL implies SETENV, which is not
		// carried to /bin/d.
		sspec(alice, []string{"db1"}, true, []string{"postgres"}, []string{"postgres"}, f, 1, scmd("ALL", "SETENV"), scmd("/bin/d")),
		sspec(bob, sudoersAll, false, nil, nil, f, 2,
			opts(scmd("/bin/a"), "CWD", "/tmp"), opts(scmd("/bin/b"), "CWD", "/tmp", "TIMEOUT", "1h"),
			opts(scmd("/bin/c"), "CWD", "/tmp", "TIMEOUT", "1h", "ROLE", "r_r"), opts(scmd("/bin/d"), "CWD", "/tmp", "TIMEOUT", "1h", "ROLE", "r_r")),
		sspec(carol, sudoersAll, false, nil, nil, f, 3, scmd("ALL", "SETENV"), scmd("/bin/x")),
		sspec(dave, sudoersAll, false, nil, nil, f, 4, neg, scmd("/usr/bin/printf ,:x")),
	}
	got := sudoersCollectSpecs(t, []fileSpec{{path: f, content: policy, mode: 0o440}})
	if diff := cmp.Diff(want, got.UserSpecs); diff != "" {
		t.Errorf("user specs (-want +got):\n%s", diff)
	}
}

// TestSudoersIncludes: @includedir reads regular files without '.' and
// '~' in lexical order and skips insecure ones; @include resolves
// relative paths against the including file's directory and must exist
// and be secure; cycles and missing files are errors.
func TestSudoersIncludes(t *testing.T) {
	base := []fileSpec{
		{path: "/etc/sudoers", content: "@includedir sudoers.d\n#includedir /etc/nothere\n", mode: 0o440},
		{path: "/etc/sudoers.d", dir: true, mode: 0o755},
		{path: "/etc/sudoers.d/b", content: "b ALL = ALL\n@include ../extra/inc\n", mode: 0o440},
		{path: "/etc/sudoers.d/a", content: "a ALL = ALL\n", mode: 0o440},
		{path: "/etc/sudoers.d/c.conf", content: "c ALL = ALL\n", mode: 0o440},
		{path: "/etc/sudoers.d/d~", content: "d ALL = ALL\n", mode: 0o440},
		{path: "/etc/sudoers.d/e", content: "e ALL = ALL\n", mode: 0o666},
		{path: "/etc/sudoers.d/f", content: "f ALL = ALL\n", mode: 0o460, gid: 27},
		{path: "/etc/sudoers.d/g", content: "g ALL = ALL\n", mode: 0o440, uid: 1000},
		{path: "/etc/sudoers.d/h", content: "h ALL = ALL\n", mode: 0o460},
		{path: "/etc/sudoers.d/sub", dir: true, mode: 0o755},
		{path: "/etc/extra/inc", content: "inc ALL = ALL\n", mode: 0o400},
	}
	got := sudoersCollectSpecs(t, base)
	var users []string
	for _, s := range got.UserSpecs {
		users = append(users, s.Users...)
	}
	if diff := cmp.Diff([]string{"a", "b", "inc", "h"}, users); diff != "" {
		t.Errorf("users (-want +got):\n%s", diff)
	}
	wantSkipped := []SudoersSkipped{
		{"/etc/sudoers.d/e", "world writable"},
		{"/etc/sudoers.d/f", "owned by gid 27, should be 0"},
		{"/etc/sudoers.d/g", "owned by uid 1000, should be 0"},
	}
	if diff := cmp.Diff(wantSkipped, got.Skipped); diff != "" {
		t.Errorf("skipped (-want +got):\n%s", diff)
	}

	insecureDir := append(append([]fileSpec{}, base...), fileSpec{path: "/etc/sudoers.d", dir: true, mode: 0o777})
	got = sudoersCollectSpecs(t, insecureDir)
	if len(got.UserSpecs) != 0 || !cmp.Equal(got.Skipped, []SudoersSkipped{{"/etc/sudoers.d", "world writable"}}) {
		t.Errorf("world-writable include dir: specs %v skipped %v", got.UserSpecs, got.Skipped)
	}

	for _, tc := range []struct {
		name  string
		specs []fileSpec
		err   string
	}{
		{"cycle", []fileSpec{
			{path: "/etc/sudoers", content: "@include a\n", mode: 0o440},
			{path: "/etc/a", content: "\n@include /etc/sudoers\n", mode: 0o440},
		}, "sudoers: /etc/a:2: @include /etc/sudoers: include cycle"},
		{"missing include", []fileSpec{
			{path: "/etc/sudoers", content: "root ALL = ALL\n@include \"/etc/sudo ers\"\n", mode: 0o440},
		}, "sudoers: /etc/sudoers:2: @include /etc/sudo ers: unable to open: no such file"},
		{"insecure include", []fileSpec{
			{path: "/etc/sudoers", content: "@include x\n", mode: 0o440},
			{path: "/etc/x", content: "\n", mode: 0o442},
		}, "sudoers: /etc/sudoers:1: @include /etc/x: world writable: sudo refuses to use it"},
		{"insecure main file", []fileSpec{
			{path: "/etc/sudoers", content: "root ALL = ALL\n", mode: 0o440, uid: 1000},
		}, "sudoers: /etc/sudoers: owned by uid 1000, should be 0: sudo refuses to use it"},
		{"syntax error in an included file", []fileSpec{
			{path: "/etc/sudoers", content: "@includedir /etc/sudoers.d\n", mode: 0o440},
			{path: "/etc/sudoers.d/x", content: "root ALL = ALL\n\nroot ALL = (\n", mode: 0o440},
		}, `sudoers: /etc/sudoers.d/x:3: syntax error near end of line, expected a user`},
	} {
		_, err := Sudoers{}.Collect(context.Background(), Target{Fs: memRoot(t, tc.specs)})
		if err == nil || !strings.HasPrefix(err.Error(), tc.err) {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.err)
		}
	}
}

// TestSudoersIncludesOracle runs visudo on the include tree's secure
// part: it reads the same files in the same order.
func TestSudoersIncludesOracle(t *testing.T) {
	visudo := oracle.Require(t, "visudo")
	sudoersRequireRoot(t)
	dir := sudoersRoot(t, "@includedir sudoers.d\n", map[string]string{
		"/etc/sudoers.d/b":      "b ALL = ALL\n@include ../extra/inc\n",
		"/etc/sudoers.d/a":      "a ALL = ALL\n",
		"/etc/sudoers.d/c.conf": "c ALL = (\n",
		"/etc/sudoers.d/d~":     "d ALL = (\n",
		"/etc/sudoers.d/sub/":   "",
		"/etc/extra/inc":        "inc ALL = ALL\n",
	})
	out, err := exec.Command(visudo, "-c", "-f", filepath.Join(dir, "etc/sudoers")).CombinedOutput()
	if err != nil {
		t.Fatalf("visudo: %v\n%s", err, out)
	}
	// visudo names each file it parsed, in order.
	var visudoFiles []string
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		visudoFiles = append(visudoFiles, strings.TrimPrefix(filepath.Clean(strings.TrimSuffix(l, ": parsed OK")), dir))
	}
	facts, err := sudoersCollect(t, dir)
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, f := range facts.Files {
		files = append(files, f.Path)
	}
	if diff := cmp.Diff(files, visudoFiles); diff != "" {
		t.Errorf("files (-gcrun +visudo):\n%s", diff)
	}
}

func TestSudoersMissing(t *testing.T) {
	got := sudoersCollectSpecs(t, []fileSpec{{path: "/etc/sudoers.d", dir: true, mode: 0o755}})
	want := &SudoersFacts{Path: "/etc/sudoers", Files: []SudoersFile{}, Skipped: []SudoersSkipped{}, Defaults: []SudoersDefault{}, UserSpecs: []SudoersUserSpec{}, Aliases: sudoersEmptyAliases()}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("facts (-want +got):\n%s", diff)
	}
}

// TestSudoersHostile: a FIFO in the include directory is not read, a
// symlink out of the root stays in it, NUL bytes and huge files are
// errors, and the collector honours ctx.
func TestSudoersHostile(t *testing.T) {
	sudoersRequireRoot(t)
	dir := sudoersRoot(t, "@includedir /etc/sudoers.d\n", map[string]string{"/etc/sudoers.d/": "", "/etc/real": "real ALL = ALL\n"})
	if err := syscall.Mkfifo(filepath.Join(dir, "etc/sudoers.d/fifo"), 0o440); err != nil {
		t.Fatal(err)
	}
	// The host's /etc/sudoers must not be read through this link.
	if err := os.Symlink("../../../../../../../etc/real", filepath.Join(dir, "etc/sudoers.d/link")); err != nil {
		t.Fatal(err)
	}
	facts, err := sudoersCollect(t, dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(facts.UserSpecs) != 1 || facts.UserSpecs[0].Users[0] != "real" || facts.UserSpecs[0].File != "/etc/sudoers.d/link" {
		t.Errorf("specs %+v", facts.UserSpecs)
	}

	for _, tc := range []struct{ name, content, err string }{
		{"NUL", "root ALL = ALL\n\x00\n", "sudoers: /etc/sudoers:2: embedded NUL byte"},
		{"huge", strings.Repeat("#", MaxConfigSize+1), "file too large"},
	} {
		_, err := Sudoers{}.Collect(context.Background(), Target{Fs: memRoot(t, []fileSpec{{path: "/etc/sudoers", content: tc.content, mode: 0o440}})})
		if err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%s: err = %v", tc.name, err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := (Sudoers{}).Collect(ctx, Target{Fs: memRoot(t, []fileSpec{{path: "/etc/sudoers", content: "\n", mode: 0o440}})}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

// FuzzSudoers: any policy gives facts or a *SudoersError naming the file,
// never a panic or a hang.
func FuzzSudoers(f *testing.F) {
	for _, p := range sudoersValid {
		f.Add(p)
	}
	for _, tc := range sudoersInvalid {
		f.Add(tc.policy)
	}
	f.Fuzz(func(t *testing.T, policy string) {
		_, err := Sudoers{}.Collect(context.Background(), Target{Fs: memRoot(t, []fileSpec{{path: "/etc/sudoers", content: policy, mode: 0o440}})})
		var se *SudoersError
		if err != nil && (!errors.As(err, &se) || !strings.HasPrefix(se.File, "/etc/")) {
			t.Fatalf("%q: err = %v (%T)", policy, err, err)
		}
	})
}
