package runner

import (
	"context"
	"errors"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gcrun/gcrun/engine"
	"github.com/gcrun/gcrun/report"
	"github.com/google/go-cmp/cmp"
)

var (
	// endOfMarch is when "expires: 2027-03-31" ends: the next midnight UTC.
	endOfMarch = time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC)
	noonMarch  = time.Date(2027, 3, 31, 12, 0, 0, 0, time.UTC)
	endOf2025  = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	// june2026 is a time at which the first, second and fourth waiver of
	// testdata/waivers/waivers.yaml apply and the third has expired.
	june2026 = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
)

func TestLoadWaivers(t *testing.T) {
	got, err := LoadWaivers(testWaivers)
	if err != nil {
		t.Fatal(err)
	}
	want := &Waivers{File: testWaivers, List: []Waiver{
		{ID: "T-002", Justification: "Ubuntu is accepted on this host (TICKET-42)", Expires: endOfMarch, Run: true, Line: 3},
		{ID: "T-005", Justification: "The bogus collector is not written yet", Expires: noonMarch, Run: false, Line: 6},
		{ID: "T-001", Justification: "Renamed last year", Expires: endOf2025, Run: true, Line: 10},
		{ID: "T-003", Justification: "Only some sites need it", Expires: endOfMarch, Run: true, Line: 13},
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("waivers (-want +got):\n%s", diff)
	}
}

func TestWaiverExpiry(t *testing.T) {
	tests := []struct {
		expires string
		at      time.Time
		active  bool
	}{
		// A date lasts to the end of that day, UTC.
		{"2027-03-31", time.Date(2027, 3, 31, 23, 59, 59, 999999999, time.UTC), true},
		{"2027-03-31", time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC), false},
		{"2027-03-31", time.Date(2027, 4, 1, 1, 59, 0, 0, time.FixedZone("CEST", 2*3600)), true}, // 23:59 UTC
		{`"2027-03-31"`, time.Date(2027, 3, 31, 12, 0, 0, 0, time.UTC), true},
		// An RFC 3339 time is exact, in its own zone.
		{"2027-03-31T12:00:00+02:00", time.Date(2027, 3, 31, 9, 59, 59, 0, time.UTC), true},
		{"2027-03-31T12:00:00+02:00", time.Date(2027, 3, 31, 10, 0, 0, 0, time.UTC), false},
		{"2027-03-31T12:00:00.5Z", time.Date(2027, 3, 31, 12, 0, 0, 499999999, time.UTC), true},
		{"2027-03-31T12:00:00.5Z", time.Date(2027, 3, 31, 12, 0, 0, 500000000, time.UTC), false},
	}
	for _, tt := range tests {
		p := writeTemp(t, "w.yaml", "waivers:\n  - id: X\n    justification: j\n    expires: "+tt.expires+"\n")
		ws, err := LoadWaivers(p)
		if err != nil {
			t.Fatalf("expires %s: %v", tt.expires, err)
		}
		if got := ws.List[0].ActiveAt(tt.at); got != tt.active {
			t.Errorf("expires %s: ActiveAt(%v) = %v, want %v", tt.expires, tt.at, got, tt.active)
		}
		if ws.List[0].Expires.Location() != time.UTC {
			t.Errorf("expires %s: %v is not in UTC", tt.expires, ws.List[0].Expires)
		}
	}
}

func TestLoadWaiversErrors(t *testing.T) {
	const head = "waivers:\n  - id: A\n    justification: j\n"
	tests := []struct {
		name, yaml string
		want       []string
	}{
		{"empty file", "", []string{" empty file, want a mapping with a waivers list"}},
		{"bad YAML", "waivers:\n  - id: A\n    justification: 'unterminated\n", []string{"3: bad YAML: found unexpected end of stream"}},
		{"no waivers key", "waiver:\n  - id: A\n", []string{`1: waivers file: unknown field "waiver" (want waivers)`}},
		{"no list", "{}\n", []string{"1: no waivers list"}},
		{"list is a mapping", "waivers:\n  id: A\n", []string{"2: waivers: want a list of waivers, got a mapping"}},
		{"waiver not a mapping", "waivers:\n  - A\n", []string{`2: waiver: want a mapping with id, justification, expires, run, got "A"`}},
		{"missing id", "waivers:\n  - justification: j\n    expires: 2027-01-01\n", []string{"2: waiver: missing id"}},
		{"missing justification", "waivers:\n  - id: A\n    expires: 2027-01-01\n", []string{"2: waiver for A: missing justification (say why the rule is waived)"}},
		{"empty justification", "waivers:\n  - id: A\n    justification: \"  \"\n    expires: 2027-01-01\n", []string{"3: waiver for A: justification: empty string"}},
		{"missing expires", head, []string{"2: waiver for A: missing expires (a date YYYY-MM-DD or an RFC 3339 time: waivers do not last forever)"}},
		{"bad date", head + "    expires: 2027-02-30\n", []string{`4: waiver for A: expires: "2027-02-30" is neither a date YYYY-MM-DD nor an RFC 3339 time such as 2027-03-31T18:00:00Z`}},
		{"US date", head + "    expires: 03/31/2027\n", []string{`4: waiver for A: expires: "03/31/2027" is neither a date YYYY-MM-DD nor an RFC 3339 time such as 2027-03-31T18:00:00Z`}},
		{"time without zone", head + "    expires: 2027-03-31T12:00:00\n", []string{`4: waiver for A: expires: "2027-03-31T12:00:00" is neither a date YYYY-MM-DD nor an RFC 3339 time such as 2027-03-31T18:00:00Z`}},
		{"YAML 1.1 timestamp", head + "    expires: 2027-03-31 12:00:00\n", []string{`4: waiver for A: expires: "2027-03-31 12:00:00" is neither a date YYYY-MM-DD nor an RFC 3339 time such as 2027-03-31T18:00:00Z`}},
		{"expires a number", head + "    expires: 20270331\n", []string{"4: waiver for A: expires: want a date YYYY-MM-DD or an RFC 3339 time, got 20270331 (int)"}},
		{"run not a boolean", head + "    expires: 2027-01-01\n    run: yes\n", []string{`5: waiver for A: run: want true or false, got "yes"`}},
		{"unknown field", head + "    expires: 2027-01-01\n    until: 2027-01-01\n", []string{`5: waiver: unknown field "until" (want id, justification, expires, run)`}},
		{"id with a space", "waivers:\n  - id: A B\n    justification: j\n    expires: 2027-01-01\n", []string{`2: waiver: id "A B" contains white space`}},
		{"duplicate id", head + "    expires: 2027-01-01\n  - id: A\n    justification: k\n    expires: 2028-01-01\n", []string{"5: waiver for A: the rule is also waived at line 2"}},
		{"every problem at once", "waivers:\n  - id: A\n  - id: B\n    justification: j\n    expires: never\n    run: 1\n", []string{
			"2: waiver for A: missing justification (say why the rule is waived)",
			"2: waiver for A: missing expires (a date YYYY-MM-DD or an RFC 3339 time: waivers do not last forever)",
			`5: waiver for B: expires: "never" is neither a date YYYY-MM-DD nor an RFC 3339 time such as 2027-03-31T18:00:00Z`,
			"6: waiver for B: run: want true or false, got 1 (int)",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeTemp(t, "waivers.yaml", tt.yaml)
			_, err := LoadWaivers(p)
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("LoadWaivers = %v, want a *FileError", err)
			}
			var got []string
			for _, pr := range fe.Problems {
				got = append(got, strings.TrimPrefix(pr.String(), p+":"))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
			if !strings.HasPrefix(err.Error(), "waivers: ") {
				t.Errorf("error %q does not start with waivers:", err)
			}
		})
	}
	// An empty list is fine: nothing is waived.
	ws, err := LoadWaivers(writeTemp(t, "w.yaml", "waivers: []\n"))
	if err != nil || ws.List == nil || len(ws.List) != 0 {
		t.Errorf("empty list: %v, %v", ws, err)
	}
}

func TestWaiversCheck(t *testing.T) {
	ws, err := LoadWaivers(testWaivers)
	if err != nil {
		t.Fatal(err)
	}
	rules := []engine.Rule{{ID: "T-001"}, {ID: "T-002"}, {ID: "T-003"}, {ID: "T-005"}}
	if err := ws.Check(rules); err != nil {
		t.Errorf("Check with every rule: %v", err)
	}
	err = ws.Check(rules[1:3])
	want := "waivers: 2 problems:\n  " + testWaivers + ":6: waiver for T-005: no loaded rule has this id\n  " + testWaivers + ":10: waiver for T-001: no loaded rule has this id"
	if err == nil || err.Error() != want {
		t.Errorf("Check = %v\nwant %s", err, want)
	}
}

func TestWaiversApply(t *testing.T) {
	ws, err := LoadWaivers(testWaivers)
	if err != nil {
		t.Fatal(err)
	}
	rule := func(id string) *engine.Rule { return &engine.Rule{ID: id} }
	fail := []engine.Reason{{Code: "c", Phrase: "p"}}
	results := []engine.Result{
		{Rule: rule("T-001"), Status: engine.StatusFail, Reasons: fail},
		{Rule: rule("T-002"), Status: engine.StatusFail, Reasons: fail, Evidence: map[string]any{"k": "v"}, Duration: time.Second},
		{Rule: rule("T-004"), Status: engine.StatusPass},
	}
	skipped := []engine.Rule{{ID: "T-005"}}
	got, section := ws.Apply(june2026, results, skipped)
	want := []engine.Result{
		// Expired: the real result.
		{Rule: rule("T-001"), Status: engine.StatusFail, Reasons: fail},
		{Rule: rule("T-002"), Status: engine.StatusWaived, Reasons: fail, Evidence: map[string]any{"k": "v"}, Duration: time.Second,
			Waiver: &engine.Waiver{Justification: "Ubuntu is accepted on this host (TICKET-42)", Expires: endOfMarch, Run: true, RawStatus: engine.StatusFail}},
		{Rule: rule("T-004"), Status: engine.StatusPass},
		// Skipped, so waived without a raw result, in id order.
		{Rule: rule("T-005"), Status: engine.StatusWaived,
			Waiver: &engine.Waiver{Justification: "The bogus collector is not written yet", Expires: noonMarch}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}
	if results[1].Status != engine.StatusFail || results[1].Waiver != nil {
		t.Error("Apply modified its input")
	}
	wantSection := []report.Waiver{
		{ID: "T-002", Justification: "Ubuntu is accepted on this host (TICKET-42)", Expires: endOfMarch, Run: true, State: report.WaiverActive},
		{ID: "T-005", Justification: "The bogus collector is not written yet", Expires: noonMarch, Run: false, State: report.WaiverActive},
		{ID: "T-001", Justification: "Renamed last year", Expires: endOf2025, Run: true, State: report.WaiverExpired},
		{ID: "T-003", Justification: "Only some sites need it", Expires: endOfMarch, Run: true, State: report.WaiverUnused},
	}
	if diff := cmp.Diff(wantSection, section); diff != "" {
		t.Errorf("section (-want +got):\n%s", diff)
	}

	// A run: false waiver on a rule that was evaluated anyway (an engine
	// built without SkipFilter) drops the raw result.
	got, _ = ws.Apply(june2026, []engine.Result{{Rule: rule("T-005"), Status: engine.StatusError, Error: "collector bogus failed", Reasons: fail}}, nil)
	want = []engine.Result{{Rule: rule("T-005"), Status: engine.StatusWaived,
		Waiver: &engine.Waiver{Justification: "The bogus collector is not written yet", Expires: noonMarch}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("run: false on an evaluated rule (-want +got):\n%s", diff)
	}
}

func TestWaiversSkipFilter(t *testing.T) {
	ws, err := LoadWaivers(writeTemp(t, "w.yaml", `waivers:
  - {id: T-005, justification: j, expires: 2027-01-01, run: false}
  - {id: T-001, justification: j, expires: 2025-01-01, run: false}
  - {id: T-002, justification: j, expires: 2027-01-01}
`))
	if err != nil {
		t.Fatal(err)
	}
	ids := func(rules []engine.Rule) []string {
		var out []string
		for _, r := range rules {
			out = append(out, r.ID)
		}
		sort.Strings(out)
		return out
	}
	ctx := context.Background()
	bs := []*engine.Baseline{testBaseline(t)}
	// Only T-005 is skipped: T-001's waiver has expired, T-002's runs.
	var skipped []engine.Rule
	eng, err := NewEngine(ctx, bs, ws.SkipFilter(june2026, &skipped))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"T-001", "T-002", "T-003", "T-004"}, ids(eng.Rules())); diff != "" {
		t.Errorf("engine rules (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"T-005"}, ids(skipped)); diff != "" {
		t.Errorf("skipped (-want +got):\n%s", diff)
	}
	// After a filter that drops T-005, it is not recorded as skipped.
	skipped = nil
	drop := engine.WithRuleFilter(func(r engine.Rule) bool { return r.ID != "T-005" })
	if _, err := NewEngine(ctx, bs, drop, ws.SkipFilter(june2026, &skipped)); err != nil {
		t.Fatal(err)
	}
	if len(skipped) != 0 {
		t.Errorf("skipped %v, want none: another filter dropped T-005 first", ids(skipped))
	}
	// RecordRules first sees every rule.
	var all []engine.Rule
	if _, err := NewEngine(ctx, bs, RecordRules(&all), drop, ws.SkipFilter(june2026, &skipped)); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"T-001", "T-002", "T-003", "T-004", "T-005"}, ids(all)); diff != "" {
		t.Errorf("recorded (-want +got):\n%s", diff)
	}
}

func TestEvaluateBaselinesWaivers(t *testing.T) {
	ws, err := LoadWaivers(testWaivers)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := evaluateTestPack(t, Options{Waivers: ws}, june2026)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]outcome{
		"T-001": {Status: engine.StatusFail, Codes: []string{"hostname"}}, // expired waiver
		"T-002": {Status: engine.StatusWaived, RawStatus: engine.StatusFail, Codes: []string{"os"}},
		"T-003": {Status: engine.StatusWaived, RawStatus: engine.StatusPass},
		"T-004": {Status: engine.StatusFail, Codes: []string{"too_many"}},
		"T-005": {Status: engine.StatusWaived}, // run: false
	}
	if diff := cmp.Diff(want, outcomes(rep)); diff != "" {
		t.Errorf("rules (-want +got):\n%s", diff)
	}
	// T-005 was not evaluated: the collector only it reads did not run.
	if diff := cmp.Diff([]string{"host"}, collectorNames(rep)); diff != "" {
		t.Errorf("collectors (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(report.Summary{Total: 5, Fail: 2, Waived: 3}, rep.Summary); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
	states := map[string]string{}
	for _, w := range rep.Waivers {
		states[w.ID] = w.State
	}
	if diff := cmp.Diff(map[string]string{"T-001": "expired", "T-002": "active", "T-003": "active", "T-005": "active"}, states); diff != "" {
		t.Errorf("waiver states (-want +got):\n%s", diff)
	}

	// A year later every waiver has expired: T-005 runs, and errors.
	rep, err = evaluateTestPack(t, Options{Waivers: ws}, june2026.AddDate(1, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(report.Summary{Total: 5, Pass: 1, Fail: 3, Error: 1}, rep.Summary); diff != "" {
		t.Errorf("all expired: summary (-want +got):\n%s", diff)
	}
	if rep.ExitCode() != report.ExitError {
		t.Errorf("all expired: exit %d, want %d", rep.ExitCode(), report.ExitError)
	}

	// With the tailoring, T-003 is not selected and T-005 excluded: their
	// waivers are unused, whatever run says.
	tl, err := LoadTailoring(testTailoring)
	if err != nil {
		t.Fatal(err)
	}
	rep, err = evaluateTestPack(t, Options{Tailoring: tl, Waivers: ws}, june2026)
	if err != nil {
		t.Fatal(err)
	}
	states = map[string]string{}
	for _, w := range rep.Waivers {
		states[w.ID] = w.State
	}
	if diff := cmp.Diff(map[string]string{"T-001": "expired", "T-002": "active", "T-003": "unused", "T-005": "unused"}, states); diff != "" {
		t.Errorf("tailored waiver states (-want +got):\n%s", diff)
	}
	// T-001 and T-004 pass by the tailoring's parameters, T-002 is waived.
	if rep.ComplianceStatus != report.Compliant || rep.ExitCode() != report.ExitCompliant {
		t.Errorf("tailored and waived: %s, exit %d; rules %v", rep.ComplianceStatus, rep.ExitCode(), outcomes(rep))
	}
}

// A waiver for a rule no pack has is bad input naming file:line, even when
// the tailoring drops other rules: the check is against every loaded rule.
func TestEvaluateBaselinesUnknownWaiver(t *testing.T) {
	p := writeTemp(t, "waivers.yaml", "waivers:\n  - id: T-003\n    justification: j\n    expires: 2027-01-01\n  - id: T-030\n    justification: typo\n    expires: 2027-01-01\n")
	ws, err := LoadWaivers(p)
	if err != nil {
		t.Fatal(err)
	}
	tl, err := LoadTailoring(testTailoring)
	if err != nil {
		t.Fatal(err)
	}
	_, err = evaluateTestPack(t, Options{Waivers: ws, Tailoring: tl}, june2026)
	if want := "waivers: " + p + ":5: waiver for T-030: no loaded rule has this id"; err == nil || err.Error() != want {
		t.Errorf("EvaluateBaselines = %v, want %s", err, want)
	}
	if !errors.As(err, new(*FileError)) {
		t.Errorf("%T is not a *FileError", err)
	}

	// Evaluate checks against the rules of its engine.
	eng, err := NewEngine(context.Background(), []*engine.Baseline{testBaseline(t)})
	if err != nil {
		t.Fatal(err)
	}
	target, err := NewTarget(testRoot)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Evaluate(context.Background(), eng, target, Options{Waivers: ws}); err == nil || !strings.Contains(err.Error(), ":5: waiver for T-030") {
		t.Errorf("Evaluate = %v, want the unknown waiver", err)
	}
}

// Evaluate, whose engine is built already, evaluates a rule under a run:
// false waiver but reports it as not run.
func TestEvaluateWaivers(t *testing.T) {
	ws, err := LoadWaivers(testWaivers)
	if err != nil {
		t.Fatal(err)
	}
	eng, err := NewEngine(context.Background(), []*engine.Baseline{testBaseline(t)})
	if err != nil {
		t.Fatal(err)
	}
	target, err := NewTarget(testRoot)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Evaluate(context.Background(), eng, target, Options{Waivers: ws, Now: func() time.Time { return june2026 }})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]outcome{
		"T-001": {Status: engine.StatusFail, Codes: []string{"hostname"}},
		"T-002": {Status: engine.StatusWaived, RawStatus: engine.StatusFail, Codes: []string{"os"}},
		"T-003": {Status: engine.StatusWaived, RawStatus: engine.StatusPass},
		"T-004": {Status: engine.StatusFail, Codes: []string{"too_many"}},
		"T-005": {Status: engine.StatusWaived},
	}
	if diff := cmp.Diff(want, outcomes(rep)); diff != "" {
		t.Errorf("rules (-want +got):\n%s", diff)
	}
	for _, r := range rep.Rules {
		if r.ID == "T-005" && r.Error != "" {
			t.Errorf("T-005 keeps its raw error %q under a run: false waiver", r.Error)
		}
	}
}
