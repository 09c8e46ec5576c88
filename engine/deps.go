package engine

import (
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// dependencies works out which input keys each package reads, following
// calls into other packages, so that the runner collects only what the
// rules need and a failed collector fails exactly the rules that read it.
type dependencies struct {
	inputs map[string]map[string]bool // package → input keys read directly
	calls  map[string]map[string]bool // package → packages referenced
}

func newDependencies(c *ast.Compiler) *dependencies {
	return dependenciesOf(c.Modules, false)
}

// dependenciesOf works on compiled modules, or on parsed ones (parsed
// true): there references through imports ("packages.installed" after
// "import data.gcrun.linux.lib.packages") are expanded here, as the
// compiler would, so that what rules read is known before compilation.
func dependenciesOf(modules map[string]*ast.Module, parsed bool) *dependencies {
	d := &dependencies{inputs: map[string]map[string]bool{}, calls: map[string]map[string]bool{}}
	for _, m := range modules {
		p := m.Package.Path.String()
		if d.inputs[p] == nil {
			d.inputs[p] = map[string]bool{}
			d.calls[p] = map[string]bool{}
		}
	}
	for _, m := range modules {
		p := m.Package.Path.String()
		aliases := map[ast.Var]ast.Ref{}
		if parsed {
			for _, imp := range m.Imports {
				path, ok := imp.Path.Value.(ast.Ref)
				if !ok || len(path) == 0 {
					continue
				}
				name := imp.Alias
				if name == "" {
					if s, ok := path[len(path)-1].Value.(ast.String); ok {
						name = ast.Var(s)
					} else if v, ok := path[0].Value.(ast.Var); ok && len(path) == 1 {
						name = v
					}
				}
				aliases[name] = path
			}
		}
		ast.WalkRefs(m, func(ref ast.Ref) bool {
			if v, ok := ref[0].Value.(ast.Var); ok && parsed {
				if full, ok := aliases[v]; ok {
					ref = full.Concat(ref[1:])
				}
			}
			switch {
			case ref.HasPrefix(ast.InputRootRef):
				if len(ref) > 1 {
					if s, ok := ref[1].Value.(ast.String); ok {
						d.inputs[p][string(s)] = true
						return false
					}
				}
				d.inputs[p]["*"] = true
			case ref.HasPrefix(ast.DefaultRootRef):
				d.addCalls(p, ref)
			}
			return false
		})
	}
	return d
}

// addCalls records the packages that ref, a reference into data made in
// package p, may read: every package whose path is a prefix of the ref's
// leading constant part, and every package below it when the ref stops
// short of a package (data.gcrun.linux reads all of them).
func (d *dependencies) addCalls(p string, ref ast.Ref) {
	var b strings.Builder
	b.WriteString("data")
	matched := false
	for i := 1; i < len(ref); i++ {
		s, ok := ref[i].Value.(ast.String)
		if !ok {
			break // a computed key: the constant prefix is all that is known
		}
		b.WriteByte('.')
		b.WriteString(string(s))
		if q := b.String(); d.inputs[q] != nil {
			matched = true
			if q != p {
				d.calls[p][q] = true
			}
		}
	}
	if !matched {
		d.addBelow(p, b.String())
	}
}

// addBelow records a call from p to every package under prefix.
func (d *dependencies) addBelow(p, prefix string) {
	if prefix == "data" {
		d.calls[p]["*"] = true
		return
	}
	for q := range d.inputs {
		if q != p && strings.HasPrefix(q, prefix+".") {
			d.calls[p][q] = true
		}
	}
}

// facts returns the input keys that pkg reads directly or through the
// packages it calls, sorted.
func (d *dependencies) facts(pkg string) []string {
	seen := map[string]bool{}
	keys := map[string]bool{}
	var visit func(string)
	visit = func(p string) {
		if seen[p] {
			return
		}
		seen[p] = true
		if p == "*" {
			for other := range d.inputs {
				visit(other)
			}
			return
		}
		for k := range d.inputs[p] {
			keys[k] = true
		}
		for q := range d.calls[p] {
			visit(q)
		}
	}
	visit(pkg)
	return sortedKeys(keys)
}
