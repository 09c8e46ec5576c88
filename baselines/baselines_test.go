package baselines_test

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/format"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
	"github.com/open-policy-agent/opa/v1/tester"
	"github.com/open-policy-agent/opa/v1/topdown"
	"gopkg.in/yaml.v3"

	"github.com/gcrun/gcrun/baselines"
	"github.com/gcrun/gcrun/engine"
)

// minRules is the least number of rules the default pack must have.
const minRules = 30

// pack is the parsed default pack.
type pack struct {
	modules  map[string]*ast.Module // every .rego file, by path in the pack
	files    []string               // every file of the pack, sorted
	manifest engine.Manifest        // pack.yaml
}

func (p *pack) isTest(name string) bool { return strings.HasSuffix(name, "_test.rego") }

// load parses every Rego file of the embedded pack the way the engine does
// (Rego v1, annotations processed), failing the test on any parse error.
func load(t *testing.T) *pack {
	t.Helper()
	fsys := baselines.Linux()
	p := &pack{modules: map[string]*ast.Module{}}
	caps := engine.Capabilities()
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		p.files = append(p.files, name)
		if !strings.HasSuffix(name, ".rego") {
			return nil
		}
		src, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		m, err := ast.ParseModuleWithOpts(name, string(src), ast.ParserOptions{
			ProcessAnnotation: true,
			RegoVersion:       ast.RegoV1,
			Capabilities:      caps,
		})
		if err != nil {
			t.Errorf("parse: %v", err)
			return nil
		}
		p.modules[name] = m
		return nil
	})
	if err != nil {
		t.Fatalf("walk the embedded pack: %v", err)
	}
	if t.Failed() {
		t.FailNow()
	}
	sort.Strings(p.files)
	data, err := fs.ReadFile(fsys, engine.PackFile)
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&p.manifest); err != nil {
		t.Fatalf("pack.yaml: %v", err)
	}
	return p
}

// store holds what the engine puts under data: the default of every
// parameter pack.yaml declares, at data.gcrun.params.<name>. Rules and tests
// see the defaults unless a test overrides one with `with`.
func (p *pack) store() storage.Store {
	params := map[string]any{}
	for _, prm := range p.manifest.Parameters {
		params[prm.Name] = prm.Default
	}
	return inmem.NewFromObject(map[string]any{"gcrun": map[string]any{"params": params}})
}

// strictCompiler is the compiler the Rego tests run with: strict mode makes
// unused variables and imports, shadowed keywords and deprecated builtins
// errors; the capabilities are the engine's.
func strictCompiler() *ast.Compiler {
	return ast.NewCompiler().
		WithStrict(true).
		WithCapabilities(engine.Capabilities()).
		WithEnablePrintStatements(true).
		WithDefaultRegoVersion(ast.RegoV1)
}

// compile compiles modules strictly, failing the test with every error.
func compile(t *testing.T, modules map[string]*ast.Module) *ast.Compiler {
	t.Helper()
	c := strictCompiler()
	if c.Compile(modules); c.Failed() {
		for _, e := range c.Errors {
			t.Errorf("compile: %v", e)
		}
		t.FailNow()
	}
	return c
}

// TestRego runs every Rego unit test of the pack. A failing or erroring
// test is reported with its name and location and, for a failure, the
// expression it failed at.
func TestRego(t *testing.T) {
	p := load(t)
	ctx := context.Background()
	results := runRegoTests(ctx, t, p, "", false)
	if len(results) == 0 {
		t.Fatal("no Rego tests found")
	}
	var failed []*tester.Result
	pass := 0
	for _, r := range results {
		switch {
		case r.Error != nil:
			t.Errorf("%s: %s.%s: ERROR: %v", loc(r.Location), strings.TrimPrefix(r.Package, "data."), r.Name, r.Error)
		case r.Fail:
			failed = append(failed, r)
		case r.Skip:
			t.Errorf("%s: %s.%s: skipped (todo_ tests are not allowed in the pack)", loc(r.Location), strings.TrimPrefix(r.Package, "data."), r.Name)
		default:
			pass++
		}
	}
	for _, r := range failed {
		where := failedAt(ctx, t, p, r)
		t.Errorf("%s: %s.%s: FAIL%s%s", loc(r.Location), strings.TrimPrefix(r.Package, "data."), r.Name, where, output(r))
	}
	t.Logf("%d Rego tests, %d passed", len(results), pass)
}

func runRegoTests(ctx context.Context, t *testing.T, p *pack, filter string, trace bool) []*tester.Result {
	t.Helper()
	runner := tester.NewRunner().
		SetCompiler(strictCompiler()).
		SetDefaultRegoVersion(ast.RegoV1).
		SetModules(p.modules).
		SetStore(p.store()).
		RaiseBuiltinErrors(true).
		EnableTracing(trace).
		SetTimeout(time.Minute)
	if filter != "" {
		runner = runner.Filter(filter)
	}
	ch, err := runner.RunTests(ctx, nil)
	if err != nil {
		if errs, ok := err.(ast.Errors); ok {
			for _, e := range errs {
				t.Errorf("compile: %v", e)
			}
			t.FailNow()
		}
		t.Fatalf("run Rego tests: %v", err)
	}
	var results []*tester.Result
	for r := range ch {
		results = append(results, r)
	}
	sort.Slice(results, func(i, j int) bool {
		if results[i].Package != results[j].Package {
			return results[i].Package < results[j].Package
		}
		return results[i].Name < results[j].Name
	})
	return results
}

// failedAt re-runs one failed test with tracing and returns the last
// expression of the test's body that failed: "\n\tfailed at file:row: expr".
func failedAt(ctx context.Context, t *testing.T, p *pack, r *tester.Result) string {
	rs := runRegoTests(ctx, t, p, "^"+regexp.QuoteMeta(r.Package+"."+r.Name)+"$", true)
	for _, rr := range rs {
		var last *topdown.Event
		for _, e := range rr.Trace {
			expr, ok := e.Node.(*ast.Expr)
			if !ok || e.Op != topdown.FailOp || e.Location == nil || r.Location == nil {
				continue
			}
			if e.Location.File == r.Location.File && expr.Location.Row >= r.Location.Row {
				last = e
			}
		}
		if last != nil {
			text := string(last.Location.Text)
			if text == "" {
				text = last.Node.String()
			}
			return fmt.Sprintf("\n\tfailed at %s: %s", loc(last.Location), text)
		}
	}
	return ""
}

func output(r *tester.Result) string {
	if len(r.Output) == 0 {
		return ""
	}
	return "\n\tprint output:\n\t\t" + strings.ReplaceAll(strings.TrimSpace(string(r.Output)), "\n", "\n\t\t")
}

func loc(l *ast.Location) string {
	if l == nil {
		return "?"
	}
	return fmt.Sprintf("baselines/linux/%s:%d", l.File, l.Row)
}

// rule is what the contract checks need to know about a rule package.
type rule struct {
	pkg       string // gcrun.linux.ssh.permit_root_login
	file      string // ssh/permit_root_login.rego
	meta      *ast.Annotations
	deny, na  bool
	evidence  bool
	fix       bool // has a remediate rule
	testNames []string
}

var (
	idPattern  = regexp.MustCompile(`^GCL-[A-Z]+-[0-9]{3}$`)
	severities = map[string]bool{"critical": true, "high": true, "medium": true, "low": true, "info": true}
	benchmarks = map[string]*regexp.Regexp{
		"cis-debian-linux-12-v1.1.0": regexp.MustCompile(`^[0-9]+(\.[0-9]+)+$`),
		"cis-debian-linux-12-v1.0.1": regexp.MustCompile(`^[0-9]+(\.[0-9]+)+$`),
		"dev-sec-ssh-baseline":       regexp.MustCompile(`^sshd-[0-9]{2}$`),
		"dev-sec-linux-baseline":     regexp.MustCompile(`^[a-z]+-[0-9]{2}[a-z]?$`),
	}
	// areas maps each directory of the pack (the third part of a rule's
	// package name) to the prefix of its rule ids and the collectors its
	// rules may read. A rule reads at least one of them and nothing else:
	// the engine runs only the collectors a rule reads, and a failed
	// collector turns exactly its rules into errors.
	areas = map[string]area{
		"ssh":        {"GCL-SSH-", []string{"sshd"}},
		"files":      {"GCL-FILE-", []string{"files"}},
		"packages":   {"GCL-PKG-", []string{"packages"}},
		"accounts":   {"GCL-ACCT-", []string{"users"}},
		"auth":       {"GCL-AUTH-", []string{"login"}},
		"sysctl":     {"GCL-SYSCTL-", []string{"sysctl"}},
		"modules":    {"GCL-KMOD-", []string{"kernel_modules"}},
		"mounts":     {"GCL-MOUNT-", []string{"mounts"}},
		"services":   {"GCL-SVC-", []string{"systemd", "packages"}},
		"cron":       {"GCL-CRON-", []string{"cron"}},
		"sudo":       {"GCL-SUDO-", []string{"sudoers"}},
		"banners":    {"GCL-BANNER-", []string{"banners"}},
		"logging":    {"GCL-LOG-", []string{"logging", "packages", "systemd"}},
		"audit":      {"GCL-AUDIT-", []string{"audit", "packages", "systemd"}},
		"mac":        {"GCL-MAC-", []string{"mac", "packages"}},
		"filesystem": {"GCL-FS-", []string{"sweep"}},
	}
	customKeys = map[string]bool{"id": true, "severity": true, "references": true, "remediation": true, "tags": true, "files": true}
)

// area is one directory of the pack: see areas.
type area struct {
	prefix     string
	collectors []string
}

// rules finds the rule packages of the pack (a package with custom.id or
// deny) and the tests of each (the rules of package <pkg>_test).
func rules(t *testing.T, p *pack) map[string]*rule {
	t.Helper()
	out := map[string]*rule{}
	libs := map[string]bool{}
	tests := map[string][]string{}
	for name, m := range p.modules {
		pkg := strings.TrimPrefix(m.Package.Path.String(), "data.")
		if p.isTest(name) {
			for _, r := range m.Rules {
				if n := r.Head.Name.String(); strings.HasPrefix(n, "test_") {
					tests[pkg] = append(tests[pkg], n)
				}
			}
			continue
		}
		var meta *ast.Annotations
		for _, a := range m.Annotations {
			if a.Scope == "package" {
				meta = a
			}
		}
		r := &rule{pkg: pkg, file: name, meta: meta}
		for _, rr := range m.Rules {
			switch rr.Head.Name.String() {
			case "deny":
				r.deny = true
			case "not_applicable":
				r.na = true
			case "evidence":
				r.evidence = true
			case "remediate":
				r.fix = true
			}
		}
		if !r.deny && (meta == nil || meta.Custom["id"] == nil) {
			libs[pkg] = true
			if meta != nil {
				t.Errorf("%s: library package %s has METADATA; libraries document themselves in plain comments", name, pkg)
			}
			continue
		}
		if prev, dup := out[pkg]; dup {
			t.Errorf("%s: package %s is also defined in %s: one file per rule", name, pkg, prev.file)
		}
		out[pkg] = r
	}
	for pkg, names := range tests {
		rulePkg := strings.TrimSuffix(pkg, "_test")
		if r, ok := out[rulePkg]; ok {
			r.testNames = append(r.testNames, names...)
		}
	}
	if len(libs) == 0 {
		t.Error("no library packages found")
	}
	return out
}

// TestContract checks the rules against the contract of baselines/README.md
// and the conventions of this pack.
func TestContract(t *testing.T) {
	p := load(t)
	rs := rules(t, p)
	if len(rs) < minRules {
		t.Errorf("the pack has %d rules, want at least %d", len(rs), minRules)
	}
	ids := map[string]string{}
	for _, pkg := range sortedKeys(rs) {
		r := rs[pkg]
		at := r.file
		if r.meta == nil {
			t.Errorf("%s: rule package %s has no METADATA", at, pkg)
			continue
		}
		at = fmt.Sprintf("%s:%d", r.file, r.meta.Location.Row)
		if !strings.HasPrefix(pkg, "gcrun.linux.") {
			t.Errorf("%s: package %s is not under gcrun.linux", at, pkg)
		}
		if !r.deny {
			t.Errorf("%s: rule %s has no deny rule", at, pkg)
		}
		if strings.TrimSpace(r.meta.Title) == "" {
			t.Errorf("%s: rule %s has no title", at, pkg)
		}
		if strings.TrimSpace(r.meta.Description) == "" {
			t.Errorf("%s: rule %s has no description", at, pkg)
		}
		for k := range r.meta.Custom {
			if !customKeys[k] {
				t.Errorf("%s: unknown field custom.%s", at, k)
			}
		}
		id, _ := r.meta.Custom["id"].(string)
		switch {
		case !idPattern.MatchString(id):
			t.Errorf("%s: custom.id %q does not match %s", at, id, idPattern)
		case ids[id] != "":
			t.Errorf("%s: custom.id %s is also used by %s", at, id, ids[id])
		default:
			ids[id] = pkg
		}
		area := strings.Split(pkg, ".")[2] // ssh, files, packages, ...
		wantPrefix := areas[area].prefix
		if wantPrefix == "" || !strings.HasPrefix(id, wantPrefix) {
			t.Errorf("%s: rule %s in area %q has id %s", at, pkg, area, id)
		}
		if sev, _ := r.meta.Custom["severity"].(string); !severities[sev] {
			t.Errorf("%s: custom.severity %v is not one of critical, high, medium, low, info", at, r.meta.Custom["severity"])
		}
		if s, ok := r.meta.Custom["remediation"].(string); !ok || strings.TrimSpace(s) == "" {
			t.Errorf("%s: rule %s has no custom.remediation", at, pkg)
		}
		checkStrings(t, at, "tags", r.meta.Custom["tags"], nil)
		if refs, ok := r.meta.Custom["references"]; ok {
			m, ok := refs.(map[string]any)
			if !ok {
				t.Errorf("%s: custom.references is not a map", at)
			}
			for bench, ctrls := range m {
				pat, known := benchmarks[bench]
				if !known {
					t.Errorf("%s: custom.references: unknown benchmark %q", at, bench)
					continue
				}
				checkStrings(t, at, "references."+bench, ctrls, pat)
			}
		}
		if files, ok := r.meta.Custom["files"]; ok {
			checkStrings(t, at, "files", files, regexp.MustCompile(`^/`))
		} else if area == "files" {
			t.Errorf("%s: file rule %s declares no custom.files", at, pkg)
		}
		if !r.evidence {
			t.Errorf("%s: rule %s has no evidence rule", at, pkg)
		}

		// Every rule file X.rego has X_test.rego beside it, in package <pkg>_test.
		testFile := strings.TrimSuffix(r.file, ".rego") + "_test.rego"
		if m, ok := p.modules[testFile]; !ok {
			t.Errorf("%s: rule %s has no test file %s", at, pkg, testFile)
		} else if got := strings.TrimPrefix(m.Package.Path.String(), "data."); got != pkg+"_test" {
			t.Errorf("%s: package %s, want %s_test", testFile, got, pkg)
		}
		want := []string{"test_pass_", "test_fail_"}
		if r.na {
			want = append(want, "test_not_applicable_")
		}
		if area == "ssh" {
			want = append(want, "test_match_")
		}
		if r.fix {
			// Actions are a promise to change a host: each rule's are
			// pinned down by its own tests.
			want = append(want, "test_remediate_")
		}
		for _, prefix := range want {
			if !hasPrefix(r.testNames, prefix) {
				t.Errorf("%s: rule %s (%s) has no %s* test", at, pkg, id, prefix)
			}
		}
		for _, n := range r.testNames {
			if !hasPrefix([]string{n}, "test_pass_", "test_fail_", "test_not_applicable_", "test_match_", "test_evidence_", "test_remediate_") {
				t.Errorf("%s: test %s of %s: name it test_pass_*, test_fail_*, test_not_applicable_*, test_match_*, test_evidence_* or test_remediate_*", testFile, n, pkg)
			}
		}
		if dup := duplicates(r.testNames); len(dup) > 0 {
			t.Errorf("%s: duplicate test names %v", testFile, dup)
		}
	}
	t.Logf("%d rules", len(rs))
}

// TestFacts checks that each rule reads exactly its own collector, directly
// or through the libraries it calls: the engine runs only the collectors a
// rule reads, and a failed collector turns exactly its rules into errors, so
// a library reading a second collector would drag every caller along.
func TestFacts(t *testing.T) {
	p := load(t)
	inputs := map[string]map[string]bool{} // package -> input keys read directly
	calls := map[string]map[string]bool{}  // package -> packages referenced
	var pkgs []string
	for name, m := range p.modules {
		if p.isTest(name) {
			continue
		}
		pkg := m.Package.Path.String()
		pkgs = append(pkgs, pkg)
		inputs[pkg], calls[pkg] = map[string]bool{}, map[string]bool{}
	}
	for name, m := range p.modules {
		if p.isTest(name) {
			continue
		}
		pkg := m.Package.Path.String()
		ast.WalkRefs(m, func(ref ast.Ref) bool {
			switch {
			case ref.HasPrefix(ast.InputRootRef):
				key := "*"
				if len(ref) > 1 {
					if s, ok := ref[1].Value.(ast.String); ok {
						key = string(s)
					}
				}
				inputs[pkg][key] = true
			case ref.HasPrefix(ast.DefaultRootRef):
				for _, other := range pkgs {
					if s := ref.String(); other != pkg && (s == other || strings.HasPrefix(s, other+".")) {
						calls[pkg][other] = true
					}
				}
			}
			return false
		})
	}
	for pkg, r := range rules(t, p) {
		seen, keys := map[string]bool{}, map[string]bool{}
		var visit func(string)
		visit = func(q string) {
			if seen[q] {
				return
			}
			seen[q] = true
			for k := range inputs[q] {
				keys[k] = true
			}
			for c := range calls[q] {
				visit(c)
			}
		}
		visit("data." + pkg)
		allowed := areas[strings.Split(pkg, ".")[2]].collectors
		ok := len(keys) > 0
		for k := range keys {
			ok = ok && slices.Contains(allowed, k)
		}
		if !ok {
			t.Errorf("%s: rule %s reads input %v, want some of input.%v and nothing else", r.file, pkg, sortedKeys(keys), allowed)
		}
	}
}

// TestFormat checks that every Rego file is formatted like `opa fmt` does.
func TestFormat(t *testing.T) {
	fsys := baselines.Linux()
	p := load(t)
	for name := range p.modules {
		src, err := fs.ReadFile(fsys, name)
		if err != nil {
			t.Fatal(err)
		}
		out, err := format.SourceWithOpts(name, src, format.Opts{RegoVersion: ast.RegoV1})
		if err != nil {
			t.Errorf("%s: %v", name, err)
		} else if !bytes.Equal(out, src) {
			t.Errorf("baselines/linux/%s is not formatted (run opa fmt -w, or format.Source)", name)
		}
	}
}

// TestPack checks pack.yaml and the layout of the pack.
func TestPack(t *testing.T) {
	p := load(t)
	m := p.manifest
	if m.Name != "linux" || !regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+$`).MatchString(m.Version) || m.Description == "" {
		t.Errorf("pack.yaml: name %q version %q description %q", m.Name, m.Version, m.Description)
	}
	for name := range p.modules {
		if p.isTest(name) || strings.HasPrefix(name, "lib/fixtures") {
			continue
		}
		testFile := strings.TrimSuffix(name, ".rego") + "_test.rego"
		if _, ok := p.modules[testFile]; !ok {
			t.Errorf("%s has no test file %s", name, testFile)
		}
	}
	for _, f := range p.files {
		dir := path.Dir(f)
		switch {
		case f == "pack.yaml":
		case strings.HasSuffix(f, ".rego") && (areas[dir].prefix != "" || dir == "lib"):
		case path.Base(f) == "README.md" && areas[dir].prefix != "": // an area's inventory of its rules against their sources
		default:
			t.Errorf("unexpected file %s in the pack", f)
		}
	}
}

// TestParameters checks pack.yaml's parameters against the rules: the
// engine accepts the pack (declared types and defaults agree, every
// parameter a rule reads is declared); every declaration is documented and
// read by some rule; no module, tests included, names an undeclared
// parameter (a test that overrides a misspelt name tests nothing); and every
// rule that reads a parameter has a test that overrides it.
func TestParameters(t *testing.T) {
	p := load(t)
	base, err := engine.LoadBaseline(baselines.Linux(), "builtin:linux")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := engine.New(context.Background(), []*engine.Baseline{base}); err != nil {
		t.Fatalf("the engine rejects the pack: %v", err)
	}
	namePattern := regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	declared := map[string]bool{}
	for _, prm := range p.manifest.Parameters {
		if !namePattern.MatchString(prm.Name) {
			t.Errorf("pack.yaml: parameter %q: name must match %s", prm.Name, namePattern)
		}
		if strings.TrimSpace(prm.Description) == "" {
			t.Errorf("pack.yaml: parameter %s has no description", prm.Name)
		}
		if declared[prm.Name] {
			t.Errorf("pack.yaml: parameter %s declared twice", prm.Name)
		}
		declared[prm.Name] = true
	}

	root := ast.MustParseRef(engine.ParamsRoot)
	name := func(ref ast.Ref) (string, bool) {
		if !ref.HasPrefix(root) || len(ref) <= len(root) {
			return "", false
		}
		s, ok := ref[len(root)].Value.(ast.String)
		return string(s), ok
	}
	read := map[string]map[string]bool{}       // rule or library package -> parameters it reads
	overridden := map[string]map[string]bool{} // test package -> parameters its tests override
	used := map[string]bool{}
	for _, file := range sortedKeys(p.modules) {
		m := p.modules[file]
		pkg := strings.TrimPrefix(m.Package.Path.String(), "data.")
		ast.WalkRefs(m, func(ref ast.Ref) bool {
			if !ref.HasPrefix(root) {
				return false
			}
			n, ok := name(ref)
			at := file
			if ref[0].Location != nil {
				at = fmt.Sprintf("%s:%d", file, ref[0].Location.Row)
			}
			switch {
			case !ok:
				t.Errorf("%s: %v: read parameters by their literal name", at, ref)
			case !declared[n]:
				t.Errorf("%s: parameter %s is not declared in pack.yaml", at, n)
			case !p.isTest(file):
				if read[pkg] == nil {
					read[pkg] = map[string]bool{}
				}
				read[pkg][n] = true
				used[n] = true
			}
			return false
		})
		if !p.isTest(file) {
			continue
		}
		ast.WalkExprs(m, func(e *ast.Expr) bool {
			for _, w := range e.With {
				if ref, ok := w.Target.Value.(ast.Ref); ok {
					if n, ok := name(ref); ok {
						if overridden[pkg] == nil {
							overridden[pkg] = map[string]bool{}
						}
						overridden[pkg][n] = true
					}
				}
			}
			return false
		})
	}
	for _, prm := range p.manifest.Parameters {
		if !used[prm.Name] {
			t.Errorf("pack.yaml: parameter %s is read by no rule", prm.Name)
		}
	}
	rs := rules(t, p)
	for pkg := range read {
		if _, isRule := rs[pkg]; !isRule {
			t.Errorf("library %s reads parameters %v: rules read them and pass them on, so that each rule's parameters are visible in its own package", pkg, sortedKeys(read[pkg]))
		}
	}
	for _, pkg := range sortedKeys(rs) {
		for _, n := range sortedKeys(read[pkg]) {
			if !overridden[pkg+"_test"][n] {
				t.Errorf("%s: rule %s reads parameter %s, but no test of it overrides it (with data.gcrun.params.%s as ...)", rs[pkg].file, pkg, n, n)
			}
		}
	}
	t.Logf("%d parameters", len(p.manifest.Parameters))
}

// host is a facts document built by the test fixtures, and what each rule
// should report for it.
type host struct {
	name   string
	input  string              // a rule of data.gcrun.linux.lib.fixtures
	status map[string]string   // rule id -> status; rules not listed: def
	def    string              // status of the rules not listed
	codes  map[string][]string // rule id -> expected sorted reason codes (optional)
}

// TestHosts evaluates every rule the way the engine does (not_applicable
// first, then deny and evidence, with strict builtin errors) against whole
// hosts built by the fixtures, checks each reason's shape and the expected
// status of each rule.
func TestHosts(t *testing.T) {
	p := load(t)
	c := &evaluator{compiler: compile(t, p.modules), store: p.store()}
	rs := rules(t, p)
	ctx := context.Background()

	hosts := []host{
		{
			name:  "hardened",
			input: "hardened_host",
			def:   "pass",
			// Rules about a feature the hardened server has switched off
			// (host-based, Kerberos and GSSAPI authentication, X11
			// forwarding) do not apply.
			status: map[string]string{
				"GCL-SSH-027": "not_applicable", "GCL-SSH-029": "not_applicable", "GCL-SSH-030": "not_applicable",
				"GCL-SSH-031": "not_applicable", "GCL-SSH-035": "not_applicable",
			},
		},
		{
			name:  "empty root (no sshd_config, no dpkg, no account files)",
			input: "empty_host",
			def:   "not_applicable",
			status: map[string]string{
				"GCL-FILE-001": "fail", "GCL-FILE-002": "fail", "GCL-FILE-003": "fail",
			},
			codes: map[string][]string{
				"GCL-FILE-001": {"missing"}, "GCL-FILE-002": {"missing"}, "GCL-FILE-003": {"missing"},
			},
		},
		{
			name:  "stock Debian 12",
			input: "debian12_host",
			def:   "pass",
			status: map[string]string{
				"GCL-SSH-001":  "fail",           // without-password
				"GCL-SSH-002":  "fail",           // PasswordAuthentication yes
				"GCL-SSH-004":  "fail",           // X11Forwarding yes
				"GCL-SSH-005":  "fail",           // MaxAuthTries 6
				"GCL-SSH-010":  "fail",           // LoginGraceTime 120
				"GCL-SSH-011":  "fail",           // ClientAliveInterval 0
				"GCL-SSH-012":  "fail",           // MaxStartups 10:30:100
				"GCL-SSH-014":  "fail",           // AllowTcpForwarding yes
				"GCL-SSH-016":  "fail",           // Banner none
				"GCL-SSH-018":  "fail",           // umac-64, hmac-sha1, non-etm MACs
				"GCL-SSH-019":  "fail",           // diffie-hellman-group14-sha256
				"GCL-SSH-020":  "fail",           // AllowAgentForwarding yes
				"GCL-SSH-023":  "fail",           // no AllowUsers/AllowGroups/DenyUsers/DenyGroups
				"GCL-SSH-024":  "fail",           // DisableForwarding no
				"GCL-SSH-027":  "not_applicable", // HostbasedAuthentication no
				"GCL-SSH-029":  "not_applicable", // KerberosAuthentication no
				"GCL-SSH-030":  "not_applicable", // KerberosAuthentication no
				"GCL-SSH-031":  "not_applicable", // GSSAPIAuthentication no
				"GCL-SSH-032":  "fail",           // TCPKeepAlive yes
				"GCL-SSH-037":  "fail",           // PrintLastLog yes
				"GCL-SSH-040":  "fail",           // listens on 0.0.0.0 and ::
				"GCL-SSH-043":  "fail",           // DebianBanner yes (the default)
				"GCL-SSH-045":  "fail",           // a 3072-bit RSA host key, dev-sec wants 4096
				"GCL-FILE-009": "fail",           // sshd_config 0644
			},
			codes: map[string][]string{
				"GCL-SSH-018":  {"mac", "mac", "mac", "mac", "mac", "mac", "mac"},
				"GCL-SSH-019":  {"kex_algorithm"},
				"GCL-SSH-040":  {"listen_address", "listen_address"},
				"GCL-FILE-009": {"mode"},
			},
		},
	}
	for _, h := range hosts {
		t.Run(h.name, func(t *testing.T) {
			input := eval(ctx, t, c, "data.gcrun.linux.lib.fixtures."+h.input, nil)
			if input == nil {
				t.Fatalf("fixture %s is undefined", h.input)
			}
			// Each area adds its expectations for the host in Rego, beside
			// its facts: expect.<host>[id] := status.
			expected := maps.Clone(h.status)
			if expected == nil {
				expected = map[string]string{}
			}
			if more, ok := eval(ctx, t, c, "data.gcrun.linux.lib.fixtures.expect."+h.input, nil).(map[string]any); ok {
				for id, s := range more {
					if _, dup := expected[id]; dup {
						t.Errorf("expectation for %s on %s given twice", id, h.input)
					}
					expected[id], _ = s.(string)
				}
			}
			seen := map[string]bool{}
			for _, pkg := range sortedKeys(rs) {
				r := rs[pkg]
				id, _ := r.meta.Custom["id"].(string)
				seen[id] = true
				status, reasons := verdict(ctx, t, c, r, input)
				want := h.def
				if s, ok := expected[id]; ok {
					want = s
				}
				if status != want {
					t.Errorf("%s (%s): %s, want %s; reasons: %s", id, pkg, status, want, phrases(reasons))
				}
				if codes, ok := h.codes[id]; ok {
					var got []string
					for _, rr := range reasons {
						got = append(got, rr["code"].(string))
					}
					sort.Strings(got)
					if strings.Join(got, ",") != strings.Join(codes, ",") {
						t.Errorf("%s: reason codes %v, want %v; reasons: %s", id, got, codes, phrases(reasons))
					}
				}
				if testing.Verbose() && status != "pass" {
					t.Logf("%s %s: %s", id, status, phrases(reasons))
				}
			}
			for id := range expected {
				if !seen[id] {
					t.Errorf("expected status for unknown rule %s", id)
				}
			}
		})
	}
}

// verdict evaluates one rule like the engine: not_applicable first; then
// deny and evidence. Every reason and the evidence are checked for shape.
func verdict(ctx context.Context, t *testing.T, c *evaluator, r *rule, input any) (string, []map[string]any) {
	t.Helper()
	id := r.meta.Custom["id"]
	if r.na {
		na := eval(ctx, t, c, fmt.Sprintf("[r | some r in data.%s.not_applicable]", r.pkg), input)
		if reasons := checkReasons(t, id, "not_applicable", na); len(reasons) > 0 {
			return "not_applicable", reasons
		}
	}
	deny := eval(ctx, t, c, fmt.Sprintf("[r | some r in data.%s.deny]", r.pkg), input)
	reasons := checkReasons(t, id, "deny", deny)
	if ev := eval(ctx, t, c, fmt.Sprintf("data.%s.evidence", r.pkg), input); ev != nil {
		if _, ok := ev.(map[string]any); !ok {
			t.Errorf("%s: evidence is %T, want an object", id, ev)
		}
	} else {
		t.Errorf("%s: evidence is undefined for an applicable rule", id)
	}
	if len(reasons) > 0 {
		return "fail", reasons
	}
	return "pass", nil
}

// evaluator evaluates queries like the engine: the compiled pack and the
// parameters' defaults under data.gcrun.params.
type evaluator struct {
	compiler *ast.Compiler
	store    storage.Store
}

func eval(ctx context.Context, t *testing.T, c *evaluator, query string, input any) any {
	t.Helper()
	opts := []func(*rego.Rego){
		rego.Query(query),
		rego.Compiler(c.compiler),
		rego.Store(c.store),
		rego.StrictBuiltinErrors(true),
		rego.SetRegoVersion(ast.RegoV1),
	}
	if input != nil {
		opts = append(opts, rego.Input(input))
	}
	rs, err := rego.New(opts...).Eval(ctx)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	if len(rs) == 0 {
		return nil
	}
	return rs[0].Expressions[0].Value
}

// checkReasons checks that v is a list of well-formed reasons (README: code
// and phrase required strings; evidence, when present, an object).
func checkReasons(t *testing.T, id any, set string, v any) []map[string]any {
	t.Helper()
	list, ok := v.([]any)
	if !ok {
		t.Errorf("%v: %s is %T, want a set", id, set, v)
		return nil
	}
	var out []map[string]any
	for _, e := range list {
		r, ok := e.(map[string]any)
		if !ok {
			t.Errorf("%v: %s holds %v, want an object", id, set, e)
			continue
		}
		for _, k := range []string{"code", "phrase"} {
			if s, ok := r[k].(string); !ok || s == "" {
				t.Errorf("%v: %s reason without %s: %v", id, set, k, r)
			}
		}
		for k := range r {
			switch k {
			case "code", "phrase", "expected", "actual":
			case "evidence":
				if _, ok := r[k].(map[string]any); !ok {
					t.Errorf("%v: %s reason evidence is not an object: %v", id, set, r)
				}
			default:
				t.Errorf("%v: %s reason has unknown field %q: %v", id, set, k, r)
			}
		}
		out = append(out, r)
	}
	return out
}

func phrases(reasons []map[string]any) string {
	var ps []string
	for _, r := range reasons {
		ps = append(ps, fmt.Sprintf("[%v] %v", r["code"], r["phrase"]))
	}
	sort.Strings(ps)
	return "\n\t\t" + strings.Join(ps, "\n\t\t")
}

func checkStrings(t *testing.T, at, field string, v any, pat *regexp.Regexp) {
	t.Helper()
	if v == nil {
		return
	}
	list, ok := v.([]any)
	if !ok || len(list) == 0 {
		t.Errorf("%s: custom.%s must be a non-empty list of strings, got %v", at, field, v)
		return
	}
	for _, e := range list {
		s, ok := e.(string)
		if !ok {
			t.Errorf("%s: custom.%s: %v is not a string (quote it)", at, field, e)
		} else if pat != nil && !pat.MatchString(s) {
			t.Errorf("%s: custom.%s: %q does not match %s", at, field, s, pat)
		}
	}
}

func hasPrefix(names []string, prefixes ...string) bool {
	for _, n := range names {
		for _, p := range prefixes {
			if strings.HasPrefix(n, p) {
				return true
			}
		}
	}
	return false
}

func duplicates(names []string) []string {
	seen := map[string]int{}
	var dup []string
	for _, n := range names {
		if seen[n]++; seen[n] == 2 {
			dup = append(dup, n)
		}
	}
	return dup
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
