package engine

import (
	"fmt"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// Problem is one thing wrong with a baseline, found before evaluation.
type Problem struct {
	Location Location
	Message  string
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

func (ps *problems) add(loc *ast.Location, format string, args ...any) {
	var l Location
	if loc != nil {
		l = Location{File: loc.File, Line: loc.Row}
	}
	*ps = append(*ps, Problem{Location: l, Message: fmt.Sprintf(format, args...)})
}

func (ps *problems) addAST(errs ast.Errors) {
	for _, e := range errs {
		msg := e.Message
		if name, ok := strings.CutPrefix(msg, "undefined function "); ok && forbiddenBuiltins[name] {
			msg += " (forbidden: rules must not use the network, the host, the clock or randomness)"
		}
		ps.add(e.Location, "%s", msg)
	}
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
// randomness). Rules must be a function of the facts alone, so these are
// removed from the capabilities: a module that calls one does not compile.
// The pure net.cidr_* functions stay: they touch no network.
var forbiddenBuiltins = map[string]bool{
	"http.send":          true,
	"net.lookup_ip_addr": true,
	"opa.runtime":        true,
	"rand.intn":          true,
	"uuid.rfc4122":       true,
	"time.now_ns":        true,
}

// Capabilities returns the OPA capabilities rules are compiled with: this
// OPA version's builtins without the forbidden ones, and no network access
// at compile time.
func Capabilities() *ast.Capabilities {
	caps := ast.CapabilitiesForThisVersion()
	kept := caps.Builtins[:0]
	for _, b := range caps.Builtins {
		if !forbiddenBuiltins[b.Name] {
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
		ps.add(loc, "rule metadata: missing title")
	}
	if r.Description == "" {
		ps.add(loc, "rule metadata: missing description")
	}
	str := func(key string, required bool) string {
		v, ok := a.Custom[key]
		if !ok {
			if required {
				ps.add(loc, "rule metadata: missing custom.%s", key)
			}
			return ""
		}
		s, ok := v.(string)
		if !ok || strings.TrimSpace(s) == "" {
			ps.add(loc, "rule metadata: custom.%s must be a non-empty string, got %v", key, v)
			return ""
		}
		return strings.TrimSpace(s)
	}
	strs := func(key string, v any) []string {
		list, ok := v.([]any)
		if !ok {
			ps.add(loc, "rule metadata: custom.%s must be a list of strings", key)
			return nil
		}
		out := make([]string, 0, len(list))
		for _, e := range list {
			s, ok := e.(string)
			if !ok {
				ps.add(loc, "rule metadata: custom.%s: %v is not a string (quote it)", key, e)
				continue
			}
			out = append(out, s)
		}
		return out
	}
	r.ID = str("id", true)
	if r.ID != "" && strings.ContainsAny(r.ID, " \t\n") {
		ps.add(loc, "rule metadata: custom.id %q contains white space", r.ID)
	}
	if sev := str("severity", true); sev != "" {
		r.Severity = Severity(sev)
		if !r.Severity.Valid() {
			ps.add(loc, "rule metadata: custom.severity %q is not one of critical, high, medium, low, info", sev)
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
				ps.add(loc, "rule metadata: custom.files: %q is not an absolute path", f)
			}
		}
	}
	if v, ok := a.Custom["references"]; ok {
		m, ok := v.(map[string]any)
		if !ok {
			ps.add(loc, "rule metadata: custom.references must map a benchmark to a list of control ids")
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
			ps.add(loc, "rule metadata: unknown field custom.%s", k)
		}
	}
	return r
}
