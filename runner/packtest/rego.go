package packtest

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/cover"
	"github.com/open-policy-agent/opa/v1/storage"
	"github.com/open-policy-agent/opa/v1/tester"
	"github.com/open-policy-agent/opa/v1/topdown"

	"github.com/gcrun/gcrun/engine"
)

// maxTraced bounds how many failed tests are run again with tracing to
// find the expression they failed at.
const maxTraced = 50

// regoModules are the parsed Rego modules of a pack, named as the engine
// names them in errors (origin/path).
type regoModules struct {
	all   map[string]*ast.Module // everything the tests compile with
	rules map[string]*ast.Module // the pack's own non-test modules (coverage)
	tests map[string]*ast.Module // the pack's own test modules
}

// parseModules parses the Rego files of every baseline of the pack with
// the parser options of the engine. The test modules of dependencies are
// parsed too (a pack's tests may use their input builders) but only the
// pack's own tests run.
func parseModules(p *pack, caps *ast.Capabilities) (*regoModules, error) {
	m := &regoModules{all: map[string]*ast.Module{}, rules: map[string]*ast.Module{}, tests: map[string]*ast.Module{}}
	var errs []error
	self := p.self()
	for _, b := range p.baselines {
		for _, path := range b.Files() {
			if !strings.HasSuffix(path, ".rego") {
				continue
			}
			isTest := strings.HasSuffix(path, "_test.rego")
			name := b.Origin + "/" + path
			text, _ := b.ReadFile(path)
			mod, err := ast.ParseModuleWithOpts(name, string(text), ast.ParserOptions{
				ProcessAnnotation: true,
				RegoVersion:       ast.RegoV1,
				Capabilities:      caps,
			})
			if err != nil {
				errs = append(errs, astProblems(err, name))
				continue
			}
			if mod == nil {
				errs = append(errs, problem(name, 0, "empty module"))
				continue
			}
			m.all[name] = mod
			if b == self {
				if isTest {
					m.tests[name] = mod
				} else {
					m.rules[name] = mod
				}
			}
		}
	}
	if err := joinProblems(errs); err != nil {
		return nil, err
	}
	return m, nil
}

// astProblems turns a parse or compile error into a load error with
// file:line for every problem.
func astProblems(err error, file string) error {
	var errs ast.Errors
	if !errors.As(err, &errs) {
		return problem(file, 0, "%v", err)
	}
	out := &engine.LoadError{}
	for _, e := range errs {
		p := engine.Problem{Message: e.Message}
		if e.Location != nil {
			p.Location = engine.Location{File: e.Location.File, Line: e.Location.Row}
		}
		out.Problems = append(out.Problems, p)
	}
	return out
}

// builtins turns gcrun's functions into custom builtins for the tester,
// declared and implemented as the engine declares and implements them.
func builtins(fns []engine.Function) []*tester.Builtin {
	out := make([]*tester.Builtin, 0, len(fns))
	for _, f := range fns {
		out = append(out, &tester.Builtin{Decl: f.Builtin(), Func: f.RegoOption()})
	}
	return out
}

// regoRun is what runRego needs.
type regoRun struct {
	modules   *regoModules
	caps      *ast.Capabilities
	builtins  []*tester.Builtin
	store     storage.Store
	filter    *regexp.Regexp
	coverage  bool
	timeout   time.Duration
	prefixes  []ast.Ref // the packages of the pack's own tests, when it has dependencies
	withTrace bool
}

func (r *regoRun) newRunner(compiler *ast.Compiler) *tester.Runner {
	tr := tester.NewRunner().
		SetCompiler(compiler).
		SetDefaultRegoVersion(ast.RegoV1).
		SetStore(r.store).
		RaiseBuiltinErrors(true).
		CapturePrintOutput(true).
		AddCustomBuiltins(r.builtins).
		SetTimeout(r.timeout)
	if len(r.prefixes) > 0 {
		tr = tr.SetPrefixMatchers(r.prefixes...)
	}
	return tr
}

// runRego compiles the modules and runs the tests; a module that does not
// compile is a load error.
func runRego(ctx context.Context, r *regoRun) ([]Test, *cover.Cover, error) {
	compiler := ast.NewCompiler().
		WithCapabilities(r.caps).
		WithEnablePrintStatements(true).
		WithDefaultRegoVersion(ast.RegoV1)
	tr := r.newRunner(compiler).SetModules(r.modules.all)
	if r.filter != nil {
		tr = tr.Filter(r.filter.String())
	}
	var cov *cover.Cover
	if r.coverage {
		// Only the plain pass: the supplementary passes (indexing and
		// early exit off) only explain why a line is not covered.
		cov = cover.New()
		tr = tr.SetCoverageQueryTracer(cov).SetCoverageRuns(nil)
	}
	ch, err := tr.RunTests(ctx, nil)
	if err != nil {
		return nil, nil, astProblems(err, "")
	}
	var results []*tester.Result
	for res := range ch {
		results = append(results, res)
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	sort.Slice(results, func(i, j int) bool {
		return testName(results[i]) < testName(results[j])
	})
	tests := make([]Test, len(results))
	var failed []int
	for i, res := range results {
		tests[i] = testOf(res)
		if tests[i].Status == StatusFail && len(failed) < maxTraced {
			failed = append(failed, i)
		}
	}
	if len(failed) > 0 {
		r.explainFailures(ctx, compiler, results, tests, failed)
	}
	return tests, cov, nil
}

func testName(r *tester.Result) string { return r.Package + "." + r.Name }

func testOf(r *tester.Result) Test {
	t := Test{
		Name:     testName(r),
		Package:  strings.TrimPrefix(r.Package, "data."),
		Duration: r.Duration,
		Output:   string(r.Output),
	}
	if r.Location != nil {
		t.File, t.Line = r.Location.File, r.Location.Row
	}
	switch {
	case r.Error != nil:
		t.Status, t.Message = StatusError, evalError(r.Error)
	case r.Skip:
		t.Status = StatusSkip
	case r.Fail:
		t.Status = StatusFail
	default:
		t.Status = StatusPass
	}
	return t
}

// evalError formats an evaluation error with file:line when it has one.
func evalError(err error) string {
	var te *topdown.Error
	if errors.As(err, &te) && te.Location != nil {
		return fmt.Sprintf("%s:%d: %s", te.Location.File, te.Location.Row, te.Message)
	}
	return err.Error()
}

// explainFailures runs the failed tests again with tracing, on the
// compiler already built, and records the last expression of each test's
// body that failed.
func (r *regoRun) explainFailures(ctx context.Context, compiler *ast.Compiler, results []*tester.Result, tests []Test, failed []int) {
	names := make([]string, len(failed))
	byName := map[string]int{}
	for k, i := range failed {
		names[k] = regexp.QuoteMeta(testName(results[i]))
		byName[testName(results[i])] = i
	}
	tr := r.newRunner(compiler).EnableTracing(true).Filter("^(" + strings.Join(names, "|") + ")$")
	ch, err := tr.RunTests(ctx, nil)
	if err != nil {
		return
	}
	for res := range ch {
		i, ok := byName[testName(res)]
		if !ok || results[i].Location == nil {
			continue
		}
		if at := failedAt(results[i].Location, res.Trace); at != "" {
			tests[i].Message = at
		}
	}
}

// failedAt finds the last expression that failed inside the test rule
// at loc: "failed at file:line: expression".
func failedAt(loc *ast.Location, trace []*topdown.Event) string {
	endRow, _ := loc.End()
	var last *topdown.Event
	for _, e := range trace {
		if e.Op != topdown.FailOp || e.Location == nil {
			continue
		}
		if _, ok := e.Node.(*ast.Expr); !ok {
			continue
		}
		if e.Location.File == loc.File && e.Location.Row >= loc.Row && e.Location.Row <= endRow {
			last = e
		}
	}
	if last == nil {
		return ""
	}
	text := string(last.Location.Text)
	if text == "" {
		text = last.Node.String()
	}
	return fmt.Sprintf("failed at %s:%d: %s", last.Location.File, last.Location.Row, text)
}
