package remediate

import (
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"
)

var update = flag.Bool("update", false, "rewrite golden files")

// file is a file of a test root.
type file struct {
	content string
	mode    os.FileMode
	link    string // a symlink instead, to this target
}

// newRoot makes a temp dir with files and opens it as a Root.
func newRoot(t *testing.T, files map[string]file) (*Root, string) {
	t.Helper()
	dir := t.TempDir()
	writeFiles(t, dir, files)
	r, err := OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r, dir
}

func writeFiles(t *testing.T, dir string, files map[string]file) {
	t.Helper()
	for p, f := range files {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if f.link != "" {
			if err := os.Symlink(f.link, full); err != nil {
				t.Fatal(err)
			}
			continue
		}
		mode := f.mode
		if mode == 0 {
			mode = 0o644
		}
		if err := os.WriteFile(full, []byte(f.content), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(full, mode); err != nil {
			t.Fatal(err)
		}
	}
}

func str(s string) *string { return &s }

func readHost(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if errors.Is(err, os.ErrNotExist) {
		return "(absent)"
	}
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func modeOf(t *testing.T, p string) string {
	t.Helper()
	var st unix.Stat_t
	if err := unix.Lstat(p, &st); err != nil {
		return "(absent)"
	}
	return FormatMode(st.Mode)
}

func requireRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root to chown")
	}
}

const passwd = "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1::/usr/sbin:/usr/sbin/nologin\nsshd:x:100:65534::/run/sshd:/usr/sbin/nologin\n"
const group = "root:x:0:\ndaemon:x:1:\nshadow:x:42:\n"

const sshdConfig = `# managed by hand
Include /etc/ssh/sshd_config.d/*.conf
PermitRootLogin yes
#X11Forwarding yes
X11Forwarding yes

# developers may forward
Match User dev
	AllowTcpForwarding yes
`

// scenario is a root on which every file action type has work to do.
func scenario() map[string]file {
	return map[string]file{
		"etc/passwd":                    {content: passwd},
		"etc/group":                     {content: group},
		"etc/shadow":                    {content: "root:*:19000:0:99999:7:::\n", mode: 0o644},
		"etc/ssh/sshd_config":           {content: sshdConfig},
		"etc/login.defs":                {content: "# login.defs\nPASS_MAX_DAYS\t99999\nPASS_MIN_DAYS\t0\n"},
		"etc/issue.net":                 {content: "Debian GNU/Linux 12 \\n \\l\n"},
		"etc/cron.deny":                 {content: "nobody\n"},
		"etc/security/pwquality.conf":   {content: "# minlen = 8\n"},
		"etc/rsyslog.d/50-remote.conf":  {content: "*.* @@loghost:514\n# keep\n"},
		"etc/modprobe.d/existing.conf":  {content: "options foo bar=1\n"},
		"etc/sysctl.d/99-local.conf":    {content: "net/ipv4/ip_forward = 1\n"},
		"etc/ssh/sshd_config.d/x.conf":  {content: ""},
		"usr/share/doc/unrelated":       {content: "untouched\n"},
		"etc/ssh/ssh_host_ed25519_key":  {content: "KEY\n", mode: 0o644},
		"etc/ssh/sshd_config.d/.keep":   {content: ""},
		"etc/audit/rules.d/.keep":       {content: ""},
		"etc/systemd/journald.conf.d/x": {content: ""},
		"etc/cron.d/e2scrub_all":        {content: "# cron\n"},
	}
}

func scenarioRules() []RuleActions {
	return []RuleActions{
		{Rule: "R-MODE", Actions: []Action{{Type: FileMode, Path: "/etc/shadow", Mode: "0640"}}},
		{Rule: "R-DIR", Actions: []Action{{Type: FileMode, Path: "/etc/cron.d", Mode: "0700"}, {Type: FileOwner, Path: "/etc/cron.d", Group: "daemon"}}},
		{Rule: "R-OWNER", Actions: []Action{{Type: FileOwner, Path: "/etc/shadow", Owner: "root", Group: "shadow"}}},
		{Rule: "R-ABSENT", Actions: []Action{{Type: FileAbsent, Path: "/etc/cron.deny"}}},
		{Rule: "R-CONTENT", Actions: []Action{{Type: FileContent, Path: "/etc/issue.net", Content: str("Authorised use only.\n")}}},
		{Rule: "R-NEWFILE", Actions: []Action{{Type: FileContent, Path: "/etc/cron.allow", Content: str(""), Mode: "0640", Owner: "root", Group: "root"}}},
		{Rule: "R-SSHD-1", Actions: []Action{{Type: ConfigSet, Path: "/etc/ssh/sshd_config", Format: "sshd", Key: "PermitRootLogin", Value: str("no")}}},
		{Rule: "R-SSHD-2", Actions: []Action{{Type: ConfigSet, Path: "/etc/ssh/sshd_config", Format: "sshd", Key: "MaxAuthTries", Value: str("4")}}},
		{Rule: "R-LOGIN", Actions: []Action{{Type: ConfigSet, Path: "/etc/login.defs", Format: "keyvalue", Separator: str("\t"), Key: "PASS_MAX_DAYS", Value: str("365")}}},
		{Rule: "R-PWQ", Actions: []Action{{Type: ConfigSet, Path: "/etc/security/pwquality.conf", Format: "keyvalue", Separator: str(" = "), Key: "minlen", Value: str("14")}}},
		{Rule: "R-SYSCTL", Actions: []Action{
			{Type: ConfigSet, Path: "/etc/sysctl.d/99-local.conf", Format: "keyvalue", Separator: str(" = "), Key: "net.ipv4.ip_forward", Value: str("0")},
			{Type: SysctlApply, Key: "net.ipv4.ip_forward", Value: str("0")},
		}},
		{Rule: "R-KMOD", Actions: []Action{
			{Type: ConfigLine, Path: "/etc/modprobe.d/gcrun-cramfs.conf", Line: "install cramfs /bin/false", State: "present"},
			{Type: ConfigLine, Path: "/etc/modprobe.d/gcrun-cramfs.conf", Line: "blacklist cramfs", State: "present"},
		}},
		{Rule: "R-LINE-ABSENT", Actions: []Action{{Type: ConfigLine, Path: "/etc/rsyslog.d/50-remote.conf", Match: `^\*\.\* @@`, State: "absent"}}},
		{Rule: "R-PKG", Actions: []Action{{Type: PackageRemove, Name: "telnet"}, {Type: PackageInstall, Name: "auditd"}}},
		{Rule: "R-SVC", Actions: []Action{{Type: ServiceDisable, Unit: "rpcbind.service"}, {Type: ServiceMask, Unit: "avahi-daemon.socket"}}},
	}
}

func rulesNamed(names ...string) []RuleActions {
	var out []RuleActions
	for _, ra := range scenarioRules() {
		if contains(names, ra.Rule) {
			out = append(out, ra)
		}
	}
	return out
}

// fakeExecutor records commands and fails those listed.
type fakeExecutor struct {
	ran  [][]string
	fail map[string]bool
}

func (f *fakeExecutor) Run(_ context.Context, env, argv []string) ([]byte, error) {
	f.ran = append(f.ran, append(append([]string(nil), env...), argv...))
	if f.fail[argv[len(argv)-1]] {
		return []byte("E: simulated"), errors.New("exit status 100: E: simulated")
	}
	return nil, nil
}

func statuses(p *Plan) map[string][]string {
	out := map[string][]string{}
	for _, rp := range p.Rules {
		for _, a := range rp.Actions {
			s := a.Status
			if a.Error != "" {
				s += ": " + a.Error
			}
			out[rp.Rule] = append(out[rp.Rule], s)
		}
		if rp.Err != "" {
			out[rp.Rule] = append(out[rp.Rule], "rule error: "+rp.Err)
		}
	}
	return out
}

func TestEveryActionTypeAppliesAndRollsBack(t *testing.T) {
	requireRoot(t)
	root, dir := newRoot(t, scenario())
	before := snapshotTree(t, dir)
	plan, err := NewPlan(root, scenarioRules(), PlanOptions{Live: true, PackageManager: "dpkg"})
	if err != nil {
		t.Fatal(err)
	}
	exec := &fakeExecutor{fail: map[string]bool{"avahi-daemon.socket": true}}
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	run, err := Apply(context.Background(), root, plan, ApplyOptions{RunID: "run-1", Mode: "apply", Executor: exec, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	wantStatus := map[string][]string{
		"R-MODE": {"succeeded"}, "R-DIR": {"succeeded", "succeeded"}, "R-OWNER": {"succeeded"}, "R-ABSENT": {"succeeded"}, "R-CONTENT": {"succeeded"},
		"R-NEWFILE": {"succeeded"}, "R-SSHD-1": {"succeeded"}, "R-SSHD-2": {"succeeded"}, "R-LOGIN": {"succeeded"},
		"R-PWQ": {"succeeded"}, "R-SYSCTL": {"succeeded", "succeeded"}, "R-KMOD": {"succeeded", "succeeded"},
		"R-LINE-ABSENT": {"succeeded"}, "R-PKG": {"succeeded", "succeeded"},
		"R-SVC": {"succeeded", "failed: exit status 100: E: simulated"},
	}
	if diff := cmp.Diff(wantStatus, statuses(plan)); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	if run.ID != "run-1" || run.FilesChanged != 11 || run.CommandsRun != 4 {
		t.Errorf("run = %+v, want run-1 with 11 files and 4 commands (one failed)", run)
	}
	wantCmds := [][]string{
		{"DEBIAN_FRONTEND=noninteractive", "apt-get", "-y", "-q", "-o", "Dpkg::Options::=--force-confdef", "-o", "Dpkg::Options::=--force-confold", "remove", "telnet"},
		{"DEBIAN_FRONTEND=noninteractive", "apt-get", "-y", "-q", "-o", "Dpkg::Options::=--force-confdef", "-o", "Dpkg::Options::=--force-confold", "install", "--no-install-recommends", "auditd"},
		{"sysctl", "-w", "net.ipv4.ip_forward=0"},
		{"systemctl", "disable", "--now", "rpcbind.service"},
		{"systemctl", "mask", "--now", "avahi-daemon.socket"},
	}
	sortCmds(wantCmds)
	sortCmds(exec.ran)
	if diff := cmp.Diff(wantCmds, exec.ran); diff != "" {
		t.Errorf("commands (-want +got):\n%s", diff)
	}

	after := snapshotTree(t, dir)
	want := map[string]string{
		"/etc/shadow":                       "0640 0:42 root:*:19000:0:99999:7:::\n",
		"/etc/cron.d":                       "dir 0700 0:1",
		"/etc/cron.deny":                    "(absent)",
		"/etc/issue.net":                    "0644 0:0 Authorised use only.\n",
		"/etc/cron.allow":                   "0640 0:0 ",
		"/etc/ssh/sshd_config":              "0644 0:0 # managed by hand\nInclude /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin no\n#X11Forwarding yes\nX11Forwarding yes\nMaxAuthTries 4\n\n# developers may forward\nMatch User dev\n\tAllowTcpForwarding yes\n",
		"/etc/login.defs":                   "0644 0:0 # login.defs\nPASS_MAX_DAYS\t365\nPASS_MIN_DAYS\t0\n",
		"/etc/security/pwquality.conf":      "0644 0:0 # minlen = 8\nminlen = 14\n",
		"/etc/sysctl.d/99-local.conf":       "0644 0:0 net/ipv4/ip_forward = 0\n",
		"/etc/modprobe.d/gcrun-cramfs.conf": "0644 0:0 install cramfs /bin/false\nblacklist cramfs\n",
		"/etc/rsyslog.d/50-remote.conf":     "0644 0:0 # keep\n",
	}
	for p, w := range want {
		got, ok := after[p]
		if !ok {
			got = "(absent)"
		}
		if got != w {
			t.Errorf("%s after apply = %q, want %q", p, got, w)
		}
	}
	for p, was := range before {
		if _, expected := want[p]; !expected && after[p] != was {
			t.Errorf("%s changed (%q -> %q) but no action targets it", p, was, after[p])
		}
	}

	// A second run finds nothing to do, and writes no journal. (Commands
	// cannot know; in a real run the rule passes and has no actions.)
	var again []RuleActions
	for _, ra := range scenarioRules() {
		var files []Action
		for _, a := range ra.Actions {
			if a.IsFile() {
				files = append(files, a)
			}
		}
		if len(files) > 0 {
			again = append(again, RuleActions{Rule: ra.Rule, Actions: files})
		}
	}
	plan2, err := NewPlan(root, again, PlanOptions{Live: true, PackageManager: "dpkg"})
	if err != nil {
		t.Fatal(err)
	}
	if f, c := plan2.Changes(); f != 0 || c != 0 {
		t.Errorf("second plan changes %d files, %d commands; want none", f, c)
	}
	for rule, ss := range statuses(plan2) {
		for _, s := range ss {
			if s != StatusUnchanged {
				t.Errorf("second plan: %s: %s, want unchanged", rule, s)
			}
		}
	}
	run2, err := Apply(context.Background(), root, plan2, ApplyOptions{Executor: exec})
	if err != nil || run2.ID != "" {
		t.Errorf("second apply = %+v, %v; want no run", run2, err)
	}

	// Rollback restores every file exactly, and lists the commands.
	res, err := Rollback(context.Background(), root, RollbackOptions{})
	if err != nil {
		t.Fatal(err)
	}
	restored := map[string]string{}
	var manual []string
	for _, it := range res.Items {
		if it.Path == "" {
			manual = append(manual, it.Command)
			continue
		}
		restored[it.Path] = it.Status
	}
	wantRestored := map[string]string{
		"/etc/shadow": "restored", "/etc/cron.d": "restored", "/etc/cron.deny": "restored", "/etc/issue.net": "restored", "/etc/cron.allow": "removed",
		"/etc/ssh/sshd_config": "restored", "/etc/login.defs": "restored", "/etc/security/pwquality.conf": "restored",
		"/etc/sysctl.d/99-local.conf": "restored", "/etc/modprobe.d/gcrun-cramfs.conf": "removed", "/etc/rsyslog.d/50-remote.conf": "restored",
	}
	if diff := cmp.Diff(wantRestored, restored); diff != "" {
		t.Errorf("rollback (-want +got):\n%s", diff)
	}
	if len(manual) != 5 || !contains(manual, "systemctl enable --now rpcbind.service") {
		t.Errorf("rollback's commands = %q", manual)
	}
	final := snapshotTree(t, dir)
	for p, was := range before {
		if final[p] != was {
			t.Errorf("%s after rollback = %q, want %q", p, final[p], was)
		}
	}
	for p := range final {
		if _, ok := before[p]; !ok && !strings.HasPrefix(final[p], "dir ") {
			t.Errorf("%s left behind by rollback", p)
		}
	}
	if _, err := Rollback(context.Background(), root, RollbackOptions{}); err == nil || !strings.Contains(err.Error(), "already rolled back") {
		t.Errorf("second rollback: err = %v, want already rolled back", err)
	}
}

func sortCmds(c [][]string) {
	sort.Slice(c, func(i, j int) bool { return strings.Join(c[i], " ") < strings.Join(c[j], " ") })
}

// snapshotTree maps every in-root path to "mode uid:gid content" (or the
// link target), journals excluded.
func snapshotTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel := "/" + strings.TrimPrefix(strings.TrimPrefix(p, dir), "/")
		if strings.HasPrefix(rel, JournalDir) || rel == "/var/lib/gcrun/remediation-state.json" {
			return nil
		}
		st := fi.Sys().(*syscall.Stat_t)
		switch {
		case fi.Mode()&os.ModeSymlink != 0:
			l, _ := os.Readlink(p)
			out[rel] = "-> " + l
		case fi.Mode().IsRegular():
			out[rel] = FormatMode(st.Mode) + " " + strconv.Itoa(int(st.Uid)) + ":" + strconv.Itoa(int(st.Gid)) + " " + readHost(t, p)
		case fi.IsDir() && rel != "/":
			out[rel] = "dir " + FormatMode(st.Mode) + " " + strconv.Itoa(int(st.Uid)) + ":" + strconv.Itoa(int(st.Gid))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestPlanDiffGolden(t *testing.T) {
	requireRoot(t)
	root, _ := newRoot(t, scenario())
	plan, err := NewPlan(root, scenarioRules(), PlanOptions{Live: false, PackageManager: "dpkg"})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, f := range plan.Files {
		if f.Changed() {
			b.WriteString(f.Diff())
		}
	}
	for _, c := range plan.Commands {
		b.WriteString(c.Status() + ": " + c.String() + "\n")
	}
	golden(t, "testdata/plan.golden", b.String())
	// Offline, nothing may run: commands are manual.
	for _, c := range plan.Commands {
		if c.Status() != StatusManual {
			t.Errorf("offline command %s is %s, want manual", c, c.Status())
		}
	}
}

func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s (-want +got):\n%s", path, diff)
	}
}

func TestConflictsAndBadActions(t *testing.T) {
	root, _ := newRoot(t, scenario())
	rules := []RuleActions{
		{Rule: "A", Actions: []Action{{Type: ConfigSet, Path: "/etc/ssh/sshd_config", Format: "sshd", Key: "MaxAuthTries", Value: str("4")}}},
		{Rule: "B", Actions: []Action{{Type: ConfigSet, Path: "/etc/ssh/sshd_config", Format: "sshd", Key: "maxauthtries", Value: str("6")}}},
		{Rule: "C", Actions: []Action{{Type: FileMode, Path: "/etc/missing", Mode: "0600"}}},
		{Rule: "D", Actions: []Action{{Type: FileOwner, Path: "/etc/shadow", Owner: "nosuchuser"}}},
		{Rule: "E", Err: errors.New("remediate: boom")},
		{Rule: "F", Actions: []Action{{Type: PackageRemove, Name: "telnet"}}},
	}
	plan, err := NewPlan(root, rules, PlanOptions{Live: true})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"A": {"planned"},
		"B": {`failed: /etc/ssh/sshd_config: conflicts with rule A, which sets key maxauthtries to "4"`},
		"C": {"failed: /etc/missing: does not exist"},
		"D": {`failed: user "nosuchuser" does not exist in the scanned root`},
		"E": {"rule error: remediate: boom"},
		"F": {"failed: package.remove telnet: no package manager known for this host"},
	}
	if diff := cmp.Diff(want, statuses(plan)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestDecode(t *testing.T) {
	for _, tt := range []struct {
		raw  map[string]any
		want string
	}{
		{map[string]any{"type": "file.mode", "path": "/etc/x", "mode": "0600"}, ""},
		{map[string]any{"type": "file.mode", "path": "/etc/x", "mode": 384}, "cannot unmarshal number"},
		{map[string]any{"type": "file.mode", "path": "/etc/x", "mode": "0999"}, `mode "0999" is not an octal mode`},
		{map[string]any{"type": "file.mode", "path": "etc/x", "mode": "0600"}, "must be absolute"},
		{map[string]any{"type": "file.mode", "path": "/etc/x", "mode": "0600", "recursive": true}, `unknown field "recursive"`},
		{map[string]any{"type": "shell", "cmd": "rm -rf /"}, `unknown field "cmd"`},
		{map[string]any{"type": "shell"}, `unknown action type "shell"`},
		{map[string]any{"type": "config.set", "path": "/etc/x", "format": "sshd", "key": "PermitRootLogin", "value": "no\nPermitEmptyPasswords yes"}, "value must be one line"},
		{map[string]any{"type": "config.set", "path": "/etc/x", "format": "ini", "key": "a", "value": "b"}, `format "ini" is not sshd or keyvalue`},
		{map[string]any{"type": "config.set", "path": "/etc/x", "format": "keyvalue", "key": "a b", "value": "b"}, "must not contain blanks"},
		{map[string]any{"type": "config.line", "path": "/etc/x", "line": "x", "state": "maybe"}, `state "maybe"`},
		{map[string]any{"type": "config.line", "path": "/etc/x", "match": "(", "state": "absent"}, "match: error parsing regexp"},
		{map[string]any{"type": "package.remove", "name": "-oAPT::Get=x"}, "is not a package name"},
		{map[string]any{"type": "service.mask", "unit": "sshd"}, "is not a systemd unit name"},
		{map[string]any{"type": "sysctl.apply", "key": "net.ipv4.ip_forward", "value": "0"}, ""},
		{map[string]any{"type": "file.owner", "path": "/etc/x"}, "needs owner or group"},
		{map[string]any{"type": "file.content", "path": "/etc/x", "content": strings.Repeat("x", maxContent+1)}, "more than"},
	} {
		_, err := Decode(tt.raw)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
			t.Errorf("Decode(%v) = %q, want %q", tt.raw, got, tt.want)
		}
	}
}

func TestHostileSymlinksStayInsideTheRoot(t *testing.T) {
	requireRoot(t)
	outside := t.TempDir()
	writeFiles(t, outside, map[string]file{"etc/ssh/sshd_config": {content: "PermitRootLogin yes\n"}, "victim": {content: "host file\n"}})
	root, dir := newRoot(t, map[string]file{
		"etc/passwd": {content: passwd}, "etc/group": {content: group},
		// Absolute and climbing links: under chroot they name files
		// inside the root, never the scanning host's.
		"etc/ssh/sshd_config":         {link: outside + "/etc/ssh/sshd_config"},
		"etc/issue.net":               {link: "../../../../../../" + outside + "/victim"},
		"etc/modprobe.d":              {link: outside},
		"etc/login.defs":              {link: "/etc/login.defs.real"},
		"etc/login.defs.real":         {content: "PASS_MAX_DAYS 99999\n"},
		"etc/motd":                    {link: outside + "/victim"},
		"etc/loop":                    {link: "/etc/loop"},
		"etc/security/pwquality.conf": {link: "/etc/security/../../../" + outside + "/victim"},
	})
	rules := []RuleActions{
		{Rule: "SSH", Actions: []Action{{Type: ConfigSet, Path: "/etc/ssh/sshd_config", Format: "sshd", Key: "PermitRootLogin", Value: str("no")}}},
		{Rule: "ISSUE", Actions: []Action{{Type: FileContent, Path: "/etc/issue.net", Content: str("x\n")}}},
		{Rule: "KMOD", Actions: []Action{{Type: ConfigLine, Path: "/etc/modprobe.d/gcrun.conf", Line: "blacklist x", State: "present"}}},
		{Rule: "LOGIN", Actions: []Action{{Type: ConfigSet, Path: "/etc/login.defs", Format: "keyvalue", Key: "PASS_MAX_DAYS", Value: str("365")}}},
		{Rule: "MOTD", Actions: []Action{{Type: FileAbsent, Path: "/etc/motd"}}},
		{Rule: "LOOP", Actions: []Action{{Type: FileMode, Path: "/etc/loop", Mode: "0600"}}},
		{Rule: "PWQ", Actions: []Action{{Type: FileMode, Path: "/etc/security/pwquality.conf", Mode: "0600"}}},
	}
	hostBefore := snapshotTree(t, outside)
	plan, err := NewPlan(root, rules, PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Apply(context.Background(), root, plan, ApplyOptions{RunID: "r"}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(hostBefore, snapshotTree(t, outside)); diff != "" {
		t.Fatalf("files outside the root changed (-before +after):\n%s", diff)
	}
	got := statuses(plan)
	wantFailed := map[string]string{"LOOP": "too many levels of symbolic links"}
	for rule, frag := range wantFailed {
		if len(got[rule]) != 1 || !strings.Contains(got[rule][0], frag) {
			t.Errorf("%s = %v, want failed with %q", rule, got[rule], frag)
		}
	}
	// The links resolved inside the root: the files were created there.
	inRoot := map[string]string{
		outside + "/etc/ssh/sshd_config": "PermitRootLogin no\n",
		outside + "/victim":              "x\n",
		outside + "/gcrun.conf":          "blacklist x\n",
	}
	for p, want := range inRoot {
		if got := readHost(t, filepath.Join(dir, p)); got != want {
			t.Errorf("%s in the root = %q, want %q", p, got, want)
		}
	}
	// pwquality.conf's link names the same in-root file as issue.net's:
	// one file, both actions composed.
	if got := modeOf(t, filepath.Join(dir, outside, "victim")); got != "0600" {
		t.Errorf("victim in the root has mode %s, want 0600", got)
	}
	if got := readHost(t, filepath.Join(dir, "etc/login.defs.real")); got != "PASS_MAX_DAYS 365\n" {
		t.Errorf("login.defs.real = %q (an in-root link is followed)", got)
	}
	if _, err := os.Lstat(filepath.Join(dir, "etc/motd")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("file.absent on a symlink: the link should be gone, err = %v", err)
	}
	// Rollback puts the link back.
	if _, err := Rollback(context.Background(), root, RollbackOptions{}); err != nil {
		t.Fatal(err)
	}
	if l, err := os.Readlink(filepath.Join(dir, "etc/motd")); err != nil || l != outside+"/victim" {
		t.Errorf("etc/motd after rollback = %q, %v", l, err)
	}
	if diff := cmp.Diff(hostBefore, snapshotTree(t, outside)); diff != "" {
		t.Fatalf("rollback changed files outside the root (-before +after):\n%s", diff)
	}
}

func TestFIFOAndHugeFilesAreRefused(t *testing.T) {
	root, dir := newRoot(t, map[string]file{"etc/passwd": {content: passwd}})
	if err := unix.Mkfifo(filepath.Join(dir, "etc/login.defs"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(dir, "etc/big.conf"))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(10 << 30); err != nil {
		t.Fatal(err)
	}
	f.Close()
	plan, err := NewPlan(root, []RuleActions{
		{Rule: "FIFO", Actions: []Action{{Type: ConfigSet, Path: "/etc/login.defs", Format: "keyvalue", Key: "UMASK", Value: str("027")}}},
		{Rule: "BIG", Actions: []Action{{Type: ConfigLine, Path: "/etc/big.conf", Line: "x", State: "present"}}},
	}, PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"FIFO": {"failed: /etc/login.defs: not a regular file"},
		"BIG":  {"failed: /etc/big.conf: 10737418240 bytes, more than the 4194304 remediation edits"},
	}
	if diff := cmp.Diff(want, statuses(plan)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestChangedSincePlanIsNotOverwritten(t *testing.T) {
	root, dir := newRoot(t, scenario())
	plan, err := NewPlan(root, rulesNamed("R-SSHD-1"), PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "etc/ssh/sshd_config")
	if err := os.WriteFile(p, []byte("PermitRootLogin prohibit-password\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Apply(context.Background(), root, plan, ApplyOptions{RunID: "r"}); err != nil {
		t.Fatal(err)
	}
	if got := statuses(plan)["R-SSHD-1"]; len(got) != 1 || !strings.Contains(got[0], "changed since the plan was made") {
		t.Errorf("status = %v", got)
	}
	if got := readHost(t, p); got != "PermitRootLogin prohibit-password\n" {
		t.Errorf("the newer content was overwritten: %q", got)
	}
}

func TestRollbackConflict(t *testing.T) {
	root, dir := newRoot(t, scenario())
	plan, err := NewPlan(root, rulesNamed("R-LOGIN"), PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Apply(context.Background(), root, plan, ApplyOptions{RunID: "r"}); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "etc/login.defs")
	if err := os.WriteFile(p, []byte("edited by a person\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := Rollback(context.Background(), root, RollbackOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Failed() || len(res.Items) != 1 || res.Items[0].Status != "conflict" {
		t.Fatalf("rollback = %+v, want a conflict", res)
	}
	if got := readHost(t, p); got != "edited by a person\n" {
		t.Errorf("a conflicting file was restored without --force: %q", got)
	}
	res, err = Rollback(context.Background(), root, RollbackOptions{Force: true})
	if err != nil || res.Items[0].Status != "restored" {
		t.Fatalf("forced rollback = %+v, %v", res, err)
	}
	if got := readHost(t, p); got != scenario()["etc/login.defs"].content {
		t.Errorf("after forced rollback: %q", got)
	}
}

func TestExtendedAttributesAreKept(t *testing.T) {
	root, dir := newRoot(t, scenario())
	p := filepath.Join(dir, "etc/login.defs")
	if err := unix.Setxattr(p, "user.gcrun-test", []byte("keep me"), 0); err != nil {
		t.Skipf("file system without user xattrs: %v", err)
	}
	plan, err := NewPlan(root, rulesNamed("R-LOGIN"), PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Apply(context.Background(), root, plan, ApplyOptions{RunID: "r"}); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 64)
	n, err := unix.Getxattr(p, "user.gcrun-test", buf)
	if err != nil || string(buf[:n]) != "keep me" {
		t.Errorf("xattr after edit = %q, %v", buf[:max(n, 0)], err)
	}
	// Rollback restores it too.
	if err := unix.Removexattr(p, "user.gcrun-test"); err != nil {
		t.Fatal(err)
	}
	if _, err := Rollback(context.Background(), root, RollbackOptions{Force: true}); err != nil {
		t.Fatal(err)
	}
	n, err = unix.Getxattr(p, "user.gcrun-test", buf)
	if err != nil || string(buf[:n]) != "keep me" {
		t.Errorf("xattr after rollback = %q, %v", buf[:max(n, 0)], err)
	}
}

func TestCommandsPerPackageManager(t *testing.T) {
	for _, tt := range []struct {
		pm     string
		a      Action
		argv   string
		revert string
	}{
		{"dpkg", Action{Type: PackageRemove, Name: "telnet"}, "apt-get -y -q -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold remove telnet", "apt-get -y -q -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold install telnet"},
		{"rpm", Action{Type: PackageRemove, Name: "telnet"}, "dnf -y remove telnet", "dnf -y install telnet"},
		{"rpm", Action{Type: PackageInstall, Name: "audit"}, "dnf -y install audit", "dnf -y remove audit"},
		{"apk", Action{Type: PackageRemove, Name: "busybox-extras"}, "apk del --no-interactive busybox-extras", "apk add --no-interactive busybox-extras"},
		{"apk", Action{Type: PackageInstall, Name: "audit"}, "apk add --no-interactive audit", "apk del --no-interactive audit"},
		{"", Action{Type: ServiceMask, Unit: "avahi-daemon.socket"}, "systemctl mask --now avahi-daemon.socket", "systemctl unmask avahi-daemon.socket"},
		{"", Action{Type: ServiceDisable, Unit: "rpcbind.service"}, "systemctl disable --now rpcbind.service", "systemctl enable --now rpcbind.service"},
		{"", Action{Type: SysctlApply, Key: "kernel.randomize_va_space", Value: str("2")}, "sysctl -w kernel.randomize_va_space=2", ""},
	} {
		c, err := commandFor(tt.a, tt.pm)
		if err != nil {
			t.Errorf("%s %v: %v", tt.pm, tt.a, err)
			continue
		}
		if got := strings.Join(c.Argv, " "); got != tt.argv {
			t.Errorf("%s %s: argv %q, want %q", tt.pm, tt.a.Type, got, tt.argv)
		}
		if got := strings.Join(c.Revert, " "); got != tt.revert {
			t.Errorf("%s %s: revert %q, want %q", tt.pm, tt.a.Type, got, tt.revert)
		}
	}
}

func TestSystemExecutor(t *testing.T) {
	x := SystemExecutor{Timeout: 200 * time.Millisecond}
	out, err := x.Run(context.Background(), []string{"GCRUN_X=1"}, []string{"sh", "-c", "echo $GCRUN_X; read line || echo no-stdin"})
	if err != nil || string(out) != "1\nno-stdin\n" {
		t.Errorf("run = %q, %v; want the env passed and stdin closed", out, err)
	}
	if _, err := x.Run(context.Background(), nil, []string{"sh", "-c", "echo boom >&2; exit 3"}); err == nil || !strings.Contains(err.Error(), "boom") {
		t.Errorf("failing command: err = %v, want its output in the error", err)
	}
	start := time.Now()
	if _, err := x.Run(context.Background(), nil, []string{"sleep", "10"}); err == nil || !strings.Contains(err.Error(), "timed out") {
		t.Errorf("hung command: err = %v", err)
	}
	if d := time.Since(start); d > 6*time.Second {
		t.Errorf("timeout took %s", d)
	}
}

func TestRunIDsSortByTime(t *testing.T) {
	base := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	prev := NewRunID(base)
	for i := 1; i < 200; i++ {
		id := NewRunID(base.Add(time.Duration(i) * time.Microsecond))
		if id <= prev {
			t.Fatalf("run id %s sorts before the earlier %s", id, prev)
		}
		prev = id
	}
}
