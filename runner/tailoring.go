package runner

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/gcrun/gcrun/engine"
	"gopkg.in/yaml.v3"
)

// Tailoring adapts the loaded baselines to a site, as an XCCDF tailoring
// does: it selects rules by id (or glob), tag or severity, excludes some,
// and overrides parameters. It is read from a YAML file (LoadTailoring):
//
//	select:            # optional; a rule is kept when it matches any selector
//	  ids: [GCL-SSH-001, "GCL-SYSCTL-*"]      # exact ids or globs (path.Match)
//	  tags: [ssh]
//	  severities: [critical, high]
//	exclude:           # removed after selection
//	  ids: [GCL-SSH-040]
//	parameters:        # overrides, as --param (which still wins)
//	  ssh_max_auth_tries: 3
//
// Without select every rule is kept. Apply it with EngineOptions, and check
// it against the baselines with CheckParameters (before engine.Load) and
// CheckRules (after it, with every loaded rule: see RecordRules);
// EvaluateBaselines does all of this when Options.Tailoring is set.
type Tailoring struct {
	// File is the path the tailoring was read from; errors name it.
	File string
	// Select keeps the rules matching any of its entries; nil keeps all.
	Select *Selector
	// Exclude drops the rules matching any of its entries; nil drops none.
	Exclude *Selector
	// Parameters override declared parameters, in file order.
	Parameters []TailoredParameter
	// line is where the select (else exclude) key is, for "keeps no rule".
	line int
}

// Selector picks rules: a rule matches when it matches any entry.
type Selector struct {
	// IDs are rule ids or globs (path.Match syntax: *, ?, [...]).
	IDs []Entry
	// Tags match rules that carry the tag.
	Tags []Entry
	// Severities match rules of that severity.
	Severities []Entry
}

// Entry is one value of a tailoring or waiver file and the line it is on.
type Entry struct {
	Value string
	Line  int
}

// TailoredParameter is one parameter override of a tailoring.
type TailoredParameter struct {
	Name string
	// Value is JSON-shaped (float64 numbers, []any, map[string]any), as
	// --param values are.
	Value any
	Line  int
}

// FileError lists the problems of a tailoring or waiver file, each with
// file:line, so that they can all be fixed in one go. It is bad input: the
// command line exits 2.
type FileError struct {
	// Kind is "tailoring" or "waivers".
	Kind     string
	Problems []engine.Problem
}

// Error lists every problem, one per line.
func (e *FileError) Error() string {
	if len(e.Problems) == 1 {
		return e.Kind + ": " + e.Problems[0].String()
	}
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return fmt.Sprintf("%s: %d problems:\n  %s", e.Kind, len(lines), strings.Join(lines, "\n  "))
}

// maxConfigFile bounds tailoring and waiver files: they are hand-written
// YAML, and a huge one is a mistake.
const maxConfigFile = 4 << 20

// yamlFile collects the problems of one YAML file.
type yamlFile struct {
	kind, name string
	problems   []engine.Problem
}

func (f *yamlFile) errorf(line int, format string, args ...any) {
	f.problems = append(f.problems, engine.Problem{Location: engine.Location{File: f.name, Line: line}, Message: fmt.Sprintf(format, args...)})
}

func (f *yamlFile) err() error {
	if len(f.problems) == 0 {
		return nil
	}
	sort.SliceStable(f.problems, func(i, j int) bool { return f.problems[i].Location.Line < f.problems[j].Location.Line })
	return &FileError{Kind: f.kind, Problems: f.problems}
}

// yamlLine finds the line in yaml.v3's syntax errors ("yaml: line 3: ...").
var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// read reads and parses the file into its root node. It returns nil (with
// a problem recorded) when the file cannot be read, is not YAML, is empty,
// or holds more than one document.
func (f *yamlFile) read(want string) *yaml.Node {
	fh, err := os.Open(f.name)
	if err != nil {
		f.errorf(0, "%v", err)
		return nil
	}
	defer fh.Close()
	data, err := io.ReadAll(io.LimitReader(fh, maxConfigFile+1))
	if err != nil {
		f.errorf(0, "%v", err)
		return nil
	}
	if len(data) > maxConfigFile {
		f.errorf(0, "larger than %d bytes", maxConfigFile)
		return nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		switch {
		case errors.Is(err, io.EOF):
			f.errorf(0, "empty file, want %s", want)
		default:
			f.yamlError(err)
		}
		return nil
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		f.errorf(extra.Line, "a second YAML document: put everything in one")
		return nil
	} else if !errors.Is(err, io.EOF) {
		f.yamlError(err)
		return nil
	}
	if len(doc.Content) == 0 {
		f.errorf(0, "empty file, want %s", want)
		return nil
	}
	return doc.Content[0]
}

func (f *yamlFile) yamlError(err error) {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		f.errorf(line, "bad YAML: %s", m[2])
		return
	}
	// yaml.v3 leaves the line out when the problem is on the first one.
	f.errorf(1, "bad YAML: %s", strings.TrimPrefix(msg, "yaml: "))
}

// deref follows aliases (&anchor / *alias).
func deref(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

// field is a key of a mapping and its value.
type field struct{ key, value *yaml.Node }

// fields reads a mapping whose keys must be among known, reporting other
// keys and duplicates. It returns the fields by key, or nil when n is not
// a mapping.
func (f *yamlFile) fields(n *yaml.Node, what string, known ...string) map[string]field {
	n = deref(n)
	if n.Kind != yaml.MappingNode {
		f.errorf(n.Line, "%s: want a mapping with %s, got %s", what, strings.Join(known, ", "), describe(n))
		return nil
	}
	out := map[string]field{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		key := k.Value
		prev, dup := out[key]
		switch {
		case !contains(known, key):
			f.errorf(k.Line, "%s: unknown field %q (want %s)", what, key, strings.Join(known, ", "))
		case dup:
			f.errorf(k.Line, "%s: %s given twice (also line %d)", what, key, prev.key.Line)
		default:
			out[key] = field{k, v}
		}
	}
	return out
}

// strings reads a sequence of strings.
func (f *yamlFile) strings(n *yaml.Node, what string) []Entry {
	n = deref(n)
	if n.Kind != yaml.SequenceNode {
		f.errorf(n.Line, "%s: want a list of strings, got %s", what, describe(n))
		return nil
	}
	out := make([]Entry, 0, len(n.Content))
	for _, item := range n.Content {
		if s, ok := f.str(item, what); ok {
			out = append(out, Entry{Value: s, Line: item.Line})
		}
	}
	return out
}

// str reads a non-empty string scalar.
func (f *yamlFile) str(n *yaml.Node, what string) (string, bool) {
	n = deref(n)
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!str" {
		f.errorf(n.Line, "%s: want a string, got %s (quote it)", what, describe(n))
		return "", false
	}
	if strings.TrimSpace(n.Value) == "" {
		f.errorf(n.Line, "%s: empty string", what)
		return "", false
	}
	return n.Value, true
}

// describe names what a node is, for messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
			return "nothing"
		case "!!str":
			return strconv.Quote(n.Value)
		}
		return fmt.Sprintf("%s (%s)", n.Value, strings.TrimPrefix(n.ShortTag(), "!!"))
	}
	return "an alias"
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

// LoadTailoring reads a tailoring file. Bad YAML, unknown fields, bad
// globs and unknown severities are a *FileError naming file:line; whether
// the ids, tags and parameters exist is checked against the baselines
// later (CheckParameters, CheckRules).
func LoadTailoring(file string) (*Tailoring, error) {
	f := &yamlFile{kind: "tailoring", name: file}
	root := f.read("a mapping with select, exclude or parameters")
	if root == nil {
		return nil, f.err()
	}
	t := &Tailoring{File: file}
	top := f.fields(root, "tailoring", "select", "exclude", "parameters")
	if top == nil {
		return nil, f.err()
	}
	if fl, ok := top["select"]; ok {
		t.Select = f.selector(fl.value, "select")
		t.line = fl.key.Line
	}
	if fl, ok := top["exclude"]; ok {
		t.Exclude = f.selector(fl.value, "exclude")
		if t.line == 0 {
			t.line = fl.key.Line
		}
	}
	if fl, ok := top["parameters"]; ok {
		t.Parameters = f.parameters(fl.value)
	}
	if len(top) == 0 && len(f.problems) == 0 {
		f.errorf(root.Line, "tailoring: no select, exclude or parameters: it would change nothing")
	}
	if err := f.err(); err != nil {
		return nil, err
	}
	return t, nil
}

func (f *yamlFile) selector(n *yaml.Node, what string) *Selector {
	before := len(f.problems)
	m := f.fields(n, what, "ids", "tags", "severities")
	if m == nil {
		return nil
	}
	s := &Selector{}
	if v, ok := m["ids"]; ok {
		for _, e := range f.strings(v.value, what+": ids") {
			if strings.ContainsAny(e.Value, " \t") {
				f.errorf(e.Line, "%s: ids: %q contains white space", what, e.Value)
				continue
			}
			if _, err := path.Match(e.Value, ""); err != nil {
				f.errorf(e.Line, "%s: ids: %q is not a valid glob: %v", what, e.Value, err)
				continue
			}
			s.IDs = append(s.IDs, e)
		}
	}
	if v, ok := m["tags"]; ok {
		s.Tags = f.strings(v.value, what+": tags")
	}
	if v, ok := m["severities"]; ok {
		for _, e := range f.strings(v.value, what+": severities") {
			if !engine.Severity(e.Value).Valid() {
				f.errorf(e.Line, "%s: severities: unknown severity %q (want critical, high, medium, low or info)", what, e.Value)
				continue
			}
			s.Severities = append(s.Severities, e)
		}
	}
	if len(s.IDs)+len(s.Tags)+len(s.Severities) == 0 && len(f.problems) == before {
		// An empty select would keep nothing, an empty exclude drop
		// nothing: either way not what was meant.
		f.errorf(n.Line, "%s: names no ids, tags or severities", what)
	}
	return s
}

func (f *yamlFile) parameters(n *yaml.Node) []TailoredParameter {
	n = deref(n)
	if n.Kind != yaml.MappingNode {
		f.errorf(n.Line, "parameters: want a mapping of parameter names to values, got %s", describe(n))
		return nil
	}
	var out []TailoredParameter
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		name, ok := f.str(k, "parameters")
		if !ok {
			continue
		}
		if prev, dup := seen[name]; dup {
			f.errorf(k.Line, "parameters: %s given twice (also line %d)", name, prev)
			continue
		}
		seen[name] = k.Line
		value, err := jsonValue(v)
		if err != nil {
			f.errorf(v.Line, "parameters: %s: %v", name, err)
			continue
		}
		out = append(out, TailoredParameter{Name: name, Value: value, Line: k.Line})
	}
	return out
}

// jsonValue decodes a YAML value into the shapes JSON gives (float64,
// []any, map[string]any), so that a value from a tailoring is the same
// as the same value given with --param.
func jsonValue(n *yaml.Node) (any, error) {
	var v any
	if err := n.Decode(&v); err != nil {
		return nil, err
	}
	data, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("not a JSON value (mapping keys must be strings)")
	}
	var out any
	if err := json.Unmarshal(data, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// ParameterValues returns the tailoring's parameter overrides by name
// (none for a nil tailoring), for engine.WithParameters where the
// tailoring's values must rank between other options' (a pack's overrides
// of its dependencies, before) and the user's (--param, after).
func (t *Tailoring) ParameterValues() map[string]any {
	if t == nil {
		return nil
	}
	out := make(map[string]any, len(t.Parameters))
	for _, p := range t.Parameters {
		out[p.Name] = p.Value
	}
	return out
}

// Keep reports whether the tailoring keeps rule r: selected (or no
// select) and not excluded.
func (t *Tailoring) Keep(r engine.Rule) bool {
	if t.Select != nil && !t.Select.Matches(r) {
		return false
	}
	return t.Exclude == nil || !t.Exclude.Matches(r)
}

// Matches reports whether r matches any entry of s.
func (s *Selector) Matches(r engine.Rule) bool {
	for _, e := range s.IDs {
		if ok, _ := path.Match(e.Value, r.ID); ok {
			return true
		}
	}
	for _, e := range s.Tags {
		if contains(r.Tags, e.Value) {
			return true
		}
	}
	for _, e := range s.Severities {
		if string(r.Severity) == e.Value {
			return true
		}
	}
	return false
}

// EngineOptions applies the tailoring to an engine: a rule filter (Keep)
// and the parameter overrides. Successive engine.WithParameters merge, the
// later winning, so pass the user's own overrides (--param) after these.
func (t *Tailoring) EngineOptions() []engine.Option {
	opts := []engine.Option{engine.WithRuleFilter(t.Keep)}
	if len(t.Parameters) > 0 {
		opts = append(opts, engine.WithParameters(t.ParameterValues()))
	}
	return opts
}

// CheckParameters checks the parameter overrides against what baselines
// declare: each must be declared, with a value of the declared type. It
// runs before engine.Load, which would report the same problems without
// the tailoring's file and line.
func (t *Tailoring) CheckParameters(baselines []*engine.Baseline) error {
	f := &yamlFile{kind: "tailoring", name: t.File}
	declared := map[string]engine.Parameter{}
	for _, b := range baselines {
		for _, p := range b.Parameters {
			p.Baseline = b.Name
			declared[p.Name] = p
		}
	}
	for _, p := range t.Parameters {
		d, ok := declared[p.Name]
		switch {
		case !ok:
			f.errorf(p.Line, "parameters: %s is not declared by any loaded baseline", p.Name)
		case jsonType(p.Value) != d.Type:
			f.errorf(p.Line, "parameters: %s: %s is a %s, but baseline %s declares a %s", p.Name, compact(p.Value), jsonType(p.Value), d.Baseline, d.Type)
		}
	}
	return f.err()
}

// jsonType names the JSON type of a JSON-shaped value as parameter
// declarations do.
func jsonType(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "boolean"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", v)
}

func compact(v any) string {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(data)
}

// CheckRules checks the selectors against every loaded rule (all, before
// any filter: see RecordRules): an id, glob or tag that matches no rule is
// a typo or a rule that no longer exists, and a tailoring that keeps no
// rule at all would make an empty, hence compliant, report.
func (t *Tailoring) CheckRules(all []engine.Rule) error {
	f := &yamlFile{kind: "tailoring", name: t.File}
	for _, sel := range []struct {
		name string
		s    *Selector
	}{{"select", t.Select}, {"exclude", t.Exclude}} {
		if sel.s == nil {
			continue
		}
		for _, e := range sel.s.IDs {
			if !anyRule(all, func(r engine.Rule) bool { ok, _ := path.Match(e.Value, r.ID); return ok }) {
				what := "id"
				if strings.ContainsAny(e.Value, `*?[\`) {
					what = "glob"
				}
				f.errorf(e.Line, "%s: ids: %s %q matches no loaded rule", sel.name, what, e.Value)
			}
		}
		for _, e := range sel.s.Tags {
			if !anyRule(all, func(r engine.Rule) bool { return contains(r.Tags, e.Value) }) {
				f.errorf(e.Line, "%s: tags: no loaded rule has tag %q", sel.name, e.Value)
			}
		}
	}
	if len(f.problems) == 0 && len(all) > 0 && !anyRule(all, t.Keep) {
		f.errorf(t.line, "keeps none of the %d loaded rules", len(all))
	}
	return f.err()
}

func anyRule(rules []engine.Rule, pred func(engine.Rule) bool) bool {
	for _, r := range rules {
		if pred(r) {
			return true
		}
	}
	return false
}

// RecordRules is a rule filter that keeps every rule and appends it to
// *all. Given to engine.Load before any other rule filter (filters run in
// the order given, and stop at the first that drops a rule), it records
// every loaded rule, which CheckRules and Waivers.Check need. Load calls
// filters from one goroutine.
func RecordRules(all *[]engine.Rule) engine.Option {
	return engine.WithRuleFilter(func(r engine.Rule) bool {
		*all = append(*all, r)
		return true
	})
}
