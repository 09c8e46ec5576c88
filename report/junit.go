package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gcrun/gcrun/engine/result"
)

// The JUnit rendering ("junit") follows the de-facto schema that Jenkins,
// GitLab and the GitHub test-reporter actions read: a <testsuites> root,
// one <testsuite> per baseline and one <testcase> per rule. The mapping of
// rule statuses:
//
//	pass            plain <testcase/>
//	fail            <failure message="first reason" type="<severity>">
//	error           <error message="<error>" type="<severity>">
//	not_applicable  <skipped message="not applicable: <reasons>"/>
//	waived          <skipped message="waived until <expiry>: <justification>"/>
//
// A status this package does not know (only possible in a hand-made report)
// is rendered as an error, like Summary counts it: an unknown state must
// never look like a pass in a CI dashboard.
//
// The classname of a test case is "<baseline>.<severity>". JUnit reporters
// group test cases by classname, and Jenkins splits it at the last dot into
// package and class: so the tree reads baseline, then severity, which is
// the order in which failures are triaged. Severities contain no dots, so a
// baseline name with dots ("cis-1.2") stays one package.

// junitMediaType is the media type of the JUnit rendering.
const junitMediaType = "application/xml"

// newJUnitRenderer returns the renderer of the "junit" format. It takes no
// options: JUnit XML has no colour or layout choices.
func newJUnitRenderer(RenderOptions) Renderer {
	return rendererFunc{mediaType: junitMediaType, render: writeJUnit}
}

// The document written by writeJUnit. Counts are attributes of every
// suite and of the root, as the readers expect them there.
type junitTestSuites struct {
	XMLName  xml.Name         `xml:"testsuites"`
	Name     string           `xml:"name,attr"`
	Tests    int              `xml:"tests,attr"`
	Failures int              `xml:"failures,attr"`
	Errors   int              `xml:"errors,attr"`
	Skipped  int              `xml:"skipped,attr"`
	Time     string           `xml:"time,attr"`
	Suites   []junitTestSuite `xml:"testsuite"`
}

type junitTestSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Timestamp  string          `xml:"timestamp,attr,omitempty"`
	Hostname   string          `xml:"hostname,attr"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitTestCase `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitTestCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitProblem `xml:"failure"`
	Error     *junitProblem `xml:"error"`
	Skipped   *junitProblem `xml:"skipped"`
}

// junitProblem is a <failure>, <error> or <skipped> element: a one-line
// message attribute (what the dashboards list) and the details as text.
// The text is CDATA, as Maven Surefire writes stack traces, so that the
// details keep their line breaks and quotes and read as written in the raw
// file; encoding/xml splits any "]]>" in it so that it cannot end the
// section early.
type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",cdata"`
}

// writeJUnit renders r as JUnit XML. The document is built in memory and
// written in one go, so an error never leaves half a document behind.
func writeJUnit(w io.Writer, r *Report) error {
	if r == nil {
		return errors.New("write junit report: nil report")
	}
	doc := junitDocument(r)
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write junit report: encode: %w", err)
	}
	buf.WriteByte('\n')
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("write junit report: %w", err)
	}
	return nil
}

// junitDocument builds the document: one suite per baseline of the report,
// in the report's order (a baseline without rules still gets its empty
// suite, so the document shows what was checked), then one per baseline
// that only rules name (possible in a hand-made report), in order of first
// appearance.
func junitDocument(r *Report) junitTestSuites {
	host := junitLine(r.Host.Hostname)
	doc := junitTestSuites{Name: strings.TrimSpace(junitLine(r.Tool.Name) + " " + host)}
	if doc.Name == "" {
		doc.Name = "gcrun"
	}

	index := map[string]int{}
	var versions []Baseline
	addSuite := func(b Baseline) {
		if _, ok := index[b.Name]; ok {
			return
		}
		index[b.Name] = len(versions)
		versions = append(versions, b)
	}
	for _, b := range r.Baselines {
		addSuite(b)
	}
	for _, rule := range r.Rules {
		addSuite(Baseline{Name: rule.Baseline})
	}

	suites := make([]junitTestSuite, len(versions))
	totalMs := make([]int64, len(versions))
	for i, b := range versions {
		suites[i] = junitTestSuite{
			Name:       junitLine(b.Name),
			Hostname:   host,
			Timestamp:  junitTimestamp(r.StartTime),
			Properties: junitProperties(r, b),
		}
	}
	for _, rule := range r.Rules {
		i := index[rule.Baseline]
		tc := junitCase(rule)
		s := &suites[i]
		s.Cases = append(s.Cases, tc)
		s.Tests++
		switch {
		case tc.Failure != nil:
			s.Failures++
		case tc.Error != nil:
			s.Errors++
		case tc.Skipped != nil:
			s.Skipped++
		}
		totalMs[i] += max(rule.DurationMs, 0)
	}

	var sumMs int64
	for i := range suites {
		s := &suites[i]
		s.Time = junitSeconds(totalMs[i])
		sumMs += totalMs[i]
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Errors += s.Errors
		doc.Skipped += s.Skipped
	}
	doc.Suites = suites
	// The root's time is the scan's wall-clock time when the report has
	// it: it includes fact collection, which no rule duration does.
	if d := r.EndTime.Sub(r.StartTime); !r.StartTime.IsZero() && !r.EndTime.IsZero() && d >= 0 {
		doc.Time = junitSeconds(d.Milliseconds())
	} else {
		doc.Time = junitSeconds(sumMs)
	}
	return doc
}

// junitProperties describes the scan in a suite's <properties>: where it
// ran, against what, and the verdict, so that a JUnit file on its own still
// says which host and which baseline version it is about.
func junitProperties(r *Report, b Baseline) []junitProperty {
	var props []junitProperty
	add := func(name, value string) {
		props = append(props, junitProperty{Name: name, Value: junitLine(value)})
	}
	tool := r.Tool.Name
	if r.Tool.Version != "" {
		tool += " " + r.Tool.Version
	}
	add("tool", strings.TrimSpace(tool))
	add("host", r.Host.Hostname)
	if r.Host.MachineID != "" {
		add("machineId", r.Host.MachineID)
	}
	osName := r.Host.OS.PrettyName
	if osName == "" {
		osName = strings.TrimSpace(r.Host.OS.ID + " " + r.Host.OS.VersionID)
	}
	add("os", osName)
	if r.Host.OS.Family != "" {
		add("os.family", r.Host.OS.Family)
	}
	add("root", r.Root)
	if img := r.Image; img != nil {
		add("image.format", img.Format)
		if img.Reference != "" {
			add("image.reference", img.Reference)
		}
		if img.Digest != "" {
			add("image.digest", img.Digest)
		}
	}
	add("baseline.version", b.Version)
	add("baseline.digest", b.Digest)
	add("complianceStatus", r.ComplianceStatus)
	add("schemaVersion", r.SchemaVersion)
	return props
}

// junitCase renders one rule.
func junitCase(rule RuleResult) junitTestCase {
	tc := junitTestCase{
		Name:      junitLine(rule.ID) + ": " + junitLine(rule.Title),
		Classname: junitLine(rule.Baseline) + "." + junitLine(string(rule.Severity)),
		Time:      junitSeconds(rule.DurationMs),
	}
	severity := junitLine(string(rule.Severity))
	switch rule.Status {
	case result.StatusPass:
	case result.StatusFail:
		msg := "rule failed"
		if len(rule.Reasons) > 0 {
			msg = rule.Reasons[0].Phrase
		}
		tc.Failure = &junitProblem{
			Message: junitLine(msg),
			Type:    severity,
			Text:    junitDetails(rule, ""),
		}
	case result.StatusNotApplicable:
		phrases := make([]string, 0, len(rule.Reasons))
		for _, reason := range rule.Reasons {
			phrases = append(phrases, reason.Phrase)
		}
		msg := "not applicable"
		if len(phrases) > 0 {
			msg += ": " + strings.Join(phrases, "; ")
		}
		tc.Skipped = &junitProblem{Message: junitLine(msg), Text: junitDetails(rule, "")}
	case result.StatusWaived:
		tc.Skipped = junitWaived(rule)
	default:
		// StatusError, and any status this package does not know.
		msg := rule.Error
		if rule.Status != result.StatusError {
			msg = fmt.Sprintf("unknown status %q", rule.Status)
			if rule.Error != "" {
				msg += ": " + rule.Error
			}
		}
		if msg == "" {
			msg = "rule evaluation failed without an error message"
		}
		tc.Error = &junitProblem{
			Message: junitLine(msg),
			Type:    severity,
			Text:    junitDetails(rule, "error: "+msg),
		}
	}
	return tc
}

// junitWaived renders a waived rule as skipped: the exception is accepted,
// so it must not fail the build, but the body still shows the real outcome.
func junitWaived(rule RuleResult) *junitProblem {
	w := rule.Waiver
	if w == nil {
		// Only a hand-made report; New never makes one.
		return &junitProblem{Message: "waived", Text: junitDetails(rule, "")}
	}
	head := "real status: not evaluated (run: false)"
	if w.Run {
		head = "real status: " + string(w.RawStatus)
		if w.RawStatus == result.StatusError && rule.Error != "" {
			head += "\nerror: " + rule.Error
		}
	}
	return &junitProblem{
		Message: junitLine("waived until " + expiry(w.Expires) + ": " + w.Justification),
		Text:    junitDetails(rule, head),
	}
}

// junitDetails is the text of a <failure>, <error> or <skipped>: head,
// every reason with its code, expected and actual values and evidence (as
// compact JSON), the rule's own evidence and the remediation hint. It is
// everything a developer reading the CI log needs without the JSON report.
func junitDetails(rule RuleResult, head string) string {
	var sb strings.Builder
	if head != "" {
		sb.WriteString(head)
		sb.WriteString("\n")
	}
	for _, reason := range rule.Reasons {
		for i, line := range strings.Split(strings.TrimRight(reason.Phrase, "\n"), "\n") {
			if i == 0 {
				sb.WriteString("- ")
			} else {
				sb.WriteString("  ")
			}
			sb.WriteString(line)
			sb.WriteString("\n")
		}
		if reason.Code != "" {
			sb.WriteString("  code: " + reason.Code + "\n")
		}
		if reason.Expected != nil {
			sb.WriteString("  expected: " + junitJSON(reason.Expected) + "\n")
		}
		if reason.Actual != nil {
			sb.WriteString("  actual: " + junitJSON(reason.Actual) + "\n")
		}
		if len(reason.Evidence) > 0 {
			sb.WriteString("  evidence: " + junitJSON(reason.Evidence) + "\n")
		}
	}
	if len(rule.Evidence) > 0 {
		sb.WriteString("rule evidence: " + junitJSON(rule.Evidence) + "\n")
	}
	if rule.Remediation != "" {
		sb.WriteString("remediation: " + rule.Remediation + "\n")
	}
	return junitText(sb.String())
}

// junitJSON encodes v as compact JSON (map keys sorted, so the output is
// deterministic), without HTML escaping: XML escaping happens later. A value
// JSON cannot hold (only in a hand-built report) is named, not dropped.
func junitJSON(v any) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "(cannot encode as JSON: " + err.Error() + ")"
	}
	return strings.TrimSuffix(buf.String(), "\n")
}

// junitSeconds formats milliseconds as the seconds JUnit readers expect.
func junitSeconds(ms int64) string {
	return strconv.FormatFloat(float64(max(ms, 0))/1000, 'f', 3, 64)
}

// junitTimestamp formats t as the JUnit schema's timestamp: ISO 8601
// without a zone designator, which readers take as local time; report
// times are UTC, so this is UTC. Empty for a zero time, which is unknown.
func junitTimestamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05")
}

// junitLine makes s a safe one-line attribute value: like junitText, and
// with line breaks shown as \n, because readers display the message on one
// line (and attribute normalisation would turn a raw newline into a space).
func junitLine(s string) string {
	return junitText(clean(s))
}

// junitText makes s safe to put in XML 1.0 text. encoding/xml escapes the
// markup characters (<, >, &, quotes) but cannot represent characters XML
// 1.0 forbids (most C0 controls, U+FFFE, U+FFFF) or invalid UTF-8; and the
// report quotes files from hostile hosts. So each line goes through clean
// (the text format's sanitiser: controls, ESC, bidirectional overrides and
// invalid bytes shown as Go escapes), keeping the line breaks, and the
// non-characters clean lets through are escaped too.
func junitText(s string) string {
	lines := strings.Split(s, "\n")
	for i, line := range lines {
		lines[i] = clean(line)
	}
	s = strings.Join(lines, "\n")
	if !strings.ContainsFunc(s, junitIllegal) {
		return s
	}
	var sb strings.Builder
	for _, r := range s {
		if junitIllegal(r) {
			fmt.Fprintf(&sb, `\u%04x`, r)
			continue
		}
		sb.WriteRune(r)
	}
	return sb.String()
}

// junitIllegal reports whether r is outside XML 1.0's Char production
// (other than the controls, which clean has already escaped).
func junitIllegal(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return false
	case r < 0x20, r >= 0xD800 && r <= 0xDFFF, r == 0xFFFE, r == 0xFFFF, r > utf8.MaxRune:
		return true
	}
	return false
}
