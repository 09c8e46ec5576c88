package checks

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gcrun/gcrun/checks/rootfs"
	"github.com/gcrun/gcrun/internal/oracle"
	"github.com/google/go-cmp/cmp"
	"github.com/spf13/afero"
)

// confMem is a confined MemMapFs holding files (path -> content).
func confMem(t testing.TB, files map[string]string) afero.Fs {
	t.Helper()
	mem := afero.NewMemMapFs()
	for p, content := range files {
		if strings.HasSuffix(p, "/") {
			if err := mem.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := afero.WriteFile(mem, p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return rootfs.Wrap(mem)
}

// confTestdata confines a directory of checks/testdata.
func confTestdata(t testing.TB, dir string) afero.Fs {
	t.Helper()
	fsys, err := rootfs.New(filepath.Join("testdata", dir))
	if err != nil {
		t.Fatal(err)
	}
	return fsys
}

func emptySystemdConf() SystemdConfFacts {
	return SystemdConfFacts{Settings: map[string]ConfSetting{}, Files: []string{}, Masked: []string{}, Warnings: []string{}}
}

func emptyRsyslog() RsyslogFacts {
	return RsyslogFacts{Path: rsyslogConf, Files: []string{}, Includes: []RsyslogInclude{}, Directives: []RsyslogDirective{},
		Modules: []RsyslogModule{}, Inputs: []RsyslogInput{}, Actions: []RsyslogAction{}}
}

func collectLogging(t *testing.T, fsys afero.Fs) *LoggingFacts {
	t.Helper()
	got, err := Logging{}.Collect(context.Background(), Target{Fs: fsys, Root: "/"})
	if err != nil {
		t.Fatal(err)
	}
	return got.(*LoggingFacts)
}

func TestLoggingEmptyRoot(t *testing.T) {
	got := collectLogging(t, confMem(t, nil))
	want := &LoggingFacts{
		Journald: emptySystemdConf(), JournalUpload: emptySystemdConf(), Rsyslog: emptyRsyslog(),
		Logrotate: LoggingFile{Path: "/etc/logrotate.conf"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("facts (-want +got):\n%s", diff)
	}
}

// TestLoggingDebian12 reads Debian 12's shipped journald.conf (every line a
// comment) and rsyslog.conf.
func TestLoggingDebian12(t *testing.T) {
	got := collectLogging(t, confTestdata(t, "logging/debian12"))
	const conf = "/etc/rsyslog.conf"
	dir := func(name, value string, line int) RsyslogDirective {
		return RsyslogDirective{Name: name, Value: value, File: conf, Line: line}
	}
	file := func(sel, target string, line int) RsyslogAction {
		return RsyslogAction{Selector: sel, Type: "omfile", Target: target, File: conf, Line: line}
	}
	rs := emptyRsyslog()
	rs.Exists = true
	rs.Files = []string{conf}
	rs.Includes = []RsyslogInclude{{Pattern: "/etc/rsyslog.d/*.conf", Matched: []string{}, File: conf, Line: 45}}
	rs.Directives = []RsyslogDirective{
		dir("$FileOwner", "root", 31), dir("$FileGroup", "adm", 32), dir("$FileCreateMode", "0640", 33),
		dir("$DirCreateMode", "0755", 34), dir("$Umask", "0022", 35), dir("$WorkDirectory", "/var/spool/rsyslog", 40),
		dir("$IncludeConfig", "/etc/rsyslog.d/*.conf", 45),
	}
	rs.Modules = []RsyslogModule{
		{Name: "imuxsock", Params: map[string]string{}, File: conf, Line: 11},
		{Name: "imklog", Params: map[string]string{}, File: conf, Line: 12},
	}
	rs.Actions = []RsyslogAction{
		file("*.*;auth,authpriv.none", "/var/log/syslog", 55),
		file("auth,authpriv.*", "/var/log/auth.log", 60),
		file("cron.*", "/var/log/cron.log", 61),
		file("kern.*", "/var/log/kern.log", 62),
		file("mail.*", "/var/log/mail.log", 63),
		file("user.*", "/var/log/user.log", 64),
		{Selector: "*.emerg", Type: "omusrmsg", Target: "*", File: conf, Line: 69},
	}
	journald := emptySystemdConf()
	journald.Files = []string{"/etc/systemd/journald.conf"}
	want := &LoggingFacts{
		Journald: journald, JournalUpload: emptySystemdConf(), Rsyslog: rs,
		Logrotate: LoggingFile{Path: "/etc/logrotate.conf", Exists: true},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("facts (-want +got):\n%s", diff)
	}
}

// TestLoggingServer reads a log server's configuration that mixes
// RainerScript (multi-line objects, rulesets, if/else, list templates,
// include()) with legacy directives, selectors and actions, and journald
// drop-ins in /etc and /usr/lib.
func TestLoggingServer(t *testing.T) {
	got := collectLogging(t, confTestdata(t, "logging/server"))
	const (
		conf  = "/etc/rsyslog.conf"
		udp   = "/etc/rsyslog.d/10-udp.conf"
		frag  = "/etc/rsyslog.d/20-frag.conf"
		extra = "/etc/rsyslog.d/extra/1.frag"
	)
	rs := emptyRsyslog()
	rs.Exists = true
	rs.Files = []string{conf, udp, frag, extra}
	rs.Includes = []RsyslogInclude{
		{Pattern: "/etc/rsyslog.d/", Matched: []string{udp, frag}, File: conf, Line: 20},
		{Pattern: "/etc/rsyslog.d/extra/*.frag", Mode: "optional", Matched: []string{extra}, File: frag, Line: 1},
	}
	rs.Directives = []RsyslogDirective{
		{Name: "$ModLoad", Value: "/usr/lib/x86_64-linux-gnu/rsyslog/imudp.so", File: conf, Line: 8},
		{Name: "$UDPServerRun", Value: "514", File: conf, Line: 9},
		{Name: "$FileCreateMode", Value: "0600", File: conf, Line: 19},
		{Name: "$IncludeConfig", Value: "/etc/rsyslog.d/", File: conf, Line: 20},
	}
	rs.Modules = []RsyslogModule{
		{Name: "imuxsock", Params: map[string]string{}, File: conf, Line: 5},
		{Name: "imtcp", Params: map[string]string{"maxsessions": "200", "streamdriver.mode": "1"}, File: conf, Line: 6},
		{Name: "imudp", Params: map[string]string{}, File: conf, Line: 8},
		// imptcp is loaded with config.enabled="off": not loaded.
	}
	rs.Inputs = []RsyslogInput{
		{Type: "imudp", Port: "514", Params: map[string]string{}, File: conf, Line: 9},
		{Type: "imtcp", Port: "514", Params: map[string]string{"port": "514", "ruleset": "remote"}, File: conf, Line: 11},
		{Type: "imrelp", Port: "2514,2515", Params: map[string]string{"port": "2514,2515"}, File: conf, Line: 14},
		{Type: "imudp", Port: "10514", Params: map[string]string{"port": "10514"}, File: udp, Line: 1},
	}
	iptables := `:msg, contains, "iptables"`
	rs.Actions = []RsyslogAction{
		{Selector: "user.*", Type: "omfile", Target: "/var/log/user.log", File: extra, Line: 1,
			Params: map[string]string{"type": "omfile", "file": "/var/log/user.log", "filecreatemode": "0644"}},
		{Selector: "ruleset(remote) *.*", Type: "omfile", Target: "?PerHost", File: conf, Line: 29,
			Params: map[string]string{"type": "omfile", "dynafile": "PerHost", "filecreatemode": "0640"}},
		{Selector: "ruleset(remote)", Type: "discard", File: conf, Line: 30},
		{Selector: `if $programname == 'sshd' and $msg contains "Failed"`, Type: "omfwd", Target: "siem.example.com", Port: "6514", Protocol: "tcp", File: conf, Line: 34,
			Params: map[string]string{"type": "omfwd", "target": "siem.example.com", "port": "6514", "protocol": "tcp", "streamdriver": "gtls"}},
		{Selector: iptables, Type: "omfile", Target: "/var/log/iptables.log", File: conf, Line: 40},
		{Selector: iptables, Type: "discard", File: conf, Line: 41},
		{Selector: "*.info;mail.none;authpriv.none;cron.none", Type: "omfile", Target: "/var/log/messages", File: conf, Line: 42},
		{Selector: "*.*", Type: "omfwd", Target: "2001:db8::1", Port: "10514", Protocol: "tcp", Template: "RSYSLOG_SyslogProtocol23Format", File: conf, Line: 43},
		{Selector: "*.*;kern.none", Type: "omfwd", Target: "192.0.2.7", Protocol: "udp", File: conf, Line: 44},
		{Selector: "local7.*", Type: "ompipe", Target: "/var/run/xconsole", File: conf, Line: 45},
		{Selector: "*.emerg", Type: "omusrmsg", Target: "*", File: conf, Line: 46},
	}
	const vendor = "/usr/lib/systemd/journald.conf.d/70-vendor.conf"
	journald := emptySystemdConf()
	// /etc's 60-persistent.conf hides /usr/lib's; drop-ins are read in
	// file-name order after the main file, and the last assignment wins.
	journald.Files = []string{"/etc/systemd/journald.conf", "/etc/systemd/journald.conf.d/60-persistent.conf", vendor}
	journald.Settings = map[string]ConfSetting{
		"Storage":         {Value: "persistent", File: "/etc/systemd/journald.conf.d/60-persistent.conf", Line: 3},
		"Compress":        {Value: "yes", File: vendor, Line: 2},
		"ForwardToSyslog": {Value: "no", File: vendor, Line: 3},
	}
	want := &LoggingFacts{Journald: journald, JournalUpload: emptySystemdConf(), Rsyslog: rs, Logrotate: LoggingFile{Path: "/etc/logrotate.conf"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("facts (-want +got):\n%s", diff)
	}
}

func TestSystemdConfSyntax(t *testing.T) {
	const f = "/etc/systemd/journald.conf"
	for _, tc := range []struct {
		name, in string
		want     map[string]ConfSetting
		warnings []string
		err      string
	}{
		{
			name: "comments, spaces around =, CRLF, empty value",
			in:   "# c\n; c\n[Journal]\r\n  Storage = persistent  \r\nSystemMaxUse=\n",
			want: map[string]ConfSetting{"Storage": {"persistent", f, 4}, "SystemMaxUse": {"", f, 5}},
		},
		{
			name: "last assignment wins, keys are case-sensitive",
			in:   "[Journal]\nCompress=no\ncompress=yes\nCompress=yes\n",
			want: map[string]ConfSetting{"Compress": {"yes", f, 4}, "compress": {"yes", f, 3}},
		},
		{
			name: "continuation lines skip comments",
			in:   "[Journal]\nMaxLevelStore=\\\n# comment\n; comment\n  debug\nStorage=auto\n",
			want: map[string]ConfSetting{"MaxLevelStore": {"debug", f, 2}, "Storage": {"auto", f, 6}},
		},
		{
			name: "other sections are ignored, sections may repeat",
			in:   "[Upload]\nStorage=none\n[Journal]\nStorage=volatile\n[Upload]\nCompress=no\n[Journal]\nCompress=yes\n",
			want: map[string]ConfSetting{"Storage": {"volatile", f, 4}, "Compress": {"yes", f, 8}},
		},
		{
			name:     "lines systemd ignores with a warning",
			in:       "Storage=none\n[Journal]\nbogus line\n=x\nStorage=persistent\n",
			want:     map[string]ConfSetting{"Storage": {"persistent", f, 5}},
			warnings: []string{f + ":1: assignment outside of any section, ignored", f + ":3: missing '=', line ignored", f + ":4: missing key name before '=', line ignored"},
		},
		{name: "invalid section header", in: "[Journal]\nStorage=auto\n[Journal\n", err: f + ":3: invalid section header"},
		{name: "empty section header", in: "[]\n", err: f + ":1: invalid section header"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := emptySystemdConf()
			err := parseSystemdConf(f, []byte(tc.in), "Journal", &out)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, out.Settings); diff != "" {
				t.Errorf("settings (-want +got):\n%s", diff)
			}
			if tc.warnings == nil {
				tc.warnings = []string{}
			}
			if diff := cmp.Diff(tc.warnings, out.Warnings); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
		})
	}
}

// TestJournaldDropInsOracle checks the order in which the drop-ins of
// journald.conf are read, and which are hidden or masked, against
// `systemd-analyze cat-config --root`.
func TestJournaldDropInsOracle(t *testing.T) {
	bin := oracle.Require(t, "systemd-analyze")
	dir := t.TempDir()
	write := func(p, content string) {
		t.Helper()
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	link := func(target, p string) {
		t.Helper()
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, full); err != nil {
			t.Fatal(err)
		}
	}
	for _, main := range []bool{true, false} {
		t.Run(map[bool]string{true: "with /etc main file", false: "vendor main file"}[main], func(t *testing.T) {
			dir = t.TempDir()
			if main {
				write("etc/systemd/journald.conf", "[Journal]\nStorage=volatile\n")
			}
			write("usr/lib/systemd/journald.conf", "[Journal]\nStorage=auto\n")
			write("usr/lib/systemd/journald.conf.d/10-vendor.conf", "[Journal]\nStorage=none\n")
			write("usr/local/lib/systemd/journald.conf.d/10-vendor.conf", "[Journal]\nStorage=persistent\n")
			write("run/systemd/journald.conf.d/05-runtime.conf", "[Journal]\nCompress=no\n")
			write("etc/systemd/journald.conf.d/50-admin.conf", "[Journal]\nCompress=yes\n")
			write("usr/lib/systemd/journald.conf.d/90-masked.conf", "[Journal]\nForwardToSyslog=yes\n")
			link("/dev/null", "etc/systemd/journald.conf.d/90-masked.conf")
			write("usr/lib/systemd/journald.conf.d/95-empty.conf", "")
			write("usr/lib/systemd/journald.conf.d/notconf.txt", "[Journal]\nStorage=none\n")
			write("etc/systemd/journald.conf.d/20-relative.conf", "[Journal]\nSplitMode=none\n")
			link("20-relative.conf", "etc/systemd/journald.conf.d/30-link.conf")

			out, err := exec.Command(bin, "cat-config", "--root="+dir, "systemd/journald.conf").Output()
			if err != nil {
				t.Fatalf("systemd-analyze: %v", err)
			}
			var headers []string
			sc := bufio.NewScanner(bytes.NewReader(out))
			for sc.Scan() {
				if h, ok := strings.CutPrefix(sc.Text(), "# "+dir); ok {
					headers = append(headers, h)
				}
			}
			fsys, err := rootfs.New(dir)
			if err != nil {
				t.Fatal(err)
			}
			got, err := readSystemdConf(context.Background(), fsys, "journald.conf", "Journal")
			if err != nil {
				t.Fatal(err)
			}
			masked := map[string]bool{}
			for _, m := range got.Masked {
				masked[m] = true
			}
			var read []string
			for _, h := range headers {
				if !masked[h] {
					read = append(read, h)
				}
			}
			if diff := cmp.Diff(read, got.Files); diff != "" {
				t.Errorf("files read: cat-config (-) vs facts (+):\n%s\ncat-config:\n%s", diff, out)
			}
			if diff := cmp.Diff([]string{"/etc/systemd/journald.conf.d/90-masked.conf", "/usr/lib/systemd/journald.conf.d/95-empty.conf"}, got.Masked); diff != "" {
				t.Errorf("masked (-want +got):\n%s", diff)
			}
			wantStorage := ConfSetting{"persistent", "/usr/local/lib/systemd/journald.conf.d/10-vendor.conf", 2}
			if got.Settings["Storage"] != wantStorage || got.Settings["Compress"].Value != "yes" || got.Settings["SplitMode"].File != "/etc/systemd/journald.conf.d/30-link.conf" {
				t.Errorf("settings %+v", got.Settings)
			}
			if _, ok := got.Settings["ForwardToSyslog"]; ok {
				t.Errorf("a masked drop-in was read: %+v", got.Settings["ForwardToSyslog"])
			}
		})
	}
}

func TestRsyslogStatements(t *testing.T) {
	const f = rsyslogConf
	for _, tc := range []struct {
		name, in string
		want     []RsyslogAction
	}{
		{"legacy actions", "*.* ~\nmail.* -?DynFile\nkern.* ^/usr/bin/prog\nauth.* root,alice\nlocal0.* :omrelp:192.0.2.1:2514\nlocal1.* @(z9)[::1]\nlocal2.* @@logs:1514 # comment\n", []RsyslogAction{
			{Selector: "*.*", Type: "discard", File: f, Line: 1},
			{Selector: "mail.*", Type: "omfile", Target: "?DynFile", File: f, Line: 2},
			{Selector: "kern.*", Type: "omprog", Target: "/usr/bin/prog", File: f, Line: 3},
			{Selector: "auth.*", Type: "omusrmsg", Target: "root,alice", File: f, Line: 4},
			{Selector: "local0.*", Type: "omrelp", Target: "192.0.2.1:2514", File: f, Line: 5},
			{Selector: "local1.*", Type: "omfwd", Target: "::1", Protocol: "udp", File: f, Line: 6},
			{Selector: "local2.*", Type: "omfwd", Target: "logs", Port: "1514", Protocol: "tcp", File: f, Line: 7},
		}},
		{"if then single action, else if, stop", "if $fromhost-ip != '127.0.0.1' then /var/log/remote.log\nelse if $msg contains 'x' then stop\nif prifilt(\"auth.*\") then {\n call audit\n}\n", []RsyslogAction{
			{Selector: "if $fromhost-ip != '127.0.0.1'", Type: "omfile", Target: "/var/log/remote.log", File: f, Line: 1},
			{Selector: "else of if $fromhost-ip != '127.0.0.1' if $msg contains 'x'", Type: "discard", File: f, Line: 2},
		}},
		{"bare action and object spanning lines with comments", "action(type=\"omfwd\"\n  # the collector\n  target=\"10.0.0.1\" /* tcp */ protocol=\"TCP\"\n)\n", []RsyslogAction{
			{Type: "omfwd", Target: "10.0.0.1", Protocol: "tcp", File: f, Line: 1, Params: map[string]string{"type": "omfwd", "target": "10.0.0.1", "protocol": "TCP"}},
		}},
		{"strings with escapes and braces", "set $.a = \"}\\\";{\";\nif $msg == \"then\" then { action(type=\"omfile\" file=\"/var/log/a)b\") }\n", []RsyslogAction{
			{Selector: `if $msg == "then"`, Type: "omfile", Target: "/var/log/a)b", File: f, Line: 2, Params: map[string]string{"type": "omfile", "file": "/var/log/a)b"}},
		}},
		{"foreach", "foreach ($.i in $!list) do { action(type=\"omfile\" file=\"/x\") }\n", []RsyslogAction{
			{Selector: "", Type: "omfile", Target: "/x", File: f, Line: 1, Params: map[string]string{"type": "omfile", "file": "/x"}},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := readRsyslog(context.Background(), confMem(t, map[string]string{f: tc.in}), f)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got.Actions); diff != "" {
				t.Errorf("actions (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRsyslogErrors(t *testing.T) {
	const f = rsyslogConf
	for _, tc := range []struct {
		name  string
		files map[string]string
		err   string
	}{
		{"unbalanced parentheses", map[string]string{f: "module(load=\"imuxsock\")\n\ninput(type=\"imtcp\"\n port=\"514\"\n"}, f + ":3: unbalanced parentheses: input( is not closed"},
		{"unterminated string", map[string]string{f: "module(load=\"imtcp)\n"}, f + ":1: unterminated string"},
		{"unquoted value", map[string]string{f: "\ninput(type=imtcp)\n"}, f + ":2: parameter type of input() needs a quoted value"},
		{"missing =", map[string]string{f: "input(type \"imtcp\")\n"}, f + ":1: parameter type of input() has no '='"},
		{"unterminated comment", map[string]string{f: "*.* /var/log/x\n/* no end\n"}, f + ":2: unterminated /* comment"},
		{"unclosed brace", map[string]string{f: "ruleset(name=\"r\") {\n *.* /var/log/r\n"}, f + ":1: unbalanced braces: { is not closed"},
		{"stray brace", map[string]string{f: "*.* /var/log/x\n}\n"}, f + ":2: unbalanced braces: } without {"},
		{"unknown object", map[string]string{f: "modul(load=\"imtcp\")\n"}, f + ":1: unknown object modul()"},
		{"unknown statement", map[string]string{f: "*.* /var/log/x\nthis is not rsyslog\n"}, f + `:2: unknown statement`},
		{"selector without action", map[string]string{f: "mail.*\n"}, f + `:1: filter "mail.*" has no action`},
		{"if without then", map[string]string{f: "if $msg contains 'x'\n /var/log/x\n"}, f + ":1: if without then"},
		{"set without ;", map[string]string{f: "set $.x = 1\n"}, f + ":1: set statement without ';'"},
		{"property filter without value", map[string]string{f: ":msg, contains, x /var/log/x\n"}, f + ":1: property filter without a quoted value"},
		{"malformed directive", map[string]string{f: "$ foo\n"}, f + `:1: malformed legacy directive`},
		{"error in an included file", map[string]string{f: "$IncludeConfig /etc/rsyslog.d/*.conf\n", "/etc/rsyslog.d/a.conf": "\n\naction(type=\"omfile\"\n"}, "/etc/rsyslog.d/a.conf:3: unbalanced parentheses"},
		{"include cycle", map[string]string{f: "include(file=\"/etc/rsyslog.d/*.conf\")\n", "/etc/rsyslog.d/a.conf": "$IncludeConfig /etc/rsyslog.conf\n"}, "included from itself (/etc/rsyslog.conf -> /etc/rsyslog.d/a.conf -> /etc/rsyslog.conf)"},
		{"include without file", map[string]string{f: "include(mode=\"optional\")\n"}, f + ":1: include without a file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readRsyslog(context.Background(), confMem(t, tc.files), f)
			if err == nil || !strings.Contains(err.Error(), tc.err) || !strings.HasPrefix(err.Error(), "logging: ") {
				t.Fatalf("err = %v, want one containing %q", err, tc.err)
			}
		})
	}
}

func TestRsyslogIncludes(t *testing.T) {
	fsys := confMem(t, map[string]string{
		rsyslogConf:                  "include(file=\"/etc/rsyslog.d/missing.conf\" mode=\"optional\")\n$IncludeConfig /etc/nothing/*.conf\n$IncludeConfig etc/rel/\ninclude(text=\"*.* /var/log/from-text\")\n",
		"/etc/rel/b":                 "kern.* /var/log/b\n",
		"/etc/rel/a":                 "kern.* /var/log/a\n",
		"/etc/rel/.dot":              "not read\n",
		"/etc/rel/sub/":              "",
		"/etc/rsyslog.d/ignored.txt": "x\n",
	})
	got, err := readRsyslog(context.Background(), fsys, rsyslogConf)
	if err != nil {
		t.Fatal(err)
	}
	wantInc := []RsyslogInclude{
		{Pattern: "/etc/rsyslog.d/missing.conf", Mode: "optional", Matched: []string{}, File: rsyslogConf, Line: 1},
		{Pattern: "/etc/nothing/*.conf", Matched: []string{}, File: rsyslogConf, Line: 2},
		{Pattern: "etc/rel/", Matched: []string{"/etc/rel/a", "/etc/rel/b"}, File: rsyslogConf, Line: 3},
	}
	if diff := cmp.Diff(wantInc, got.Includes); diff != "" {
		t.Errorf("includes (-want +got):\n%s", diff)
	}
	var targets []string
	for _, a := range got.Actions {
		targets = append(targets, a.File+" "+a.Target)
	}
	want := []string{"/etc/rel/a /var/log/a", "/etc/rel/b /var/log/b", rsyslogConf + ":4(include text) /var/log/from-text"}
	if diff := cmp.Diff(want, targets); diff != "" {
		t.Errorf("actions (-want +got):\n%s", diff)
	}
}

func TestLoggingErrorsNameTheFile(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		err   string
	}{
		{"journald section header", map[string]string{"/etc/systemd/journald.conf.d/x.conf": "[Journal\n"}, "logging: /etc/systemd/journald.conf.d/x.conf:1: invalid section header"},
		{"journal-upload section header", map[string]string{"/usr/lib/systemd/journal-upload.conf": "[Upload\n"}, "logging: /usr/lib/systemd/journal-upload.conf:1: invalid section header"},
		{"rsyslog", map[string]string{rsyslogConf: "input(\n"}, "logging: /etc/rsyslog.conf:1:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Logging{}.Collect(context.Background(), Target{Fs: confMem(t, tc.files), Root: "/"})
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("err = %v, want %q", err, tc.err)
			}
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Logging{}.Collect(ctx, Target{Fs: confMem(t, map[string]string{"/etc/systemd/journald.conf": "[Journal]\n"}), Root: "/"})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestJournalUpload(t *testing.T) {
	got := collectLogging(t, confMem(t, map[string]string{
		"/etc/systemd/journal-upload.conf": "[Upload]\nURL=https://logs.example.com:19532\n# ServerKeyFile=\n",
	}))
	want := emptySystemdConf()
	want.Files = []string{"/etc/systemd/journal-upload.conf"}
	want.Settings = map[string]ConfSetting{"URL": {"https://logs.example.com:19532", "/etc/systemd/journal-upload.conf", 2}}
	if diff := cmp.Diff(want, got.JournalUpload); diff != "" {
		t.Errorf("journal_upload (-want +got):\n%s", diff)
	}
}

// FuzzRsyslog checks that no input makes the rsyslog parser panic or hang,
// and that every error names the file and a line.
func FuzzRsyslog(f *testing.F) {
	for _, dir := range []string{"logging/debian12", "logging/server"} {
		if b, err := os.ReadFile(filepath.Join("testdata", dir, "etc/rsyslog.conf")); err == nil {
			f.Add(string(b))
		}
	}
	f.Add("if $msg contains 'x' then { action(type=\"omfwd\" target=\"a\") } else stop\n& ~\n")
	f.Add(":msg, !contains, \"a\\\"b\" @@host\n")
	f.Fuzz(func(t *testing.T, conf string) {
		fsys := confMem(t, map[string]string{rsyslogConf: conf, "/etc/rsyslog.d/a.conf": conf})
		_, err := readRsyslog(context.Background(), fsys, rsyslogConf)
		if err != nil && !strings.HasPrefix(err.Error(), "logging: /etc/rsyslog") {
			t.Fatalf("error does not name the file: %v", err)
		}
	})
}
