package checks

import (
	"context"
	"errors"
	"os/exec"
	"sort"
	"strings"
	"testing"

	"github.com/gcrun/gcrun/internal/oracle"
	"github.com/google/go-cmp/cmp"
)

// auditRuleOf builds an AuditRule with empty lists where the test leaves them
// nil.
func auditRuleOf(r AuditRule) AuditRule {
	if r.Keys == nil {
		r.Keys = []string{}
	}
	if r.Syscalls == nil {
		r.Syscalls = []string{}
	}
	if r.Fields == nil {
		r.Fields = []AuditField{}
	}
	if r.Comparisons == nil {
		r.Comparisons = []AuditField{}
	}
	return r
}

func TestAuditEmptyRoot(t *testing.T) {
	got, err := Audit{}.Collect(context.Background(), Target{Fs: confMem(t, nil), Root: "/"})
	if err != nil {
		t.Fatal(err)
	}
	want := &AuditFacts{
		AuditdConf: AuditFile{Path: auditdConf},
		Config:     map[string]AuditSetting{},
		RulesD:     AuditRulesDir{Path: auditRulesDir, Files: []string{}},
		Rules:      []AuditRule{},
		AuditRules: AuditRulesFile{Path: auditRulesFile, Rules: []AuditRule{}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("facts (-want +got):\n%s", diff)
	}
}

func TestAuditCIS(t *testing.T) {
	got, err := Audit{}.Collect(context.Background(), Target{Fs: confTestdata(t, "audit/cis"), Root: "/"})
	if err != nil {
		t.Fatal(err)
	}
	facts := got.(*AuditFacts)
	const conf = auditdConf
	set := func(v string, line int) AuditSetting { return AuditSetting{Value: v, File: conf, Line: line} }
	wantConfig := map[string]AuditSetting{
		"local_events": set("yes", 5), "write_logs": set("yes", 6), "log_file": set("/var/log/audit/audit.log", 7),
		"log_group": set("adm", 8), "log_format": set("ENRICHED", 9), "flush": set("INCREMENTAL_ASYNC", 10),
		"freq": set("50", 11), "max_log_file": set("32", 12), "num_logs": set("5", 13), "name_format": set("NONE", 14),
		"max_log_file_action": set("keep_logs", 15), "space_left": set("75", 16),
		// Keywords are case-insensitive; the last assignment wins.
		"space_left_action": {Value: "exec", Option: "/usr/local/sbin/audit-space-left", File: conf, Line: 23},
		"action_mail_acct":  set("root", 18), "admin_space_left": set("50", 19), "admin_space_left_action": set("SINGLE", 20),
		"disk_full_action": set("halt", 21), "disk_error_action": set("syslog", 22),
	}
	if diff := cmp.Diff(wantConfig, facts.Config); diff != "" {
		t.Errorf("config (-want +got):\n%s", diff)
	}
	const (
		early = auditRulesDir + "/9-early.rules"
		base  = auditRulesDir + "/10-base-config.rules"
		cis   = auditRulesDir + "/50-cis.rules"
		final = auditRulesDir + "/99-finalize.rules"
	)
	if diff := cmp.Diff(AuditRulesDir{Path: auditRulesDir, Exists: true, Files: []string{early, base, cis, final}}, facts.RulesD); diff != "" {
		t.Errorf("rules.d: version order puts 9 before 10 (-want +got):\n%s", diff)
	}
	ctl := func(file string, line int, op, value, raw string) AuditRule {
		return auditRuleOf(AuditRule{Raw: raw, Kind: "control", Op: op, Value: value, File: file, Line: line})
	}
	watch := func(line int, path, perms, key, raw string) AuditRule {
		return auditRuleOf(AuditRule{Raw: raw, Kind: "watch", Op: "-w", Path: path, Permissions: perms, Keys: []string{key}, File: cis, Line: line})
	}
	f := func(name, op, value string) AuditField { return AuditField{Name: name, Op: op, Value: value} }
	sys := func(line int, arch string, syscalls []string, key, raw string, more ...AuditField) AuditRule {
		return auditRuleOf(AuditRule{Raw: raw, Kind: "syscall", Op: "-a", Action: "always", List: "exit", Syscalls: syscalls,
			Fields: append([]AuditField{f("arch", "=", arch)}, more...), Keys: []string{key}, File: cis, Line: line})
	}
	emulation := func(line int, arch string) AuditRule {
		r := sys(line, arch, []string{"execve"}, "user_emulation", "-a always,exit -F arch="+arch+" -C euid!=uid -F auid!=unset -S execve -k user_emulation", f("auid", "!=", "unset"))
		r.Comparisons = []AuditField{f("euid", "!=", "uid")}
		return r
	}
	wantRules := []AuditRule{
		ctl(early, 2, "-e", "1", "-e 1"),
		ctl(base, 2, "-D", "", "-D"),
		ctl(base, 5, "-b", "8192", "-b 8192"),
		ctl(base, 8, "--backlog_wait_time", "60000", "--backlog_wait_time 60000"),
		ctl(base, 11, "-f", "1", "-f 1"),
		watch(1, "/etc/sudoers", "wa", "scope", "-w /etc/sudoers -p wa -k scope"),
		watch(2, "/etc/sudoers.d", "wa", "scope", "-w /etc/sudoers.d -p wa -k scope"),
		emulation(3, "b64"),
		emulation(4, "b32"),
		sys(5, "b64", []string{"adjtimex", "settimeofday", "clock_settime"}, "time-change", "-a always,exit -F arch=b64 -S adjtimex,settimeofday -S clock_settime -k time-change"),
		sys(6, "b32", []string{"adjtimex", "settimeofday", "clock_settime"}, "time-change", "-a exit,always -F arch=b32 -S adjtimex,settimeofday,clock_settime -F key=time-change"),
		watch(7, "/etc/localtime", "wa", "time-change", "-w /etc/localtime -p wa -k time-change"),
		sys(8, "b64", []string{"sethostname", "setdomainname"}, "system-locale", "-a always,exit -F arch=b64 -S sethostname,setdomainname -k system-locale"),
		sys(9, "b32", []string{"sethostname", "setdomainname"}, "system-locale", "-a always,exit -F arch=b32 -S sethostname,setdomainname -k system-locale"),
		watch(10, "/etc/issue", "wa", "system-locale", "-w /etc/issue -p aw -k system-locale"),
		watch(11, "/etc/issue.net", "wa", "system-locale", "-w /etc/issue.net -p wa -k system-locale"),
		watch(12, "/etc/hosts", "wa", "system-locale", "-w /etc/hosts -p wa -k system-locale"),
		watch(13, "/etc/networks", "wa", "system-locale", "-w /etc/networks -p wa -k system-locale"),
		watch(14, "/etc/network/", "wa", "system-locale", "-w /etc/network/ -p wa -k system-locale"),
		watch(15, "/etc/directory with space", "rwxa", "escaped", "-w /etc/directory with space -k escaped"),
		ctl(final, 2, "-e", "2", "-e 2"),
	}
	if diff := cmp.Diff(wantRules, facts.Rules); diff != "" {
		t.Errorf("rules (-want +got):\n%s", diff)
	}
	if !facts.Immutable {
		t.Error("rules.d ends with -e 2, immutable is false")
	}
	if !facts.AuditRules.Exists || len(facts.AuditRules.Rules) != 6 || facts.AuditRules.Immutable {
		t.Errorf("audit.rules: exists=%v %d rules immutable=%v, want 6 rules ending in -e 1", facts.AuditRules.Exists, len(facts.AuditRules.Rules), facts.AuditRules.Immutable)
	}
}

func TestAuditRuleParsing(t *testing.T) {
	for _, tc := range []struct {
		name, line string
		want       []AuditRule
	}{
		{"watch without -p watches everything", "-w /var/log/lastlog -k logins", []AuditRule{
			auditRuleOf(AuditRule{Kind: "watch", Op: "-w", Path: "/var/log/lastlog", Permissions: "rwxa", Keys: []string{"logins"}})}},
		{"attached arguments", "-w/etc/passwd -pwa -kidentity", []AuditRule{
			auditRuleOf(AuditRule{Kind: "watch", Op: "-w", Path: "/etc/passwd", Permissions: "wa", Keys: []string{"identity"}})}},
		{"remove watch", "-W /etc/passwd -p wa", []AuditRule{auditRuleOf(AuditRule{Kind: "watch", Op: "-W", Path: "/etc/passwd", Permissions: "wa"})}},
		{"path rule with operators and two keys", "-a always,exit -F path=/usr/bin/chcon -F perm=x -F auid>=1000 -F auid!=-1 -k perm_chng -k chcon", []AuditRule{
			auditRuleOf(AuditRule{Kind: "syscall", Op: "-a", Action: "always", List: "exit", Keys: []string{"perm_chng", "chcon"}, Fields: []AuditField{
				{"path", "=", "/usr/bin/chcon"}, {"perm", "=", "x"}, {"auid", ">=", "1000"}, {"auid", "!=", "-1"}}})}},
		{"duplicate syscalls merged, exit codes", "-A exit,never -S open,openat -S open -F exit=-EACCES -F a2&0100", []AuditRule{
			auditRuleOf(AuditRule{Kind: "syscall", Op: "-A", Action: "never", List: "exit", Syscalls: []string{"open", "openat"}, Fields: []AuditField{
				{"exit", "=", "-EACCES"}, {"a2", "&", "0100"}}})}},
		{"exclude list", "-a never,exclude -F msgtype=CWD", []AuditRule{
			auditRuleOf(AuditRule{Kind: "syscall", Op: "-a", Action: "never", List: "exclude", Fields: []AuditField{{"msgtype", "=", "CWD"}}})}},
		{"several control options on one line", "-b 320 -r 0 --loginuid-immutable", []AuditRule{
			auditRuleOf(AuditRule{Kind: "control", Op: "-b", Value: "320"}), auditRuleOf(AuditRule{Kind: "control", Op: "-r", Value: "0"}),
			auditRuleOf(AuditRule{Kind: "control", Op: "--loginuid-immutable"})}},
		{"long option with =", "--backlog_wait_time=0", []AuditRule{auditRuleOf(AuditRule{Kind: "control", Op: "--backlog_wait_time", Value: "0"})}},
		{"flags", "-i", []AuditRule{auditRuleOf(AuditRule{Kind: "control", Op: "-i"})}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rules, err := parseAuditRules("/r", []byte(tc.line+"\n"))
			if err != nil {
				t.Fatal(err)
			}
			for i := range tc.want {
				tc.want[i].Raw, tc.want[i].File, tc.want[i].Line = strings.Join(strings.Fields(tc.line), " "), "/r", 1
			}
			if diff := cmp.Diff(tc.want, rules); diff != "" {
				t.Errorf("rules (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAuditRuleErrors(t *testing.T) {
	for _, tc := range []struct{ line, err string }{
		{"-w", "option -w needs an argument"},
		{"-x /etc/passwd", "unknown option -x"},
		{"--frobnicate 1", "unknown option --frobnicate"},
		{"-w /etc/passwd wa", `"wa" is not an option`},
		{"-w /etc/passwd -p z", "permission z isn't supported"},
		{"-w /etc/passwd -p rwxaw", "want one to four"},
		{"-p wa -w /etc/passwd", "-p wa needs a watch before it"},
		{"-k key -w /etc/passwd", "-k key needs a watch or a syscall rule before it"},
		{"-S open -a always,exit", "-S open needs -a, -A or -d before it"},
		{"-F arch=b64 -a always,exit", "the list must be given (-a) before a field"},
		{"-a always -S open", "want list,action"},
		{"-a always,sometimes", "bad list or action"},
		{"-a always,exit,task", "want list,action"},
		{"-a always,exit -F auid", "no operator"},
		{"-a always,exit -F =1", "want name=value"},
		{"-a always,exit -F key!=x", "key takes only ="},
		{"-a always,exit -C euid>uid", "want field=field"},
		{"-a always,exit -S open,", "empty syscall name"},
		{"-w /a -a always,exit", "-a can't be given with -w"},
		{"-e 3", "-e must be 0, 1 or 2"},
		{"-f x", "-f must be 0, 1 or 2"},
		{"-b lots", "-b must be a number"},
		{"--backlog_wait_time", "needs an argument"},
		{"-e 2 -w /etc/passwd", "control options (-e) mixed with a rule"},
		{"-l", "option -l queries or acts"},
		{"-R /etc/other.rules", "option -R queries or acts"},
		{"-D -k", "option -k needs an argument"},
		{"-Dx", "unknown option -Dx"},
	} {
		t.Run(tc.line, func(t *testing.T) {
			_, err := parseAuditRules("/etc/audit/rules.d/x.rules", []byte("# comment\n\n"+tc.line+"\n"))
			want := "audit: /etc/audit/rules.d/x.rules:3: "
			if err == nil || !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("err = %v, want %q...%q", err, want, tc.err)
			}
		})
	}
}

func TestAuditdConfErrors(t *testing.T) {
	for _, tc := range []struct{ in, err string }{
		{"max_log_file=8\n", `:1: "max_log_file=8" needs spaces around '='`},
		{"# c\nmax_log_file 8\n", ":2: wrong number of words"},
		{"max_log_file : 8\n", ":1: missing '='"},
		{"space_left_action = exec /bin/x extra\n", ":1: wrong number of words"},
		{"max_log_file =\n", ":1: wrong number of words"},
	} {
		_, err := Audit{}.Collect(context.Background(), Target{Fs: confMem(t, map[string]string{auditdConf: tc.in}), Root: "/"})
		if err == nil || !strings.Contains(err.Error(), "audit: "+auditdConf+tc.err) {
			t.Errorf("%q: err = %v, want %q", tc.in, err, tc.err)
		}
	}
	// Errors in rules files name the file read.
	_, err := Audit{}.Collect(context.Background(), Target{Fs: confMem(t, map[string]string{auditRulesFile: "-w /x\n-e 5\n"}), Root: "/"})
	if err == nil || !strings.Contains(err.Error(), auditRulesFile+":2: -e must be") {
		t.Errorf("err = %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = Audit{}.Collect(ctx, Target{Fs: confMem(t, map[string]string{auditRulesDir + "/a.rules": "-e 2\n"}), Root: "/"})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestAuditRulesDirSelection(t *testing.T) {
	fsys := confMem(t, map[string]string{
		auditRulesDir + "/a.rules.bak":   "-e 9\n", // not *.rules: never read
		auditRulesDir + "/dir.rules/":    "",
		auditRulesDir + "/b.rules":       "-e 2\n",
		auditRulesDir + "/a.rules":       "-e 0\n",
		auditRulesDir + "/README":        "not rules\n",
		auditRulesDir + "/10-last.rules": "-e 1\n",
	})
	got, err := Audit{}.Collect(context.Background(), Target{Fs: fsys, Root: "/"})
	if err != nil {
		t.Fatal(err)
	}
	facts := got.(*AuditFacts)
	want := []string{auditRulesDir + "/10-last.rules", auditRulesDir + "/a.rules", auditRulesDir + "/b.rules"}
	if diff := cmp.Diff(want, facts.RulesD.Files); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	if !facts.Immutable {
		t.Error("the last -e (b.rules) is 2, immutable is false")
	}
}

// TestVersionSortOracle checks the order of rules files against GNU
// `sort -V`, which augenrules uses.
func TestVersionSortOracle(t *testing.T) {
	bin := oracle.Require(t, "sort")
	names := []string{
		"10-base-config.rules", "9-early.rules", "99-finalize.rules", "100-late.rules", "010-zero.rules",
		"50-cis.rules", "50-cis~old.rules", "50-CIS.rules", "50_cis.rules", "50-cis.2.rules", "50-cis.10.rules",
		"a.rules", "A.rules", "a1.rules", "a01.rules", "a10.rules", "a9.rules", ".hidden.rules", "-dash.rules",
		"x.tar.gz.rules", "x.rules.rules", "30-stig.rules", "30-pci-dss-v31.rules", "30-ospp-v42.rules",
		"30-ospp-v42-1-create-failed.rules", "1.2.3.rules", "1.2.10.rules", "1.10.rules", "~tilde.rules",
	}
	var paths []string
	for _, n := range names {
		paths = append(paths, auditRulesDir+"/"+n)
	}
	cmd := exec.Command(bin, "-V")
	cmd.Env = []string{"LC_ALL=C"}
	cmd.Stdin = strings.NewReader(strings.Join(paths, "\n") + "\n")
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Split(strings.TrimSpace(string(out)), "\n")
	got := append([]string{}, paths...)
	sort.SliceStable(got, func(i, j int) bool { return auditVersionLess(got[i], got[j]) })
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("order: sort -V (-) vs auditVersionLess (+):\n%s", diff)
	}
	// Plain names too (auditFilevercmp's special cases for leading dots).
	plain := []string{".", "..", ".a", "a", "a.b", "a~", "", "b1", "b01", "1", "01"}
	cmd = exec.Command(bin, "-V")
	cmd.Env = []string{"LC_ALL=C"}
	cmd.Stdin = strings.NewReader(strings.Join(plain, "\n") + "\n")
	if out, err = cmd.Output(); err != nil {
		t.Fatal(err)
	}
	want = strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	got = append([]string{}, plain...)
	sort.SliceStable(got, func(i, j int) bool { return auditVersionLess(got[i], got[j]) })
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("order: sort -V (-) vs auditVersionLess (+):\n%s", diff)
	}
}

// FuzzAuditRules checks that no rules file makes the parser panic and that
// every error names the file and line.
func FuzzAuditRules(f *testing.F) {
	f.Add("-a always,exit -F arch=b64 -S adjtimex,settimeofday -k time-change\n-w /etc/passwd -p wa -k identity\n-e 2\n")
	f.Add("-a exit,never -F a2&0100 -C uid!=euid\n--backlog_wait_time=1\n-w\\ x\\\\y\n")
	f.Fuzz(func(t *testing.T, data string) {
		rules, err := parseAuditRules("/f.rules", []byte(data))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "audit: /f.rules:") {
				t.Fatalf("error does not name file and line: %v", err)
			}
			return
		}
		for _, r := range rules {
			if r.Kind == "" || r.Op == "" || r.Line < 1 {
				t.Fatalf("incomplete rule %+v", r)
			}
		}
	})
}
