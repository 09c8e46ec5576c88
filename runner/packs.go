package runner

import (
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"

	"github.com/gcrun/gcrun/checks/version"
	"github.com/gcrun/gcrun/engine"
)

// Packs is a set of baseline packs with everything they depend on,
// resolved: each pack once, dependencies first, with the rules the packs
// drop from their dependencies and the parameters they override.
type Packs struct {
	baselines []*engine.Baseline
	skip      map[string]string // rule id → name of the pack that drops it
	params    map[string]any    // parameter → value a depending pack sets
}

// Baselines returns the packs' baselines, each dependency before the packs
// that depend on it, each pack once.
func (p *Packs) Baselines() []*engine.Baseline {
	return append([]*engine.Baseline(nil), p.baselines...)
}

// Skipped returns the ids of the rules that some pack drops from a
// dependency, mapped to the name of that pack.
func (p *Packs) Skipped() map[string]string {
	out := make(map[string]string, len(p.skip))
	for k, v := range p.skip {
		out[k] = v
	}
	return out
}

// Parameters returns the overrides the packs make to their dependencies'
// parameters.
func (p *Packs) Parameters() map[string]any {
	out := make(map[string]any, len(p.params))
	for k, v := range p.params {
		out[k] = v
	}
	return out
}

// EngineOptions returns the options that apply the packs' skip lists
// (engine.WithRuleFilter) and parameter overrides
// (engine.WithParameterDefaults). The user's own overrides (a tailoring,
// --param, given with engine.WithParameters) win over the packs' values
// wherever they come in the options.
func (p *Packs) EngineOptions() []engine.Option {
	var opts []engine.Option
	if len(p.skip) > 0 {
		skip := p.Skipped()
		opts = append(opts, engine.WithRuleFilter(func(r engine.Rule) bool {
			_, dropped := skip[r.ID]
			return !dropped
		}))
	}
	if len(p.params) > 0 {
		opts = append(opts, engine.WithParameterDefaults(p.Parameters()))
	}
	return opts
}

// builtinPacks are the packs embedded in gcrun, by name.
var builtinPacks = map[string]func() (*engine.Baseline, error){
	"linux": DefaultBaseline,
}

// LoadPacks loads the pack directories dirs and, recursively, the packs
// they depend on (pack.yaml's depends: builtin packs embedded in gcrun,
// or directories relative to the depending pack), or the embedded default
// baseline when dirs is empty. toolVersion is the running gcrun's
// version, checked against each pack's gcrun constraint; "", "dev" and
// versions that are not semantic versions (an untagged build) satisfy
// every constraint.
//
// A pack reached twice (a diamond) is loaded once, and must satisfy the
// version constraint of every pack that depends on it. Every problem (a
// dependency that cannot be loaded, a cycle, an unsatisfied or malformed
// constraint, a skip of a rule the dependency does not have, an override
// of a parameter it does not declare or with a value of the wrong type,
// two unrelated packs overriding one parameter with different values, two
// different packs of one name) is reported with its pack.yaml file and
// line, together, in an *engine.LoadError.
func LoadPacks(dirs []string, toolVersion string) (*Packs, error) {
	return loadPacks(dirs, nil, toolVersion)
}

// LoadBundlePacks resolves the dependencies of packs already loaded (from
// signed bundles, see LoadBundle) as LoadPacks does for directories. A
// bundled pack may depend on builtin packs only.
func LoadBundlePacks(bundles []*engine.Baseline, toolVersion string) (*Packs, error) {
	return loadPacks(nil, bundles, toolVersion)
}

func loadPacks(dirs []string, bundles []*engine.Baseline, toolVersion string) (*Packs, error) {
	l := &packLoader{tool: toolVersion, byID: map[string]*pack{}, preloaded: map[string]*engine.Baseline{}}
	for _, b := range bundles {
		id := "bundle:" + b.Origin
		l.preloaded[id] = b
		if _, err := l.load(id, b.Origin, nil); err != nil {
			return nil, err
		}
	}
	if len(dirs) == 0 && len(bundles) == 0 {
		if _, err := l.load("builtin:linux", "builtin:linux", nil); err != nil {
			return nil, err
		}
	}
	for _, d := range dirs {
		id, err := dirID(d)
		if err != nil {
			return nil, fmt.Errorf("baseline %s: %w", d, err)
		}
		if _, err := l.load(id, strings.TrimSuffix(d, "/"), nil); err != nil {
			return nil, err
		}
	}
	l.checkNames()
	l.checkConstraints()
	out := &Packs{skip: map[string]string{}, params: map[string]any{}}
	l.resolve(out)
	if err := l.err(); err != nil {
		return nil, err
	}
	for _, p := range l.order {
		out.baselines = append(out.baselines, p.b)
	}
	return out, nil
}

// pack is a loaded pack in the dependency graph.
type pack struct {
	id       string // "builtin:NAME" or the absolute, symlink-free directory
	b        *engine.Baseline
	deps     []*edge
	visiting bool
	ids      map[string]engine.Location // rule ids, read on demand
}

// edge is one depends entry: from depends on to.
type edge struct {
	from *pack
	dep  engine.Dependency
	to   *pack
}

func (e *edge) loc(key string) engine.Location {
	return engine.Location{File: e.from.b.ManifestFile(), Line: e.dep.LineOf(key)}
}

type packLoader struct {
	tool     string
	byID     map[string]*pack
	order    []*pack // post-order: dependencies first
	stack    []*edge // the path of depends entries being loaded
	problems []engine.Problem
	// preloaded are packs read from bundles, by id ("bundle:ORIGIN").
	preloaded map[string]*engine.Baseline
}

func (l *packLoader) add(loc engine.Location, code, format string, args ...any) {
	l.problems = append(l.problems, engine.Problem{Location: loc, Code: code, Message: fmt.Sprintf(format, args...)})
}

func (l *packLoader) err() error {
	if len(l.problems) == 0 {
		return nil
	}
	ps := l.problems
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := ps[i].Location, ps[j].Location
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return ps[i].Message < ps[j].Message
	})
	return &engine.LoadError{Problems: ps}
}

// dirID identifies a pack directory however it is spelled.
func dirID(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	if resolved, err := filepath.EvalSymlinks(abs); err == nil {
		return resolved, nil
	}
	return abs, nil // LoadBaselineDir reports the missing directory
}

// load loads the pack id (found at origin) and its dependencies; via is
// the depends entry that leads to it (nil for a pack named by the user).
// It returns an error only for what stops the walk: a pack that cannot be
// loaded, a cycle.
func (l *packLoader) load(id, origin string, via *edge) (*pack, error) {
	if p := l.byID[id]; p != nil {
		if p.visiting {
			return nil, l.cycle(p, via)
		}
		return p, nil
	}
	var b *engine.Baseline
	var err error
	if pre, ok := l.preloaded[id]; ok {
		b = pre
	} else if name, ok := strings.CutPrefix(id, "builtin:"); ok {
		load, known := builtinPacks[name]
		if !known {
			err = fmt.Errorf("no builtin pack named %q (builtin packs: %s)", name, strings.Join(builtinNames(), ", "))
		} else {
			b, err = load()
		}
	} else {
		b, err = engine.LoadBaselineDir(origin)
	}
	if err != nil {
		var le *engine.LoadError
		if via == nil || errors.As(err, &le) {
			return nil, err
		}
		l.add(via.loc(""), engine.CodeBadDependency, "depends %s: %v", via.dep.Name, err)
		return nil, l.err()
	}
	if via != nil && b.Name != via.dep.Name {
		l.add(via.loc(""), engine.CodeBadDependency, "depends %s: %s holds pack %q, not %q", via.dep.Name, origin, b.Name, via.dep.Name)
	}
	// The same pack under another name (the builtin linux pack and the
	// baselines/linux directory it is built from): one pack.
	for _, q := range l.byID {
		if q.b.Name == b.Name && q.b.Digest == b.Digest {
			l.byID[id] = q
			return l.load(id, origin, via)
		}
	}
	p := &pack{id: id, b: b, visiting: true}
	l.byID[id] = p
	l.checkTool(b)
	for _, d := range b.Depends {
		e := &edge{from: p, dep: d}
		var childID, childOrigin string
		switch {
		case d.Builtin:
			childID, childOrigin = "builtin:"+d.Name, "builtin:"+d.Name
		case strings.HasPrefix(id, "builtin:"):
			l.add(e.loc("path"), engine.CodeBadDependency, "depends %s: a builtin pack cannot depend on a directory", d.Name)
			continue
		case l.preloaded[id] != nil:
			l.add(e.loc("path"), engine.CodeBadDependency, "depends %s: a pack loaded from a bundle cannot depend on a directory", d.Name)
			continue
		default:
			childOrigin = filepath.Join(origin, filepath.FromSlash(d.Path))
			if childID, err = dirID(filepath.Join(id, filepath.FromSlash(d.Path))); err != nil {
				l.add(e.loc("path"), engine.CodeBadDependency, "depends %s: %v", d.Name, err)
				continue
			}
		}
		l.stack = append(l.stack, e)
		child, err := l.load(childID, childOrigin, e)
		l.stack = l.stack[:len(l.stack)-1]
		if err != nil {
			return nil, err
		}
		e.to = child
		p.deps = append(p.deps, e)
	}
	p.visiting = false
	l.order = append(l.order, p)
	return p, nil
}

// cycle reports the chain of depends entries that leads from p back to
// itself.
func (l *packLoader) cycle(p *pack, via *edge) error {
	chain := []string{}
	for i, e := range l.stack {
		if e.from == p {
			for _, e := range l.stack[i:] {
				chain = append(chain, fmt.Sprintf("%s (%s:%d)", e.from.b.Name, e.from.b.ManifestFile(), e.dep.Line))
			}
			break
		}
	}
	chain = append(chain, p.b.Name)
	l.add(via.loc(""), engine.CodeDependencyCycle, "dependency cycle: %s", strings.Join(chain, " -> "))
	return l.err()
}

func builtinNames() []string {
	out := make([]string, 0, len(builtinPacks))
	for n := range builtinPacks {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// checkTool checks a pack's gcrun constraint against the running gcrun.
func (l *packLoader) checkTool(b *engine.Baseline) {
	if b.Gcrun == "" {
		return
	}
	loc := engine.Location{File: b.ManifestFile(), Line: b.GcrunLine()}
	c, err := ParseConstraint(b.Gcrun)
	if err != nil {
		l.add(loc, engine.CodeVersionConstraint, "gcrun: %v", err)
		return
	}
	v, ok := toolSemVer(l.tool)
	if !ok {
		return // a development build: any constraint holds
	}
	if !c.Allows(v) {
		l.add(loc, engine.CodeVersionConstraint, "pack %s needs gcrun %s; this is gcrun %s", b.Name, c, l.tool)
	}
}

// checkNames refuses two different packs of one name: their rules and
// parameters would clash, and reports could not tell them apart.
func (l *packLoader) checkNames() {
	byName := map[string]*pack{}
	for _, p := range l.order {
		prev, dup := byName[p.b.Name]
		if !dup {
			byName[p.b.Name] = p
			continue
		}
		l.add(engine.Location{File: p.b.ManifestFile()}, engine.CodeBadDependency,
			"two different packs are named %s: %s%s and %s%s (their files differ); load one of them",
			p.b.Name, prev.b.Origin, l.requiredBy(prev), p.b.Origin, l.requiredBy(p))
	}
}

// requiredBy says which depends entries lead to p, for messages.
func (l *packLoader) requiredBy(p *pack) string {
	var by []string
	for _, q := range l.order {
		for _, e := range q.deps {
			if e.to == p {
				loc := e.loc("")
				by = append(by, fmt.Sprintf("%s:%d", loc.File, loc.Line))
			}
		}
	}
	if len(by) == 0 {
		return ""
	}
	return " (required by " + strings.Join(by, ", ") + ")"
}

// checkConstraints checks every depends entry's version constraint
// against the version of the pack it reached; when several packs depend
// on one, a failure lists every constraint, which then conflict.
func (l *packLoader) checkConstraints() {
	incoming := map[*pack][]*edge{}
	for _, p := range l.order {
		for _, e := range p.deps {
			if e.dep.Version != "" {
				incoming[e.to] = append(incoming[e.to], e)
			}
		}
	}
	for _, p := range l.order {
		for _, e := range p.deps {
			if e.dep.Version == "" {
				continue
			}
			c, err := ParseConstraint(e.dep.Version)
			if err != nil {
				l.add(e.loc("version"), engine.CodeVersionConstraint, "depends %s: %v", e.dep.Name, err)
				continue
			}
			v, err := version.ParseSemVer(e.to.b.Version)
			if err != nil {
				l.add(e.loc("version"), engine.CodeVersionConstraint, "depends %s %s: %s has version %q, which is not a semantic version (MAJOR.MINOR.PATCH)",
					e.dep.Name, c, e.to.b.Origin, e.to.b.Version)
				continue
			}
			if c.Allows(v) {
				continue
			}
			msg := fmt.Sprintf("depends %s %s: %s is version %s", e.dep.Name, c, e.to.b.Origin, e.to.b.Version)
			if others := incoming[e.to]; len(others) > 1 {
				var all []string
				for _, o := range others {
					loc := o.loc("version")
					all = append(all, fmt.Sprintf("%s requires %s (%s:%d)", o.from.b.Name, o.dep.Version, loc.File, loc.Line))
				}
				msg += "; the constraints of the packs that depend on it conflict: " + strings.Join(all, ", ")
			}
			l.add(e.loc("version"), engine.CodeVersionConstraint, "%s", msg)
		}
	}
}

// closure returns p and every pack it depends on, directly or not.
func closure(p *pack) []*pack {
	seen := map[*pack]bool{}
	var out []*pack
	var visit func(*pack)
	visit = func(q *pack) {
		if q == nil || seen[q] {
			return
		}
		seen[q] = true
		out = append(out, q)
		for _, e := range q.deps {
			visit(e.to)
		}
	}
	visit(p)
	return out
}

// reaches reports whether p depends on q, directly or not.
func reaches(p, q *pack) bool {
	for _, r := range closure(p) {
		if r == q && r != p {
			return true
		}
	}
	return false
}

// resolve checks every skip list and parameter override against the
// dependency they name and collects them into out.
func (l *packLoader) resolve(out *Packs) {
	type setting struct {
		value any
		by    *pack
		loc   engine.Location
	}
	set := map[string]setting{}
	for _, p := range l.order { // dependencies first: a depending pack comes later and wins
		for _, e := range p.deps {
			deps := closure(e.to)
			if len(e.dep.Skip) > 0 {
				ids := map[string]bool{}
				var all []string
				for _, q := range deps {
					if q.ids == nil {
						q.ids = engine.RuleIDs(q.b)
					}
					for id := range q.ids {
						ids[id] = true
						all = append(all, id)
					}
				}
				for _, id := range e.dep.Skip {
					if !ids[id] {
						if p.ids == nil {
							p.ids = engine.RuleIDs(p.b)
						}
						if _, own := p.ids[id]; own {
							l.add(e.loc("skip/"+id), engine.CodeUnknownSkip, "depends %s: skip %s: %s is a rule of pack %s itself; skip drops rules of the dependency", e.dep.Name, id, id, p.b.Name)
							continue
						}
						l.add(e.loc("skip/"+id), engine.CodeUnknownSkip, "depends %s: skip %s: pack %s %s has no rule %s%s", e.dep.Name, id, e.to.b.Name, e.to.b.Version, id, suggest(id, all))
						continue
					}
					out.skip[id] = p.b.Name
				}
			}
			decls := map[string]engine.Parameter{}
			var declared []string
			for _, q := range deps {
				for _, d := range q.b.Parameters {
					decls[d.Name] = d
					declared = append(declared, d.Name)
				}
			}
			for _, name := range sortedNames(e.dep.Parameters) {
				v := e.dep.Parameters[name]
				loc := e.loc("parameters/" + name)
				d, ok := decls[name]
				if !ok {
					l.add(loc, engine.CodeUndeclaredParameter, "depends %s: parameter %s: not declared by pack %s%s", e.dep.Name, name, e.to.b.Name, suggest(name, declared))
					continue
				}
				if t := engine.ValueType(v); t != d.Type {
					l.add(loc, engine.CodeInvalidParameter, "depends %s: parameter %s: value %v is a %s, declared %s", e.dep.Name, name, v, t, d.Type)
					continue
				}
				if prev, ok := set[name]; ok && !reflect.DeepEqual(prev.value, v) && !reaches(p, prev.by) {
					l.add(loc, engine.CodeParameterConflict, "depends %s: parameter %s: %s sets %v, but %s sets %v (%s:%d), and neither pack depends on the other",
						e.dep.Name, name, p.b.Name, v, prev.by.b.Name, prev.value, prev.loc.File, prev.loc.Line)
					continue
				}
				set[name] = setting{value: v, by: p, loc: loc}
			}
		}
	}
	for name, s := range set {
		out.params[name] = s.value
	}
}

func sortedNames(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// suggest names the candidate closest to name, for a typo: within two
// edits, or extending or shortening it (ssh_login_grace_time for
// ssh_login_grace_time_max).
func suggest(name string, candidates []string) string {
	best, bestD := "", 3
	for _, c := range candidates {
		d := editDistance(name, c)
		short, long := min(len(name), len(c)), max(len(name), len(c))
		if d >= 3 && 3*short >= 2*long && (strings.HasPrefix(c, name) || strings.HasPrefix(name, c)) {
			d = 2
		}
		if d < bestD || (d == bestD && best != "" && c < best) {
			best, bestD = c, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %s?)", best)
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Constraint is a conjunction of version comparisons, as pack.yaml's
// gcrun and depends.version fields write them: ">=0.3.0 <0.4.0",
// ">=0.3, !=0.3.2", "~0.3", "^1.2". See ParseConstraint.
type Constraint struct {
	text  string
	terms []term
}

type term struct {
	op string // = != > >= < <=
	v  version.SemVerVersion
}

// String returns the constraint as written.
func (c Constraint) String() string { return c.text }

// Allows reports whether version v satisfies every comparison.
func (c Constraint) Allows(v version.SemVerVersion) bool {
	for _, t := range c.terms {
		rc := v.Compare(t.v)
		ok := false
		switch t.op {
		case "=":
			ok = rc == 0
		case "!=":
			ok = rc != 0
		case ">":
			ok = rc > 0
		case ">=":
			ok = rc >= 0
		case "<":
			ok = rc < 0
		case "<=":
			ok = rc <= 0
		}
		if !ok {
			return false
		}
	}
	return true
}

var constraintTerm = regexp.MustCompile(`^(=|!=|>=|<=|>|<|~|\^)?(v?[0-9][0-9A-Za-z.+-]*)$`)

// ParseConstraint parses a version constraint: comparisons separated by
// commas or spaces, all of which must hold. A comparison is an operator
// (=, !=, >, >=, <, <=; none means =) and a semantic version, or a range:
//
//	~1.2    >=1.2.0 <1.3.0      ~1.2.3  >=1.2.3 <1.3.0    ~1  >=1.0.0 <2.0.0
//	^1.2    >=1.2.0 <2.0.0      ^0.3    >=0.3.0 <0.4.0    ^0.0.3  >=0.0.3 <0.0.4
//	1.2     >=1.2.0 <1.3.0      (a partial version with = or no operator)
//
// A partial version (1 or 1.2) is otherwise completed with zeros (>=0.3 is
// >=0.3.0). The upper bound of a range excludes the pre-releases of its
// limit (~1.2 does not admit 1.3.0-rc.1). Versions compare by semantic
// versioning precedence (checks/version), so <0.4.0 admits 0.4.0-rc.1.
func ParseConstraint(s string) (Constraint, error) {
	c := Constraint{text: strings.TrimSpace(s)}
	bad := func(format string, args ...any) (Constraint, error) {
		return Constraint{}, fmt.Errorf("version constraint %q: %s", s, fmt.Sprintf(format, args...))
	}
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })
	// An operator written apart from its version (">= 0.3.0") joins it.
	var tokens []string
	for i := 0; i < len(fields); i++ {
		f := fields[i]
		if strings.Trim(f, "=!<>~^") == "" && i+1 < len(fields) {
			f += fields[i+1]
			i++
		}
		tokens = append(tokens, f)
	}
	if len(tokens) == 0 {
		return bad("empty")
	}
	for _, tok := range tokens {
		g := constraintTerm.FindStringSubmatch(tok)
		if g == nil {
			return bad("%q is not an operator (=, !=, >, >=, <, <=, ~, ^) followed by a version", tok)
		}
		op, text := g[1], g[2]
		v, parts, err := parsePartial(text)
		if err != nil {
			return bad("%v", err)
		}
		switch {
		case op == "~":
			// ~1.2.3 and ~1.2 keep the minor version, ~1 the major.
			c.terms = append(c.terms, term{">=", v}, term{"<", bump(v, min(parts, 2)-1)})
		case op == "^":
			// The first non-zero of the given parts is the one that may not change.
			i := 0
			for i < parts-1 && numeric(v, i) == "0" {
				i++
			}
			c.terms = append(c.terms, term{">=", v}, term{"<", bump(v, i)})
		case (op == "" || op == "=") && parts < 3:
			c.terms = append(c.terms, term{">=", v}, term{"<", bump(v, parts-1)})
		case op == "":
			c.terms = append(c.terms, term{"=", v})
		default:
			c.terms = append(c.terms, term{op, v})
		}
	}
	return c, nil
}

// parsePartial parses MAJOR[.MINOR[.PATCH]] (a pre-release or build only
// after all three), completing it with zeros; parts says how many were
// given.
func parsePartial(s string) (version.SemVerVersion, int, error) {
	core := strings.TrimPrefix(s, "v")
	if i := strings.IndexAny(core, "-+"); i >= 0 {
		core = core[:i]
	}
	parts := strings.Count(core, ".") + 1
	full := s
	if parts < 3 && core == strings.TrimPrefix(s, "v") {
		full = core + strings.Repeat(".0", 3-parts)
	}
	v, err := version.ParseSemVer(full)
	if err != nil {
		return v, 0, err
	}
	return v, min(parts, 3), nil
}

func numeric(v version.SemVerVersion, i int) string {
	return [3]string{v.Major, v.Minor, v.Patch}[i]
}

// bump returns the lowest version whose part i (0 major, 1 minor, 2
// patch) is one more than v's, the lower parts zero: the pre-release "-0",
// below every pre-release of it.
func bump(v version.SemVerVersion, i int) version.SemVerVersion {
	nums := [3]string{v.Major, v.Minor, v.Patch}
	nums[i] = incDecimal(nums[i])
	for j := i + 1; j < 3; j++ {
		nums[j] = "0"
	}
	return version.SemVerVersion{Major: nums[0], Minor: nums[1], Patch: nums[2], Prerelease: []string{"0"}}
}

// incDecimal adds one to a decimal number of any length.
func incDecimal(s string) string {
	b := []byte(s)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < '9' {
			b[i]++
			return string(b)
		}
		b[i] = '0'
	}
	return "1" + string(b)
}

// gitDescribe matches `git describe` output past a tag: v0.3.0-4-gdeadbee.
var gitDescribe = regexp.MustCompile(`^(v?[0-9]+\.[0-9]+\.[0-9]+)-[0-9]+-g[0-9a-f]+$`)

// toolSemVer reads gcrun's own version for constraints. ok is false for a
// development build, which satisfies every constraint: "", "dev",
// "(devel)", a version that is not semantic (a bare commit hash), or
// 0.0.0 with anything after it (Go pseudo-versions and test builds). A
// `git describe` version past a tag (v0.3.0-4-gdeadbee, -dirty too) counts
// as the tag's version.
func toolSemVer(s string) (version.SemVerVersion, bool) {
	s = strings.TrimSuffix(strings.TrimSuffix(s, "-dirty"), "+dirty")
	if g := gitDescribe.FindStringSubmatch(s); g != nil {
		s = g[1]
	}
	v, err := version.ParseSemVer(s)
	if err != nil || (v.Major == "0" && v.Minor == "0" && v.Patch == "0") {
		return v, false
	}
	return v, true
}
