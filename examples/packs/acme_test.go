// Package packs holds example baseline packs; this test evaluates them
// offline, so that `make test` keeps them working.
package packs_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/gcrun/gcrun/engine"
	"github.com/gcrun/gcrun/internal/fixture"
	"github.com/gcrun/gcrun/runner"
	"github.com/google/go-cmp/cmp"
	"gopkg.in/yaml.v3"
)

const (
	acme        = "acme"
	acmeFixture = "acme/fixtures/acme-web-01"
)

// outcome is what expected.yaml says of a rule: a status and, optionally,
// the sorted reason codes.
type outcome struct {
	Status string
	Codes  []string
}

func (o *outcome) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		o.Status = n.Value
		return nil
	}
	var full struct {
		Status string   `yaml:"status"`
		Codes  []string `yaml:"codes"`
	}
	if err := n.Decode(&full); err != nil {
		return err
	}
	o.Status, o.Codes = full.Status, full.Codes
	return nil
}

func readExpected(t *testing.T, dir string) map[string]outcome {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "expected.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var exp struct {
		Rules map[string]outcome `yaml:"rules"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&exp); err != nil {
		t.Fatalf("%s/expected.yaml: %v", dir, err)
	}
	if len(exp.Rules) == 0 {
		t.Fatalf("%s/expected.yaml lists no rules", dir)
	}
	return exp.Rules
}

// evaluate evaluates the fixture root with packs (and extra engine
// options after the packs' own) and returns each rule's outcome by id.
func evaluate(t *testing.T, root string, packs *runner.Packs, extra ...engine.Option) (map[string]outcome, *engine.Engine) {
	t.Helper()
	target, err := runner.NewTarget(root)
	if err != nil {
		t.Fatal(err)
	}
	opts := append(packs.EngineOptions(), extra...)
	rep, eng, err := runner.EvaluateBaselines(context.Background(), packs.Baselines(), target, runner.Options{ToolVersion: "0.3.0"}, opts...)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]outcome{}
	for _, r := range rep.Rules {
		o := outcome{Status: string(r.Status)}
		for _, reason := range r.Reasons {
			o.Codes = append(o.Codes, reason.Code)
		}
		sort.Strings(o.Codes)
		out[r.ID] = o
	}
	return out, eng
}

func TestAcmePack(t *testing.T) {
	packs, err := runner.LoadPacks([]string{acme}, "v0.3.0")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, b := range packs.Baselines() {
		names = append(names, b.Name+"@"+b.Origin)
	}
	if diff := cmp.Diff([]string{"linux@builtin:linux", "acme@acme"}, names); diff != "" {
		t.Errorf("packs, dependencies first (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]string{"GCL-SSH-040": "acme"}, packs.Skipped()); diff != "" {
		t.Errorf("skipped (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]any{"ssh_max_auth_tries": 3, "ssh_login_grace_time_max": 30}, packs.Parameters()); diff != "" {
		t.Errorf("parameter overrides (-want +got):\n%s", diff)
	}

	root := fixture.Materialize(t, acmeFixture)
	got, eng := evaluate(t, root, packs)

	// The fixture's expectations hold.
	for id, want := range readExpected(t, acmeFixture) {
		o, ok := got[id]
		if !ok {
			t.Errorf("%s: no result", id)
			continue
		}
		if want.Codes == nil {
			o.Codes = nil
		}
		if diff := cmp.Diff(want, o); diff != "" {
			t.Errorf("%s (-expected.yaml +got):\n%s", id, diff)
		}
	}
	// The skipped rule is gone, Acme's own rules are there.
	if o, ok := got["GCL-SSH-040"]; ok {
		t.Errorf("GCL-SSH-040 is skipped by acme but evaluated: %+v", o)
	}
	for _, id := range []string{"ACME-001", "ACME-002"} {
		if got[id].Status != "pass" {
			t.Errorf("%s: %+v, want pass", id, got[id])
		}
	}
	values := map[string]any{}
	for _, p := range eng.Parameters() {
		values[p.Name] = p.Value
	}
	for name, want := range map[string]any{
		"ssh_max_auth_tries": 3, "ssh_login_grace_time_max": 30,
		"acme_monitoring_agent_package": "acme-monitor-agent", "ssh_max_sessions": 10,
	} {
		if diff := cmp.Diff(want, values[name]); diff != "" {
			t.Errorf("parameter %s (-want +got):\n%s", name, diff)
		}
	}

	// The linux pack alone passes what Acme's parameters fail, and still
	// has the rule Acme drops: the differences are the pack's doing.
	linux, err := runner.LoadPacks(nil, "v0.3.0")
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := evaluate(t, root, linux)
	for _, id := range []string{"GCL-SSH-005", "GCL-SSH-010"} {
		if plain[id].Status != "pass" {
			t.Errorf("linux alone: %s %+v, want pass", id, plain[id])
		}
	}
	if _, ok := plain["GCL-SSH-040"]; !ok {
		t.Error("linux alone: GCL-SSH-040 missing")
	}
	if _, ok := plain["ACME-001"]; ok {
		t.Error("linux alone: ACME-001 present")
	}

	// The user's overrides (--param) win over the pack's.
	user, eng := evaluate(t, root, packs, engine.WithParameters(map[string]any{"ssh_max_auth_tries": float64(4)}))
	if user["GCL-SSH-005"].Status != "pass" || user["GCL-SSH-010"].Status != "fail" {
		t.Errorf("with --param ssh_max_auth_tries=4: GCL-SSH-005 %+v (want pass), GCL-SSH-010 %+v (want fail)", user["GCL-SSH-005"], user["GCL-SSH-010"])
	}
	for _, p := range eng.Parameters() {
		if p.Name == "ssh_max_auth_tries" && p.Value != float64(4) {
			t.Errorf("ssh_max_auth_tries = %v, want the user's 4", p.Value)
		}
	}
}
