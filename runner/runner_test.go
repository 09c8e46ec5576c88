package runner

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gcrun/gcrun/engine"
	"github.com/gcrun/gcrun/internal/fixture"
	"github.com/gcrun/gcrun/report"
	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite golden files")

func defaultEngine(t testing.TB, opts ...engine.Option) *engine.Engine {
	t.Helper()
	b, err := DefaultBaseline()
	if err != nil {
		t.Fatal(err)
	}
	e, err := NewEngine(context.Background(), []*engine.Baseline{b}, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func evaluateRoot(t testing.TB, eng *engine.Engine, root string) *report.Report {
	t.Helper()
	target, err := NewTarget(root)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Evaluate(context.Background(), eng, target, Options{ToolVersion: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// normalize removes what differs from run to run: times, durations and the
// temporary root's path (also inside phrases and evidence: live-only facts
// say "<root> is an offline root"); and the baselines' digests, which change
// with every edit of a rule (engine's TestDigestMatchesSha256sum checks them).
func normalize(t *testing.T, r *report.Report) {
	t.Helper()
	data, err := json.Marshal(r.Rules)
	if err != nil {
		t.Fatal(err)
	}
	data = bytes.ReplaceAll(data, []byte(r.Root), []byte("<root>"))
	r.Rules = nil
	if err := json.Unmarshal(data, &r.Rules); err != nil {
		t.Fatal(err)
	}
	for i := range r.Rules {
		zeroDurations(r.Rules[i].Evidence)
	}
	r.StartTime, r.EndTime = time.Time{}, time.Time{}
	r.Root = "<root>"
	for i := range r.Baselines {
		r.Baselines[i].Digest = "sha256:" + strings.Repeat("0", 64)
	}
	for i := range r.Collectors {
		r.Collectors[i].DurationMs = 0
	}
	for i := range r.Rules {
		r.Rules[i].DurationMs = 0
	}
}

// zeroDurations sets every "duration_ms" inside evidence to 0: rules may
// record how long a collector took (the sweep's "scanned" does).
func zeroDurations(v any) {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			if k == "duration_ms" {
				v[k] = 0
				continue
			}
			zeroDurations(e)
		}
	case []any:
		for _, e := range v {
			zeroDurations(e)
		}
	}
}

func golden(t *testing.T, name string, rep *report.Report) {
	t.Helper()
	got, err := rep.JSON()
	if err != nil {
		t.Fatal(err)
	}
	if err := report.Validate(got); err != nil {
		t.Fatalf("report does not validate against the schema: %v", err)
	}
	path := filepath.Join("testdata", "golden", name+".json")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, append(got, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./runner -update to create it)", err)
	}
	var w, g any
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(w, g); diff != "" {
		t.Errorf("report differs from %s (-want +got):\n%s", path, diff)
	}
}

func statuses(rep *report.Report, status engine.Status) []string {
	var ids []string
	for _, r := range rep.Rules {
		if r.Status == status {
			ids = append(ids, r.ID)
		}
	}
	sort.Strings(ids)
	return ids
}

func TestGoldenCompliantHost(t *testing.T) {
	root := fixture.Materialize(t, "../testdata/hosts/compliant")
	rep := evaluateRoot(t, defaultEngine(t), root)
	if rep.ComplianceStatus != report.Compliant {
		t.Errorf("compliant fixture is %s; failing: %v, errors: %v", rep.ComplianceStatus, statuses(rep, engine.StatusFail), statuses(rep, engine.StatusError))
	}
	if rep.Host.Hostname != "compliant-host" || rep.Host.OS.ID != "debian" || rep.Host.MachineID != "0123456789abcdef0123456789abcdef" {
		t.Errorf("host = %+v, want the fixture's own identity", rep.Host)
	}
	normalize(t, rep)
	golden(t, "compliant", rep)
}

func TestGoldenNonCompliantHost(t *testing.T) {
	root := fixture.Materialize(t, "../testdata/hosts/noncompliant")
	rep := evaluateRoot(t, defaultEngine(t), root)
	if rep.ComplianceStatus != report.NonCompliant || rep.ExitCode() != report.ExitNonCompliant {
		t.Errorf("non-compliant fixture is %s (exit %d)", rep.ComplianceStatus, rep.ExitCode())
	}
	normalize(t, rep)
	golden(t, "noncompliant", rep)
}

// TestBrokenCollectorMakesItsRulesError checks that garbage in sshd_config
// turns every sshd rule into error, and no other rule.
func TestBrokenCollectorMakesItsRulesError(t *testing.T) {
	root := fixture.Materialize(t, "../testdata/hosts/compliant")
	cfg := filepath.Join(root, "etc/ssh/sshd_config")
	if err := os.WriteFile(cfg, []byte("PermitRootLogin no\nThisIsNotAKeyword yes\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	eng := defaultEngine(t)
	rep := evaluateRoot(t, eng, root)
	if rep.ExitCode() != report.ExitError {
		t.Errorf("exit code %d, want %d", rep.ExitCode(), report.ExitError)
	}
	for _, r := range rep.Rules {
		var readsSSHD bool
		for _, rule := range eng.Rules() {
			if rule.ID == r.ID {
				for _, f := range rule.Facts {
					readsSSHD = readsSSHD || f == "sshd" || f == "*"
				}
			}
		}
		switch {
		case readsSSHD && r.Status != engine.StatusError:
			t.Errorf("%s reads sshd facts but is %s", r.ID, r.Status)
		case readsSSHD && !strings.Contains(r.Error, "sshd_config:2"):
			t.Errorf("%s: error %q does not name sshd_config:2", r.ID, r.Error)
		case !readsSSHD && r.Status == engine.StatusError:
			t.Errorf("%s does not read sshd facts but is in error: %s", r.ID, r.Error)
		}
	}
	var found bool
	for _, c := range rep.Collectors {
		if c.Name == "sshd" {
			found = c.Status == report.CollectorError
		}
	}
	if !found {
		t.Errorf("collectors = %+v, want sshd in error", rep.Collectors)
	}
}

func TestUnknownCollectorIsAnError(t *testing.T) {
	target, err := NewTarget(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	facts, err := Collect(context.Background(), target, []string{"sshdd"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"sshdd": `no collector named "sshdd" (collectors: [audit banners cron files host kernel_modules logging login mac mounts packages sshd sudoers sweep sysctl systemd users])`}
	if diff := cmp.Diff(want, facts.Errors()); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}

func TestNewTargetRejectsMissingRoot(t *testing.T) {
	if _, err := NewTarget(filepath.Join(t.TempDir(), "nope")); err == nil {
		t.Fatal("a missing root was accepted")
	}
	for _, root := range []string{"/", "/.", "/usr/.."} {
		target, err := NewTarget(root)
		if err != nil || !target.Live {
			t.Fatalf("NewTarget(%s) = %+v, %v; want the live host", root, target, err)
		}
	}
	if target, err := NewTarget(t.TempDir()); err != nil || target.Live {
		t.Fatalf("a directory is not the live host: %+v, %v", target, err)
	}
}

// TestHostileRoot evaluates a root built to escape or hang a scanner:
// links out of the root, a FIFO where a database should be, a symlink
// loop. The scan must finish, read nothing of the host, and turn what it
// cannot read into errors, never passes.
func TestHostileRoot(t *testing.T) {
	root := fixture.Materialize(t, "../testdata/hosts/compliant")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	// The host's own sshd_config must not be read through these links.
	must(os.Remove(filepath.Join(root, "etc/ssh/sshd_config")))
	must(os.Symlink("../../../../../../../../etc/ssh/sshd_config.real", filepath.Join(root, "etc/ssh/sshd_config")))
	must(os.Remove(filepath.Join(root, "var/lib/dpkg/status")))
	must(syscall.Mkfifo(filepath.Join(root, "var/lib/dpkg/status"), 0o644))
	must(os.Remove(filepath.Join(root, "etc/gshadow")))
	must(os.Symlink("/etc/gshadow", filepath.Join(root, "etc/gshadow")))

	rep := evaluateRoot(t, defaultEngine(t), root)
	byID := map[string]report.RuleResult{}
	for _, r := range rep.Rules {
		byID[r.ID] = r
	}
	// The link resolves inside the root, to a file that is not there.
	if r := byID["GCL-SSH-001"]; r.Status != engine.StatusNotApplicable {
		t.Errorf("GCL-SSH-001 = %s %v %s; want not_applicable (the root has no sshd_config)", r.Status, r.Reasons, r.Error)
	}
	// A FIFO is not a package database: an error, not a hang or a pass.
	if r := byID["GCL-PKG-001"]; r.Status != engine.StatusError || !strings.Contains(r.Error, "/var/lib/dpkg/status") {
		t.Errorf("GCL-PKG-001 = %s %q; want error naming the database", r.Status, r.Error)
	}
	// A self-referencing link cannot be stat'ed: the files rules error.
	if r := byID["GCL-FILE-004"]; r.Status != engine.StatusError {
		t.Errorf("GCL-FILE-004 = %s %v; want error for a symlink loop", r.Status, r.Reasons)
	}
	if rep.ExitCode() != report.ExitError {
		t.Errorf("exit code %d, want %d", rep.ExitCode(), report.ExitError)
	}
}

// TestSSHDEffectiveConfigBuiltin calls gcrun.sshd.effective_config from a
// rule against the compliant fixture, whose sshd_config forces SFTP for
// alice from 10.0.0.0/8.
func TestSSHDEffectiveConfigBuiltin(t *testing.T) {
	root := fixture.Materialize(t, "../testdata/hosts/compliant")
	dir := t.TempDir()
	rule := `# METADATA
# title: Alice is confined to SFTP from the management network
# description: Exercises the connection built-in.
# custom:
#   id: T-SSHD-1
#   severity: low
package t.sftp

cfg(conn) := gcrun.sshd.effective_config(input.sshd, conn).config

evidence := {
	"alice_mgmt": cfg({"user": "alice", "addr": "10.1.2.3", "groups": ["alice"]}).forcecommand,
	"alice_elsewhere": cfg({"user": "alice", "addr": "192.0.2.1", "groups": ["alice"]}).forcecommand,
	"root_mgmt": cfg({"user": "root", "addr": "10.1.2.3", "groups": ["root"]}).forcecommand,
}

deny contains {"code": "not_confined", "phrase": "alice is not confined"} if {
	cfg({"user": "alice", "addr": "10.1.2.3", "groups": ["alice"]}).forcecommand != "internal-sftp"
}
`
	if err := os.WriteFile(filepath.Join(dir, "sftp.rego"), []byte(rule), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := engine.LoadBaselineDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	eng, err := NewEngine(context.Background(), []*engine.Baseline{b})
	if err != nil {
		t.Fatal(err)
	}
	rep := evaluateRoot(t, eng, root)
	r := rep.Rules[0]
	want := map[string]any{"alice_mgmt": "internal-sftp", "alice_elsewhere": "none", "root_mgmt": "none"}
	if r.Status != engine.StatusPass || !cmp.Equal(want, r.Evidence) {
		t.Fatalf("result %s %q, evidence %v; want pass with %v", r.Status, r.Error, r.Evidence, want)
	}

	bad := strings.Replace(rule, `"addr": "10.1.2.3", "groups": ["alice"]}).forcecommand != `, `"adress": "10.1.2.3"}).forcecommand != `, 1)
	if err := os.WriteFile(filepath.Join(dir, "sftp.rego"), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	b, _ = engine.LoadBaselineDir(dir)
	eng, err = NewEngine(context.Background(), []*engine.Baseline{b})
	if err != nil {
		t.Fatal(err)
	}
	r = evaluateRoot(t, eng, root).Rules[0]
	if r.Status != engine.StatusError || !strings.Contains(r.Error, `unknown key "adress"`) {
		t.Fatalf("a misspelt connection key gave %s %q; want an error", r.Status, r.Error)
	}
}
