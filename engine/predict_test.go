package engine_test

import (
	"context"
	"strings"
	"testing"

	"github.com/gcrun/gcrun/baselines"
	"github.com/gcrun/gcrun/engine"
	"github.com/google/go-cmp/cmp"
)

// TestPredictionOnTheDefaultBaseline: before compiling, Load knows which
// collectors the (selected) rules read, following imports into the
// libraries, exactly as the compiled engine does; rules filtered out
// cost no collection.
func TestPredictionOnTheDefaultBaseline(t *testing.T) {
	base, err := engine.LoadBaseline(baselines.Linux(), "builtin:linux")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		opts []engine.Option
		want []string // nil: whatever the engine says, checked below
	}{
		{"all rules", nil, nil},
		{"ssh only", []engine.Option{engine.WithRuleFilter(func(r engine.Rule) bool { return strings.HasPrefix(r.ID, "GCL-SSH-") })}, []string{"sshd"}},
		{"audit only", []engine.Option{engine.WithRuleFilter(func(r engine.Rule) bool { return strings.HasPrefix(r.ID, "GCL-AUDIT-") })}, []string{"audit", "packages", "systemd"}},
		{"without the sweep", []engine.Option{engine.WithRuleFilter(func(r engine.Rule) bool { return !strings.HasPrefix(r.ID, "GCL-FS-") })}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, err := engine.Load(ctx, []*engine.Baseline{base}, tc.opts...)
			if err != nil {
				t.Fatal(err)
			}
			predicted := l.RequiredFacts()
			e, err := l.Compile(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(e.RequiredFacts(), predicted); diff != "" {
				t.Errorf("predicted facts (-compiled +predicted):\n%s", diff)
			}
			if tc.want != nil {
				if diff := cmp.Diff(tc.want, predicted); diff != "" {
					t.Errorf("facts (-want +got):\n%s", diff)
				}
			}
			for _, f := range predicted {
				if tc.name == "without the sweep" && f == "sweep" {
					t.Error("the sweep runs although no selected rule reads it")
				}
			}
			if tc.name == "ssh only" && len(e.Rules()) != 45 {
				t.Errorf("%d rules, want the 45 SSH rules", len(e.Rules()))
			}
		})
	}
}
