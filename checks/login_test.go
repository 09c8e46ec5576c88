package checks

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/afero"

	"github.com/gcrun/gcrun/checks/rootfs"
)

// loginDebian12 is a root with the files of testdata/login/debian12: the
// PAM configuration, login.defs and faillock.conf of a stock Debian 12
// server (libpam-runtime 1.5.2, login/passwd 4.13, sudo, util-linux), plus
// the vendor service systemd ships in /usr/lib/pam.d.
func loginDebian12(t *testing.T) map[string]string {
	t.Helper()
	files := map[string]string{}
	dirs := map[string]string{"pam.d": "/etc/pam.d", "usr-lib-pam.d": "/usr/lib/pam.d", "security": "/etc/security"}
	base := filepath.Join("testdata", "login", "debian12")
	err := filepath.WalkDir(base, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(base, p)
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		dir, name := filepath.Split(rel)
		if dir == "" {
			files["/etc/"+name] = string(b)
		} else {
			files[dirs[strings.TrimSuffix(dir, "/")]+"/"+name] = string(b)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func loginMem(t *testing.T, files map[string]string) afero.Fs {
	t.Helper()
	mem := afero.NewMemMapFs()
	for p, c := range files {
		if err := afero.WriteFile(mem, p, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return rootfs.Wrap(mem)
}

func loginCollect(t testing.TB, fsys afero.Fs) (*LoginFacts, error) {
	t.Helper()
	got, err := Login{}.Collect(context.Background(), Target{Fs: fsys, Root: "/"})
	if err != nil {
		return nil, err
	}
	return got.(*LoginFacts), nil
}

// loginStack renders entries one per line: "type control module args @ file:line < via".
func loginStack(entries []PAMEntry) []string {
	var out []string
	for _, e := range entries {
		typ := e.Type
		if e.OptionalModule {
			typ = "-" + typ
		}
		s := fmt.Sprintf("%s %s %s", typ, e.Control, e.Module)
		if len(e.Arguments) > 0 {
			s += " " + strings.Join(e.Arguments, "|")
		}
		s += fmt.Sprintf(" @ %s:%d", strings.TrimPrefix(e.File, "/etc/pam.d/"), e.Line)
		if len(e.Via) > 0 {
			s += " < " + strings.ReplaceAll(strings.Join(e.Via, " < "), "/etc/pam.d/", "")
		}
		if e.Substack {
			s += " (substack)"
		}
		out = append(out, s)
	}
	return out
}

func TestLoginDebian12PAM(t *testing.T) {
	f, err := loginCollect(t, loginMem(t, loginDebian12(t)))
	if err != nil {
		t.Fatal(err)
	}
	const (
		unixAuth = "auth [success=1 default=ignore] pam_unix.so nullok @ common-auth:17"
		denyAuth = "auth requisite pam_deny.so @ common-auth:19"
		permAuth = "auth required pam_permit.so @ common-auth:23"
		capAuth  = "auth optional pam_cap.so @ common-auth:25"
		unixAcct = "account [success=1 new_authtok_reqd=done default=ignore] pam_unix.so @ common-account:17"
		denyAcct = "account requisite pam_deny.so @ common-account:19"
		permAcct = "account required pam_permit.so @ common-account:23"
		skipSess = "session [default=1] pam_permit.so @ common-session:15"
		denySess = "session requisite pam_deny.so @ common-session:17"
		permSess = "session required pam_permit.so @ common-session:21"
		unixSess = "session required pam_unix.so @ common-session:23"
		sysdSess = "session optional pam_systemd.so @ common-session:24"
		unixPass = "password [success=1 default=ignore] pam_unix.so obscure|yescrypt @ common-password:25"
		denyPass = "password requisite pam_deny.so @ common-password:27"
		permPass = "password required pam_permit.so @ common-password:31"
	)
	via := func(s string, chain ...string) string { return s + " < " + strings.Join(chain, " < ") }
	want := map[string][]string{
		"common-auth": {unixAuth, denyAuth, permAuth, capAuth},
		"sshd": {
			via(unixAuth, "sshd:4"), via(denyAuth, "sshd:4"), via(permAuth, "sshd:4"), via(capAuth, "sshd:4"),
			"account required pam_nologin.so @ sshd:7",
			via(unixAcct, "sshd:14"), via(denyAcct, "sshd:14"), via(permAcct, "sshd:14"),
			"session [success=ok ignore=ignore module_unknown=ignore default=bad] pam_selinux.so close @ sshd:19",
			"session required pam_loginuid.so @ sshd:22",
			"session optional pam_keyinit.so force|revoke @ sshd:25",
			via(skipSess, "sshd:28"), via(denySess, "sshd:28"), via(permSess, "sshd:28"), via(unixSess, "sshd:28"), via(sysdSess, "sshd:28"),
			"session optional pam_motd.so motd=/run/motd.dynamic @ sshd:33",
			"session optional pam_motd.so noupdate @ sshd:34",
			// "# [1]" is a comment, wherever it is on the line.
			"session optional pam_mail.so standard|noenv @ sshd:37",
			"session required pam_limits.so @ sshd:40",
			"session required pam_env.so @ sshd:44",
			"session required pam_env.so user_readenv=1|envfile=/etc/default/locale @ sshd:47",
			"session [success=ok ignore=ignore module_unknown=ignore default=bad] pam_selinux.so open @ sshd:52",
			via(unixPass, "sshd:55"), via(denyPass, "sshd:55"), via(permPass, "sshd:55"),
		},
		// "include" splices the entries of its type only, from su with
		// su's own @includes expanded.
		"su-l": {
			"auth sufficient pam_rootok.so @ su:6 < su-l:2",
			via(unixAuth, "su-l:2", "su:57"), via(denyAuth, "su-l:2", "su:57"), via(permAuth, "su-l:2", "su:57"), via(capAuth, "su-l:2", "su:57"),
			via(unixAcct, "su-l:3", "su:58"), via(denyAcct, "su-l:3", "su:58"), via(permAcct, "su-l:3", "su:58"),
			"session optional pam_keyinit.so force|revoke @ su-l:5",
			"session required pam_env.so readenv=1 @ su:36 < su-l:6",
			"session required pam_env.so readenv=1|envfile=/etc/default/locale @ su:39 < su-l:6",
			"session optional pam_mail.so nopen @ su:48 < su-l:6",
			"session required pam_limits.so @ su:52 < su-l:6",
			via(skipSess, "su-l:6", "su:59"), via(denySess, "su-l:6", "su:59"), via(permSess, "su-l:6", "su:59"), via(unixSess, "su-l:6", "su:59"), via(sysdSess, "su-l:6", "su:59"),
		},
		"passwd": {via(unixPass, "passwd:5"), via(denyPass, "passwd:5"), via(permPass, "passwd:5")},
		"runuser": {
			"auth sufficient pam_rootok.so @ runuser:2",
			"session optional pam_keyinit.so revoke @ runuser:3",
			"session required pam_limits.so @ runuser:4",
			"session required pam_unix.so @ runuser:5",
		},
	}
	for name, w := range want {
		svc, ok := f.PAM.Services[name]
		if !ok {
			t.Errorf("no service %s", name)
			continue
		}
		if diff := cmp.Diff(w, loginStack(svc.Entries)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", name, diff)
		}
		if svc.File != "/etc/pam.d/"+name {
			t.Errorf("%s: file %s", name, svc.File)
		}
	}
	// The vendor directory supplies what /etc/pam.d lacks.
	sd := f.PAM.Services["systemd-user"]
	if sd.File != "/usr/lib/pam.d/systemd-user" || len(sd.Entries) != 3+4+4+2 {
		t.Errorf("systemd-user: %s, %d entries: %v", sd.File, len(sd.Entries), loginStack(sd.Entries))
	}
	var names []string
	for n := range f.PAM.Services {
		names = append(names, n)
	}
	if len(names) != 20 || !f.PAM.DirExists || f.PAM.Dir != "/etc/pam.d" {
		t.Errorf("services %v (%d), dir_exists %v", names, len(names), f.PAM.DirExists)
	}
	// One entry in full: a bracketed control parsed, and the JSON fields
	// of every entry.
	got := f.PAM.Services["sshd"].Entries[0]
	wantEntry := PAMEntry{
		Type: "auth", Control: "[success=1 default=ignore]", ControlMap: map[string]string{"success": "1", "default": "ignore"},
		Module: "pam_unix.so", ModulePath: "pam_unix.so", Arguments: []string{"nullok"},
		File: "/etc/pam.d/common-auth", Line: 17, Via: []string{"/etc/pam.d/sshd:4"},
	}
	if diff := cmp.Diff(wantEntry, got); diff != "" {
		t.Errorf("entry (-want +got):\n%s", diff)
	}
}

func TestLoginDebian12Defs(t *testing.T) {
	f, err := loginCollect(t, loginMem(t, loginDebian12(t)))
	if err != nil {
		t.Fatal(err)
	}
	d := f.LoginDefs
	if !d.Exists || d.File != "/etc/login.defs" || len(d.Duplicates) != 0 {
		t.Errorf("login_defs: exists %v file %s duplicates %v", d.Exists, d.File, d.Duplicates)
	}
	want := map[string]LoginSetting{
		"PASS_MAX_DAYS":  {Value: "99999", File: "/etc/login.defs", Line: 165},
		"PASS_MIN_DAYS":  {Value: "0", File: "/etc/login.defs", Line: 166},
		"PASS_WARN_AGE":  {Value: "7", File: "/etc/login.defs", Line: 167},
		"UMASK":          {Value: "022", File: "/etc/login.defs", Line: 151},
		"ENCRYPT_METHOD": {Value: "SHA512", File: "/etc/login.defs", Line: 294},
		"ENV_SUPATH":     {Value: "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", File: "/etc/login.defs", Line: 102},
	}
	for k, w := range want {
		if diff := cmp.Diff(w, d.Settings[k]); diff != "" {
			t.Errorf("%s (-want +got):\n%s", k, diff)
		}
	}
	if len(d.Settings) != 37 {
		t.Errorf("%d settings, want the 37 of Debian's login.defs", len(d.Settings))
	}
	if _, ok := d.Settings["SHA_CRYPT_MIN_ROUNDS"]; ok {
		t.Error("a commented-out setting was read")
	}
	if diff := cmp.Diff(LoginConfFile{File: "/etc/security/faillock.conf", Exists: true, Settings: map[string]LoginSetting{}}, f.Faillock); diff != "" {
		t.Errorf("faillock: everything is commented out in Debian's file (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(PWQuality{File: "/etc/security/pwquality.conf", Files: []string{}, Settings: map[string]LoginSetting{}}, f.PWQuality); diff != "" {
		t.Errorf("pwquality: libpam-pwquality is not installed (-want +got):\n%s", diff)
	}
}

func TestLoginDefsParsing(t *testing.T) {
	defs := strings.Join([]string{
		"# comment",
		"   # indented comment",
		"PASS_MAX_DAYS\t99999",
		"PASS_MAX_DAYS 90   ",
		"UMASK 027 # a trailing comment is part of the value for shadow-utils",
		`ENCRYPT_METHOD "YESCRYPT"`,
		`MAIL_DIR  " /var/mail"`,
		"LONELY",
		"LONELY_WITH_BLANKS \t ",
		"  INDENTED  yes",
		"pass_min_days 1",
	}, "\n") + "\n"
	f, err := loginCollect(t, loginMem(t, map[string]string{"/etc/login.defs": defs}))
	if err != nil {
		t.Fatal(err)
	}
	s := func(v string, line int) LoginSetting {
		return LoginSetting{Value: v, File: "/etc/login.defs", Line: line}
	}
	want := LoginDefs{
		File:   "/etc/login.defs",
		Exists: true,
		Settings: map[string]LoginSetting{
			"PASS_MAX_DAYS":  s("90", 4),
			"UMASK":          s("027 # a trailing comment is part of the value for shadow-utils", 5),
			"ENCRYPT_METHOD": s("YESCRYPT", 6),
			"MAIL_DIR":       s("/var/mail", 7),
			"INDENTED":       s("yes", 10),
			"pass_min_days":  s("1", 11),
		},
		Duplicates: map[string][]LoginAssignment{"PASS_MAX_DAYS": {{Value: "99999", Line: 3}, {Value: "90", Line: 4}}},
	}
	if diff := cmp.Diff(want, f.LoginDefs); diff != "" {
		t.Errorf("login_defs (-want +got):\n%s", diff)
	}
}

func TestLoginEmptyRoot(t *testing.T) {
	f, err := loginCollect(t, loginMem(t, map[string]string{"/etc/hostname": "x\n"}))
	if err != nil {
		t.Fatal(err)
	}
	want := &LoginFacts{
		LoginDefs: LoginDefs{File: "/etc/login.defs", Settings: map[string]LoginSetting{}, Duplicates: map[string][]LoginAssignment{}},
		PAM:       PAMFacts{Dir: "/etc/pam.d", Services: map[string]PAMService{}},
		PWQuality: PWQuality{File: "/etc/security/pwquality.conf", Files: []string{}, Settings: map[string]LoginSetting{}},
		Faillock:  LoginConfFile{File: "/etc/security/faillock.conf", Settings: map[string]LoginSetting{}},
	}
	if diff := cmp.Diff(want, f); diff != "" {
		t.Errorf("facts (-want +got):\n%s", diff)
	}
}

func TestLoginPAMSyntax(t *testing.T) {
	files := map[string]string{
		"/etc/pam.d/svc": strings.Join([]string{
			"#%PAM-1.0",
			"auth required pam_env.so \\",
			"   readenv=1 \\",
			"",
			"# a comment between continued lines is skipped",
			"  envfile=/etc/default/locale",
			"-session optional pam_systemd.so",
			"AUTH Required /lib/x86_64-linux-gnu/security/pam_faillock.so preauth",
			"password [success=2 default=ignore\tauthinfo_unavail = die] pam_ldap.so [query=select user where name=\"%u\" and x=\\]y] use_first_pass",
			"account [default=bad success=ok user_unknown=ignore]pam_sss.so",
			"session substack sub",
			"auth include /etc/pam.d/abs",
			"password include sub",
			"session required pam_exec.so /bin/echo \\ # a backslash before a comment stays",
		}, "\n") + "\n",
		"/etc/pam.d/sub":   "session required pam_unix.so\npassword requisite pam_pwquality.so retry=3\n@include inner\n",
		"/etc/pam.d/inner": "session optional pam_umask.so\nauth required pam_deny.so\n",
		"/etc/pam.d/abs":   "auth required pam_warn.so\nsession required pam_ignored.so\n",
		// Backups that Linux-PAM never loads are not services.
		"/etc/pam.d/svc.dpkg-old":        "garbage\n",
		"/etc/pam.d/common-auth.pam-old": "garbage\n",
		"/etc/pam.d/svc~":                "garbage\n",
		// /etc/pam.d overrides /usr/lib/pam.d.
		"/usr/lib/pam.d/svc":    "garbage\n",
		"/usr/lib/pam.d/vendor": "account required pam_permit.so\n",
	}
	f, err := loginCollect(t, loginMem(t, files))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"auth required pam_env.so readenv=1|envfile=/etc/default/locale @ svc:2",
		"-session optional pam_systemd.so @ svc:7",
		"auth required pam_faillock.so preauth @ svc:8",
		`password [success=2 default=ignore	authinfo_unavail = die] pam_ldap.so query=select user where name="%u" and x=]y|use_first_pass @ svc:9`,
		"account [default=bad success=ok user_unknown=ignore] pam_sss.so @ svc:10",
		"session required pam_unix.so @ sub:1 < svc:11 (substack)",
		"session optional pam_umask.so @ inner:1 < svc:11 < sub:3 (substack)",
		"auth required pam_warn.so @ abs:1 < svc:12",
		"password requisite pam_pwquality.so retry=3 @ sub:2 < svc:13",
		`session required pam_exec.so /bin/echo|\ @ svc:14`,
	}
	svc := f.PAM.Services["svc"]
	if diff := cmp.Diff(want, loginStack(svc.Entries)); diff != "" {
		t.Errorf("svc (-want +got):\n%s", diff)
	}
	if e := svc.Entries[2]; e.ModulePath != "/lib/x86_64-linux-gnu/security/pam_faillock.so" || e.Module != "pam_faillock.so" {
		t.Errorf("module path %q, module %q", e.ModulePath, e.Module)
	}
	if diff := cmp.Diff(map[string]string{"success": "2", "default": "ignore", "authinfo_unavail": "die"}, svc.Entries[3].ControlMap); diff != "" {
		t.Errorf("control map (-want +got):\n%s", diff)
	}
	var names []string
	for n := range f.PAM.Services {
		names = append(names, n)
	}
	if diff := cmp.Diff([]string{"abs", "inner", "sub", "svc", "vendor"}, loginSorted(names)); diff != "" {
		t.Errorf("services (-want +got):\n%s", diff)
	}
}

func loginSorted(s []string) []string {
	out := append([]string{}, s...)
	sort.Strings(out)
	return out
}

func TestLoginPAMErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"cycle", map[string]string{
			"/etc/pam.d/a": "auth required pam_unix.so\n@include b\n",
			"/etc/pam.d/b": "# b\nauth include c\n",
			"/etc/pam.d/c": "\n\n@include a\n",
		}, "login: include cycle: /etc/pam.d/a:2 -> /etc/pam.d/b:2 -> /etc/pam.d/c:3 -> /etc/pam.d/a"},
		{"self include", map[string]string{"/etc/pam.d/a": "auth substack a\n"}, "login: include cycle: /etc/pam.d/a:1 -> /etc/pam.d/a"},
		{"missing include", map[string]string{"/etc/pam.d/a": "\n@include common-nothing\n"}, `login: /etc/pam.d/a:2: @include "common-nothing": no such file in /etc/pam.d or /usr/lib/pam.d`},
		{"missing service", map[string]string{"/etc/pam.d/a": "account include nothing\n"}, `login: /etc/pam.d/a:1: include "nothing": no such file`},
		{"unknown type", map[string]string{"/etc/pam.d/a": "auth required pam_unix.so\nauht required pam_unix.so\n"}, `login: /etc/pam.d/a:2: unknown module type "auht"`},
		{"no control", map[string]string{"/etc/pam.d/a": "auth\n"}, "login: /etc/pam.d/a:1: no control flag"},
		{"unknown control", map[string]string{"/etc/pam.d/a": "auth requird pam_unix.so\n"}, `login: /etc/pam.d/a:1: unknown control "requird"`},
		{"bad bracket", map[string]string{"/etc/pam.d/a": "auth [success=1 default] pam_unix.so\n"}, `login: /etc/pam.d/a:1: control [success=1 default]: expected value=action`},
		{"bad return", map[string]string{"/etc/pam.d/a": "auth [sucess=ok] pam_unix.so\n"}, `unknown return value "sucess"`},
		{"zero jump", map[string]string{"/etc/pam.d/a": "auth [success=0] pam_unix.so\n"}, `success=0: expected ignore, ok, done, bad, die, reset or a jump count above 0`},
		{"no module", map[string]string{"/etc/pam.d/a": "\n\nsession optional\n"}, "login: /etc/pam.d/a:3: no module name"},
		{"continuation at end", map[string]string{"/etc/pam.d/a": "auth required pam_unix.so \\\n"}, "login: /etc/pam.d/a:1: line continued with a backslash at the end of the file"},
		{"long line", map[string]string{"/etc/pam.d/a": "auth required pam_unix.so " + strings.Repeat("x", 1000) + "\n"}, "login: /etc/pam.d/a:1: line longer than 1023 bytes"},
	}
	// A chain 17 deep.
	deep := map[string]string{}
	for i := 0; i < 17; i++ {
		deep[fmt.Sprintf("/etc/pam.d/d%02d", i)] = fmt.Sprintf("@include d%02d\n", i+1)
	}
	deep["/etc/pam.d/d17"] = "auth required pam_unix.so\n"
	tests = append(tests, struct {
		name  string
		files map[string]string
		want  string
	}{"too deep", deep, "includes nested more than 16 deep"})
	// Fan-out: 4 includes of 4 includes ... of 100 entries.
	fan := map[string]string{"/etc/pam.d/leaf": strings.Repeat("auth required pam_unix.so\n", 100)}
	prev := "leaf"
	for i := 0; i < 6; i++ {
		name := fmt.Sprintf("f%d", i)
		fan["/etc/pam.d/"+name] = strings.Repeat("@include "+prev+"\n", 4)
		prev = name
	}
	tests = append(tests, struct {
		name  string
		files map[string]string
		want  string
	}{"fan-out", fan, "the stack has more than 10000 entries"})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := loginCollect(t, loginMem(t, tt.files))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestLoginPWQuality(t *testing.T) {
	files := map[string]string{
		"/etc/security/pwquality.conf": strings.Join([]string{
			"# Configuration for systemwide password quality limits",
			"# minlen = 8",
			"minlen = 14",
			"  dcredit=-1   # comment",
			"enforce_for_root",
			"MinClass 3",
			"dictpath = /usr/share/dict/words",
		}, "\n") + "\n",
		"/etc/security/pwquality.conf.d/50-site.conf": "minlen = 8\nretry = 5\n",
		"/etc/security/pwquality.conf.d/10-base.conf": "retry=2\nenforcing=0\n",
		"/etc/security/pwquality.conf.d/README":       "not a .conf file: ignored\n",
		"/etc/security/pwquality.conf.d/x.conf.bak":   "ignored too\n",
	}
	f, err := loginCollect(t, loginMem(t, files))
	if err != nil {
		t.Fatal(err)
	}
	main := "/etc/security/pwquality.conf"
	d10, d50 := "/etc/security/pwquality.conf.d/10-base.conf", "/etc/security/pwquality.conf.d/50-site.conf"
	want := PWQuality{
		File:   main,
		Exists: true,
		Files:  []string{d10, d50, main},
		Settings: map[string]LoginSetting{
			"minlen":           {Value: "14", File: main, Line: 3}, // the main file is read last
			"dcredit":          {Value: "-1", File: main, Line: 4},
			"enforce_for_root": {Value: "", File: main, Line: 5},
			"minclass":         {Value: "3", File: main, Line: 6},
			"dictpath":         {Value: "/usr/share/dict/words", File: main, Line: 7},
			"retry":            {Value: "5", File: d50, Line: 2},
			"enforcing":        {Value: "0", File: d10, Line: 2},
		},
	}
	if diff := cmp.Diff(want, f.PWQuality); diff != "" {
		t.Errorf("pwquality (-want +got):\n%s", diff)
	}

	for _, tt := range []struct{ content, want string }{
		{"minlen = 14\nminlenght = 8\n", `login: /etc/security/pwquality.conf:2: unknown setting "minlenght": libpwquality stops reading the file here`},
		{"minlen = fourteen\n", `login: /etc/security/pwquality.conf:1: minlen "fourteen" is not an integer`},
		{"minlen = 14 8\n", `minlen "14 8" is not an integer`},
		{"minlen =\n", `minlen "" is not an integer`},
		{"difok = 2147483647\n", `difok "2147483647" is not an integer`},
		{"# " + strings.Repeat("x", 1021) + "\n", "login: /etc/security/pwquality.conf:1: line longer than 1022 bytes"},
	} {
		_, err := loginCollect(t, loginMem(t, map[string]string{"/etc/security/pwquality.conf": tt.content}))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: err = %v, want %q", tt.content, err, tt.want)
		}
	}
	// 1022 bytes fit.
	if _, err := loginCollect(t, loginMem(t, map[string]string{"/etc/security/pwquality.conf": "# " + strings.Repeat("x", 1020) + "\n"})); err != nil {
		t.Errorf("a 1022-byte line: %v", err)
	}
}

func TestLoginFaillock(t *testing.T) {
	conf := "# faillock.conf\ndeny = 4\nunlock_time=900 # 15 minutes\neven_deny_root\n  audit  \nunknown_key = kept\ndeny = 5\nroot_unlock_time never\n"
	f, err := loginCollect(t, loginMem(t, map[string]string{"/etc/security/faillock.conf": conf}))
	if err != nil {
		t.Fatal(err)
	}
	p := "/etc/security/faillock.conf"
	want := LoginConfFile{File: p, Exists: true, Settings: map[string]LoginSetting{
		"deny":             {Value: "5", File: p, Line: 7},
		"unlock_time":      {Value: "900", File: p, Line: 3},
		"even_deny_root":   {Value: "", File: p, Line: 4},
		"audit":            {Value: "", File: p, Line: 5},
		"unknown_key":      {Value: "kept", File: p, Line: 6},
		"root_unlock_time": {Value: "never", File: p, Line: 8},
	}}
	if diff := cmp.Diff(want, f.Faillock); diff != "" {
		t.Errorf("faillock (-want +got):\n%s", diff)
	}
	_, err = loginCollect(t, loginMem(t, map[string]string{p: "deny = 3\n" + strings.Repeat("#", 2000) + "\n"}))
	if err == nil || !strings.Contains(err.Error(), "login: /etc/security/faillock.conf:2: line longer") {
		t.Errorf("err = %v", err)
	}
}

func TestLoginUnreadable(t *testing.T) {
	mem := afero.NewMemMapFs()
	if err := mem.MkdirAll("/etc/login.defs", 0o755); err != nil {
		t.Fatal(err)
	}
	_, err := loginCollect(t, rootfs.Wrap(mem))
	if !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), "/etc/login.defs") {
		t.Fatalf("err = %v, want ErrNotRegular naming /etc/login.defs", err)
	}
}

func TestLoginCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Login{}.Collect(ctx, Target{Fs: loginMem(t, loginDebian12(t)), Root: "/"})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

// TestLoginLiveHost reads this machine's configuration: whatever it is,
// it must parse, and common-auth, when present, must appear in sshd.
func TestLoginLiveHost(t *testing.T) {
	fsys, err := rootfs.New("/")
	if err != nil {
		t.Fatal(err)
	}
	f, err := Login{}.Collect(context.Background(), Target{Fs: fsys, Root: "/", Live: true})
	if err != nil {
		t.Fatal(err)
	}
	facts := f.(*LoginFacts)
	sshd, ok := facts.PAM.Services["sshd"]
	if _, common := facts.PAM.Services["common-auth"]; !ok || !common {
		t.Skip("no sshd or common-auth PAM service here")
	}
	found := false
	for _, e := range sshd.Entries {
		found = found || e.File == "/etc/pam.d/common-auth"
	}
	if !found {
		t.Errorf("sshd does not include common-auth: %v", loginStack(sshd.Entries))
	}
}
