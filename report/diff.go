package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gcrun/gcrun/engine/result"
)

// DriftReport is what changed between two reports of (normally) the same
// host: rules matched by baseline and id, sorted by severity (critical
// first), then id, then baseline. Diff builds it; WriteDriftText and
// WriteDriftJSON render it. Every list is non-nil, so the JSON has [] rather
// than null.
//
// A rule can be in several lists: a rule added with status fail is in Added
// and NewlyFailing, a rule that went from pass to fail in StatusChanged and
// NewlyFailing. StatusChanged is complete; NewlyFailing and Fixed are the
// transitions that matter most, picked out.
type DriftReport struct {
	// Old and New describe the two reports.
	Old DriftSide `json:"old"`
	New DriftSide `json:"new"`
	// Warnings say why the comparison may be misleading: different hosts,
	// changed baselines, reports in the wrong order.
	Warnings []DriftWarning `json:"warnings"`
	// NewlyFailing are the rules that fail or are in error now but did not
	// (they passed, did not apply, were waived, or were not evaluated).
	NewlyFailing []RuleDrift `json:"newlyFailing"`
	// Fixed are the rules that failed or were in error and now pass or do
	// not apply. A rule that is now waived is not fixed, only accepted: it
	// is in StatusChanged.
	Fixed []RuleDrift `json:"fixed"`
	// StatusChanged are all rules in both reports whose status changed.
	StatusChanged []RuleDrift `json:"statusChanged"`
	// EvidenceChanged are the rules whose status is the same but whose
	// reasons, evidence, error or waiver changed: a rule that still fails,
	// but for another reason, is news.
	EvidenceChanged []RuleDrift `json:"evidenceChanged"`
	// Added are the rules only in the new report, Removed those only in
	// the old one.
	Added   []RuleDrift `json:"added"`
	Removed []RuleDrift `json:"removed"`
}

// DriftSide describes one of the two compared reports.
type DriftSide struct {
	// Tool, Host, Baselines, StartTime and EndTime are the report's.
	Tool      Tool       `json:"tool"`
	Host      Host       `json:"host"`
	Baselines []Baseline `json:"baselines"`
	StartTime time.Time  `json:"startTime"`
	EndTime   time.Time  `json:"endTime"`
	// ComplianceStatus is NonCompliant when either the report says so or
	// its rules do (as Report.ExitCode judges), so that an inconsistent
	// report cannot make drift look better than it is.
	ComplianceStatus string `json:"complianceStatus"`
	// Summary counts the report's rules by status, recounted from the
	// rules rather than copied from the report.
	Summary Summary `json:"summary"`
}

// DriftWarning is one reason to doubt a comparison.
type DriftWarning struct {
	// Code is stable, for programs: different_host, different_machine_id,
	// machine_id_unknown, baseline_changed, baseline_added,
	// baseline_removed, time_order or duplicate_rule.
	Code string `json:"code"`
	// Message explains it, in English.
	Message string `json:"message"`
}

// RuleDrift is one rule that changed.
type RuleDrift struct {
	// Baseline and ID identify the rule.
	Baseline string `json:"baseline"`
	ID       string `json:"id"`
	// Title and Severity are the new report's (the old one's for a
	// removed rule).
	Title    string          `json:"title"`
	Severity result.Severity `json:"severity"`
	// Old and New are the rule's outcome in each report; Old is absent
	// for an added rule and New for a removed one.
	Old *RuleOutcome `json:"old,omitempty"`
	New *RuleOutcome `json:"new,omitempty"`
}

// RuleOutcome is a rule's result in one report.
type RuleOutcome struct {
	Status   result.Status   `json:"status"`
	Reasons  []result.Reason `json:"reasons"`
	Evidence map[string]any  `json:"evidence,omitempty"`
	Error    string          `json:"error,omitempty"`
	Waiver   *result.Waiver  `json:"waiver,omitempty"`
}

// Drift warning codes.
const (
	driftDifferentHost      = "different_host"
	driftDifferentMachineID = "different_machine_id"
	driftMachineIDUnknown   = "machine_id_unknown"
	driftBaselineChanged    = "baseline_changed"
	driftBaselineAdded      = "baseline_added"
	driftBaselineRemoved    = "baseline_removed"
	driftTimeOrder          = "time_order"
	driftDuplicateRule      = "duplicate_rule"
)

// Diff compares two reports, old and new, normally of the same host at two
// times. Rules are matched by baseline and id. Neither report is modified,
// but the DriftReport shares their maps (evidence, reasons' evidence). A
// nil report is treated as one with no rules and no host, so that "every
// rule is new" can be shown; the CLI should refuse to compare with nothing.
func Diff(old, new *Report) *DriftReport {
	if old == nil {
		old = &Report{}
	}
	if new == nil {
		new = &Report{}
	}
	d := &DriftReport{
		Old: driftSide(old), New: driftSide(new),
		Warnings:     []DriftWarning{},
		NewlyFailing: []RuleDrift{}, Fixed: []RuleDrift{}, StatusChanged: []RuleDrift{},
		EvidenceChanged: []RuleDrift{}, Added: []RuleDrift{}, Removed: []RuleDrift{},
	}
	d.identityWarnings(old, new)

	oldRules := d.indexRules("old", old.Rules)
	newRules := d.indexRules("new", new.Rules)
	for k, nr := range newRules {
		or, inOld := oldRules[k]
		if !inOld {
			rd := RuleDrift{Baseline: nr.Baseline, ID: nr.ID, Title: nr.Title, Severity: nr.Severity, New: outcome(nr)}
			d.Added = append(d.Added, rd)
			if isFailing(nr.Status) {
				d.NewlyFailing = append(d.NewlyFailing, rd)
			}
			continue
		}
		rd := RuleDrift{Baseline: nr.Baseline, ID: nr.ID, Title: nr.Title, Severity: nr.Severity, Old: outcome(or), New: outcome(nr)}
		switch {
		case or.Status != nr.Status:
			d.StatusChanged = append(d.StatusChanged, rd)
			if isFailing(nr.Status) && !isFailing(or.Status) {
				d.NewlyFailing = append(d.NewlyFailing, rd)
			}
			if isFailing(or.Status) && (nr.Status == result.StatusPass || nr.Status == result.StatusNotApplicable) {
				d.Fixed = append(d.Fixed, rd)
			}
		case !sameOutcome(rd.Old, rd.New):
			d.EvidenceChanged = append(d.EvidenceChanged, rd)
		}
	}
	for k, or := range oldRules {
		if _, inNew := newRules[k]; !inNew {
			d.Removed = append(d.Removed, RuleDrift{Baseline: or.Baseline, ID: or.ID, Title: or.Title, Severity: or.Severity, Old: outcome(or)})
		}
	}
	for _, list := range [][]RuleDrift{d.NewlyFailing, d.Fixed, d.StatusChanged, d.EvidenceChanged, d.Added, d.Removed} {
		sortRuleDrifts(list)
	}
	return d
}

// Worse reports whether compliance got worse from the old report to the
// new one: some rule newly fails or is newly in error, or the host went
// from Compliant to NonCompliant. It is what a CI gate on drift should exit
// 1 on. A rule going from fail to error is not "worse" by this measure (it
// was already failing), and neither is a removed rule.
func (d *DriftReport) Worse() bool {
	return len(d.NewlyFailing) > 0 || (d.Old.ComplianceStatus == Compliant && d.New.ComplianceStatus != Compliant)
}

// Changed reports whether any rule changed in status, evidence or presence.
func (d *DriftReport) Changed() bool {
	return len(d.StatusChanged)+len(d.EvidenceChanged)+len(d.Added)+len(d.Removed) > 0
}

// isFailing: the statuses that make a report non-compliant.
func isFailing(s result.Status) bool {
	return s == result.StatusFail || s == result.StatusError || !isKnownStatus(s)
}

func driftSide(r *Report) DriftSide {
	s := DriftSide{
		Tool: r.Tool, Host: r.Host, Baselines: append([]Baseline{}, r.Baselines...),
		StartTime: r.StartTime, EndTime: r.EndTime,
		Summary:          summarize(r.Rules),
		ComplianceStatus: Compliant,
	}
	if r.ExitCode() != ExitCompliant {
		s.ComplianceStatus = NonCompliant
	}
	return s
}

type driftKey struct{ baseline, id string }

// indexRules maps rules by baseline and id. A rule listed twice (only in a
// hand-made report) keeps its first entry, with a warning.
func (d *DriftReport) indexRules(which string, rules []RuleResult) map[driftKey]RuleResult {
	m := make(map[driftKey]RuleResult, len(rules))
	dups := map[driftKey]bool{}
	for _, r := range rules {
		k := driftKey{r.Baseline, r.ID}
		if _, dup := m[k]; dup {
			if !dups[k] {
				dups[k] = true
				d.warn(driftDuplicateRule, fmt.Sprintf("the %s report lists rule %q of baseline %q more than once; only the first entry is compared", which, r.ID, r.Baseline))
			}
			continue
		}
		m[k] = r
	}
	return m
}

func (d *DriftReport) warn(code, msg string) {
	d.Warnings = append(d.Warnings, DriftWarning{Code: code, Message: msg})
}

// identityWarnings flags comparisons across hosts, baselines or time.
func (d *DriftReport) identityWarnings(old, new *Report) {
	oh, nh := old.Host, new.Host
	if oh.Hostname != nh.Hostname {
		d.warn(driftDifferentHost, fmt.Sprintf("the reports are from different hosts: %q and %q", oh.Hostname, nh.Hostname))
	}
	switch {
	case oh.MachineID != "" && nh.MachineID != "" && oh.MachineID != nh.MachineID:
		d.warn(driftDifferentMachineID, fmt.Sprintf("the reports are from different machines: machine id %q and %q", oh.MachineID, nh.MachineID))
	case (oh.MachineID == "") != (nh.MachineID == ""):
		d.warn(driftMachineIDUnknown, "only one report has a machine id, so it cannot be confirmed that both are from the same machine")
	}

	oldB := map[string]Baseline{}
	for _, b := range old.Baselines {
		oldB[b.Name] = b
	}
	newB := map[string]Baseline{}
	for _, b := range new.Baselines {
		newB[b.Name] = b
	}
	for _, name := range sortedKeys(newB) {
		nb := newB[name]
		ob, ok := oldB[name]
		switch {
		case !ok:
			d.warn(driftBaselineAdded, fmt.Sprintf("baseline %q (version %q) is only in the new report", name, nb.Version))
		case ob.Digest != nb.Digest:
			d.warn(driftBaselineChanged, fmt.Sprintf("baseline %q changed: version %q, digest %q before; version %q, digest %q now; status changes may come from the baseline rather than the host", name, ob.Version, ob.Digest, nb.Version, nb.Digest))
		}
	}
	for _, name := range sortedKeys(oldB) {
		if _, ok := newB[name]; !ok {
			d.warn(driftBaselineRemoved, fmt.Sprintf("baseline %q (version %q) is only in the old report", name, oldB[name].Version))
		}
	}

	if !old.EndTime.IsZero() && !new.EndTime.IsZero() && new.EndTime.Before(old.EndTime) {
		d.warn(driftTimeOrder, fmt.Sprintf("the new report (%s) is older than the old one (%s); were they given in the wrong order?",
			new.EndTime.UTC().Format(time.RFC3339), old.EndTime.UTC().Format(time.RFC3339)))
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func outcome(r RuleResult) *RuleOutcome {
	reasons := r.Reasons
	if reasons == nil {
		reasons = []result.Reason{}
	}
	return &RuleOutcome{Status: r.Status, Reasons: reasons, Evidence: r.Evidence, Error: r.Error, Waiver: r.Waiver}
}

// sameOutcome compares two outcomes through their JSON encoding, which is
// what a report is: an in-memory report holds evidence numbers as ints, a
// decoded one as float64, and the two must not differ for that. An empty
// and a missing list or map are the same.
func sameOutcome(a, b *RuleOutcome) bool {
	ja, errA := canonicalOutcome(a)
	jb, errB := canonicalOutcome(b)
	if errA != nil || errB != nil {
		// Not representable as JSON (only in a hand-made report).
		return reflect.DeepEqual(a, b)
	}
	return bytes.Equal(ja, jb)
}

func canonicalOutcome(o *RuleOutcome) ([]byte, error) {
	c := *o
	if len(c.Reasons) == 0 {
		c.Reasons = nil
	}
	if len(c.Evidence) == 0 {
		c.Evidence = nil
	}
	return json.Marshal(c)
}

func sortRuleDrifts(list []RuleDrift) {
	rank := func(s result.Severity) int {
		if r, ok := severityRank[s]; ok {
			return r
		}
		return len(severityRank)
	}
	sort.SliceStable(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if ra, rb := rank(a.Severity), rank(b.Severity); ra != rb {
			return ra < rb
		}
		if a.ID != b.ID {
			return a.ID < b.ID
		}
		return a.Baseline < b.Baseline
	})
}

// WriteDriftJSON writes d as indented JSON with a final newline. The field
// names are camelCase like the report's own.
func WriteDriftJSON(w io.Writer, d *DriftReport) error {
	if d == nil {
		return errors.New("write drift json: nil drift report")
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(d); err != nil {
		return fmt.Errorf("write drift json: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("write drift json: %w", err)
	}
	return nil
}

// driftValueLimit caps the length of one evidence value in the text output;
// the JSON output has everything.
const driftValueLimit = 200

// WriteDriftText writes d for people: the two reports, the warnings, then
// the newly failing rules (with why they fail now), the fixed ones, the
// other status changes, the rules whose evidence changed (old and new
// reasons, error, waiver, and each changed top-level evidence key), the
// added and the removed rules, and a verdict line:
//
//	Worse: 2 newly failing, 1 fixed, 3 status changes, 1 evidence change, 0 added, 0 removed
//
// ("Not worse: ..." otherwise, or "No changes."). Strings from the reports
// are sanitised as by WriteText.
func WriteDriftText(w io.Writer, d *DriftReport, opts TextOptions) error {
	if d == nil {
		return errors.New("write drift text: nil drift report")
	}
	t := textWriter{color: opts.Color}
	t.printf("%s\n", t.paint(sgrBold, "gcrun drift report"))
	t.driftSide("old", d.Old)
	t.driftSide("new", d.New)
	for _, w := range d.Warnings {
		t.printf("  %-11s %s\n", "warning:", t.paint(sgrBoldYel, clean(w.Message)))
	}
	so, sn := d.Old.Summary, d.New.Summary
	t.printf("  %-11s %s -> %s; fail %d -> %d, error %d -> %d, pass %d -> %d, not_applicable %d -> %d, waived %d -> %d, total %d -> %d\n",
		"summary:", clean(d.Old.ComplianceStatus), clean(d.New.ComplianceStatus),
		so.Fail, sn.Fail, so.Error, sn.Error, so.Pass, sn.Pass, so.NotApplicable, sn.NotApplicable, so.Waived, sn.Waived, so.Total, sn.Total)

	// The status changes not already shown as newly failing or fixed.
	shown := map[driftKey]bool{}
	for _, rd := range d.NewlyFailing {
		shown[driftKey{rd.Baseline, rd.ID}] = true
	}
	for _, rd := range d.Fixed {
		shown[driftKey{rd.Baseline, rd.ID}] = true
	}
	var other []RuleDrift
	for _, rd := range d.StatusChanged {
		if !shown[driftKey{rd.Baseline, rd.ID}] {
			other = append(other, rd)
		}
	}

	t.driftSection("NEWLY FAILING", sgrBoldRed, d.NewlyFailing, func(rd RuleDrift) {
		t.outcomeDetail(rd.New)
	})
	t.driftSection("FIXED", sgrGreen, d.Fixed, nil)
	t.driftSection("OTHER STATUS CHANGES", sgrBoldYel, other, func(rd RuleDrift) {
		t.outcomeDetail(rd.New)
	})
	t.driftSection("EVIDENCE CHANGED", sgrCyan, d.EvidenceChanged, t.evidenceDetail)
	t.driftSection("ADDED", sgrBold, d.Added, nil)
	t.driftSection("REMOVED", sgrBold, d.Removed, nil)

	counts := fmt.Sprintf("%d newly failing, %d fixed, %d status %s, %d evidence %s, %d added, %d removed",
		len(d.NewlyFailing), len(d.Fixed), len(d.StatusChanged), plural(len(d.StatusChanged), "change", "changes"),
		len(d.EvidenceChanged), plural(len(d.EvidenceChanged), "change", "changes"), len(d.Added), len(d.Removed))
	switch {
	case d.Worse():
		t.printf("\n%s: %s\n", t.paint(sgrBoldRed, "Worse"), counts)
	case d.Changed():
		t.printf("\n%s: %s\n", t.paint(sgrGreen, "Not worse"), counts)
	default:
		t.printf("\n%s\n", t.paint(sgrGreen, "No changes."))
	}
	if _, err := w.Write(t.buf.Bytes()); err != nil {
		return fmt.Errorf("write drift text: %w", err)
	}
	return nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func (t *textWriter) driftSide(label string, s DriftSide) {
	host := clean(s.Host.Hostname)
	if host == "" {
		host = "(unknown host)"
	}
	var parts []string
	if s.Host.MachineID != "" {
		parts = append(parts, "machine id "+clean(s.Host.MachineID))
	}
	if !s.EndTime.IsZero() {
		parts = append(parts, s.EndTime.UTC().Format(time.RFC3339))
	}
	if s.Tool.Version != "" {
		name := s.Tool.Name
		if name == "" {
			name = "gcrun"
		}
		parts = append(parts, clean(name)+" "+clean(s.Tool.Version))
	}
	for _, b := range s.Baselines {
		v := clean(b.Name)
		if b.Version != "" {
			v += " " + clean(b.Version)
		}
		if dg := shortDigest(b.Digest); dg != "" {
			v += " (" + clean(dg) + ")"
		}
		parts = append(parts, v)
	}
	if len(parts) > 0 {
		host += ", " + strings.Join(parts, ", ")
	}
	t.printf("  %-11s %s\n", label+":", host)
}

// driftSection writes one titled list of rules in aligned columns (id,
// severity, title, transition), with detail(rd) under each when not nil.
func (t *textWriter) driftSection(title, sgr string, list []RuleDrift, detail func(RuleDrift)) {
	if len(list) == 0 {
		return
	}
	t.printf("\n%s\n", t.paint(sgr, fmt.Sprintf("%s (%d)", title, len(list))))
	idWidth, sevWidth, titleWidth := 0, 0, 0
	for _, rd := range list {
		idWidth = max(idWidth, utf8.RuneCountInString(clean(rd.ID)))
		sevWidth = max(sevWidth, utf8.RuneCountInString(clean(string(rd.Severity))))
		titleWidth = max(titleWidth, utf8.RuneCountInString(clean(rd.Title)))
	}
	for _, rd := range list {
		line := "  " + pad(clean(rd.ID), idWidth) + "  " +
			t.paint(severityColor[rd.Severity], pad(clean(string(rd.Severity)), sevWidth)) + "  " +
			pad(clean(rd.Title), titleWidth) + "  " + transition(rd)
		t.printf("%s\n", strings.TrimRight(line, " "))
		if detail != nil {
			detail(rd)
		}
	}
}

// transition shows a rule's status change: "pass -> fail", "(new) fail",
// "fail (removed)", or just "fail" when the status did not change.
func transition(rd RuleDrift) string {
	switch {
	case rd.Old == nil && rd.New != nil:
		return "(new) " + clean(string(rd.New.Status))
	case rd.New == nil && rd.Old != nil:
		return clean(string(rd.Old.Status)) + " (removed)"
	case rd.Old != nil && rd.Old.Status != rd.New.Status:
		return clean(string(rd.Old.Status)) + " -> " + clean(string(rd.New.Status))
	case rd.New != nil:
		return clean(string(rd.New.Status))
	}
	return ""
}

// outcomeDetail writes why a rule is in its state: its error, or its
// reasons.
func (t *textWriter) outcomeDetail(o *RuleOutcome) {
	if o == nil {
		return
	}
	if o.Error != "" {
		t.block("    error: ", "           ", o.Error)
	}
	for _, r := range o.Reasons {
		t.block("    - ", "      ", r.Phrase)
	}
}

// evidenceDetail writes what changed in a rule whose status did not.
func (t *textWriter) evidenceDetail(rd RuleDrift) {
	o, n := rd.Old, rd.New
	if !sameReasons(o.Reasons, n.Reasons) {
		t.printf("    reasons were:\n")
		t.reasonList(o.Reasons)
		t.printf("    reasons now:\n")
		t.reasonList(n.Reasons)
	}
	if o.Error != n.Error {
		t.block("    error was: ", "               ", orNone(o.Error))
		t.block("    error now: ", "               ", orNone(n.Error))
	}
	if !sameJSON(o.Waiver, n.Waiver) {
		t.printf("    waiver: %s -> %s\n", waiverSummary(o.Waiver), waiverSummary(n.Waiver))
	}
	keys := map[string]bool{}
	for k := range o.Evidence {
		keys[k] = true
	}
	for k := range n.Evidence {
		keys[k] = true
	}
	for _, k := range sortedKeys(keys) {
		ov, inOld := o.Evidence[k]
		nv, inNew := n.Evidence[k]
		if inOld && inNew && sameJSON(ov, nv) {
			continue
		}
		t.printf("    evidence.%s: %s -> %s\n", clean(k), evidenceValue(ov, inOld), evidenceValue(nv, inNew))
	}
}

func (t *textWriter) reasonList(reasons []result.Reason) {
	if len(reasons) == 0 {
		t.printf("      (none)\n")
	}
	for _, r := range reasons {
		t.block("      - ", "        ", r.Phrase)
	}
}

func sameReasons(a, b []result.Reason) bool {
	if len(a) == 0 && len(b) == 0 {
		return true
	}
	return sameJSON(a, b)
}

// sameJSON compares two values by their JSON encoding (see sameOutcome).
func sameJSON(a, b any) bool {
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	if errA != nil || errB != nil {
		return reflect.DeepEqual(a, b)
	}
	return bytes.Equal(ja, jb)
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func waiverSummary(w *result.Waiver) string {
	if w == nil {
		return "(none)"
	}
	return fmt.Sprintf("%q until %s", clean(w.Justification), expiry(w.Expires))
}

// evidenceValue shows one evidence value as compact JSON, sanitised and cut
// at driftValueLimit characters.
func evidenceValue(v any, present bool) string {
	if !present {
		return "(absent)"
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // show "<" as written
	if err := enc.Encode(v); err != nil {
		return "(not representable: " + clean(err.Error()) + ")"
	}
	s := clean(strings.TrimSuffix(buf.String(), "\n"))
	if n := utf8.RuneCountInString(s); n > driftValueLimit {
		s = string([]rune(s)[:driftValueLimit]) + fmt.Sprintf("... (%d characters)", n)
	}
	return s
}
