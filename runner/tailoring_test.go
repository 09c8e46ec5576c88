package runner

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gcrun/gcrun/engine"
	"github.com/gcrun/gcrun/report"
	"github.com/google/go-cmp/cmp"
)

const (
	testPack      = "testdata/tailoring/pack"
	testRoot      = "testdata/tailoring/root"
	testTailoring = "testdata/tailoring/site.yaml"
	testWaivers   = "testdata/waivers/waivers.yaml"
)

// writeTemp writes content to a file in a fresh temporary directory and
// returns its path.
func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadTailoring(t *testing.T) {
	got, err := LoadTailoring(testTailoring)
	if err != nil {
		t.Fatal(err)
	}
	want := &Tailoring{
		File: testTailoring,
		Select: &Selector{
			IDs:  []Entry{{"T-001", 3}, {"T-00[45]", 3}},
			Tags: []Entry{{"os", 4}},
		},
		Exclude: &Selector{
			IDs:        []Entry{{"T-005", 6}},
			Severities: []Entry{{"critical", 7}},
		},
		Parameters: []TailoredParameter{{"t_hostname", "myhost", 9}, {"t_max", 10.0, 10}},
		line:       2,
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(Tailoring{})); diff != "" {
		t.Errorf("tailoring (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]any{"t_hostname": "myhost", "t_max": 10.0}, got.ParameterValues()); diff != "" {
		t.Errorf("parameter values (-want +got):\n%s", diff)
	}
}

func TestLoadTailoringValues(t *testing.T) {
	// Parameter values come out as --param's JSON values do.
	p := writeTemp(t, "t.yaml", `parameters:
  n: 3
  f: 2.5
  b: true
  s: "3"
  list: [a, 1]
  obj: {k: [1, 2]}
`)
	tl, err := LoadTailoring(p)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"n": 3.0, "f": 2.5, "b": true, "s": "3", "list": []any{"a", 1.0}, "obj": map[string]any{"k": []any{1.0, 2.0}}}
	if diff := cmp.Diff(want, tl.ParameterValues()); diff != "" {
		t.Errorf("values (-want +got):\n%s", diff)
	}
	if tl.Select != nil || tl.Exclude != nil {
		t.Errorf("select %v, exclude %v: want nil (no selection)", tl.Select, tl.Exclude)
	}
}

func TestLoadTailoringErrors(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       []string // the problems, after "F:" (F the file)
	}{
		{"empty file", "", []string{" empty file, want a mapping with select, exclude or parameters"}},
		{"only a comment", "# nothing\n", []string{" empty file, want a mapping with select, exclude or parameters"}},
		{"bad YAML", "select:\n  ids: a: b\n", []string{"2: bad YAML: mapping values are not allowed in this context"}},
		{"bad YAML on line 1", "a: b: c\n", []string{"1: bad YAML: mapping values are not allowed in this context"}},
		{"unterminated string", "# c\nselect:\n  ids: [a]\n  tags: 'x\n", []string{"4: bad YAML: found unexpected end of stream"}},
		{"tab indentation", "select:\n\tids: [a]\n", []string{"2: bad YAML: found character that cannot start any token"}},
		{"not a mapping", "- a\n", []string{"1: tailoring: want a mapping with select, exclude, parameters, got a list"}},
		{"nothing in it", "{}\n", []string{"1: tailoring: no select, exclude or parameters: it would change nothing"}},
		{"unknown field", "select:\n  ids: [a]\nexlude:\n  ids: [b]\n", []string{`3: tailoring: unknown field "exlude" (want select, exclude, parameters)`}},
		{"unknown selector field", "select:\n  id: [a]\n", []string{`2: select: unknown field "id" (want ids, tags, severities)`}},
		{"duplicate key", "select:\n  ids: [a]\n  ids: [b]\n", []string{"3: select: ids given twice (also line 2)"}},
		{"empty select", "select: {}\n", []string{"1: select: names no ids, tags or severities"}},
		{"empty lists", "exclude:\n  ids: []\n", []string{"2: exclude: names no ids, tags or severities"}},
		{"null select", "select:\n", []string{"1: select: want a mapping with ids, tags, severities, got nothing"}},
		{"ids not a list", "select:\n  ids: GCL-SSH-001\n", []string{`2: select: ids: want a list of strings, got "GCL-SSH-001"`}},
		{"id not a string", "select:\n  ids: [GCL-1, 42]\n", []string{"2: select: ids: want a string, got 42 (int) (quote it)"}},
		{"id with a space", "select:\n  ids: [\"GCL 1\"]\n", []string{`2: select: ids: "GCL 1" contains white space`}},
		{"bad glob", "select:\n  ids:\n    - \"GCL-[\"\n", []string{`3: select: ids: "GCL-[" is not a valid glob: syntax error in pattern`}},
		{"unknown severity", "select:\n  severities: [high, urgent]\n", []string{`2: select: severities: unknown severity "urgent" (want critical, high, medium, low or info)`}},
		{"empty tag", "exclude:\n  tags: [\"\"]\n", []string{"2: exclude: tags: empty string"}},
		{"parameters not a mapping", "parameters: [a]\n", []string{"1: parameters: want a mapping of parameter names to values, got a list"}},
		{"parameter twice", "parameters:\n  a: 1\n  a: 2\n", []string{"3: parameters: a given twice (also line 2)"}},
		{"parameter with non-string keys", "parameters:\n  a: {1: x}\n", []string{"2: parameters: a: not a JSON value (mapping keys must be strings)"}},
		{"second document", "select:\n  ids: [a]\n---\nexclude:\n  ids: [b]\n", []string{"3: a second YAML document: put everything in one"}},
		{"every problem at once", "select:\n  ids: [\"a[\"]\n  severities: [urgent]\nbogus: 1\n", []string{
			`2: select: ids: "a[" is not a valid glob: syntax error in pattern`,
			`3: select: severities: unknown severity "urgent" (want critical, high, medium, low or info)`,
			`4: tailoring: unknown field "bogus" (want select, exclude, parameters)`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeTemp(t, "site.yaml", tt.yaml)
			_, err := LoadTailoring(p)
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("LoadTailoring = %v, want a *FileError", err)
			}
			var got []string
			for _, pr := range fe.Problems {
				got = append(got, strings.TrimPrefix(pr.String(), p+":"))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
			if !strings.HasPrefix(err.Error(), "tailoring: ") || !strings.Contains(err.Error(), p) {
				t.Errorf("error %q does not start with tailoring: and name the file", err)
			}
		})
	}
	_, err := LoadTailoring(filepath.Join(t.TempDir(), "missing.yaml"))
	if !errors.As(err, new(*FileError)) || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("missing file: %v", err)
	}
}

// testRules are rules as engine.Load passes them to filters.
func testRules() []engine.Rule {
	return []engine.Rule{
		{ID: "GCL-SSH-001", Severity: engine.SeverityHigh, Tags: []string{"ssh", "authentication"}},
		{ID: "GCL-SSH-040", Severity: engine.SeverityLow, Tags: []string{"ssh"}},
		{ID: "GCL-SYSCTL-001", Severity: engine.SeverityMedium, Tags: []string{"sysctl", "network"}},
		{ID: "GCL-SYSCTL-002", Severity: engine.SeverityCritical, Tags: []string{"sysctl"}},
		{ID: "GCL-SWEEP-001", Severity: engine.SeverityHigh, Tags: []string{"sweep", "files"}},
		{ID: "GCL-PKG-001", Severity: engine.SeverityInfo},
	}
}

func TestTailoringKeep(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       []string
	}{
		{"ids", "select:\n  ids: [GCL-SSH-001, GCL-PKG-001]\n", []string{"GCL-SSH-001", "GCL-PKG-001"}},
		{"glob", "select:\n  ids: [\"GCL-SYSCTL-*\"]\n", []string{"GCL-SYSCTL-001", "GCL-SYSCTL-002"}},
		{"glob classes", "select:\n  ids: [\"GCL-S[SW]*-00?\"]\n", []string{"GCL-SSH-001", "GCL-SWEEP-001"}},
		{"tags", "select:\n  tags: [network, files]\n", []string{"GCL-SYSCTL-001", "GCL-SWEEP-001"}},
		{"severities", "select:\n  severities: [critical, high]\n", []string{"GCL-SSH-001", "GCL-SYSCTL-002", "GCL-SWEEP-001"}},
		{"any selector", "select:\n  ids: [GCL-PKG-001]\n  tags: [ssh]\n  severities: [critical]\n", []string{"GCL-SSH-001", "GCL-SSH-040", "GCL-SYSCTL-002", "GCL-PKG-001"}},
		{"exclude only", "exclude:\n  tags: [sweep]\n  ids: [GCL-SSH-040]\n", []string{"GCL-SSH-001", "GCL-SYSCTL-001", "GCL-SYSCTL-002", "GCL-PKG-001"}},
		{"exclude after select", "select:\n  tags: [ssh, sysctl]\nexclude:\n  ids: [GCL-SSH-040]\n  severities: [critical]\n", []string{"GCL-SSH-001", "GCL-SYSCTL-001"}},
		{"parameters only", "parameters:\n  x: 1\n", []string{"GCL-SSH-001", "GCL-SSH-040", "GCL-SYSCTL-001", "GCL-SYSCTL-002", "GCL-SWEEP-001", "GCL-PKG-001"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tl, err := LoadTailoring(writeTemp(t, "t.yaml", tt.yaml))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range testRules() {
				if tl.Keep(r) {
					got = append(got, r.ID)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("kept (-want +got):\n%s", diff)
			}
			if err := tl.CheckRules(testRules()); err != nil {
				t.Errorf("CheckRules: %v", err)
			}
		})
	}
}

func TestTailoringCheckRules(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       []string
	}{
		{"unknown id", "select:\n  ids: [GCL-SSH-001, GCL-SSH-999]\n", []string{`2: select: ids: id "GCL-SSH-999" matches no loaded rule`}},
		{"unknown glob", "exclude:\n  ids:\n    - \"GCL-NFS-*\"\n", []string{`3: exclude: ids: glob "GCL-NFS-*" matches no loaded rule`}},
		{"unknown tag", "select:\n  tags: [ssh]\nexclude:\n  tags: [shh]\n", []string{`4: exclude: tags: no loaded rule has tag "shh"`}},
		{"keeps nothing", "# c\nselect:\n  tags: [ssh]\nexclude:\n  severities: [high, low]\n", []string{"2: keeps none of the 6 loaded rules"}},
		{"excludes everything", "exclude:\n  ids: [\"*\"]\n", []string{"1: keeps none of the 6 loaded rules"}},
		{"selects by a severity no rule has", "select:\n  severities: [critical]\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeTemp(t, "t.yaml", tt.yaml)
			tl, err := LoadTailoring(p)
			if err != nil {
				t.Fatal(err)
			}
			rules := testRules()
			if tt.want == nil {
				rules = rules[:2] // neither is critical
				tt.want = []string{"1: keeps none of the 2 loaded rules"}
			}
			err = tl.CheckRules(rules)
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("CheckRules = %v, want a *FileError", err)
			}
			var got []string
			for _, pr := range fe.Problems {
				got = append(got, strings.TrimPrefix(pr.String(), p+":"))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

func testBaseline(t testing.TB) *engine.Baseline {
	t.Helper()
	b, err := engine.LoadBaselineDir(testPack)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestTailoringCheckParameters(t *testing.T) {
	b := testBaseline(t)
	p := writeTemp(t, "t.yaml", "parameters:\n  t_hostname: web\n  t_max: \"3\"\n  t_nope: 1\n  t_hostname2: [a]\n")
	tl, err := LoadTailoring(p)
	if err != nil {
		t.Fatal(err)
	}
	err = tl.CheckParameters([]*engine.Baseline{b})
	var fe *FileError
	if !errors.As(err, &fe) {
		t.Fatalf("CheckParameters = %v, want a *FileError", err)
	}
	var got []string
	for _, pr := range fe.Problems {
		got = append(got, strings.TrimPrefix(pr.String(), p+":"))
	}
	want := []string{
		`3: parameters: t_max: "3" is a string, but baseline t declares a number`,
		"4: parameters: t_nope is not declared by any loaded baseline",
		"5: parameters: t_hostname2 is not declared by any loaded baseline",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	ok, err := LoadTailoring(testTailoring)
	if err != nil {
		t.Fatal(err)
	}
	if err := ok.CheckParameters([]*engine.Baseline{b}); err != nil {
		t.Errorf("good parameters: %v", err)
	}
}

// evaluateTestPack evaluates the test pack against its root with opts and
// any engine options, at now.
func evaluateTestPack(t *testing.T, opts Options, now time.Time, engineOpts ...engine.Option) (*report.Report, error) {
	t.Helper()
	target, err := NewTarget(testRoot)
	if err != nil {
		t.Fatal(err)
	}
	opts.ToolVersion = "test"
	opts.Now = func() time.Time { return now }
	rep, _, err := EvaluateBaselines(context.Background(), []*engine.Baseline{testBaseline(t)}, target, opts, engineOpts...)
	if err == nil {
		data, jerr := rep.JSON()
		if jerr != nil {
			t.Fatal(jerr)
		}
		if verr := report.Validate(data); verr != nil {
			t.Fatalf("invalid report: %v", verr)
		}
	}
	return rep, err
}

// outcome is what the tests compare of a rule's result.
type outcome struct {
	Status    engine.Status
	RawStatus engine.Status
	Codes     []string
}

func outcomes(rep *report.Report) map[string]outcome {
	out := map[string]outcome{}
	for _, r := range rep.Rules {
		o := outcome{Status: r.Status}
		if r.Waiver != nil {
			o.RawStatus = r.Waiver.RawStatus
		}
		for _, reason := range r.Reasons {
			o.Codes = append(o.Codes, reason.Code)
		}
		out[r.ID] = o
	}
	return out
}

func collectorNames(rep *report.Report) []string {
	var names []string
	for _, c := range rep.Collectors {
		names = append(names, c.Name)
	}
	return names
}

func TestEvaluateBaselinesTailoring(t *testing.T) {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	// Untailored: the defaults fail T-001 and T-004, T-005's collector
	// does not exist.
	rep, err := evaluateTestPack(t, Options{}, now)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]outcome{
		"T-001": {Status: engine.StatusFail, Codes: []string{"hostname"}},
		"T-002": {Status: engine.StatusFail, Codes: []string{"os"}},
		"T-003": {Status: engine.StatusPass},
		"T-004": {Status: engine.StatusFail, Codes: []string{"too_many"}},
		"T-005": {Status: engine.StatusError},
	}
	if diff := cmp.Diff(want, outcomes(rep)); diff != "" {
		t.Fatalf("untailored (-want +got):\n%s", diff)
	}

	tl, err := LoadTailoring(testTailoring)
	if err != nil {
		t.Fatal(err)
	}
	rep, err = evaluateTestPack(t, Options{Tailoring: tl}, now)
	if err != nil {
		t.Fatal(err)
	}
	// T-003 is not selected, T-005 excluded; the parameters make T-001
	// and T-004 pass.
	want = map[string]outcome{
		"T-001": {Status: engine.StatusPass},
		"T-002": {Status: engine.StatusFail, Codes: []string{"os"}},
		"T-004": {Status: engine.StatusPass},
	}
	if diff := cmp.Diff(want, outcomes(rep)); diff != "" {
		t.Errorf("tailored (-want +got):\n%s", diff)
	}
	// The excluded rule's facts are not even collected.
	if diff := cmp.Diff([]string{"host"}, collectorNames(rep)); diff != "" {
		t.Errorf("collectors (-want +got):\n%s", diff)
	}

	// --param (a later WithParameters) wins over the tailoring.
	rep, err = evaluateTestPack(t, Options{Tailoring: tl}, now, engine.WithParameters(map[string]any{"t_max": 1.0}))
	if err != nil {
		t.Fatal(err)
	}
	if got := outcomes(rep)["T-004"]; got.Status != engine.StatusFail {
		t.Errorf("T-004 with --param t_max=1 over the tailoring's 10: %+v, want fail", got)
	}
	if got := outcomes(rep)["T-001"]; got.Status != engine.StatusPass {
		t.Errorf("T-001: the tailoring's t_hostname is lost when --param sets another: %+v", got)
	}

	// Evaluate's engine is already built: a tailoring there is a mistake.
	target, err := NewTarget(testRoot)
	if err != nil {
		t.Fatal(err)
	}
	eng, err := NewEngine(context.Background(), []*engine.Baseline{testBaseline(t)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Evaluate(context.Background(), eng, target, Options{Tailoring: tl}); err == nil || !strings.Contains(err.Error(), "Tailoring.EngineOptions") {
		t.Errorf("Evaluate with a tailoring = %v, want an error", err)
	}
}

func TestEvaluateBaselinesTailoringErrors(t *testing.T) {
	tests := []struct{ name, yaml, want string }{
		{"unknown id", "select:\n  ids: [T-001, T-009]\n", `:2: select: ids: id "T-009" matches no loaded rule`},
		{"undeclared parameter", "parameters:\n  t_max: 4\n  t_min: 1\n", ":3: parameters: t_min is not declared by any loaded baseline"},
		{"wrong parameter type", "parameters:\n  t_max: four\n", `:2: parameters: t_max: "four" is a string, but baseline t declares a number`},
		{"keeps nothing", "select:\n  severities: [high]\nexclude:\n  tags: [naming]\n", ":1: keeps none of the 5 loaded rules"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeTemp(t, "site.yaml", tt.yaml)
			tl, err := LoadTailoring(p)
			if err != nil {
				t.Fatal(err)
			}
			_, err = evaluateTestPack(t, Options{Tailoring: tl}, time.Now())
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("EvaluateBaselines = %v, want a *FileError", err)
			}
			if want := "tailoring: " + p + tt.want; err.Error() != want {
				t.Errorf("error\n  %s\nwant\n  %s", err, want)
			}
		})
	}
}
