package engine

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRemediation(t *testing.T) {
	dir := writeBaseline(t, map[string]string{
		"fix.rego": rule("R-1", "r.fix", `deny contains {"code": "mode", "phrase": "too open"} if input.files.mode != "0600"
remediate contains {"type": "file.mode", "path": "/etc/x", "mode": "0600"} if count(deny) > 0
remediate contains {"type": "file.owner", "path": "/etc/x", "owner": input.files.want} if count(deny) > 0`),
		"none.rego":  rule("R-2", "r.none", `deny contains {"code": "c", "phrase": "p"} if true`),
		"bad.rego":   rule("R-3", "r.bad", "deny contains {\"code\": \"c\", \"phrase\": \"p\"} if true\nremediate contains \"rm -rf /\" if true"),
		"error.rego": rule("R-4", "r.error", "deny contains {\"code\": \"c\", \"phrase\": \"p\"} if true\nremediate contains {\"type\": \"x\", \"n\": to_number(\"nope\")} if true"),
	})
	ctx := context.Background()
	b, err := LoadBaselineDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	// An audit engine leaves remediate out of compilation, but knows
	// which rules have it.
	audit, err := New(ctx, []*Baseline{b})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := audit.Remediation(ctx, Input{}, "R-1"); err == nil || !strings.Contains(err.Error(), "without WithRemediation") {
		t.Errorf("audit engine: Remediation error = %v", err)
	}
	if !audit.Rules()[0].Remediable {
		t.Error("audit engine: R-1 not Remediable")
	}
	e, err := New(ctx, []*Baseline{b}, WithRemediation())
	if err != nil {
		t.Fatal(err)
	}
	remediable := map[string]bool{}
	for _, r := range e.Rules() {
		remediable[r.ID] = r.Remediable
	}
	if diff := cmp.Diff(map[string]bool{"R-1": true, "R-2": false, "R-3": true, "R-4": true}, remediable); diff != "" {
		t.Errorf("Remediable (-want +got):\n%s", diff)
	}

	in := Input{Facts: map[string]any{"files": map[string]any{"mode": "0644", "want": "root"}}}
	got, err := e.Remediation(ctx, in, "R-1")
	if err != nil {
		t.Fatal(err)
	}
	want := []Action{
		{"type": "file.mode", "path": "/etc/x", "mode": "0600"},
		{"type": "file.owner", "path": "/etc/x", "owner": "root"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("R-1 actions (-want +got):\n%s", diff)
	}
	// Passing facts: no actions (and the prepared query is reused).
	got, err = e.Remediation(ctx, Input{Facts: map[string]any{"files": map[string]any{"mode": "0600"}}}, "R-1")
	if err != nil || len(got) != 0 {
		t.Errorf("R-1 on passing facts = %v, %v; want none", got, err)
	}
	if got, err := e.Remediation(ctx, in, "R-2"); err != nil || got != nil {
		t.Errorf("R-2 = %v, %v; want no actions", got, err)
	}
	if _, err := e.Remediation(ctx, in, "R-3"); err == nil || !strings.Contains(err.Error(), `an action must be an object, got "rm -rf /"`) {
		t.Errorf("R-3 error = %v", err)
	}
	if _, err := e.Remediation(ctx, in, "R-4"); err == nil || !strings.Contains(err.Error(), "rule R-4: remediate:") {
		t.Errorf("R-4 error = %v", err)
	}
	if _, err := e.Remediation(ctx, in, "NOPE"); err == nil {
		t.Error("unknown rule: want an error")
	}
	// A failed collector the rule reads: an error, never an empty plan
	// that would look like "nothing to fix".
	if _, err := e.Remediation(ctx, Input{Errors: map[string]string{"files": "boom"}}, "R-1"); err == nil || !strings.Contains(err.Error(), "collector files failed: boom") {
		t.Errorf("failed collector: error = %v", err)
	}
}

func TestRemediateMustBeASet(t *testing.T) {
	dir := writeBaseline(t, map[string]string{
		"fix.rego": rule("R-1", "r.fix", "deny contains {\"code\": \"c\", \"phrase\": \"p\"} if true\nremediate := [{\"type\": \"file.absent\", \"path\": \"/x\"}]"),
	})
	b, err := LoadBaselineDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = New(context.Background(), []*Baseline{b})
	if err == nil || !strings.Contains(err.Error(), "fix.rego:10") || !strings.Contains(err.Error(), "remediate must be a set of actions") {
		t.Errorf("err = %v, want remediate must be a set, at fix.rego:10", err)
	}
}
