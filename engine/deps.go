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
	d := &dependencies{inputs: map[string]map[string]bool{}, calls: map[string]map[string]bool{}}
	var pkgPaths []string
	for _, m := range c.Modules {
		p := m.Package.Path.String()
		if d.inputs[p] == nil {
			d.inputs[p] = map[string]bool{}
			d.calls[p] = map[string]bool{}
			pkgPaths = append(pkgPaths, p)
		}
	}
	for _, m := range c.Modules {
		p := m.Package.Path.String()
		ast.WalkRefs(m, func(ref ast.Ref) bool {
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
				s := ref.String()
				for _, other := range pkgPaths {
					if other != p && (s == other || strings.HasPrefix(s, other+".") || strings.HasPrefix(s, other+"[")) {
						d.calls[p][other] = true
					}
				}
				if len(ref) == 1 || s == "data" {
					d.calls[p]["*"] = true
				}
			}
			return false
		})
	}
	return d
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
