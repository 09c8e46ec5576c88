package engine

import (
	"bytes"
	"fmt"
	"maps"
	"runtime"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// Problem is one thing wrong with a baseline, found before evaluation.
type Problem struct {
	Location Location
	// Column is the column of the problem on its line (1-based), when
	// known.
	Column int
	// Code is a stable, machine-readable name of the kind of problem
	// (CodeDuplicateID, ...), for tools and for gcrun check's output.
	Code    string
	Message string
}

// String formats the problem as file:line: message.
func (p Problem) String() string {
	switch {
	case p.Location.File == "":
		return p.Message
	case p.Location.Line == 0:
		return p.Location.File + ": " + p.Message
	}
	return fmt.Sprintf("%s:%d: %s", p.Location.File, p.Location.Line, p.Message)
}

// LoadError reports every problem found in the baselines, each with
// file:line, so that an author fixes them all in one go.
type LoadError struct {
	Problems []Problem
}

// Error lists every problem, one per line.
func (e *LoadError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	if len(lines) == 1 {
		return "baseline: " + lines[0]
	}
	return fmt.Sprintf("baseline: %d problems:\n  %s", len(lines), strings.Join(lines, "\n  "))
}

type problems []Problem

// add records a problem; its code follows from the message's format.
func (ps *problems) add(loc *ast.Location, format string, args ...any) {
	ps.addCode(codeOf(format), loc, format, args...)
}

// addCode records a problem with an explicit code.
func (ps *problems) addCode(code string, loc *ast.Location, format string, args ...any) {
	var l Location
	col := 0
	if loc != nil {
		l = Location{File: loc.File, Line: loc.Row}
		col = loc.Col
	}
	*ps = append(*ps, Problem{Location: l, Column: col, Code: code, Message: fmt.Sprintf(format, args...)})
}

func (ps *problems) addAST(errs ast.Errors) {
	for _, e := range errs {
		msg := e.Message
		code := astCode(e.Code)
		if strings.HasPrefix(msg, "deprecated built-in function") {
			code = CodeDeprecatedBuiltin // an error in Rego v1
		}
		if name, ok := strings.CutPrefix(msg, "undefined function "); ok && Forbidden(name) {
			msg += " (forbidden: rules must not use the network, the host, the clock or randomness)"
			code = CodeForbiddenBuiltin
		}
		ps.addCode(code, e.Location, "%s", msg)
	}
}

// The codes of problems (Problem.Code) and of gcrun check's findings.
// They are a public API: tools match on them; never rename one.
const (
	CodeParseError          = "parse-error"         // Rego syntax
	CodeTypeError           = "type-error"          // Rego type checking
	CodeCompileError        = "compile-error"       // other compiler errors (unsafe variables, recursion, ...)
	CodeForbiddenBuiltin    = "forbidden-builtin"   // a builtin outside the capabilities (network, clock, randomness)
	CodeEmptyModule         = "empty-module"        // a .rego file without a package
	CodePackageConflict     = "package-conflict"    // one package defined by two packs
	CodeDuplicateMetadata   = "duplicate-metadata"  // package METADATA in two files
	CodeMissingMetadata     = "missing-metadata"    // deny without METADATA
	CodeMissingDeny         = "missing-deny"        // METADATA with custom.id but no deny
	CodeBadRemediate        = "bad-remediate"       // remediate that is not a partial set
	CodeDuplicateID         = "duplicate-id"        // two rules with one id, across every loaded pack
	CodeMissingTitle        = "missing-title"       // rule without title
	CodeMissingDescription  = "missing-description" // rule without description
	CodeMissingID           = "missing-id"          // rule without custom.id
	CodeMissingSeverity     = "missing-severity"    // rule without custom.severity
	CodeInvalidMetadata     = "invalid-metadata"    // a metadata field of the wrong type or value
	CodeUnknownMetadata     = "unknown-metadata"    // an unknown custom.* field
	CodeInvalidParameter    = "invalid-parameter"   // a parameter declaration or value of the wrong type
	CodeDuplicateParameter  = "duplicate-parameter" // one parameter declared by two packs
	CodeUndeclaredParameter = "undeclared-parameter"
	CodeReservedPackage     = "reserved-package"   // a package under data.gcrun.params
	CodeBadManifest         = "bad-manifest"       // pack.yaml: YAML syntax, unknown field, wrong type
	CodeBadDependency       = "bad-dependency"     // a depends entry that is malformed or cannot be loaded
	CodeDependencyCycle     = "dependency-cycle"   // packs that depend on each other
	CodeVersionConstraint   = "version-constraint" // a constraint that is malformed or not satisfied
	CodeUnknownSkip         = "unknown-skip"       // skip names a rule the dependency does not have
	CodeParameterConflict   = "parameter-conflict" // two unrelated packs override one parameter differently
	CodeStrict              = "strict"             // OPA strict mode (warning): see the more precise codes below
	CodeUnusedImport        = "unused-import"
	CodeUnusedArgument      = "unused-argument"
	CodeUnusedVariable      = "unused-variable"
	CodeDeprecatedBuiltin   = "deprecated-builtin"  // a builtin Rego v1 removed (any, all, re_match, ...)
	CodeUnusedParameter     = "unused-parameter"    // a declared parameter no rule reads (warning)
	CodeUntestedRule        = "untested-rule"       // a rule no Rego test refers to (warning)
	CodeIncompleteManifest  = "incomplete-manifest" // pack.yaml missing, or without name, version or description (warning)
	codeLoad                = "load-error"          // anything else
)

// formatCodes gives the code of the problems recorded with add, by the
// format of their message.
var formatCodes = map[string]string{
	"%v":           CodeParseError,
	"empty module": CodeEmptyModule,
	"package %s is also defined by baseline %s":                                                         CodePackageConflict,
	"package %s has METADATA in more than one file":                                                     CodeDuplicateMetadata,
	"rule package %s defines deny but has no METADATA (title, description, custom.id, custom.severity)": CodeMissingMetadata,
	"rule %v has metadata but no deny rule":                                                             CodeMissingDeny,
	"duplicate rule id %s (also %s:%d)":                                                                 CodeDuplicateID,
	"remediate must be a set of actions: write remediate contains action if { ... }":                    CodeBadRemediate,
}

func codeOf(format string) string {
	if c, ok := formatCodes[format]; ok {
		return c
	}
	return codeLoad
}

// astCode maps OPA's error codes to ours.
func astCode(code string) string {
	switch code {
	case ast.ParseErr:
		return CodeParseError
	case ast.TypeErr:
		return CodeTypeError
	}
	return CodeCompileError
}

func (ps problems) err() error {
	if len(ps) == 0 {
		return nil
	}
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
	return &LoadError{Problems: ps}
}

// forbiddenBuiltins reach outside the input (network, host, clock,
// randomness). Rules must be a function of the facts alone, so these, and
// every builtin OPA itself marks non-deterministic, are removed from the
// capabilities: a module that calls one does not compile. The pure
// net.cidr_* functions stay: they touch no network.
var forbiddenBuiltins = map[string]bool{
	"http.send":          true,
	"net.lookup_ip_addr": true,
	"opa.runtime":        true,
	"rand.intn":          true,
	"uuid.rfc4122":       true,
	"time.now_ns":        true,
	// These read the clock to check validity periods and signatures'
	// expiry, so their results change with the day they run.
	"io.jwt.decode_verify":                                   true,
	"crypto.x509.parse_and_verify_certificates":              true,
	"crypto.x509.parse_and_verify_certificates_with_options": true,
	"providers.aws.sign_req":                                 true,
}

// Forbidden reports whether rules may not call the builtin name: it
// reaches the network, the host, the clock or randomness.
func Forbidden(name string) bool {
	if forbiddenBuiltins[name] {
		return true
	}
	b, ok := ast.BuiltinMap[name]
	return ok && b.Nondeterministic
}

// Capabilities returns the OPA capabilities rules are compiled with: this
// OPA version's builtins without the forbidden ones, and no network access
// at compile time.
func Capabilities() *ast.Capabilities {
	caps := ast.CapabilitiesForThisVersion()
	kept := caps.Builtins[:0]
	for _, b := range caps.Builtins {
		if !forbiddenBuiltins[b.Name] && !b.Nondeterministic {
			kept = append(kept, b)
		}
	}
	caps.Builtins = kept
	caps.AllowNet = []string{}
	return caps
}

// ruleMeta turns a package's annotations into a Rule, recording problems.
func ruleMeta(a *ast.Annotations, ps *problems) *Rule {
	r := &Rule{Title: strings.TrimSpace(a.Title), Description: strings.TrimSpace(a.Description)}
	loc := a.Location
	if r.Title == "" {
		ps.addCode(CodeMissingTitle, loc, "rule metadata: missing title")
	}
	if r.Description == "" {
		ps.addCode(CodeMissingDescription, loc, "rule metadata: missing description")
	}
	str := func(key string, required bool) string {
		v, ok := a.Custom[key]
		if !ok {
			if required {
				ps.addCode("missing-"+key, loc, "rule metadata: missing custom.%s", key)
			}
			return ""
		}
		s, ok := v.(string)
		if !ok || strings.TrimSpace(s) == "" {
			ps.addCode(CodeInvalidMetadata, loc, "rule metadata: custom.%s must be a non-empty string, got %v", key, v)
			return ""
		}
		return strings.TrimSpace(s)
	}
	strs := func(key string, v any) []string {
		list, ok := v.([]any)
		if !ok {
			ps.addCode(CodeInvalidMetadata, loc, "rule metadata: custom.%s must be a list of strings", key)
			return nil
		}
		out := make([]string, 0, len(list))
		for _, e := range list {
			s, ok := e.(string)
			if !ok {
				ps.addCode(CodeInvalidMetadata, loc, "rule metadata: custom.%s: %v is not a string (quote it)", key, e)
				continue
			}
			out = append(out, s)
		}
		return out
	}
	r.ID = str("id", true)
	if r.ID != "" && strings.ContainsAny(r.ID, " \t\n") {
		ps.addCode(CodeInvalidMetadata, loc, "rule metadata: custom.id %q contains white space", r.ID)
	}
	if sev := str("severity", true); sev != "" {
		r.Severity = Severity(sev)
		if !r.Severity.Valid() {
			ps.addCode(CodeInvalidMetadata, loc, "rule metadata: custom.severity %q is not one of critical, high, medium, low, info", sev)
		}
	}
	r.Remediation = str("remediation", false)
	if v, ok := a.Custom["tags"]; ok {
		r.Tags = strs("tags", v)
	}
	if v, ok := a.Custom["files"]; ok {
		r.Files = strs("files", v)
		for _, f := range r.Files {
			if !strings.HasPrefix(f, "/") {
				ps.addCode(CodeInvalidMetadata, loc, "rule metadata: custom.files: %q is not an absolute path", f)
			}
		}
	}
	if v, ok := a.Custom["references"]; ok {
		m, ok := v.(map[string]any)
		if !ok {
			ps.addCode(CodeInvalidMetadata, loc, "rule metadata: custom.references must map a benchmark to a list of control ids")
		} else {
			r.References = map[string][]string{}
			for bench, ids := range m {
				r.References[bench] = strs("references."+bench, ids)
			}
		}
	}
	known := map[string]bool{"id": true, "severity": true, "remediation": true, "tags": true, "files": true, "references": true}
	for k := range a.Custom {
		if !known[k] {
			ps.addCode(CodeUnknownMetadata, loc, "rule metadata: unknown field custom.%s", k)
		}
	}
	return r
}

// RuleIDs returns the ids of the rules baseline b defines, with where each
// is declared. It reads only the METADATA in front of each module's
// package line, which is where the contract puts a rule's metadata, so it
// costs a fraction of Load: enough to check references to rules (a pack's
// skip list) before loading. Modules it cannot read are left for Load to
// report.
func RuleIDs(b *Baseline) map[string]Location {
	mods := b.regoModules()
	found := make([]map[string]Location, len(mods))
	parallel(len(mods), runtime.GOMAXPROCS(0), func(i int) {
		name := b.file(mods[i])
		head := packageHead(b.files[mods[i]])
		if head == nil {
			return
		}
		m, err := ast.ParseModuleWithOpts(name, string(head), ast.ParserOptions{ProcessAnnotation: true, RegoVersion: ast.RegoV1})
		if err != nil || m == nil {
			return
		}
		for _, a := range m.Annotations {
			if id, ok := a.Custom["id"].(string); ok && a.Scope == "package" && strings.TrimSpace(id) != "" {
				if found[i] == nil {
					found[i] = map[string]Location{}
				}
				found[i][strings.TrimSpace(id)] = Location{File: name, Line: m.Package.Location.Row}
			}
		}
	})
	out := map[string]Location{}
	for _, f := range found {
		maps.Copy(out, f)
	}
	return out
}

// packageHead returns a module's text up to the end of its package line,
// or nil when it has METADATA nowhere before it.
func packageHead(text []byte) []byte {
	off := 0
	meta := false
	for off < len(text) {
		end := bytes.IndexByte(text[off:], '\n')
		if end < 0 {
			end = len(text)
		} else {
			end += off + 1
		}
		line := bytes.TrimSpace(text[off:end])
		switch {
		case bytes.HasPrefix(line, []byte("# METADATA")):
			meta = true
		case bytes.HasPrefix(line, []byte("package ")) || bytes.HasPrefix(line, []byte("package\t")):
			if !meta {
				return nil
			}
			return text[:end]
		}
		off = end
	}
	return nil
}
