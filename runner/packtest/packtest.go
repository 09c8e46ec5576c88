package packtest

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/storage/inmem"

	"github.com/gcrun/gcrun/engine"
	"github.com/gcrun/gcrun/runner"
)

// Status is the outcome of one test.
type Status string

// The outcomes of a test.
const (
	StatusPass  Status = "pass"
	StatusFail  Status = "fail"
	StatusError Status = "error" // the test could not run to a verdict
	StatusSkip  Status = "skip"  // a todo_ Rego test
)

// DefaultTimeout bounds one Rego test.
const DefaultTimeout = time.Minute

// Options configure Run.
type Options struct {
	// Run keeps only the Rego tests whose full name (data.pkg.test_x)
	// matches and the fixtures whose name matches; nil runs everything.
	Run *regexp.Regexp
	// Coverage measures which lines of the pack's Rego the tests evaluate.
	Coverage bool
	// EngineOptions are added when the pack is compiled: a tailoring's
	// rule selection and parameters, for example. Parameters reach the
	// Rego tests too (data.gcrun.params) and fixtures are evaluated with
	// the selection.
	EngineOptions []engine.Option
	// Timeout bounds each Rego test; 0 means DefaultTimeout.
	Timeout time.Duration
	// ToolVersion is gcrun's version, for packs that require one.
	ToolVersion string
}

// Test is the result of one Rego unit test.
type Test struct {
	// Name is the test's full name, data.<package>.<rule>.
	Name    string `json:"name"`
	Package string `json:"package"`
	File    string `json:"file"`
	Line    int    `json:"line"`
	Status  Status `json:"status"`
	// Message says where a failed test failed (the last expression of its
	// body that was false) or what error stopped it.
	Message  string        `json:"message,omitempty"`
	Output   string        `json:"output,omitempty"` // what print() printed
	Duration time.Duration `json:"-"`
}

// MarshalJSON adds duration_ms.
func (t Test) MarshalJSON() ([]byte, error) {
	type plain Test
	return json.Marshal(struct {
		plain
		DurationMs float64 `json:"duration_ms"`
	}{plain(t), ms(t.Duration)})
}

// Fixture is the result of one fixture test.
type Fixture struct {
	Name   string `json:"name"`
	Dir    string `json:"dir"`
	Status Status `json:"status"`
	// Rules is the number of rules expected.yaml lists.
	Rules int `json:"rules"`
	// Excluded lists the rules expected.yaml lists that were not
	// evaluated (dropped by a tailoring or a dependent pack), so not
	// compared.
	Excluded []string `json:"excluded,omitempty"`
	Message  string   `json:"message,omitempty"`
	// Diff is the difference between expected.yaml and the results,
	// (-want +got), for the rules that differ.
	Diff string `json:"diff,omitempty"`
	// Details says, for each rule that differs, what it reported.
	Details  []string      `json:"details,omitempty"`
	Duration time.Duration `json:"-"`
}

// MarshalJSON adds duration_ms.
func (f Fixture) MarshalJSON() ([]byte, error) {
	type plain Fixture
	return json.Marshal(struct {
		plain
		DurationMs float64 `json:"duration_ms"`
	}{plain(f), ms(f.Duration)})
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// Result is the outcome of testing one pack.
type Result struct {
	Dir      string    `json:"dir"`
	Name     string    `json:"name"`
	Version  string    `json:"version"`
	Tests    []Test    `json:"tests"`
	Fixtures []Fixture `json:"fixtures"`
	// Coverage is set when Options.Coverage is.
	Coverage *Coverage     `json:"coverage,omitempty"`
	Duration time.Duration `json:"-"`
}

// Failed reports whether any test failed, erred or was skipped: a todo_
// test is unfinished work, not a pass.
func (r *Result) Failed() bool {
	for _, t := range r.Tests {
		if t.Status != StatusPass {
			return true
		}
	}
	for _, f := range r.Fixtures {
		if f.Status != StatusPass {
			return true
		}
	}
	return false
}

// Run tests the pack in directory dir: its Rego unit tests, then its
// fixtures. The error is a *engine.LoadError, with file:line for every
// problem, when the pack is broken (a syntax error, a bad pack.yaml, a test
// that does not compile, a bad fixture); test failures are in the Result.
func Run(ctx context.Context, dir string, opts Options) (*Result, error) {
	start := time.Now()
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	p, err := loadPack(ctx, dir, opts.ToolVersion)
	if err != nil {
		return nil, err
	}
	res, err := runPack(ctx, p, opts)
	if err != nil {
		return nil, err
	}
	res.Duration = time.Since(start)
	return res, nil
}

// runPack tests a loaded pack.
func runPack(ctx context.Context, p *pack, opts Options) (*Result, error) {
	fixtures, fixErr := loadFixtures(p.dir)

	// The engine checks and compiles the pack exactly as evaluation does,
	// and its parameters (defaults, then the pack's and the caller's
	// overrides) are what the Rego tests see. Every rule id is recorded
	// before any other filter drops it, to tell an unknown id in
	// expected.yaml from an excluded one.
	known := map[string]bool{}
	engOpts := []engine.Option{engine.WithRuleFilter(func(r engine.Rule) bool {
		known[r.ID] = true
		return true
	})}
	engOpts = append(engOpts, p.options...)
	engOpts = append(engOpts, opts.EngineOptions...)
	eng, err := runner.NewEngine(ctx, p.baselines, engOpts...)
	if err != nil {
		return nil, joinProblems([]error{err, fixErr})
	}
	if fixErr == nil {
		fixErr = checkExpected(fixtures, known)
	}
	if fixErr != nil {
		return nil, fixErr
	}

	fns := runner.Functions()
	caps := engine.Capabilities()
	tb := builtins(fns)
	for _, b := range tb {
		caps.Builtins = append(caps.Builtins, b.Decl)
	}
	mods, err := parseModules(p, caps)
	if err != nil {
		return nil, err
	}
	params := map[string]any{}
	for _, pv := range eng.Parameters() {
		params[pv.Name] = pv.Value
	}
	rr := &regoRun{
		modules:  mods,
		caps:     caps,
		builtins: tb,
		store:    inmem.NewFromObject(map[string]any{"gcrun": map[string]any{"params": params}}),
		filter:   opts.Run,
		coverage: opts.Coverage,
		timeout:  opts.Timeout,
	}
	if len(p.baselines) > 1 {
		// Dependencies' test modules are compiled (the pack's tests may
		// use their input builders) but only the pack's own tests run.
		seen := map[string]bool{}
		for _, m := range mods.tests {
			if k := m.Package.Path.String(); !seen[k] {
				seen[k] = true
				rr.prefixes = append(rr.prefixes, m.Package.Path)
			}
		}
		if len(rr.prefixes) == 0 {
			rr.prefixes = []ast.Ref{ast.MustParseRef("data.__no_tests__")}
		}
	}
	tests, cov, err := runRego(ctx, rr)
	if err != nil {
		return nil, err
	}
	res := &Result{Dir: p.dir, Name: p.self().Name, Version: p.self().Version, Tests: tests}
	if cov != nil {
		res.Coverage = coverageOf(cov, mods.rules)
	}
	for _, fx := range fixtures {
		if opts.Run != nil && !opts.Run.MatchString(fx.name) {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		res.Fixtures = append(res.Fixtures, runFixture(ctx, eng, fx, opts.ToolVersion))
	}
	return res, nil
}

// String summarises a result in one line.
func (r *Result) String() string {
	return fmt.Sprintf("%s %s: %d Rego tests, %d fixtures", r.Name, r.Version, len(r.Tests), len(r.Fixtures))
}
