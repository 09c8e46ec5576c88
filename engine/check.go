package engine

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// The severities of findings.
const (
	// FindingError is a finding that makes a pack unusable: the engine
	// refuses to load it, or its tests do not compile.
	FindingError = "error"
	// FindingWarning is a finding the engine tolerates but an author
	// should fix: what OPA's strict mode rejects (unused imports,
	// arguments and variables), parameters no rule reads, rules no test
	// refers to, an incomplete pack.yaml.
	FindingWarning = "warning"
)

// Finding is one thing gcrun check found wrong with a pack.
type Finding struct {
	// Severity is FindingError or FindingWarning.
	Severity string `json:"severity"`
	// Code names the kind of finding (the Code* constants); stable.
	Code string `json:"code"`
	// File, Line and Column locate it; Line and Column are 0 when
	// unknown.
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
	Column  int    `json:"column,omitempty"`
	Message string `json:"message"`
}

// String formats the finding as file:line:col: severity: message [code].
func (f Finding) String() string {
	var loc string
	switch {
	case f.File == "":
	case f.Line == 0:
		loc = f.File + ": "
	case f.Column == 0:
		loc = fmt.Sprintf("%s:%d: ", f.File, f.Line)
	default:
		loc = fmt.Sprintf("%s:%d:%d: ", f.File, f.Line, f.Column)
	}
	return fmt.Sprintf("%s%s: %s [%s]", loc, f.Severity, f.Message, f.Code)
}

// Findings turns the problems of a *LoadError into error findings.
func (e *LoadError) Findings() []Finding {
	out := make([]Finding, 0, len(e.Problems))
	for _, p := range e.Problems {
		out = append(out, problemFinding(p, FindingError))
	}
	return out
}

func problemFinding(p Problem, severity string) Finding {
	code := p.Code
	if code == "" {
		code = codeLoad
	}
	return Finding{Severity: severity, Code: code, File: p.Location.File, Line: p.Location.Line, Column: p.Column, Message: p.Message}
}

// CheckResult is what Check found.
type CheckResult struct {
	// Rules are the rules of the checked baselines, sorted by id (empty
	// when the baselines do not load).
	Rules []Rule
	// Findings are sorted by file, line and column.
	Findings []Finding
}

// Errors counts the findings of severity error.
func (r *CheckResult) Errors() int { return r.count(FindingError) }

// Warnings counts the findings of severity warning.
func (r *CheckResult) Warnings() int { return r.count(FindingWarning) }

func (r *CheckResult) count(severity string) int {
	n := 0
	for _, f := range r.Findings {
		if f.Severity == severity {
			n++
		}
	}
	return n
}

// Check lints baselines without evaluating anything: every problem Load
// and Compile would report (syntax, metadata, duplicate ids across every
// baseline, undeclared parameters, forbidden builtins refused by the
// capabilities Compile uses) is an error finding, and so is anything
// wrong with the Rego tests (*_test.rego), which are parsed and compiled
// with the rules. When that is clean, the modules and tests are compiled
// again in OPA's strict mode, and what it rejects is reported as
// warnings, with parameters that no rule reads, rules that no test
// refers to and an incomplete pack.yaml.
//
// opts are those the baselines are evaluated with (functions, rule
// filters, parameter overrides). The error is non-nil only when ctx ends;
// a broken baseline is a finding.
func Check(ctx context.Context, baselines []*Baseline, opts ...Option) (*CheckResult, error) {
	res := &CheckResult{}
	var ps problems
	var warnings problems
	for _, b := range baselines {
		checkManifest(b, &warnings)
	}
	// With the remediate sets: they are part of the pack, and what only
	// they read (a banner text parameter) is used.
	l, err := Load(ctx, baselines, append(opts, WithRemediation())...)
	var le *LoadError
	switch {
	case errors.As(err, &le):
		ps = append(ps, le.Problems...)
	case err != nil:
		return nil, err
	}

	// The tests, parsed with the rules' capabilities.
	caps := Capabilities()
	if l != nil {
		caps = l.caps
	} else {
		e := &Engine{}
		for _, o := range opts {
			o(e)
		}
		for _, f := range e.functions {
			caps.Builtins = append(caps.Builtins, f.Builtin())
		}
	}
	tests := parseTests(baselines, caps, &ps)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if l != nil && len(ps) == 0 {
		checkParameterRefs(tests, l.engine.params, &ps)
	}
	if l != nil {
		res.Rules = make([]Rule, len(l.rules))
		for i, r := range l.rules {
			res.Rules[i] = *r
		}
		sort.SliceStable(res.Rules, func(i, j int) bool { return res.Rules[i].ID < res.Rules[j].ID })
	}
	if l == nil || len(ps) > 0 {
		res.Findings = findings(ps, warnings)
		return res, nil
	}

	all := make(map[string]*ast.Module, len(l.modules)+len(tests))
	maps.Copy(all, l.modules)
	maps.Copy(all, tests)
	// One compilation in strict mode: when it passes, so would the plain
	// one. When it does not, strict mode may have stopped at a stage
	// whose only errors are strict-only, hiding real errors of later
	// stages: the plain compilation then says what is an error, and the
	// strict-only rest are warnings.
	compiler := ast.NewCompiler().WithCapabilities(caps).WithStrict(true)
	compiler.Compile(all)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if compiler.Failed() {
		strict := compiler.Errors
		compiler = ast.NewCompiler().WithCapabilities(caps)
		compiler.Compile(all)
		plain := map[string]bool{}
		for _, e := range compiler.Errors {
			plain[e.Error()] = true
		}
		ps.addAST(compiler.Errors)
		for _, e := range strict {
			code := strictCode(e.Message)
			if plain[e.Error()] || (compiler.Failed() && code == CodeStrict) {
				continue
			}
			warnings.addCode(code, e.Location, "%s (OPA strict mode)", e.Message)
		}
		if compiler.Failed() {
			res.Findings = findings(ps, warnings)
			return res, nil
		}
	}
	checkUsage(compiler.Modules, tests, l, &warnings)
	res.Findings = findings(ps, warnings)
	return res, nil
}

// parseTests parses every baseline's *_test.rego modules.
func parseTests(baselines []*Baseline, caps *ast.Capabilities, ps *problems) map[string]*ast.Module {
	type source struct {
		name   string
		text   []byte
		module *ast.Module
		err    error
	}
	var sources []*source
	for _, b := range baselines {
		for _, p := range b.paths {
			if strings.HasSuffix(p, "_test.rego") {
				sources = append(sources, &source{name: b.file(p), text: b.files[p]})
			}
		}
	}
	parallel(len(sources), len(sources), func(i int) {
		src := sources[i]
		src.module, src.err = ast.ParseModuleWithOpts(src.name, string(src.text), ast.ParserOptions{
			ProcessAnnotation: true,
			RegoVersion:       ast.RegoV1,
			Capabilities:      caps,
		})
	})
	out := map[string]*ast.Module{}
	for _, src := range sources {
		var errs ast.Errors
		switch {
		case errors.As(src.err, &errs):
			ps.addAST(errs)
		case src.err != nil:
			ps.addCode(CodeParseError, &ast.Location{File: src.name}, "%v", src.err)
		case src.module == nil:
			ps.addCode(CodeEmptyModule, &ast.Location{File: src.name}, "empty module")
		default:
			out[src.name] = src.module
		}
	}
	return out
}

// strictCode names what OPA's strict mode found, from its message.
func strictCode(msg string) string {
	switch {
	case strings.HasPrefix(msg, "import ") && strings.HasSuffix(msg, " unused"):
		return CodeUnusedImport
	case strings.HasPrefix(msg, "unused argument "):
		return CodeUnusedArgument
	case strings.HasPrefix(msg, "assigned var ") && strings.HasSuffix(msg, " unused"):
		return CodeUnusedVariable
	}
	return CodeStrict
}

// checkManifest warns about a pack without a complete pack.yaml: the name
// and version are what reports and dependencies refer to.
func checkManifest(b *Baseline, ws *problems) {
	loc := &ast.Location{File: b.file(PackFile)}
	if !b.HasManifest {
		ws.addCode(CodeIncompleteManifest, loc, "no pack.yaml: the pack is named %q after its directory and versioned 0.0.0", b.Name)
		return
	}
	var missing []string
	if b.manifest.Name == "" {
		missing = append(missing, "name")
	}
	if b.manifest.Version == "" {
		missing = append(missing, "version")
	}
	if b.manifest.Description == "" {
		missing = append(missing, "description")
	}
	if len(missing) > 0 {
		ws.addCode(CodeIncompleteManifest, loc, "pack.yaml has no %s", strings.Join(missing, ", "))
	}
}

// checkUsage warns about parameters that no rule or library reads and
// about rules that no test refers to. modules are the compiled modules
// (references fully qualified), tests the names of the test modules.
func checkUsage(modules map[string]*ast.Module, tests map[string]*ast.Module, l *Loaded, ws *problems) {
	root := ast.MustParseRef(ParamsRoot)
	read := map[string]bool{}
	tested := map[string]bool{}
	rulePkgs := map[string]bool{}
	for _, r := range l.rules {
		rulePkgs[r.Package] = true
	}
	for name, m := range modules {
		_, isTest := tests[name]
		ast.WalkRefs(m, func(ref ast.Ref) bool {
			if !isTest && ref.HasPrefix(root) && len(ref) > len(root) {
				if s, ok := ref[len(root)].Value.(ast.String); ok {
					read[string(s)] = true
				}
			}
			if isTest {
				for p := range packagesOf(ref) {
					if rulePkgs[p] {
						tested[p] = true
					}
				}
			}
			return false
		})
	}
	for _, b := range l.engine.baselines {
		for _, p := range b.Parameters {
			if !read[p.Name] {
				ws.addCode(CodeUnusedParameter, &ast.Location{File: b.file(PackFile), Row: b.ParameterLine(p.Name)},
					"parameter %s is declared but no rule reads it", p.Name)
			}
		}
	}
	for _, r := range l.rules {
		if !tested[r.Package] {
			ws.addCode(CodeUntestedRule, &ast.Location{File: r.Location.File, Row: r.Location.Line},
				"rule %s (package %s) has no Rego test: no *_test.rego refers to it", r.ID, strings.TrimPrefix(r.Package, "data."))
		}
	}
}

// packagesOf yields the paths (data.a.b) of every constant prefix of a
// reference into data.
func packagesOf(ref ast.Ref) map[string]bool {
	out := map[string]bool{}
	if !ref.HasPrefix(ast.DefaultRootRef) {
		return out
	}
	var b strings.Builder
	b.WriteString("data")
	for i := 1; i < len(ref); i++ {
		s, ok := ref[i].Value.(ast.String)
		if !ok {
			break
		}
		b.WriteByte('.')
		b.WriteString(string(s))
		out[b.String()] = true
	}
	return out
}

// findings merges errors and warnings, sorted by place.
func findings(errs, warnings problems) []Finding {
	out := make([]Finding, 0, len(errs)+len(warnings))
	for _, p := range errs {
		out = append(out, problemFinding(p, FindingError))
	}
	for _, p := range warnings {
		out = append(out, problemFinding(p, FindingWarning))
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Column != b.Column {
			return a.Column < b.Column
		}
		if a.Severity != b.Severity {
			return a.Severity < b.Severity // error before warning
		}
		if a.Code != b.Code {
			return a.Code < b.Code
		}
		return a.Message < b.Message
	})
	return out
}
