package engine

import (
	"fmt"
	"maps"
	"reflect"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// ParamsRoot is where rules read parameters: data.gcrun.params.<name>.
const ParamsRoot = "data.gcrun.params"

// Parameter declares a value a rule reads and a user may override, such
// as the list of allowed SSH ciphers. Baselines declare parameters in
// pack.yaml; rules read them as data.gcrun.params.<name>.
type Parameter struct {
	Name        string `yaml:"name" json:"name"`
	Type        string `yaml:"type" json:"type"` // string, number, boolean, array or object
	Default     any    `yaml:"default" json:"default"`
	Description string `yaml:"description" json:"description,omitempty"`
	// Baseline names the baseline that declares the parameter.
	Baseline string `yaml:"-" json:"baseline"`
}

// WithParameters overrides declared parameters' defaults. Every name must
// be declared by a loaded baseline and every value must have the declared
// type; otherwise New fails. Given more than once, the values are merged
// and a later option wins for a name both set: pass the overrides a pack
// makes to its dependencies (runner.Packs.EngineOptions) before the
// user's own (--param).
func WithParameters(values map[string]any) Option {
	return func(e *Engine) {
		merged := make(map[string]any, len(e.overrides)+len(values))
		maps.Copy(merged, e.overrides)
		maps.Copy(merged, values)
		e.overrides = merged
	}
}

// WithParameterDefaults changes declared parameters' defaults, as a pack
// does for the packs it depends on (runner.Packs.EngineOptions): every
// WithParameters (a tailoring, --param) wins over it, whichever option
// comes first. Names and types are checked as for WithParameters.
func WithParameterDefaults(values map[string]any) Option {
	return func(e *Engine) {
		merged := make(map[string]any, len(e.overrides)+len(values))
		maps.Copy(merged, e.overrides)
		for name, v := range values {
			if cur, ok := merged[name]; ok {
				if _, isDefault := cur.(defaultOverride); !isDefault {
					continue
				}
			}
			merged[name] = defaultOverride{v}
		}
		e.overrides = merged
	}
}

// defaultOverride marks a value set by WithParameterDefaults in the
// engine's overrides, so that WithParameters replaces it and it never
// replaces a value WithParameters set.
type defaultOverride struct{ value any }

var paramTypes = map[string]bool{"string": true, "number": true, "boolean": true, "array": true, "object": true}

// ValueType names the parameter type (string, number, boolean, array,
// object; "null" for nil) of a value decoded from YAML or JSON.
func ValueType(v any) string { return typeOf(v) }

// typeOf names the JSON type of a value decoded from YAML or JSON.
func typeOf(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case bool:
		return "boolean"
	case int, int64, uint64, float64, float32, int32, uint32:
		return "number"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	case nil:
		return "null"
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Slice, reflect.Array:
		return "array"
	case reflect.Map:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

// resolveParameters checks the declarations of every baseline and the
// overrides, and returns the effective values.
func resolveParameters(baselines []*Baseline, overrides map[string]any, ps *problems) (map[string]Parameter, map[string]any) {
	decls := map[string]Parameter{}
	for _, b := range baselines {
		for _, p := range b.Parameters {
			loc := &ast.Location{File: b.file(PackFile), Row: b.ParameterLine(p.Name)}
			switch {
			case p.Name == "" || strings.ContainsAny(p.Name, ". \t[]\"'"):
				ps.addCode(CodeInvalidParameter, loc, "parameter %q: name must be a non-empty identifier", p.Name)
				continue
			case !paramTypes[p.Type]:
				ps.addCode(CodeInvalidParameter, loc, "parameter %s: type %q is not one of string, number, boolean, array, object", p.Name, p.Type)
				continue
			case typeOf(p.Default) != p.Type:
				ps.addCode(CodeInvalidParameter, loc, "parameter %s: default %v is a %s, declared %s", p.Name, p.Default, typeOf(p.Default), p.Type)
				continue
			}
			if prev, dup := decls[p.Name]; dup {
				ps.addCode(CodeDuplicateParameter, loc, "parameter %s is also declared by baseline %s", p.Name, prev.Baseline)
				continue
			}
			p.Baseline = b.Name
			decls[p.Name] = p
		}
	}
	values := make(map[string]any, len(decls))
	for name, p := range decls {
		values[name] = p.Default
	}
	names := make([]string, 0, len(overrides))
	for n := range overrides {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		v := overrides[name]
		if d, ok := v.(defaultOverride); ok {
			v = d.value
		}
		p, ok := decls[name]
		if !ok {
			ps.addCode(CodeUndeclaredParameter, nil, "parameter %s: not declared by any loaded baseline", name)
			continue
		}
		if typeOf(v) != p.Type {
			ps.addCode(CodeInvalidParameter, nil, "parameter %s: value %v is a %s, declared %s", name, v, typeOf(v), p.Type)
			continue
		}
		values[name] = v
	}
	return decls, values
}

// checkParameterRefs reports rules that read an undeclared parameter: an
// undeclared name would be undefined in Rego and could make a rule pass.
func checkParameterRefs(modules map[string]*ast.Module, decls map[string]Parameter, ps *problems) {
	root := ast.MustParseRef(ParamsRoot)
	for _, m := range modules {
		if m.Package.Path.HasPrefix(root) || root.HasPrefix(m.Package.Path) {
			ps.addCode(CodeReservedPackage, m.Package.Location, "package %s: %s is reserved for parameters", strings.TrimPrefix(m.Package.Path.String(), "data."), ParamsRoot)
			continue
		}
		ast.WalkRefs(m, func(ref ast.Ref) bool {
			if !ref.HasPrefix(root) {
				return false
			}
			if len(ref) <= len(root) {
				ps.addCode(CodeUndeclaredParameter, ref[0].Location, "%s read whole: read a declared parameter by name", ParamsRoot)
				return false
			}
			name, ok := ref[len(root)].Value.(ast.String)
			if !ok {
				ps.addCode(CodeUndeclaredParameter, ref[0].Location, "%s must be indexed by a parameter name, not a variable", ParamsRoot)
				return false
			}
			if _, declared := decls[string(name)]; !declared {
				ps.addCode(CodeUndeclaredParameter, ref[0].Location, "parameter %s is not declared in any loaded pack.yaml", string(name))
			}
			return false
		})
	}
}
