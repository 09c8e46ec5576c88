package engine_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gcrun/gcrun/engine"
)

// generatePack writes a pack of n rules in the shape of the default
// baseline's: each rule a package with METADATA, not_applicable, evidence
// and deny over a shared library, reading a parameter, with a Rego test
// file of its own.
func generatePack(tb testing.TB, n int) string {
	tb.Helper()
	dir := tb.TempDir()
	write := func(p, content string) {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	var manifest strings.Builder
	manifest.WriteString("name: generated\nversion: 1.0.0\ndescription: a generated pack for benchmarks\nparameters:\n")
	for i := range n {
		fmt.Fprintf(&manifest, "  - name: limit_%03d\n    type: number\n    default: %d\n    description: the most rule GEN-%03d allows\n", i, i%10, i)
	}
	write("pack.yaml", manifest.String())
	write("lib/common.rego", `package gen.lib.common

missing(key) := {reason |
	input.sysctl.exists == false
	reason := {"code": "missing", "phrase": sprintf("no value for %s", [key])}
}

unset(key) := {reason |
	input.sysctl.exists == true
	not input.sysctl.values[key]
	reason := {"code": "unset", "phrase": sprintf("%s is not set, expected a value", [key])}
}

value(key) := to_number(input.sysctl.values[key].value)

over(key, limit) := {reason |
	v := value(key)
	v > limit
	reason := {
		"code": "too_high",
		"phrase": sprintf("%s is %v, expected at most %v", [key, v, limit]),
		"expected": sprintf("<= %v", [limit]),
		"actual": v,
		"evidence": {"key": key, "file": input.sysctl.values[key].file, "line": input.sysctl.values[key].line},
	}
}
`)
	for i := range n {
		write(fmt.Sprintf("rules/r%03d/rule.rego", i), fmt.Sprintf(`# METADATA
# title: Kernel parameter k%[1]d is at most its limit
# description: >-
#   A generated rule: the value of k%[1]d must not exceed parameter
#   limit_%03[1]d.
# custom:
#   id: GEN-%03[1]d
#   severity: medium
#   references:
#     generated: ["%[1]d.1"]
#   remediation: Lower k%[1]d.
#   tags: [generated]
package gen.rules.r%03[1]d

import data.gen.lib.common

key := "k%[1]d"

limit := data.gcrun.params.limit_%03[1]d

not_applicable contains reason if some reason in common.missing(key)

evidence := {"key": key, "value": common.value(key)}

deny contains reason if some reason in common.unset(key)

deny contains reason if some reason in common.over(key, limit)
`, i))
		write(fmt.Sprintf("rules/r%03d/rule_test.rego", i), fmt.Sprintf(`package gen.rules.r%03[1]d_test

import data.gen.rules.r%03[1]d as rule

facts(v) := {"sysctl": {"exists": true, "values": {"k%[1]d": {"value": v, "file": "/etc/sysctl.conf", "line": 1}}}}

test_pass if {
	count(rule.deny) == 0 with input as facts("0")
}

test_fail if {
	[r.code | some r in rule.deny] == ["too_high"] with input as facts("100")
}

test_parameter if {
	count(rule.deny) == 0 with input as facts("100") with data.gcrun.params.limit_%03[1]d as 100
}
`, i))
	}
	return dir
}

// BenchmarkCheck500 is gcrun check on a pack of 500 rules (each with its
// tests): load, parse, compile in strict mode, lint. The issue asks for
// under 2 s.
func BenchmarkCheck500(b *testing.B) {
	dir := generatePack(b, 500)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		base, err := engine.LoadBaselineDir(dir)
		if err != nil {
			b.Fatal(err)
		}
		res, err := engine.Check(ctx, []*engine.Baseline{base})
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Findings) != 0 || len(res.Rules) != 500 {
			b.Fatalf("%d rules, findings %v", len(res.Rules), res.Findings)
		}
	}
}

// TestCheckGeneratedPack keeps the benchmark's pack valid: clean, so that
// the benchmark measures a full check (strict compilation and lint
// included), not an early error.
func TestCheckGeneratedPack(t *testing.T) {
	dir := generatePack(t, 20)
	base, err := engine.LoadBaselineDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	res, err := engine.Check(context.Background(), []*engine.Baseline{base})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 0 || len(res.Rules) != 20 {
		t.Fatalf("%d rules, findings %v", len(res.Rules), res.Findings)
	}
	// And the engine evaluates it as the tests say.
	eng, err := engine.New(context.Background(), []*engine.Baseline{base})
	if err != nil {
		t.Fatal(err)
	}
	rs, err := eng.Evaluate(context.Background(), engine.Input{Facts: map[string]any{"sysctl": map[string]any{"exists": true, "values": map[string]any{
		"k3": map[string]any{"value": "4", "file": "/etc/sysctl.conf", "line": 2},
		"k4": map[string]any{"value": "4", "file": "/etc/sysctl.conf", "line": 3},
	}}}})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range rs {
		got[r.Rule.ID] = string(r.Status)
	}
	if got["GEN-003"] != "fail" || got["GEN-004"] != "pass" || got["GEN-005"] != "fail" {
		t.Errorf("GEN-003 %s (want fail), GEN-004 %s (want pass), GEN-005 %s (want fail: unset)", got["GEN-003"], got["GEN-004"], got["GEN-005"])
	}
}
