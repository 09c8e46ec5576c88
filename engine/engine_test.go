package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gcrun/gcrun/internal/oracle"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func newEngine(t *testing.T, dirs ...string) *Engine {
	t.Helper()
	var bs []*Baseline
	for _, d := range dirs {
		b, err := LoadBaselineDir(d)
		if err != nil {
			t.Fatal(err)
		}
		bs = append(bs, b)
	}
	e, err := New(context.Background(), bs)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// writeBaseline writes files (path → content) into a new directory.
func writeBaseline(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for p, content := range files {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

type outcome struct {
	ID       string
	Status   Status
	Codes    []string
	Evidence map[string]any
	Error    string
}

func outcomes(rs []Result) []outcome {
	out := make([]outcome, len(rs))
	for i, r := range rs {
		o := outcome{ID: r.Rule.ID, Status: r.Status, Evidence: r.Evidence, Error: r.Error}
		for _, reason := range r.Reasons {
			o.Codes = append(o.Codes, reason.Code)
		}
		out[i] = o
	}
	return out
}

func TestRulesDiscoveredWithMetadata(t *testing.T) {
	e := newEngine(t, "testdata/basic")
	want := []Rule{
		{
			ID: "T-001", Title: "Root login disabled", Description: "Root must not log in over SSH.",
			Severity: SeverityHigh, References: map[string][]string{"cis": {"5.2.7"}},
			Remediation: "Set PermitRootLogin no.", Tags: []string{"ssh"},
			Package: "data.test.root_login", Baseline: "basic",
			Location: Location{File: "testdata/basic/root_login.rego", Line: 11},
			Facts:    []string{"sshd"}, // read through data.test.lib.util
		},
		{
			ID: "T-002", Title: "telnetd not installed", Description: "Telnet sends passwords in clear text.",
			Severity: SeverityMedium, Files: []string{"/etc/passwd"},
			Package: "data.test.telnet", Baseline: "basic",
			Location: Location{File: "testdata/basic/telnet.rego", Line: 8},
			Facts:    []string{"packages"},
		},
		{
			ID: "T-003", Title: "Numbers parse", Description: "Exercises a strict builtin error.",
			Severity: SeverityLow, Package: "data.test.strict_error", Baseline: "basic",
			Location: Location{File: "testdata/basic/strict_error.rego", Line: 7},
			Facts:    []string{"sshd"},
		},
	}
	if diff := cmp.Diff(want, e.Rules()); diff != "" {
		t.Errorf("rules (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"packages", "sshd"}, e.RequiredFacts()); diff != "" {
		t.Errorf("required facts (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"/etc/passwd"}, e.Files()); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	b := e.Baselines()[0]
	if b.Name != "basic" || b.Version != "1.2.3" || b.Description != "engine test baseline" {
		t.Errorf("baseline manifest = %+v", b)
	}
}

func TestEvaluateStatuses(t *testing.T) {
	e := newEngine(t, "testdata/basic")
	sshd := func(root, tries string) map[string]any {
		return map[string]any{"exists": true, "config": map[string]any{"permitrootlogin": root, "maxauthtries": tries}}
	}
	none := map[string]any{"installed": map[string]any{}}
	cases := []struct {
		name string
		in   Input
		want []outcome
	}{
		{
			name: "compliant",
			in:   Input{Facts: map[string]any{"sshd": sshd("no", "3"), "packages": none}},
			want: []outcome{
				{ID: "T-001", Status: StatusPass, Evidence: map[string]any{"permitrootlogin": "no"}},
				{ID: "T-002", Status: StatusPass},
				{ID: "T-003", Status: StatusPass},
			},
		},
		{
			name: "non-compliant",
			in: Input{Facts: map[string]any{
				"sshd":     sshd("yes", "10"),
				"packages": map[string]any{"installed": map[string]any{"telnetd": []any{map[string]any{"name": "telnetd"}}}},
			}},
			want: []outcome{
				{ID: "T-001", Status: StatusFail, Codes: []string{"root_login"}, Evidence: map[string]any{"permitrootlogin": "yes"}},
				{ID: "T-002", Status: StatusFail, Codes: []string{"installed"}},
				{ID: "T-003", Status: StatusFail, Codes: []string{"too_many"}},
			},
		},
		{
			name: "not applicable, and one rule's error hides nothing",
			in:   Input{Facts: map[string]any{"sshd": map[string]any{"exists": false, "config": map[string]any{"maxauthtries": "many"}}, "packages": none}},
			want: []outcome{
				{ID: "T-001", Status: StatusNotApplicable, Codes: []string{"no_sshd"}},
				{ID: "T-002", Status: StatusPass},
				{ID: "T-003", Status: StatusError, Error: `testdata/basic/strict_error.rego:10: to_number: strconv.ParseFloat: parsing "many": invalid syntax`},
			},
		},
		{
			name: "a failed collector fails exactly its rules",
			in: Input{
				Facts:  map[string]any{"packages": none},
				Errors: map[string]string{"sshd": "sshd: /etc/ssh/sshd_config:3: unknown keyword \"Bogus\""},
			},
			want: []outcome{
				{ID: "T-001", Status: StatusError, Error: `collector sshd failed: sshd: /etc/ssh/sshd_config:3: unknown keyword "Bogus"`},
				{ID: "T-002", Status: StatusPass},
				{ID: "T-003", Status: StatusError, Error: `collector sshd failed: sshd: /etc/ssh/sshd_config:3: unknown keyword "Bogus"`},
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rs, err := e.Evaluate(context.Background(), tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, outcomes(rs), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("results (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReasonFields(t *testing.T) {
	e := newEngine(t, "testdata/basic")
	rs, err := e.Evaluate(context.Background(), Input{Facts: map[string]any{
		"sshd": map[string]any{"exists": true, "config": map[string]any{"permitrootlogin": "yes", "maxauthtries": "1"}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	want := []Reason{{Code: "root_login", Phrase: `PermitRootLogin is "yes"`, Expected: "no", Actual: "yes"}}
	if diff := cmp.Diff(want, rs[0].Reasons); diff != "" {
		t.Errorf("reasons (-want +got):\n%s", diff)
	}
}

const meta = `# METADATA
# title: A rule
# description: Tests the engine.
# custom:
#   id: %s
#   severity: low
`

func rule(id, pkg, body string) string {
	return strings.Replace(meta, "%s", id, 1) + "package " + pkg + "\n\n" + body + "\n"
}

func TestMalformedResultsAreErrors(t *testing.T) {
	dir := writeBaseline(t, map[string]string{
		"string.rego":   rule("M-1", "m.string", `deny contains "just a string" if true`),
		"nocode.rego":   rule("M-2", "m.nocode", `deny contains {"phrase": "no code"} if true`),
		"extra.rego":    rule("M-3", "m.extra", `deny contains {"code": "c", "phrase": "p", "severity": "high"} if true`),
		"conflict.rego": rule("M-4", "m.conflict", "x := 1 if true\nx := 2 if true\ndeny contains {\"code\": \"c\", \"phrase\": \"p\"} if x"),
		"evidence.rego": rule("M-5", "m.evidence", "evidence := [1]\ndeny := set()"),
		"good.rego":     rule("M-6", "m.good", `deny contains {"code": "c", "phrase": "p", "evidence": {"file": "/etc/x", "line": 3}} if true`),
	})
	e := newEngine(t, dir)
	rs, err := e.Evaluate(context.Background(), Input{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]outcome{}
	for _, o := range outcomes(rs) {
		got[o.ID] = o
	}
	want := map[string]outcome{
		"M-1": {ID: "M-1", Status: StatusError, Error: `deny: malformed reason "just a string": must be an object with code and phrase`},
		"M-2": {ID: "M-2", Status: StatusError, Error: `deny: malformed reason {"phrase":"no code"}: code and phrase must be non-empty strings`},
		"M-3": {ID: "M-3", Status: StatusError, Error: `deny: malformed reason "c": unknown field "severity"`},
		"M-5": {ID: "M-5", Status: StatusError, Error: `evidence must be an object, got []interface {}`},
		"M-6": {ID: "M-6", Status: StatusFail, Codes: []string{"c"}},
	}
	m4 := got["M-4"]
	delete(got, "M-4")
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}
	if m4.Status != StatusError || !strings.Contains(m4.Error, "conflict.rego:10: rule data.m.conflict.x produced conflicting values") {
		t.Errorf("M-4 = %+v, want an eval error naming conflict.rego:10", m4)
	}
}

func TestLoadErrorsNameFileAndLine(t *testing.T) {
	cases := []struct {
		name  string
		files map[string]string
		want  []string // substrings of the error, in order
	}{
		{
			name:  "syntax error",
			files: map[string]string{"a.rego": "package a\n\ndeny contains x if {\n  x := \n}\n"},
			want:  []string{"a.rego:5: unexpected } token"},
		},
		{
			name:  "deny without metadata",
			files: map[string]string{"a.rego": "package a\n\ndeny contains {\"code\": \"c\", \"phrase\": \"p\"} if true\n"},
			want:  []string{"a.rego:1: rule package a defines deny but has no METADATA"},
		},
		{
			name:  "missing and invalid fields",
			files: map[string]string{"a.rego": "# METADATA\n# title: T\n# custom:\n#   severity: severe\n#   severty: low\n#   references:\n#     cis: [5.1]\npackage a\n\ndeny := set()\n"},
			want: []string{
				"a.rego:1: rule metadata: custom.references.cis: 5.1 is not a string (quote it)",
				"a.rego:1: rule metadata: custom.severity \"severe\" is not one of critical, high, medium, low, info",
				"a.rego:1: rule metadata: missing custom.id",
				"a.rego:1: rule metadata: missing description",
				"a.rego:1: rule metadata: unknown field custom.severty",
			},
		},
		{
			name: "duplicate id",
			files: map[string]string{
				"a.rego": rule("D-1", "a", "deny := set()"),
				"b.rego": rule("D-1", "b", "deny := set()"),
			},
			want: []string{"b.rego:7: duplicate rule id D-1 (also ", "a.rego:7)"},
		},
		{
			name:  "metadata without deny",
			files: map[string]string{"a.rego": rule("N-1", "a", "allow := true")},
			want:  []string{"a.rego:1: rule N-1 has metadata but no deny rule"},
		},
		{
			name:  "network builtin",
			files: map[string]string{"a.rego": rule("H-1", "a", "deny contains {\"code\": \"c\", \"phrase\": r.body} if {\n  r := http.send({\"method\": \"get\", \"url\": \"http://x\"})\n}")},
			want:  []string{"a.rego:10: undefined function http.send (forbidden: "},
		},
		{
			name:  "clock builtin",
			files: map[string]string{"a.rego": rule("C-1", "a", "deny contains {\"code\": \"c\", \"phrase\": \"late\"} if time.now_ns() > 0")},
			want:  []string{"a.rego:9: undefined function time.now_ns (forbidden: "},
		},
		{
			name:  "bad pack.yaml",
			files: map[string]string{"pack.yaml": "name: x\nversoin: 1\n", "a.rego": rule("P-1", "a", "deny := set()")},
			want:  []string{"pack.yaml:2: field versoin not found"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeBaseline(t, tc.files)
			b, err := LoadBaselineDir(dir)
			if err == nil {
				_, err = New(context.Background(), []*Baseline{b})
			}
			if err == nil {
				t.Fatal("loaded a broken baseline")
			}
			msg := err.Error()
			rest := msg
			for _, w := range tc.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("error %q\ndoes not contain %q (in order)", msg, w)
				}
				rest = rest[i+len(w):]
			}
		})
	}
}

func TestPackageSplitAcrossBaselinesIsRejected(t *testing.T) {
	a := writeBaseline(t, map[string]string{"lib.rego": "package shared.lib\n\nx := 1\n"})
	b := writeBaseline(t, map[string]string{"lib.rego": "package shared.lib\n\ny := 1\n"})
	ba, _ := LoadBaselineDir(a)
	bb, _ := LoadBaselineDir(b)
	_, err := New(context.Background(), []*Baseline{ba, bb})
	if err == nil || !strings.Contains(err.Error(), "package shared.lib is also defined by baseline "+a) {
		t.Fatalf("err = %v", err)
	}
}

func TestWholeInputReadersNeedEveryCollector(t *testing.T) {
	dir := writeBaseline(t, map[string]string{
		"a.rego": rule("W-1", "a", "deny contains {\"code\": k, \"phrase\": k} if {\n  some k, _ in input\n  k == \"nope\"\n}"),
	})
	e := newEngine(t, dir)
	if diff := cmp.Diff([]string{"*"}, e.RequiredFacts()); diff != "" {
		t.Fatalf("required facts (-want +got):\n%s", diff)
	}
	rs, _ := e.Evaluate(context.Background(), Input{Errors: map[string]string{"files": "boom"}})
	if rs[0].Status != StatusError || rs[0].Error != "collector files failed: boom" {
		t.Fatalf("result = %+v", rs[0])
	}
}

// TestDigestMatchesSha256sum checks the documented shell recipe.
func TestDigestMatchesSha256sum(t *testing.T) {
	oracle.Require(t, "sha256sum")
	oracle.Require(t, "find")
	dir, _ := filepath.Abs("testdata/basic")
	out, err := exec.Command("bash", "-c", `set -o pipefail; (cd "$1" && find . -type f -printf '%P\n' | LC_ALL=C sort | xargs sha256sum) | sha256sum`, "bash", dir).Output()
	if err != nil {
		t.Fatal(err)
	}
	b, err := LoadBaselineDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := "sha256:" + strings.Fields(string(out))[0]
	if b.Digest != want {
		t.Fatalf("digest %s, sha256sum recipe says %s", b.Digest, want)
	}
}

func TestEvaluateStopsWhenContextEnds(t *testing.T) {
	e := newEngine(t, "testdata/basic")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := e.Evaluate(ctx, Input{}); err == nil {
		t.Fatal("Evaluate ignored a cancelled context")
	}
}

func TestParallelAndSequentialAgree(t *testing.T) {
	b, err := LoadBaselineDir("testdata/basic")
	if err != nil {
		t.Fatal(err)
	}
	in := Input{Facts: map[string]any{"sshd": map[string]any{"exists": true, "config": map[string]any{"permitrootlogin": "yes", "maxauthtries": "9"}}}}
	var got [][]outcome
	for _, p := range []int{1, 4} {
		e, err := New(context.Background(), []*Baseline{b}, WithParallelism(p))
		if err != nil {
			t.Fatal(err)
		}
		rs, err := e.Evaluate(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, outcomes(rs))
	}
	if diff := cmp.Diff(got[0], got[1]); diff != "" {
		t.Errorf("parallel evaluation differs (-sequential +parallel):\n%s", diff)
	}
}

func TestParameters(t *testing.T) {
	dir := writeBaseline(t, map[string]string{
		"pack.yaml": "name: p\nparameters:\n  - name: max_tries\n    type: number\n    default: 4\n    description: most attempts allowed\n  - name: allowed\n    type: array\n    default: [a, b]\n",
		"tries.rego": rule("P-1", "p.tries", `deny contains {"code": "too_many", "phrase": "too many"} if {
	to_number(input.sshd.config.maxauthtries) > data.gcrun.params.max_tries
}`),
		"allowed.rego": rule("P-2", "p.allowed", `deny contains {"code": "not_allowed", "phrase": x} if {
	some x in input.list
	not x in data.gcrun.params.allowed
}`),
	})
	b, err := LoadBaselineDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	in := Input{Facts: map[string]any{"sshd": map[string]any{"config": map[string]any{"maxauthtries": "6"}}, "list": []any{"a", "c"}}}
	cases := []struct {
		name      string
		overrides map[string]any
		want      []outcome
	}{
		{"defaults", nil, []outcome{{ID: "P-1", Status: StatusFail, Codes: []string{"too_many"}}, {ID: "P-2", Status: StatusFail, Codes: []string{"not_allowed"}}}},
		{"overridden", map[string]any{"max_tries": float64(6), "allowed": []any{"a", "c"}}, []outcome{{ID: "P-1", Status: StatusPass}, {ID: "P-2", Status: StatusPass}}},
	}
	for _, tc := range cases {
		e, err := New(context.Background(), []*Baseline{b}, WithParameters(tc.overrides))
		if err != nil {
			t.Fatal(err)
		}
		rs, err := e.Evaluate(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tc.want, outcomes(rs), cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
	e, _ := New(context.Background(), []*Baseline{b}, WithParameters(map[string]any{"max_tries": float64(2)}))
	got := e.Parameters()
	if len(got) != 2 || got[0].Name != "allowed" || got[1].Name != "max_tries" || got[1].Value != float64(2) || got[1].Default != 4 || got[1].Baseline != "p" {
		t.Errorf("Parameters() = %+v", got)
	}
}

func TestParameterErrors(t *testing.T) {
	pack := "name: p\nparameters:\n  - name: n\n    type: number\n    default: 1\n"
	cases := []struct {
		name      string
		files     map[string]string
		overrides map[string]any
		want      string
	}{
		{"undeclared reference", map[string]string{"pack.yaml": pack, "a.rego": rule("E-1", "a", "deny contains {\"code\": \"c\", \"phrase\": \"p\"} if data.gcrun.params.nope > 1")}, nil,
			"a.rego:9: parameter nope is not declared in any loaded pack.yaml"},
		{"default of the wrong type", map[string]string{"pack.yaml": "parameters:\n  - name: n\n    type: array\n    default: 3\n", "a.rego": rule("E-2", "a", "deny := set()")}, nil,
			"pack.yaml:2: parameter n: default 3 is a number, declared array"},
		{"unknown type", map[string]string{"pack.yaml": "parameters:\n  - name: n\n    type: list\n    default: []\n", "a.rego": rule("E-3", "a", "deny := set()")}, nil,
			`pack.yaml:2: parameter n: type "list" is not one of`},
		{"override of an undeclared parameter", map[string]string{"pack.yaml": pack, "a.rego": rule("E-4", "a", "deny := set()")}, map[string]any{"m": 1.0},
			"parameter m: not declared by any loaded baseline"},
		{"override of the wrong type", map[string]string{"pack.yaml": pack, "a.rego": rule("E-5", "a", "deny := set()")}, map[string]any{"n": "many"},
			"parameter n: value many is a string, declared number"},
		{"reserved package", map[string]string{"pack.yaml": pack, "a.rego": "package gcrun.params\n\nn := 2\n"}, nil,
			"a.rego:1: package gcrun.params: data.gcrun.params is reserved for parameters"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b, err := LoadBaselineDir(writeBaseline(t, tc.files))
			if err == nil {
				_, err = New(context.Background(), []*Baseline{b}, WithParameters(tc.overrides))
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v\nwant it to contain %q", err, tc.want)
			}
		})
	}
}

func TestFunctions(t *testing.T) {
	dir := writeBaseline(t, map[string]string{
		"a.rego": rule("F-1", "f.a", `deny contains {"code": "c", "phrase": sprintf("%v", [x])} if {
	x := gcrun.test.double(input.n)
	x > 10
}`),
	})
	b, err := LoadBaselineDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	double := Function{Name: "gcrun.test.double", Args: 1, Impl: func(_ context.Context, args []any) (any, error) {
		n, ok := args[0].(json.Number)
		if !ok {
			return nil, fmt.Errorf("want a number, got %T", args[0])
		}
		f, _ := n.Float64()
		return f * 2, nil
	}}
	e, err := New(context.Background(), []*Baseline{b}, WithFunctions(double))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		n    any
		want outcome
	}{
		{3, outcome{ID: "F-1", Status: StatusPass}},
		{6, outcome{ID: "F-1", Status: StatusFail, Codes: []string{"c"}}},
		{"x", outcome{ID: "F-1", Status: StatusError, Error: "gcrun.test.double: want a number, got string"}},
	} {
		rs, err := e.Evaluate(context.Background(), Input{Facts: map[string]any{"n": tc.n}})
		if err != nil {
			t.Fatal(err)
		}
		got := outcomes(rs)[0]
		if tc.want.Status == StatusError {
			if got.Status != StatusError || !strings.Contains(got.Error, tc.want.Error) {
				t.Errorf("n=%v: %+v, want error containing %q", tc.n, got, tc.want.Error)
			}
			continue
		}
		if diff := cmp.Diff(tc.want, got, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("n=%v (-want +got):\n%s", tc.n, diff)
		}
	}
	// Without the function the module does not compile: an unknown
	// function is a load error, not an undefined rule.
	if _, err := New(context.Background(), []*Baseline{b}); err == nil || !strings.Contains(err.Error(), "undefined function gcrun.test.double") {
		t.Fatalf("err = %v", err)
	}
}

// TestNotApplicableGuardsDeny: when a rule does not apply, its deny and
// evidence rules are never evaluated (a strict-mode error there must not
// turn the result into error), and a malformed not_applicable reason is
// an error of its own.
func TestNotApplicableGuardsDeny(t *testing.T) {
	dir := writeBaseline(t, map[string]string{
		"na.rego": rule("N-1", "n.na", `not_applicable contains {"code": "off", "phrase": "feature off"} if input.x.off
deny contains {"code": "c", "phrase": "p"} if to_number("not a number") > 0
evidence := {"n": to_number("not a number")}`),
		"applies.rego": rule("N-2", "n.applies", `not_applicable contains {"code": "off", "phrase": "feature off"} if input.x.never
deny contains {"code": "c", "phrase": "p"} if to_number("not a number") > 0`),
		"bad.rego": rule("N-3", "n.bad", `not_applicable contains "off" if input.x.off
deny := set()`),
	})
	rs, err := newEngine(t, dir).Evaluate(context.Background(), Input{Facts: map[string]any{"x": map[string]any{"off": true}}})
	if err != nil {
		t.Fatal(err)
	}
	got := outcomes(rs)
	if got[0].ID != "N-1" || got[0].Status != StatusNotApplicable || got[0].Codes[0] != "off" {
		t.Errorf("N-1 = %+v, want not_applicable (off)", got[0])
	}
	if got[1].ID != "N-2" || got[1].Status != StatusError || !strings.Contains(got[1].Error, "to_number") {
		t.Errorf("N-2 = %+v, want the deny rule's strict error", got[1])
	}
	if got[2].ID != "N-3" || got[2].Status != StatusError || !strings.HasPrefix(got[2].Error, "not_applicable: malformed reason") {
		t.Errorf("N-3 = %+v, want a malformed not_applicable reason", got[2])
	}
}

// TestLoadedPredictsWhatTheEngineNeeds: what Load says the rules read
// (so that collection can start before compilation) is what the compiled
// engine asks for.
func TestLoadedPredictsWhatTheEngineNeeds(t *testing.T) {
	b, err := LoadBaselineDir("testdata/basic")
	if err != nil {
		t.Fatal(err)
	}
	l, err := Load(context.Background(), []*Baseline{b})
	if err != nil {
		t.Fatal(err)
	}
	facts, files := l.RequiredFacts(), l.Files()
	e, err := l.Compile(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(e.RequiredFacts()) == 0 {
		t.Fatal("the test baseline reads no facts")
	}
	if diff := cmp.Diff(e.RequiredFacts(), facts); diff != "" {
		t.Errorf("RequiredFacts (-engine +loaded):\n%s", diff)
	}
	if diff := cmp.Diff(e.Files(), files, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("Files (-engine +loaded):\n%s", diff)
	}
}
