package runner

import (
	"sort"
	"strings"
	"time"

	"github.com/gcrun/gcrun/engine"
	"github.com/gcrun/gcrun/report"
	"gopkg.in/yaml.v3"
)

// Waivers are accepted, justified and dated exceptions to rules, as InSpec
// waivers are. They are read from a YAML file (LoadWaivers):
//
//	waivers:
//	  - id: GCL-SSH-016
//	    justification: Banner is set by the bastion, not here (TICKET-42)
//	    expires: 2027-03-31   # YYYY-MM-DD (the end of that day, UTC) or RFC 3339
//	    run: true             # still evaluate, keep the real result (default)
//
// While a waiver applies, its rule reports status waived with the
// justification, the expiry and, when run, its real (raw) status, reasons
// and evidence; a waived rule never makes a host non-compliant. With run:
// false the rule is not evaluated at all. Once expired, a waiver is
// ignored: the rule reports its real status, and the report lists the
// waiver as expired.
type Waivers struct {
	// File is the path the waivers were read from; errors name it.
	File string
	// List holds the waivers in file order, at most one per rule id.
	List []Waiver
}

// Waiver is one entry of a waiver file.
type Waiver struct {
	// ID is the waived rule's id.
	ID string
	// Justification says why; never empty.
	Justification string
	// Expires is the instant the waiver stops applying: a date in the file
	// means the end of that day in UTC, i.e. the next midnight UTC.
	Expires time.Time
	// Run says whether the rule is still evaluated.
	Run bool
	// Line is where the waiver starts in the file.
	Line int
}

// ActiveAt reports whether the waiver applies at now.
func (w Waiver) ActiveAt(now time.Time) bool { return now.Before(w.Expires) }

// LoadWaivers reads a waiver file. A malformed file fails as a whole (a
// *FileError naming file:line for every problem): a waiver that was
// silently dropped would fail a host, one silently misread could hide a
// failure. Whether the ids exist is checked against the loaded rules later
// (Check).
func LoadWaivers(file string) (*Waivers, error) {
	f := &yamlFile{kind: "waivers", name: file}
	root := f.read("a mapping with a waivers list")
	if root == nil {
		return nil, f.err()
	}
	top := f.fields(root, "waivers file", "waivers")
	if top == nil {
		return nil, f.err()
	}
	fl, ok := top["waivers"]
	if !ok {
		if len(f.problems) == 0 {
			f.errorf(root.Line, "no waivers list")
		}
		return nil, f.err()
	}
	list := deref(fl.value)
	if list.Kind != yaml.SequenceNode {
		f.errorf(list.Line, "waivers: want a list of waivers, got %s", describe(list))
		return nil, f.err()
	}
	ws := &Waivers{File: file, List: []Waiver{}}
	seen := map[string]int{}
	for _, item := range list.Content {
		w, ok := f.waiver(item)
		if !ok {
			continue
		}
		if prev, dup := seen[w.ID]; dup {
			f.errorf(w.Line, "waiver for %s: the rule is also waived at line %d", w.ID, prev)
			continue
		}
		seen[w.ID] = w.Line
		ws.List = append(ws.List, w)
	}
	if err := f.err(); err != nil {
		return nil, err
	}
	return ws, nil
}

func (f *yamlFile) waiver(n *yaml.Node) (Waiver, bool) {
	before := len(f.problems)
	n = deref(n)
	w := Waiver{Line: n.Line, Run: true}
	m := f.fields(n, "waiver", "id", "justification", "expires", "run")
	if m == nil {
		return w, false
	}
	what := "waiver"
	if v, ok := m["id"]; ok {
		if id, ok := f.str(v.value, "waiver: id"); ok {
			if strings.ContainsAny(id, " \t") {
				f.errorf(v.key.Line, "waiver: id %q contains white space", id)
			}
			w.ID = id
			what = "waiver for " + id
		}
	} else {
		f.errorf(n.Line, "waiver: missing id")
	}
	if v, ok := m["justification"]; ok {
		if s, ok := f.str(v.value, what+": justification"); ok {
			w.Justification = strings.TrimSpace(s)
		}
	} else {
		f.errorf(n.Line, "%s: missing justification (say why the rule is waived)", what)
	}
	if v, ok := m["expires"]; ok {
		w.Expires, _ = f.expiry(deref(v.value), what)
	} else {
		f.errorf(n.Line, "%s: missing expires (a date YYYY-MM-DD or an RFC 3339 time: waivers do not last forever)", what)
	}
	if fl, ok := m["run"]; ok {
		v := deref(fl.value)
		if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!bool" {
			f.errorf(v.Line, "%s: run: want true or false, got %s", what, describe(v))
		} else {
			w.Run = v.Value == "true"
		}
	}
	return w, len(f.problems) == before
}

// expiry parses an expiry: a date YYYY-MM-DD, which lasts until the end of
// that day in UTC, or an RFC 3339 time.
func (f *yamlFile) expiry(n *yaml.Node, what string) (time.Time, bool) {
	if n.Kind != yaml.ScalarNode || (n.ShortTag() != "!!str" && n.ShortTag() != "!!timestamp") {
		f.errorf(n.Line, "%s: expires: want a date YYYY-MM-DD or an RFC 3339 time, got %s", what, describe(n))
		return time.Time{}, false
	}
	if d, err := time.Parse(time.DateOnly, n.Value); err == nil {
		return d.AddDate(0, 0, 1), true
	}
	t, err := time.Parse(time.RFC3339, n.Value)
	if err != nil {
		f.errorf(n.Line, "%s: expires: %q is neither a date YYYY-MM-DD nor an RFC 3339 time such as 2027-03-31T18:00:00Z", what, n.Value)
		return time.Time{}, false
	}
	return t.UTC(), true
}

// Check reports waivers whose rule is not among all, every loaded rule
// (before any filter: see RecordRules): a waiver for a rule that does not
// exist is a typo, or a rule renamed, and would waive nothing.
func (ws *Waivers) Check(all []engine.Rule) error {
	f := &yamlFile{kind: "waivers", name: ws.File}
	known := make(map[string]bool, len(all))
	for _, r := range all {
		known[r.ID] = true
	}
	for _, w := range ws.List {
		if !known[w.ID] {
			f.errorf(w.Line, "waiver for %s: no loaded rule has this id", w.ID)
		}
	}
	return f.err()
}

// SkipFilter is a rule filter that drops the rules under a waiver with
// run: false that is active at now, appending each to *skipped (which
// Apply needs). Give it to engine.Load after every other rule filter:
// filters stop at the first that drops a rule, so that it sees, and
// records, only rules the others keep. Load calls filters from one
// goroutine.
func (ws *Waivers) SkipFilter(now time.Time, skipped *[]engine.Rule) engine.Option {
	skip := map[string]bool{}
	for _, w := range ws.List {
		if !w.Run && w.ActiveAt(now) {
			skip[w.ID] = true
		}
	}
	return engine.WithRuleFilter(func(r engine.Rule) bool {
		if skip[r.ID] {
			*skipped = append(*skipped, r)
			return false
		}
		return true
	})
}

// Apply applies the waivers active at now to the results of an
// evaluation, and adds a waived result (with run: false) for each rule
// that SkipFilter kept from being evaluated. It returns the results, in
// rule id order like the engine's, and the report's waivers section: every
// waiver with its state (active, expired, or unused when its rule was not
// evaluated).
//
// A result under an active waiver gets status waived and keeps its reasons,
// evidence and error as the raw result; with run: false (a rule evaluated
// anyway because the engine was built without SkipFilter) they are dropped,
// as if it had not run. The input results are not modified.
func (ws *Waivers) Apply(now time.Time, results []engine.Result, skipped []engine.Rule) ([]engine.Result, []report.Waiver) {
	byID := make(map[string]Waiver, len(ws.List))
	for _, w := range ws.List {
		byID[w.ID] = w
	}
	used := map[string]bool{}
	out := make([]engine.Result, 0, len(results)+len(skipped))
	for _, res := range results {
		w, ok := byID[res.Rule.ID]
		if !ok {
			out = append(out, res)
			continue
		}
		used[w.ID] = true
		if !w.ActiveAt(now) {
			out = append(out, res)
			continue
		}
		waived := engine.Result{Rule: res.Rule, Status: engine.StatusWaived, Duration: res.Duration,
			Waiver: &engine.Waiver{Justification: w.Justification, Expires: w.Expires, Run: w.Run}}
		if w.Run {
			waived.Waiver.RawStatus = res.Status
			waived.Reasons, waived.Evidence, waived.Error = res.Reasons, res.Evidence, res.Error
		}
		out = append(out, waived)
	}
	for i := range skipped {
		r := &skipped[i]
		w, ok := byID[r.ID]
		if !ok || used[r.ID] {
			continue
		}
		used[r.ID] = true
		out = append(out, engine.Result{Rule: r, Status: engine.StatusWaived,
			Waiver: &engine.Waiver{Justification: w.Justification, Expires: w.Expires, Run: false}})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Rule.ID < out[j].Rule.ID })

	section := make([]report.Waiver, 0, len(ws.List))
	for _, w := range ws.List {
		state := report.WaiverActive
		switch {
		case !w.ActiveAt(now):
			state = report.WaiverExpired
		case !used[w.ID]:
			state = report.WaiverUnused
		}
		section = append(section, report.Waiver{ID: w.ID, Justification: w.Justification, Expires: w.Expires, Run: w.Run, State: state})
	}
	return out, section
}
