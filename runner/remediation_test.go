package runner

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gcrun/gcrun/engine"
	"github.com/gcrun/gcrun/internal/fixture"
	"github.com/gcrun/gcrun/report"
	"github.com/gcrun/gcrun/runner/remediate"
	"github.com/google/go-cmp/cmp"
)

func remediateRoot(t *testing.T, eng *engine.Engine, root string, rem *Remediation) *report.Report {
	t.Helper()
	target, err := NewTarget(root)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Evaluate(context.Background(), eng, target, Options{ToolVersion: "test", Remediation: rem})
	if err != nil {
		t.Fatal(err)
	}
	data, err := rep.JSON()
	if err != nil {
		t.Fatal(err)
	}
	if err := report.Validate(data); err != nil {
		t.Fatalf("remediation report does not validate: %v", err)
	}
	return rep
}

func statusMap(rep *report.Report) map[string]engine.Status {
	out := map[string]engine.Status{}
	for _, r := range rep.Rules {
		out[r.ID] = r.Status
	}
	return out
}

// TestApplyFixesWhatItClaims applies the default baseline's actions to the
// non-compliant fixture host and holds every rule to the contract: when
// all of a rule's actions succeeded, the rule passes afterwards; no rule
// that passed before fails afterwards; a second run changes nothing;
// rollback brings back exactly the audit of before.
func TestApplyFixesWhatItClaims(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("the fixture host needs root (owners)")
	}
	root := fixture.Materialize(t, "../testdata/hosts/noncompliant")
	eng := defaultEngine(t, engine.WithRemediation())
	audit := evaluateRoot(t, eng, root)

	exec := &recordingExecutor{}
	rep := remediateRoot(t, eng, root, &Remediation{Mode: ModeApply, Executor: exec})
	if len(exec.ran) != 0 {
		t.Errorf("commands ran for an offline root: %v", exec.ran)
	}
	if rep.Remediation == nil || rep.Remediation.Mode != ModeApply || rep.Remediation.RunID == "" || rep.Remediation.FilesChanged == 0 {
		t.Fatalf("remediation summary = %+v", rep.Remediation)
	}
	fixed := 0
	for _, r := range rep.Rules {
		if r.StatusBefore != audit.Rules[indexOf(audit, r.ID)].Status {
			t.Errorf("%s: statusBefore %s, but the audit said %s", r.ID, r.StatusBefore, audit.Rules[indexOf(audit, r.ID)].Status)
		}
		if r.StatusBefore == engine.StatusPass && r.Status != engine.StatusPass && r.Status != engine.StatusNotApplicable {
			t.Errorf("%s passed before remediation and is %s after: %v", r.ID, r.Status, r.Reasons)
		}
		if len(r.Actions) > 0 && r.StatusBefore != engine.StatusFail {
			t.Errorf("%s has actions but did not fail", r.ID)
		}
		allDone := len(r.Actions) > 0
		for _, a := range r.Actions {
			switch a.Status {
			case report.ActionSucceeded, report.ActionUnchanged:
			case report.ActionManual:
				allDone = false
			default:
				allDone = false
				t.Errorf("%s: action %s %s: %s %s", r.ID, a.Type, a.Target, a.Status, a.Error)
			}
		}
		if allDone {
			fixed++
			if r.Status != engine.StatusPass && !partialFix[r.ID] {
				t.Errorf("%s: every action succeeded but the rule is %s: %v", r.ID, r.Status, r.Reasons)
			}
		}
	}
	if fixed < 40 {
		t.Errorf("only %d rules fixed", fixed)
	}
	t.Logf("%d of %d failing rules fixed; %d files changed", fixed, audit.Summary.Fail, rep.Remediation.FilesChanged)

	// Idempotence: nothing left to do, no journal.
	again := remediateRoot(t, eng, root, &Remediation{Mode: ModeAutocorrect, Executor: exec})
	if again.Remediation.RunID != "" || again.Remediation.FilesChanged != 0 {
		t.Errorf("second run changed something: %+v", again.Remediation)
	}
	if diff := cmp.Diff(statusMap(rep), statusMap(again)); diff != "" {
		t.Errorf("second run's statuses differ (-first +second):\n%s", diff)
	}

	// Drift after apply: reported, not corrected, in apply mode; corrected
	// in autocorrect mode.
	cfg := filepath.Join(root, "etc/ssh/sshd_config")
	data, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	drifted := strings.Replace(string(data), "MaxAuthTries 4", "MaxAuthTries 10", 1)
	if drifted == string(data) {
		t.Fatalf("sshd_config has no MaxAuthTries 4 after apply:\n%s", data)
	}
	if err := os.WriteFile(cfg, []byte(drifted), 0o600); err != nil {
		t.Fatal(err)
	}
	monitor := remediateRoot(t, eng, root, &Remediation{Mode: ModeApply, Executor: exec})
	r := monitor.Rules[indexOf(monitor, "GCL-SSH-005")]
	if r.Status != engine.StatusFail || len(r.Actions) != 1 || r.Actions[0].Status != report.ActionSkipped || !strings.Contains(r.Actions[0].Detail, "use --mode autocorrect") {
		t.Errorf("drift in apply mode: %s %+v", r.Status, r.Actions)
	}
	corrected := remediateRoot(t, eng, root, &Remediation{Mode: ModeAutocorrect, Executor: exec})
	if r := corrected.Rules[indexOf(corrected, "GCL-SSH-005")]; r.Status != engine.StatusPass || r.StatusBefore != engine.StatusFail {
		t.Errorf("drift in autocorrect mode: %s -> %s %+v", r.StatusBefore, r.Status, r.Actions)
	}

	// Roll back every run, newest first: the audit of before again.
	rr, err := remediate.OpenRoot(root)
	if err != nil {
		t.Fatal(err)
	}
	defer rr.Close()
	runs, err := remediate.Runs(rr)
	if err != nil || len(runs) != 2 {
		t.Fatalf("runs = %v, %v; want the apply and the autocorrect run", runs, err)
	}
	for i := len(runs) - 1; i >= 0; i-- {
		res, err := remediate.Rollback(context.Background(), rr, remediate.RollbackOptions{RunID: runs[i], Force: true})
		if err != nil || res.Failed() {
			t.Fatalf("rollback %s: %+v, %v", runs[i], res, err)
		}
	}
	if diff := cmp.Diff(statusMap(audit), statusMap(evaluateRoot(t, eng, root))); diff != "" {
		t.Errorf("after rollback the audit differs from before (-before +after):\n%s", diff)
	}
}

// partialFix lists rules whose actions fix only part of what they check
// (the rest needs a person), so they may still fail after succeeding.
var partialFix = map[string]bool{}

func indexOf(rep *report.Report, id string) int {
	for i, r := range rep.Rules {
		if r.ID == id {
			return i
		}
	}
	return -1
}

type recordingExecutor struct{ ran [][]string }

func (e *recordingExecutor) Run(_ context.Context, env, argv []string) ([]byte, error) {
	e.ran = append(e.ran, append(append([]string(nil), env...), argv...))
	return nil, nil
}

// TestRemediatePackageEndToEnd is the real thing, enabled by .ci/run
// (GCRUN_E2E_REMEDIATE=1) on a disposable machine: install the telnet
// client, which GCL-PKG-008 forbids, remediate this host, and check that
// the package is gone and the rule passes.
func TestRemediatePackageEndToEnd(t *testing.T) {
	if os.Getenv("GCRUN_E2E_REMEDIATE") != "1" {
		t.Skip("changes this machine's packages; set GCRUN_E2E_REMEDIATE=1 (CI does)")
	}
	if out, err := exec.Command("apt-get", "install", "-y", "-q", "telnet").CombinedOutput(); err != nil {
		t.Fatalf("apt-get install telnet: %v\n%s", err, out)
	}
	b, err := DefaultBaseline()
	if err != nil {
		t.Fatal(err)
	}
	target, err := NewTarget("/")
	if err != nil {
		t.Fatal(err)
	}
	// autocorrect: a machine that ran this test before has GCL-PKG-008
	// in its apply state, where apply would only report the drift.
	rem := &Remediation{Mode: ModeAutocorrect}
	rep, _, err := EvaluateBaselines(context.Background(), []*engine.Baseline{b}, target, Options{ToolVersion: "test", Remediation: rem},
		engine.WithRuleFilter(func(r engine.Rule) bool { return r.ID == "GCL-PKG-008" }))
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Rules) != 1 {
		t.Fatalf("rules = %d, want GCL-PKG-008 only", len(rep.Rules))
	}
	r := rep.Rules[0]
	if r.StatusBefore != engine.StatusFail || r.Status != engine.StatusPass {
		t.Errorf("GCL-PKG-008: %s -> %s, want fail -> pass; actions %+v; reasons %+v", r.StatusBefore, r.Status, r.Actions, r.Reasons)
	}
	for _, a := range r.Actions {
		if a.Type != "package.remove" || a.Status != report.ActionSucceeded {
			t.Errorf("action %+v", a)
		}
	}
	out, _ := exec.Command("dpkg-query", "-W", "-f=${Status}\n", "telnet", "inetutils-telnet").CombinedOutput()
	if strings.Contains(string(out), "install ok installed") {
		t.Errorf("telnet still installed:\n%s", out)
	}
}
