// Package engine compiles baselines of Rego rules once and evaluates them
// against the facts of a host.
//
// A baseline is a directory of Rego v1 modules; each rule is a package with
// METADATA annotations (see baselines/README.md for the contract). New
// parses, checks and compiles every module of every baseline and prepares
// one query per rule; Evaluate then runs the prepared queries against one
// input document, as many times as needed, concurrently if the caller likes.
package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
	"github.com/open-policy-agent/opa/v1/topdown"
)

// Engine evaluates the rules of a set of compiled baselines. It is safe for
// concurrent use.
type Engine struct {
	baselines   []*Baseline
	rules       []*compiledRule
	byID        map[string]*compiledRule
	compiler    *ast.Compiler
	store       storage.Store
	parallelism int
	overrides   map[string]any
	functions   []Function
	params      map[string]Parameter
	values      map[string]any
	filter      func(Rule) bool
	remediation bool
}

// WithRemediation compiles the rules' remediate sets, so that Remediation
// can evaluate them. Without it they are left out of compilation: an audit
// never needs them, and compiling them would slow every start.
func WithRemediation() Option {
	return func(e *Engine) { e.remediation = true }
}

// WithRuleFilter keeps only the rules for which keep returns true (a
// tailoring, a pack that drops rules of the pack it builds on). The
// others are still parsed and compiled, so that their errors are found,
// but never evaluated, and the facts only they read are never collected.
func WithRuleFilter(keep func(Rule) bool) Option {
	return func(e *Engine) {
		if prev := e.filter; prev != nil {
			e.filter = func(r Rule) bool { return prev(r) && keep(r) }
		} else {
			e.filter = keep
		}
	}
}

// Option configures an Engine.
type Option func(*Engine)

// WithParallelism sets how many rules Evaluate evaluates at once; the
// default is GOMAXPROCS. 1 evaluates them one after the other.
func WithParallelism(n int) Option {
	return func(e *Engine) {
		if n > 0 {
			e.parallelism = n
		}
	}
}

type compiledRule struct {
	Rule
	hasNA   bool // the package has a not_applicable rule (binding "na")
	path    ast.Ref
	verdict rego.PreparedEvalQuery

	// fix is the query of the rule's remediate set, prepared on first
	// use: most runs only audit, and preparing it for every rule would
	// slow every start.
	fixOnce sync.Once
	fix     rego.PreparedEvalQuery
	fixErr  error
}

// Input is what Evaluate evaluates the rules against.
type Input struct {
	// Facts maps a collector name to its facts; it is the Rego input.
	Facts map[string]any
	// Errors maps the name of a collector that failed to its error. Rules
	// that read its facts are reported as errors without being evaluated.
	Errors map[string]string

	value ast.Value // Facts converted for OPA, by Convert
}

// Convert returns in with its facts already converted to OPA's value
// representation, which Evaluate would otherwise do first. Converting is
// a good part of evaluating a large input; a caller that has the facts
// before the engine is compiled (see Load) can convert them meanwhile.
func (in Input) Convert() (Input, error) {
	if in.value != nil {
		return in, nil
	}
	facts := in.Facts
	if facts == nil {
		facts = map[string]any{}
	}
	v, err := ast.InterfaceToValue(facts)
	if err != nil {
		return in, fmt.Errorf("engine: input: %w", err)
	}
	in.value = v
	return in, nil
}

// New loads, checks and compiles the baselines. Every problem found (syntax
// errors, missing or bad metadata, duplicate ids, forbidden builtins) is
// returned together in a *LoadError, before anything is evaluated.
//
// New is Load followed by Compile.
func New(ctx context.Context, baselines []*Baseline, opts ...Option) (*Engine, error) {
	l, err := Load(ctx, baselines, opts...)
	if err != nil {
		return nil, err
	}
	return l.Compile(ctx)
}

// Loaded is a set of baselines that has been parsed and checked but not
// yet compiled. What it says about the rules (which facts they read,
// which files they declare) is known before the expensive compilation,
// so a caller can collect facts while Compile runs.
type Loaded struct {
	engine  *Engine
	caps    *ast.Capabilities
	modules map[string]*ast.Module
	rules   []*Rule
	hasNA   map[string]bool    // rule package -> has a not_applicable rule
	paths   map[string]ast.Ref // rule package -> its path as a ref
	store   storage.Store
	inputs  []string
}

// Rules returns the metadata of the selected rules, in load order (their
// Facts are known only after Compile).
func (l *Loaded) Rules() []Rule {
	out := make([]Rule, len(l.rules))
	for i, r := range l.rules {
		out[i] = *r
	}
	return out
}

// RequiredFacts returns the names of the collectors that the loaded
// modules read, sorted: every input.<name> referenced anywhere. It is
// the union of Engine.RequiredFacts over the rules (a library no rule
// calls may add a name), known before compilation.
func (l *Loaded) RequiredFacts() []string { return l.inputs }

// Files returns the paths and globs the rules declare in custom.files, as
// Engine.Files does.
func (l *Loaded) Files() []string {
	set := map[string]bool{}
	for _, r := range l.rules {
		for _, f := range r.Files {
			set[f] = true
		}
	}
	return sortedKeys(set)
}

// Load parses the baselines and checks everything that needs no
// compilation: syntax, metadata, ids, parameters.
func Load(ctx context.Context, baselines []*Baseline, opts ...Option) (*Loaded, error) {
	if len(baselines) == 0 {
		return nil, errors.New("engine: no baselines")
	}
	e := &Engine{baselines: baselines, parallelism: runtime.GOMAXPROCS(0)}
	for _, o := range opts {
		o(e)
	}
	var ps problems
	caps := Capabilities()
	for _, f := range e.functions {
		caps.Builtins = append(caps.Builtins, f.Builtin())
	}
	// Parse every module, concurrently: with a few hundred rules, parsing
	// is a good part of start-up.
	type source struct {
		name     string // as errors name it: origin/path
		path     string // inside the baseline
		baseline *Baseline
		module   *ast.Module
		err      error
	}
	var sources []*source
	for _, b := range baselines {
		for _, p := range b.regoModules() {
			sources = append(sources, &source{name: b.file(p), path: p, baseline: b})
		}
	}
	parallel(len(sources), e.parallelism, func(i int) {
		src := sources[i]
		text, _ := src.baseline.ReadFile(src.path)
		src.module, src.err = ast.ParseModuleWithOpts(src.name, string(text), ast.ParserOptions{
			ProcessAnnotation: true,
			RegoVersion:       ast.RegoV1,
			Capabilities:      caps,
		})
	})
	modules := map[string]*ast.Module{}
	var order []string // module file names in load order
	moduleBaseline := map[string]*Baseline{}
	for _, src := range sources {
		m, err, name := src.module, src.err, src.name
		if err != nil {
			var errs ast.Errors
			if errors.As(err, &errs) {
				ps.addAST(errs)
			} else {
				ps.add(&ast.Location{File: name}, "%v", err)
			}
			continue
		}
		if m == nil {
			ps.add(&ast.Location{File: name}, "empty module")
			continue
		}
		modules[name] = m
		order = append(order, name)
		moduleBaseline[name] = src.baseline
	}
	if err := ps.err(); err != nil {
		return nil, err
	}

	// A package may span several files; the rule is the package.
	type pkgInfo struct {
		path     string
		modules  []string
		baseline *Baseline
		meta     *ast.Annotations
		hasDeny  bool
		hasNA    bool
		hasFix   bool
	}
	pkgs := map[string]*pkgInfo{}
	var pkgOrder []string
	for _, name := range order {
		m := modules[name]
		path := m.Package.Path.String()
		pi := pkgs[path]
		if pi == nil {
			pi = &pkgInfo{path: path, baseline: moduleBaseline[name]}
			pkgs[path] = pi
			pkgOrder = append(pkgOrder, path)
		} else if pi.baseline != moduleBaseline[name] {
			ps.add(m.Package.Location, "package %s is also defined by baseline %s", strings.TrimPrefix(path, "data."), pi.baseline.Origin)
		}
		pi.modules = append(pi.modules, name)
		for _, a := range m.Annotations {
			if a.Scope != "package" {
				continue
			}
			if pi.meta != nil {
				ps.add(a.Location, "package %s has METADATA in more than one file", strings.TrimPrefix(path, "data."))
				continue
			}
			pi.meta = a
		}
		for _, r := range m.Rules {
			switch r.Head.Name.String() {
			case "deny":
				pi.hasDeny = true
			case "not_applicable":
				pi.hasNA = true
			case "remediate":
				pi.hasFix = true
				if r.Head.RuleKind() != ast.MultiValue {
					ps.add(r.Location, "remediate must be a set of actions: write remediate contains action if { ... }")
				}
			}
		}
	}

	if !e.remediation {
		for _, pi := range pkgs {
			if !pi.hasFix {
				continue
			}
			for _, name := range pi.modules {
				m := modules[name]
				kept := m.Rules[:0:0]
				for _, r := range m.Rules {
					if r.Head.Name.String() != "remediate" {
						kept = append(kept, r)
					}
				}
				m.Rules = kept
			}
		}
	}

	var rules []*Rule
	seen := map[string]*Rule{}
	for _, path := range pkgOrder {
		pi := pkgs[path]
		first := modules[pi.modules[0]]
		isRule := pi.hasDeny || (pi.meta != nil && pi.meta.Custom["id"] != nil)
		if !isRule {
			continue // a library package
		}
		if pi.meta == nil {
			ps.add(first.Package.Location, "rule package %s defines deny but has no METADATA (title, description, custom.id, custom.severity)", strings.TrimPrefix(path, "data."))
			continue
		}
		if !pi.hasDeny {
			ps.add(pi.meta.Location, "rule %v has metadata but no deny rule", pi.meta.Custom["id"])
		}
		r := ruleMeta(pi.meta, &ps)
		r.Package = path
		r.Baseline = pi.baseline.Name
		r.Location = Location{File: pi.meta.Location.File, Line: first.Package.Location.Row}
		r.Remediable = pi.hasFix
		if r.ID != "" {
			if prev, dup := seen[r.ID]; dup {
				ps.add(first.Package.Location, "duplicate rule id %s (also %s:%d)", r.ID, prev.Location.File, prev.Location.Line)
			}
			seen[r.ID] = r
		}
		rules = append(rules, r)
	}
	if err := ps.err(); err != nil {
		return nil, err
	}

	e.params, e.values = resolveParameters(baselines, e.overrides, &ps)
	checkParameterRefs(modules, e.params, &ps)
	if err := ps.err(); err != nil {
		return nil, err
	}
	store := inmem.NewFromObject(map[string]any{"gcrun": map[string]any{"params": e.values}})
	hasNA := map[string]bool{}
	paths := map[string]ast.Ref{}
	for path, pi := range pkgs {
		hasNA[path] = pi.hasNA
		paths[path] = modules[pi.modules[0]].Package.Path
	}
	if e.filter != nil {
		kept := rules[:0]
		for _, r := range rules {
			if e.filter(*r) {
				kept = append(kept, r)
			}
		}
		rules = kept
	}
	// What the rules read, known before compiling, so that collection
	// can start now and skip what no selected rule needs.
	deps := dependenciesOf(modules, true)
	inputs := map[string]bool{}
	for _, r := range rules {
		for _, f := range deps.facts(r.Package) {
			inputs[f] = true
		}
	}
	return &Loaded{engine: e, caps: caps, modules: modules, rules: rules, hasNA: hasNA, paths: paths, store: store, inputs: sortedKeys(inputs)}, nil
}

// Compile compiles the loaded modules (type checks included) and prepares
// one query per rule. A Loaded is compiled once.
func (l *Loaded) Compile(ctx context.Context) (*Engine, error) {
	e, caps, modules, rules, store := l.engine, l.caps, l.modules, l.rules, l.store
	var ps problems
	compiler := ast.NewCompiler().
		WithCapabilities(caps).
		WithEnablePrintStatements(false).
		// Stages that only serve tooling: the capabilities a bundle
		// needs (opa build) and deprecation warnings (gcrun check
		// compiles with every stage). About 5% of start-up.
		WithSkipStages(ast.StageBuildRequiredCapabilities, ast.StageCheckDeprecatedBuiltins)
	compiler.Compile(modules)
	if compiler.Failed() {
		ps.addAST(compiler.Errors)
		return nil, ps.err()
	}

	// Results come in id order: stable across file renames, easy to scan.
	// Sort a copy: Loaded's own slice may be read concurrently (Files,
	// while collection runs during Compile).
	rules = append([]*Rule(nil), rules...)
	sort.SliceStable(rules, func(i, j int) bool { return rules[i].ID < rules[j].ID })

	deps := newDependencies(compiler)
	verdict, err := ast.ParseBodyWithOpts(`reasons := [r | r := data.gcrun_rule.deny[_]]; evidence := [e | e := data.gcrun_rule.evidence]`, ast.ParserOptions{RegoVersion: ast.RegoV1})
	if err != nil {
		return nil, err
	}
	guarded, err := ast.ParseBodyWithOpts(`na := [r | r := data.gcrun_rule.not_applicable[_]]; reasons := [r | count(na) == 0; r := data.gcrun_rule.deny[_]]; evidence := [e | count(na) == 0; e := data.gcrun_rule.evidence]`, ast.ParserOptions{RegoVersion: ast.RegoV1})
	if err != nil {
		return nil, err
	}
	compiled := make([]*compiledRule, len(rules))
	errs := make([]error, len(rules))
	// Preparing a query only reads the shared compiler (OPA's server does
	// the same for concurrent requests), so rules are prepared in parallel.
	parallel(len(rules), e.parallelism, func(i int) {
		r := rules[i]
		r.Facts = deps.facts(r.Package)
		cr := &compiledRule{Rule: *r, hasNA: l.hasNA[r.Package], path: l.paths[r.Package]}
		// One query per rule: preparing is a good part of start-up, so
		// the query is the template with the rule's package put in,
		// not parsed again. When the rule has not_applicable reasons, the
		// guard keeps deny and evidence from being evaluated at all, as
		// the contract says.
		template := verdict
		if cr.hasNA {
			template = guarded
		}
		query, err := queryFor(template, l.paths[r.Package])
		if err != nil {
			errs[i] = fmt.Errorf("engine: rule %s: %w", r.ID, err)
			return
		}
		q, err := e.prepare(ctx, compiler, store, query)
		if err != nil {
			errs[i] = fmt.Errorf("engine: rule %s: %w", r.ID, err)
			return
		}
		cr.verdict = q
		compiled[i] = cr
	})
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	e.rules = compiled
	e.byID = make(map[string]*compiledRule, len(compiled))
	for _, cr := range compiled {
		e.byID[cr.ID] = cr
	}
	e.compiler, e.store = compiler, store
	return e, nil
}

// parallel calls f(0) ... f(n-1) on at most workers goroutines and waits.
func parallel(n, workers int, f func(i int)) {
	workers = max(1, min(workers, n))
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f(i)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

// queryPlaceholder stands for the rule's package in the query templates.
const queryPlaceholder = "gcrun_rule"

// queryFor is a copy of template with data.gcrun_rule replaced by pkg.
// (The templates iterate with [_] rather than "some ... in": the
// transformation does not reach into some-declarations.)
func queryFor(template ast.Body, pkg ast.Ref) (ast.Body, error) {
	out, err := ast.TransformRefs(template.Copy(), func(r ast.Ref) (ast.Value, error) {
		if len(r) >= 2 && r[0].Equal(ast.DefaultRootDocument) && r[1].Value.Compare(ast.String(queryPlaceholder)) == 0 {
			return pkg.Concat(r[2:]), nil
		}
		return r, nil
	})
	if err != nil {
		return nil, err
	}
	return out.(ast.Body), nil
}

func (e *Engine) prepare(ctx context.Context, c *ast.Compiler, store storage.Store, query ast.Body) (rego.PreparedEvalQuery, error) {
	opts := []func(*rego.Rego){
		rego.ParsedQuery(query),
		rego.Compiler(c),
		rego.Store(store),
		rego.StrictBuiltinErrors(true),
		rego.SetRegoVersion(ast.RegoV1),
	}
	for _, f := range e.functions {
		opts = append(opts, f.RegoOption())
	}
	return rego.New(opts...).PrepareForEval(ctx)
}

// Parameters returns the declared parameters with their effective values
// (defaults, or the overrides given with WithParameters), sorted by name.
func (e *Engine) Parameters() []ParameterValue {
	out := make([]ParameterValue, 0, len(e.params))
	for name, p := range e.params {
		out = append(out, ParameterValue{Parameter: p, Value: e.values[name]})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// ParameterValue is a declared parameter and the value rules see.
type ParameterValue struct {
	Parameter
	Value any `json:"value"`
}

// Baselines returns the baselines the engine was built from.
func (e *Engine) Baselines() []*Baseline { return append([]*Baseline(nil), e.baselines...) }

// Rules returns the metadata of every rule, sorted by id.
func (e *Engine) Rules() []Rule {
	out := make([]Rule, len(e.rules))
	for i, r := range e.rules {
		out[i] = r.Rule
	}
	return out
}

// RequiredFacts returns the names of the collectors whose facts the rules
// read, sorted. "*" among them means some rule reads the whole input.
func (e *Engine) RequiredFacts() []string {
	set := map[string]bool{}
	for _, r := range e.rules {
		for _, f := range r.Facts {
			set[f] = true
		}
	}
	return sortedKeys(set)
}

// Files returns the paths and globs the rules declare in custom.files,
// sorted and without duplicates.
func (e *Engine) Files() []string {
	set := map[string]bool{}
	for _, r := range e.rules {
		for _, f := range r.Files {
			set[f] = true
		}
	}
	return sortedKeys(set)
}

func sortedKeys(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Evaluate evaluates every rule against in and returns one result per rule,
// in the order of Rules. A rule that cannot be evaluated gets StatusError;
// it never stops the others. The error is non-nil only when the input
// cannot be converted or ctx ends.
func (e *Engine) Evaluate(ctx context.Context, in Input) ([]Result, error) {
	in, err := in.Convert()
	if err != nil {
		return nil, err
	}
	value := in.value
	results := make([]Result, len(e.rules))
	// Prepared queries are safe for concurrent use; rules are independent.
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(e.parallelism, len(e.rules)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				results[i] = e.rules[i].evaluate(ctx, value, in.Errors)
			}
		}()
	}
	for i := range e.rules {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return results, nil
}

func (r *compiledRule) evaluate(ctx context.Context, input ast.Value, factErrors map[string]string) (res Result) {
	start := time.Now()
	res.Rule = &r.Rule
	defer func() {
		// One rule must never take the others down, even through a bug
		// in a builtin.
		if p := recover(); p != nil {
			res = Result{Rule: &r.Rule, Status: StatusError, Error: fmt.Sprintf("evaluation panicked: %v", p)}
		}
		res.Duration = time.Since(start)
	}()
	if msg := r.missingFacts(factErrors); msg != "" {
		res.Status, res.Error = StatusError, msg
		return res
	}
	rs, err := r.verdict.Eval(ctx, rego.EvalParsedInput(input))
	if err != nil {
		res.Status, res.Error = StatusError, evalError(err)
		return res
	}
	if r.hasNA {
		na, err := toReasons(rs, "na")
		if err != nil {
			res.Status, res.Error = StatusError, "not_applicable: "+err.Error()
			return res
		}
		if len(na) > 0 {
			res.Status, res.Reasons = StatusNotApplicable, na
			return res
		}
	}
	reasons, err := toReasons(rs, "reasons")
	if err != nil {
		res.Status, res.Error = StatusError, "deny: "+err.Error()
		return res
	}
	if ev := binding(rs, "evidence"); ev != nil {
		list, _ := ev.([]any)
		if len(list) == 1 {
			m, ok := list[0].(map[string]any)
			if !ok {
				res.Status, res.Error = StatusError, fmt.Sprintf("evidence must be an object, got %T", list[0])
				return res
			}
			res.Evidence = m
		}
	}
	res.Reasons = reasons
	res.Status = StatusPass
	if len(reasons) > 0 {
		res.Status = StatusFail
	}
	return res
}

// missingFacts names the failed collectors the rule depends on.
func (r *compiledRule) missingFacts(factErrors map[string]string) string {
	if len(factErrors) == 0 {
		return ""
	}
	var msgs []string
	for _, f := range r.Facts {
		if f == "*" {
			for _, name := range sortedKeys(keysOf(factErrors)) {
				msgs = append(msgs, fmt.Sprintf("collector %s failed: %s", name, factErrors[name]))
			}
			break
		}
		if msg, ok := factErrors[f]; ok {
			msgs = append(msgs, fmt.Sprintf("collector %s failed: %s", f, msg))
		}
	}
	return strings.Join(msgs, "; ")
}

func keysOf(m map[string]string) map[string]bool {
	out := make(map[string]bool, len(m))
	for k := range m {
		out[k] = true
	}
	return out
}

func evalError(err error) string {
	var te *topdown.Error
	if errors.As(err, &te) && te.Location != nil {
		return fmt.Sprintf("%s:%d: %s", te.Location.File, te.Location.Row, te.Message)
	}
	return err.Error()
}

func compactJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func binding(rs rego.ResultSet, name string) any {
	if len(rs) != 1 {
		return nil
	}
	return rs[0].Bindings[name]
}

// toReasons checks every reason against the contract: an object with a
// non-empty string code and phrase.
func toReasons(rs rego.ResultSet, name string) ([]Reason, error) {
	raw := binding(rs, name)
	if raw == nil {
		return nil, nil
	}
	list, ok := raw.([]any)
	if !ok {
		return nil, fmt.Errorf("reasons must be a set, got %T", raw)
	}
	out := make([]Reason, 0, len(list))
	for _, item := range list {
		m, ok := item.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("malformed reason %s: must be an object with code and phrase", compactJSON(item))
		}
		code, _ := m["code"].(string)
		phrase, _ := m["phrase"].(string)
		if code == "" || phrase == "" {
			return nil, fmt.Errorf("malformed reason %s: code and phrase must be non-empty strings", compactJSON(item))
		}
		reason := Reason{Code: code, Phrase: phrase, Expected: m["expected"], Actual: m["actual"]}
		for k := range m {
			switch k {
			case "code", "phrase", "expected", "actual":
			case "evidence":
				ev, ok := m[k].(map[string]any)
				if !ok {
					return nil, fmt.Errorf("malformed reason %q: evidence must be an object", code)
				}
				reason.Evidence = ev
			default:
				return nil, fmt.Errorf("malformed reason %q: unknown field %q", code, k)
			}
		}
		out = append(out, reason)
	}
	// Set order from Rego is deterministic, but sort by code and phrase so
	// reports diff cleanly across OPA versions.
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Code != out[j].Code {
			return out[i].Code < out[j].Code
		}
		return out[i].Phrase < out[j].Phrase
	})
	return out, nil
}

// Remediates says whether the engine was compiled WithRemediation.
func (e *Engine) Remediates() bool { return e.remediation }

// Action is one typed remediation action a rule declares in its remediate
// set: an object with a "type" and the fields of that type. The engine
// only evaluates it; what the types mean, and whether an action is well
// formed, is for the code that applies them.
type Action = map[string]any

// Remediation evaluates the remediate set of the rule with the given id
// against in and returns its actions, in the set's (sorted) order. A rule
// without a remediate set returns none. Rego computes actions; it never
// executes anything, so evaluating them is as safe as evaluating deny.
//
// Callers should ask only for rules that failed against the same input:
// the contract is that remediate is empty for a passing rule, but the
// engine does not enforce it.
func (e *Engine) Remediation(ctx context.Context, in Input, id string) ([]Action, error) {
	r, ok := e.byID[id]
	if !ok {
		return nil, fmt.Errorf("engine: remediation: no rule %s", id)
	}
	if !r.Remediable {
		return nil, nil
	}
	if !e.remediation {
		return nil, fmt.Errorf("engine: remediation: rule %s: the engine was compiled without WithRemediation", id)
	}
	r.fixOnce.Do(func() {
		query, err := ast.ParseBodyWithOpts(`actions := [a | a := data.gcrun_rule.remediate[_]]`, ast.ParserOptions{RegoVersion: ast.RegoV1})
		if err == nil {
			query, err = queryFor(query, r.path)
		}
		if err == nil {
			r.fix, err = e.prepare(ctx, e.compiler, e.store, query)
		}
		r.fixErr = err
	})
	if r.fixErr != nil {
		return nil, fmt.Errorf("engine: rule %s: remediate: %w", id, r.fixErr)
	}
	in, err := in.Convert()
	if err != nil {
		return nil, err
	}
	if msg := r.missingFacts(in.Errors); msg != "" {
		return nil, fmt.Errorf("engine: rule %s: remediate: %s", id, msg)
	}
	rs, err := r.fix.Eval(ctx, rego.EvalParsedInput(in.value))
	if err != nil {
		return nil, fmt.Errorf("engine: rule %s: remediate: %s", id, evalError(err))
	}
	raw, _ := binding(rs, "actions").([]any)
	out := make([]Action, 0, len(raw))
	for _, a := range raw {
		m, ok := a.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("engine: rule %s: remediate: an action must be an object, got %s", id, compactJSON(a))
		}
		out = append(out, m)
	}
	return out, nil
}
