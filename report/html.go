package report

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gcrun/gcrun/engine/result"
)

// The HTML format is one self-contained page: the template, its style sheet
// and its script are compiled into the binary and inlined into every page,
// so that a report mailed to an auditor or opened on an air-gapped machine
// looks the same and fetches nothing.
//
//go:embed html/report.tmpl html/report.css html/report.js
var htmlAssets embed.FS

// htmlMediaType is the media type of the HTML format.
const htmlMediaType = "text/html; charset=utf-8"

// htmlPage holds what every page shares: the parsed template, the inline
// style sheet and script, and the Content-Security-Policy that allows
// exactly those two and nothing else.
type htmlPage struct {
	tmpl   *template.Template
	style  template.CSS
	script template.JS
	csp    string
}

// htmlShared is built on first use, so that programs that never write
// HTML do not parse the template at start-up.
var htmlShared = sync.OnceValue(mustHTMLPage)

// mustHTMLPage loads the embedded assets. They are part of the binary, so a
// failure is a programming error that every test run shows at once.
func mustHTMLPage() htmlPage {
	read := func(name string) string {
		b, err := htmlAssets.ReadFile(name)
		if err != nil {
			panic(fmt.Sprintf("report: embedded HTML asset: %v", err))
		}
		return string(b)
	}
	style, script := read("html/report.css"), read("html/report.js")
	// Inline code must never be able to close its own element: the
	// hashes below would then cover less than the browser runs.
	if strings.Contains(strings.ToLower(style), "</style") || strings.Contains(strings.ToLower(script), "</script") {
		panic("report: embedded HTML asset closes its own element")
	}
	// Hashes rather than 'unsafe-inline': should a report string ever
	// slip through escaping as markup, the browser still runs no script
	// and applies no style but ours.
	csp := strings.Join([]string{
		"default-src 'none'",
		"style-src " + cspHash(style),
		"script-src " + cspHash(script),
		"base-uri 'none'",
		"form-action 'none'",
	}, "; ")
	tmpl := template.Must(template.New("report.tmpl").ParseFS(htmlAssets, "html/report.tmpl"))
	return htmlPage{tmpl: tmpl, style: template.CSS(style), script: template.JS(script), csp: csp}
}

// cspHash is the CSP source expression that allows an inline element whose
// text is exactly s.
func cspHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}

// newHTMLRenderer returns the renderer of the "html" format: a single
// self-contained HTML page (see WriteHTML). It honours no option: colours
// follow the reader's light or dark preference instead.
func newHTMLRenderer(RenderOptions) Renderer {
	return rendererFunc{mediaType: htmlMediaType, render: WriteHTML}
}

// WriteHTML writes r as one self-contained HTML page: a header (host,
// root or image, baselines, tool, times and the compliance verdict), charts
// of the rules by status and of the failing rules by severity, the rule
// table (most urgent first, each row expandable to its reasons, evidence,
// remediation, references, waiver and error), the failed collectors and the
// waivers. The report itself is embedded as JSON in
// <script type="application/json" id="report-data">, so the page is also
// a copy of the report.
//
// The page works offline and fetches nothing: style and script are inline
// and a Content-Security-Policy allows only those two, by hash. The table
// is rendered on the server side, so it reads without JavaScript; the
// script only adds filters by status, severity and free text.
//
// Every string from the report is escaped by html/template, and control
// characters and bidirectional overrides are shown as escapes (as in
// WriteText): reports quote file contents from the scanned host, which must
// be able neither to inject markup nor to disguise what the page says.
// Output is a pure function of r.
func WriteHTML(w io.Writer, r *Report) error {
	if r == nil {
		return errors.New("write html report: nil report")
	}
	view, err := newHTMLView(r)
	if err != nil {
		return fmt.Errorf("write html report: %w", err)
	}
	// Render into memory first, so that a failure writes nothing rather
	// than half a page.
	var buf bytes.Buffer
	if err := htmlShared().tmpl.Execute(&buf, view); err != nil {
		return fmt.Errorf("write html report: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("write html report: %w", err)
	}
	return nil
}

// htmlView is everything the template shows, computed in Go so that the
// template has no logic beyond loops and conditions.
type htmlView struct {
	CSP    string
	Style  template.CSS
	Script template.JS
	// Data is the report as JSON; html/template escapes it for the
	// script element.
	Data json.RawMessage

	PageTitle       string
	Heading         string
	Compliance      string
	ComplianceClass string
	Facts           []htmlFact
	Baselines       []htmlBaseline

	StatusChart   htmlDonut
	SeverityChart htmlBars

	StatusFilters   []htmlFilter
	SeverityFilters []htmlFilter
	Total           int
	Rules           []htmlRule

	Collectors       []htmlCollector
	FailedCollectors []htmlCollector

	Waivers      []htmlWaiver
	WaiverCounts string
	Footer       string
}

// htmlFact is one line of the header.
type htmlFact struct {
	Label, Value string
	// Title is the full value when Value is abbreviated.
	Title string
	// Datetime makes Value a <time> element.
	Datetime string
	Mono     bool
}

type htmlBaseline struct {
	Name, Version, Digest, ShortDigest string
}

// htmlDonut is the status chart: a ring of one arc per status, drawn as
// circles whose stroke is dashed to the arc's share (the circle's path
// length is 100, so a dash of 25 is a quarter).
type htmlDonut struct {
	Desc     string
	Total    int
	Segments []htmlSegment
	Items    []htmlLegendItem
}

type htmlSegment struct {
	Status, Label, Class string
	Count                int
	Dash, Offset         string
}

type htmlLegendItem struct {
	Status, Label, Class string
	Count                int
	Percent              string
}

// htmlBars is the severity chart: one horizontal bar per severity.
type htmlBars struct {
	Desc    string
	Total   int
	ViewBox string
	Bars    []htmlBar
}

type htmlBar struct {
	Severity, Label, Class string
	Count                  int
	Y                      int
	Width, CountX          string
}

// htmlFilter is one checkbox of the filter form.
type htmlFilter struct {
	Value, Label, Class string
	Count               int
}

type htmlRule struct {
	// Index is the rule's position in Report.Rules (and in the embedded
	// JSON), which the script uses to find the rule's data.
	Index         int
	ID, Title     string
	Status        string
	StatusLabel   string
	StatusClass   string
	Severity      string
	SeverityLabel string
	SeverityClass string
	Description   string
	Baseline      string
	Tags          string
	DurationMs    int64
	Error         string
	Waiver        *htmlRuleWaiver
	Reasons       []htmlReason
	Evidence      []htmlKV
	Remediation   string
	References    []htmlKV
	// StatusBefore and Actions come from a remediation run.
	StatusBefore string
	Actions      []htmlAction
}

type htmlAction struct{ Status, Text string }

type htmlRuleWaiver struct {
	Justification, Expires, ExpiresISO string
	Run                                bool
	RawStatus, RawStatusLabel          string
	RawStatusClass                     string
}

type htmlReason struct {
	Phrase, Code     string
	Compare          bool
	Expected, Actual string
	Evidence         []htmlKV
}

type htmlKV struct{ Key, Value string }

type htmlCollector struct {
	Name, Status, StatusClass, Error string
	DurationMs                       int64
}

type htmlWaiver struct {
	ID, State, StateClass, Justification, Expires, ExpiresISO string
	Run                                                       bool
}

func newHTMLView(r *Report) (*htmlView, error) {
	data, err := htmlReportJSON(r)
	if err != nil {
		return nil, err
	}
	shared := htmlShared()
	v := &htmlView{
		CSP:    shared.csp,
		Style:  shared.style,
		Script: shared.script,
		Data:   data,
		Total:  len(r.Rules),
	}
	tool := htmlText(r.Tool.Name)
	if tool == "" {
		tool = "gcrun"
	}
	v.Heading = tool + " compliance report"
	v.Compliance = htmlText(r.ComplianceStatus)
	switch r.ComplianceStatus {
	case Compliant:
		v.ComplianceClass = "ok"
	case NonCompliant:
		v.ComplianceClass = "bad"
	default:
		v.ComplianceClass = "unknown"
		if v.Compliance == "" {
			v.Compliance = "unknown"
		}
	}
	host := htmlText(r.Host.Hostname)
	if host == "" {
		host = "unknown host"
	}
	v.PageTitle = tool + " report: " + host + ": " + v.Compliance

	v.Facts = htmlFacts(r, host)
	for _, b := range r.Baselines {
		v.Baselines = append(v.Baselines, htmlBaseline{
			Name: htmlText(b.Name), Version: htmlText(b.Version),
			Digest: htmlText(b.Digest), ShortDigest: htmlText(shortDigest(b.Digest)),
		})
	}
	v.StatusChart = htmlStatusChart(r.Summary)
	v.SeverityChart = htmlSeverityChart(r.Rules)
	v.StatusFilters, v.SeverityFilters = htmlFilters(r.Rules)
	v.Rules = htmlRules(r.Rules)
	for _, c := range r.Collectors {
		hc := htmlCollector{
			Name: htmlText(c.Name), Status: htmlText(c.Status), Error: htmlText(c.Error),
			DurationMs: c.DurationMs, StatusClass: "st-error",
		}
		if c.Status == CollectorOK {
			hc.StatusClass = "st-pass"
		} else {
			v.FailedCollectors = append(v.FailedCollectors, hc)
		}
		v.Collectors = append(v.Collectors, hc)
	}
	count := map[string]int{}
	for _, w := range r.Waivers {
		count[w.State]++
		hw := htmlWaiver{
			ID: htmlText(w.ID), State: htmlText(w.State), Justification: htmlText(w.Justification),
			Expires: htmlText(expiry(w.Expires)), ExpiresISO: htmlISO(w.Expires), Run: w.Run,
		}
		switch w.State {
		case WaiverActive:
			hw.StateClass = "st-waived"
		case WaiverExpired:
			hw.StateClass = "st-fail"
		case WaiverUnused:
			hw.StateClass = "st-not_applicable"
		default:
			hw.StateClass = "st-unknown"
		}
		v.Waivers = append(v.Waivers, hw)
	}
	v.WaiverCounts = fmt.Sprintf("%d active, %d expired, %d unused",
		count[WaiverActive], count[WaiverExpired], count[WaiverUnused])
	v.Footer = fmt.Sprintf("Generated by %s", tool)
	if r.Tool.Version != "" {
		v.Footer += " " + htmlText(r.Tool.Version)
	}
	if r.SchemaVersion != "" {
		v.Footer += ", report schema " + htmlText(r.SchemaVersion)
	}
	return v, nil
}

// htmlReportJSON is r as JSON for the page's data block. json.Marshal
// already escapes <, > and & (so the data can never close its script
// element) and control characters; this also escapes the characters a
// reader of the page source could be fooled by (DEL, C1 controls,
// bidirectional formatting). They can only occur inside JSON strings, where
// \uXXXX means the same character, so the data is unchanged.
func htmlReportJSON(r *Report) (json.RawMessage, error) {
	data, err := json.Marshal(r)
	if err != nil {
		return nil, fmt.Errorf("encode report data: %w", err)
	}
	if !bytes.ContainsFunc(data, htmlInvisible) {
		return data, nil
	}
	out := make([]byte, 0, len(data)+64)
	for _, c := range string(data) {
		if htmlInvisible(c) {
			out = fmt.Appendf(out, `\u%04x`, c)
			continue
		}
		out = utf8.AppendRune(out, c)
	}
	return out, nil
}

// htmlInvisible reports whether c is a character json.Marshal leaves as is
// but that must not reach the page raw.
func htmlInvisible(c rune) bool {
	return c == 0x7f || (c >= 0x80 && c <= 0x9f) || unicode.Is(unicode.Bidi_Control, c)
}

// htmlText makes s safe to show (html/template does the HTML escaping):
// like clean, but line breaks stay, for the multi-line phrases and
// justifications that the page shows in pre-wrapped blocks.
func htmlText(s string) string {
	if !strings.Contains(s, "\n") {
		return clean(s)
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = clean(l)
	}
	return strings.Join(lines, "\n")
}

// htmlValue shows a free-form value from the report: a string as itself,
// anything else as JSON (object keys sorted, so output is deterministic),
// indented when compact JSON would be a long line.
func htmlValue(v any) string {
	if s, ok := v.(string); ok {
		return htmlText(s)
	}
	enc := func(indent string) (string, error) {
		var buf bytes.Buffer
		e := json.NewEncoder(&buf)
		e.SetEscapeHTML(false) // html/template escapes; keep "<=" readable
		e.SetIndent("", indent)
		if err := e.Encode(v); err != nil {
			return "", err
		}
		return strings.TrimSuffix(buf.String(), "\n"), nil
	}
	s, err := enc("")
	if err != nil {
		// Only a hand-built report holds values JSON cannot encode; show
		// them rather than fail the whole page over a detail.
		return htmlText(fmt.Sprintf("%v", v))
	}
	if len(s) > 80 {
		if ind, err := enc("  "); err == nil {
			s = ind
		}
	}
	return htmlText(s)
}

// htmlKVs lists a free-form object's entries by key.
func htmlKVs(m map[string]any) []htmlKV {
	if len(m) == 0 {
		return nil
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]htmlKV, len(keys))
	for i, k := range keys {
		out[i] = htmlKV{Key: htmlText(k), Value: htmlValue(m[k])}
	}
	return out
}

// htmlISO is t for a datetime attribute, or "" for the zero time.
func htmlISO(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// htmlTime shows t for people, or "unknown" for the zero time (which is
// what reports made for reproducible tests carry).
func htmlTime(t time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	return t.UTC().Format("2006-01-02 15:04:05.999 UTC")
}

func htmlFacts(r *Report, host string) []htmlFact {
	facts := []htmlFact{{Label: "Host", Value: host}}
	osName := r.Host.OS.PrettyName
	if osName == "" {
		osName = strings.TrimSpace(r.Host.OS.ID + " " + r.Host.OS.VersionID)
	}
	if osName != "" {
		facts = append(facts, htmlFact{Label: "OS", Value: htmlText(osName)})
	}
	if r.Host.MachineID != "" {
		facts = append(facts, htmlFact{Label: "Machine ID", Value: htmlText(r.Host.MachineID), Mono: true})
	}
	if img := r.Image; img != nil {
		desc := htmlText(img.Format)
		if img.Reference != "" {
			desc += " " + htmlText(img.Reference)
		}
		if img.Digest != "" {
			desc += " (" + htmlText(shortDigest(img.Digest)) + ")"
		}
		desc += fmt.Sprintf(", %d layers", img.Layers)
		facts = append(facts, htmlFact{Label: "Image", Value: desc, Title: htmlText(img.Digest)})
	}
	facts = append(facts, htmlFact{Label: "Root", Value: htmlText(r.Root), Mono: true})
	tool := htmlText(r.Tool.Name)
	if r.Tool.Version != "" {
		tool = strings.TrimSpace(tool + " " + htmlText(r.Tool.Version))
	}
	if tool != "" {
		facts = append(facts, htmlFact{Label: "Tool", Value: tool})
	}
	facts = append(facts,
		htmlFact{Label: "Started", Value: htmlTime(r.StartTime), Datetime: htmlISO(r.StartTime)},
		htmlFact{Label: "Finished", Value: htmlTime(r.EndTime), Datetime: htmlISO(r.EndTime)},
	)
	if d := r.EndTime.Sub(r.StartTime); !r.StartTime.IsZero() && !r.EndTime.IsZero() && d >= 0 {
		facts = append(facts, htmlFact{Label: "Duration", Value: d.Round(time.Millisecond).String()})
	}
	return facts
}

// htmlStatusLabel is a status for people: "not_applicable" reads as
// "not applicable".
func htmlStatusLabel(s result.Status) string {
	if s == "" {
		return "(none)"
	}
	return strings.ReplaceAll(htmlText(string(s)), "_", " ")
}

// htmlStatusClass is the CSS class of a status. Only the known statuses
// get their own class: a class name must never come from the report.
func htmlStatusClass(s result.Status) string {
	if isKnownStatus(s) {
		return "st-" + string(s)
	}
	return "st-unknown"
}

func htmlSeverityClass(s result.Severity) string {
	if s.Valid() {
		return "sev-" + string(s)
	}
	return "sev-unknown"
}

func htmlSeverityLabel(s result.Severity) string {
	if s == "" {
		return "(none)"
	}
	return htmlText(string(s))
}

// htmlNum formats a chart coordinate: three decimals at most, no trailing
// zeros, so that output is deterministic and short.
func htmlNum(f float64) string {
	s := strconv.FormatFloat(math.Round(f*1000)/1000, 'f', -1, 64)
	if s == "-0" {
		return "0"
	}
	return s
}

func htmlPercent(n, total int) string {
	if total <= 0 {
		return "0%"
	}
	return strconv.FormatFloat(float64(n)*100/float64(total), 'f', 1, 64) + "%"
}

// htmlStatusChart draws the summary's counts. The summary, not a recount of
// the rules, is what the report states, and what the numbers must match.
func htmlStatusChart(s Summary) htmlDonut {
	counts := map[result.Status]int{
		result.StatusPass:          s.Pass,
		result.StatusFail:          s.Fail,
		result.StatusNotApplicable: s.NotApplicable,
		result.StatusError:         s.Error,
		result.StatusWaived:        s.Waived,
	}
	sum := 0
	for _, n := range counts {
		sum += max(n, 0)
	}
	d := htmlDonut{Total: s.Total}
	var desc []string
	done := 0
	for _, st := range statusOrder {
		n := counts[st]
		label := htmlStatusLabel(st)
		d.Items = append(d.Items, htmlLegendItem{
			Status: string(st), Label: label, Class: htmlStatusClass(st), Count: n,
			Percent: htmlPercent(n, sum),
		})
		desc = append(desc, fmt.Sprintf("%d %s", n, label))
		if n <= 0 || sum == 0 {
			continue
		}
		share := float64(n) * 100 / float64(sum)
		d.Segments = append(d.Segments, htmlSegment{
			Status: string(st), Label: label, Class: htmlStatusClass(st), Count: n,
			Dash:   htmlNum(share) + " " + htmlNum(100-share),
			Offset: htmlNum(-float64(done) * 100 / float64(sum)),
		})
		done += n
	}
	d.Desc = fmt.Sprintf("%d rules: %s.", s.Total, strings.Join(desc, ", "))
	return d
}

// Geometry of the severity chart, in SVG user units.
const (
	htmlBarRow   = 22
	htmlBarX     = 72
	htmlBarWidth = 190
)

// htmlSeverityChart counts the failing rules by severity: the known
// severities always (a zero is information too), then any others.
func htmlSeverityChart(rules []RuleResult) htmlBars {
	counts := map[result.Severity]int{}
	total := 0
	for _, r := range rules {
		if r.Status == result.StatusFail {
			counts[r.Severity]++
			total++
		}
	}
	order := []result.Severity{result.SeverityCritical, result.SeverityHigh, result.SeverityMedium, result.SeverityLow, result.SeverityInfo}
	var extra []result.Severity
	for s := range counts {
		if !s.Valid() {
			extra = append(extra, s)
		}
	}
	sort.Slice(extra, func(i, j int) bool { return extra[i] < extra[j] })
	order = append(order, extra...)
	most := 0
	for _, n := range counts {
		most = max(most, n)
	}
	b := htmlBars{Total: total, ViewBox: fmt.Sprintf("0 0 300 %d", len(order)*htmlBarRow)}
	var desc []string
	for i, s := range order {
		n := counts[s]
		width := 0.0
		if most > 0 {
			width = float64(n) * htmlBarWidth / float64(most)
		}
		label := htmlSeverityLabel(s)
		b.Bars = append(b.Bars, htmlBar{
			Severity: htmlText(string(s)), Label: label, Class: htmlSeverityClass(s), Count: n,
			Y: i * htmlBarRow, Width: htmlNum(width), CountX: htmlNum(htmlBarX + width + 6),
		})
		desc = append(desc, fmt.Sprintf("%d %s", n, label))
	}
	b.Desc = fmt.Sprintf("%d failing rules: %s.", total, strings.Join(desc, ", "))
	return b
}

// htmlFilters lists the statuses and severities the filter form offers: the
// known ones in their usual order, then any others that occur.
func htmlFilters(rules []RuleResult) (statuses, severities []htmlFilter) {
	stCount := map[result.Status]int{}
	sevCount := map[result.Severity]int{}
	for _, r := range rules {
		stCount[r.Status]++
		sevCount[r.Severity]++
	}
	for _, st := range statusOrder {
		statuses = append(statuses, htmlFilter{Value: string(st), Label: htmlStatusLabel(st), Class: htmlStatusClass(st), Count: stCount[st]})
	}
	var otherSt []result.Status
	for st := range stCount {
		if !isKnownStatus(st) {
			otherSt = append(otherSt, st)
		}
	}
	sort.Slice(otherSt, func(i, j int) bool { return otherSt[i] < otherSt[j] })
	for _, st := range otherSt {
		statuses = append(statuses, htmlFilter{Value: htmlText(string(st)), Label: htmlStatusLabel(st), Class: htmlStatusClass(st), Count: stCount[st]})
	}
	for _, s := range []result.Severity{result.SeverityCritical, result.SeverityHigh, result.SeverityMedium, result.SeverityLow, result.SeverityInfo} {
		severities = append(severities, htmlFilter{Value: string(s), Label: htmlSeverityLabel(s), Class: htmlSeverityClass(s), Count: sevCount[s]})
	}
	var otherSev []result.Severity
	for s := range sevCount {
		if !s.Valid() {
			otherSev = append(otherSev, s)
		}
	}
	sort.Slice(otherSev, func(i, j int) bool { return otherSev[i] < otherSev[j] })
	for _, s := range otherSev {
		severities = append(severities, htmlFilter{Value: htmlText(string(s)), Label: htmlSeverityLabel(s), Class: htmlSeverityClass(s), Count: sevCount[s]})
	}
	return statuses, severities
}

// htmlRules orders the rules as the text format does (what needs attention
// first: fail, error, waived, not_applicable, pass, then unknown statuses;
// each by severity, then id) and prepares each for display.
func htmlRules(rules []RuleResult) []htmlRule {
	idx := make([]int, len(rules))
	for i := range idx {
		idx[i] = i
	}
	statusRank := func(s result.Status) int {
		for i, k := range statusOrder {
			if s == k {
				return i
			}
		}
		return len(statusOrder)
	}
	sevRank := func(s result.Severity) int {
		if r, ok := severityRank[s]; ok {
			return r
		}
		return len(severityRank)
	}
	sort.SliceStable(idx, func(i, j int) bool {
		a, b := rules[idx[i]], rules[idx[j]]
		if ra, rb := statusRank(a.Status), statusRank(b.Status); ra != rb {
			return ra < rb
		}
		if a.Status != b.Status {
			return a.Status < b.Status // unknown statuses, grouped
		}
		if ra, rb := sevRank(a.Severity), sevRank(b.Severity); ra != rb {
			return ra < rb
		}
		if a.ID != b.ID {
			return a.ID < b.ID
		}
		return a.Baseline < b.Baseline
	})
	out := make([]htmlRule, len(rules))
	for i, k := range idx {
		out[i] = htmlRuleOf(k, rules[k])
	}
	return out
}

func htmlRuleOf(index int, r RuleResult) htmlRule {
	h := htmlRule{
		Index:         index,
		ID:            htmlText(r.ID),
		Title:         htmlText(r.Title),
		Status:        htmlText(string(r.Status)),
		StatusLabel:   htmlStatusLabel(r.Status),
		StatusClass:   htmlStatusClass(r.Status),
		Severity:      htmlText(string(r.Severity)),
		SeverityLabel: htmlSeverityLabel(r.Severity),
		SeverityClass: htmlSeverityClass(r.Severity),
		Description:   htmlText(r.Description),
		Baseline:      htmlText(r.Baseline),
		DurationMs:    r.DurationMs,
		Error:         htmlText(r.Error),
		Evidence:      htmlKVs(r.Evidence),
		Remediation:   htmlText(r.Remediation),
		StatusBefore:  htmlText(string(r.StatusBefore)),
		Actions:       htmlActions(r.Actions),
	}
	if h.Title == "" {
		h.Title = h.ID
	}
	tags := make([]string, len(r.Tags))
	for i, t := range r.Tags {
		tags[i] = htmlText(t)
	}
	h.Tags = strings.Join(tags, ", ")
	if w := r.Waiver; w != nil {
		h.Waiver = &htmlRuleWaiver{
			Justification:  htmlText(w.Justification),
			Expires:        htmlText(expiry(w.Expires)),
			ExpiresISO:     htmlISO(w.Expires),
			Run:            w.Run,
			RawStatus:      htmlText(string(w.RawStatus)),
			RawStatusLabel: htmlStatusLabel(w.RawStatus),
			RawStatusClass: htmlStatusClass(w.RawStatus),
		}
	}
	for _, reason := range r.Reasons {
		hr := htmlReason{
			Phrase:   htmlText(reason.Phrase),
			Code:     htmlText(reason.Code),
			Evidence: htmlKVs(reason.Evidence),
		}
		if reason.Expected != nil || reason.Actual != nil {
			hr.Compare = true
			hr.Expected, hr.Actual = "—", "—"
			if reason.Expected != nil {
				hr.Expected = htmlValue(reason.Expected)
			}
			if reason.Actual != nil {
				hr.Actual = htmlValue(reason.Actual)
			}
		}
		h.Reasons = append(h.Reasons, hr)
	}
	refs := make([]string, 0, len(r.References))
	for k := range r.References {
		refs = append(refs, k)
	}
	sort.Strings(refs)
	for _, k := range refs {
		ids := make([]string, len(r.References[k]))
		for i, id := range r.References[k] {
			ids[i] = htmlText(id)
		}
		h.References = append(h.References, htmlKV{Key: htmlText(k), Value: strings.Join(ids, ", ")})
	}
	return h
}

// htmlActions is a rule's remediation actions, one line each.
func htmlActions(actions []Action) []htmlAction {
	var out []htmlAction
	for _, a := range actions {
		text := a.Description
		if a.Error != "" {
			text += ": " + a.Error
		} else if a.Detail != "" {
			text += " (" + a.Detail + ")"
		}
		out = append(out, htmlAction{Status: htmlText(a.Status), Text: htmlText(text)})
	}
	return out
}
