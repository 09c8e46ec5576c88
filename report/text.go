package report

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gcrun/gcrun/engine/result"
)

// TextOptions controls WriteText.
type TextOptions struct {
	// Color enables ANSI colours. The caller decides, typically from
	// whether the output is a terminal and NO_COLOR (https://no-color.org):
	// this package never looks at the environment, so output is a pure
	// function of its arguments.
	Color bool
}

// statusOrder is the order of the status groups in the text report: what
// needs attention first.
var statusOrder = []result.Status{
	result.StatusFail,
	result.StatusError,
	result.StatusWaived,
	result.StatusNotApplicable,
	result.StatusPass,
}

var severityRank = map[result.Severity]int{
	result.SeverityCritical: 0,
	result.SeverityHigh:     1,
	result.SeverityMedium:   2,
	result.SeverityLow:      3,
	result.SeverityInfo:     4,
}

// ANSI SGR sequences.
const (
	sgrReset   = "\x1b[0m"
	sgrBold    = "\x1b[1m"
	sgrDim     = "\x1b[2m"
	sgrRed     = "\x1b[31m"
	sgrBoldRed = "\x1b[1;31m"
	sgrGreen   = "\x1b[1;32m"
	sgrYellow  = "\x1b[33m"
	sgrBoldYel = "\x1b[1;33m"
	sgrMagenta = "\x1b[1;35m"
	sgrCyan    = "\x1b[36m"
)

var statusColor = map[result.Status]string{
	result.StatusFail:          sgrBoldRed,
	result.StatusError:         sgrMagenta,
	result.StatusWaived:        sgrBoldYel,
	result.StatusNotApplicable: sgrDim,
	result.StatusPass:          sgrGreen,
}

var severityColor = map[result.Severity]string{
	result.SeverityCritical: sgrBoldRed,
	result.SeverityHigh:     sgrRed,
	result.SeverityMedium:   sgrYellow,
	result.SeverityLow:      sgrCyan,
	result.SeverityInfo:     sgrDim,
}

// WriteText writes a human-readable summary of r: a header (tool, host,
// root, baselines, time, failed collectors), the rules grouped by status
// (fail, error, waived, not_applicable, pass), each group ordered by
// severity (critical first) and then id, in aligned columns (id, severity,
// title), with the reasons under each failing rule, the error under each
// errored one, and the justification, expiry and real outcome under each
// waived one; then the waivers that did not apply (expired, unused), and a
// one-line verdict such as
//
//	NonCompliant: 3 fail, 1 error, 20 pass, 2 not_applicable of 26 rules
//
// (with ", N waived" after the errors when some rule is waived).
//
// Every string from the report is sanitised: control characters (including
// ESC) and bidirectional overrides are shown escaped, because rule output
// can quote file contents from the scanned host, and a report must not be
// able to drive the reader's terminal or disguise what it says.
func WriteText(w io.Writer, r *Report, opts TextOptions) error {
	if r == nil {
		return errors.New("write text report: nil report")
	}
	t := textWriter{color: opts.Color}
	t.header(r)
	t.rules(r.Rules)
	t.waivers(r.Waivers)
	t.verdict(r)
	_, err := w.Write(t.buf.Bytes())
	if err != nil {
		return fmt.Errorf("write text report: %w", err)
	}
	return nil
}

type textWriter struct {
	buf   bytes.Buffer
	color bool
}

// paint wraps s in an SGR sequence when colour is on.
func (t *textWriter) paint(sgr, s string) string {
	if !t.color || sgr == "" {
		return s
	}
	return sgr + s + sgrReset
}

func (t *textWriter) printf(format string, args ...any) {
	fmt.Fprintf(&t.buf, format, args...)
}

func (t *textWriter) header(r *Report) {
	tool := clean(r.Tool.Name)
	if tool == "" {
		tool = "gcrun"
	}
	if r.Tool.Version != "" {
		tool += " " + clean(r.Tool.Version)
	}
	t.printf("%s\n", t.paint(sgrBold, tool+" compliance report"))

	field := func(label, value string) {
		t.printf("  %-11s %s\n", label+":", value)
	}
	host := clean(r.Host.Hostname)
	if host == "" {
		host = "(unknown host)"
	}
	osName := r.Host.OS.PrettyName
	if osName == "" {
		osName = strings.TrimSpace(r.Host.OS.ID + " " + r.Host.OS.VersionID)
	}
	if osName != "" {
		host += " (" + clean(osName) + ")"
	}
	field("host", host)
	if r.Host.MachineID != "" {
		field("machine id", clean(r.Host.MachineID))
	}
	field("root", clean(r.Root))
	if len(r.Baselines) == 0 {
		field("baselines", "(none)")
	}
	for _, b := range r.Baselines {
		s := clean(b.Name)
		if b.Version != "" {
			s += " " + clean(b.Version)
		}
		if d := shortDigest(b.Digest); d != "" {
			s += " (" + clean(d) + ")"
		}
		field("baseline", s)
	}
	if !r.StartTime.IsZero() {
		s := r.StartTime.UTC().Format(time.RFC3339)
		if d := r.EndTime.Sub(r.StartTime); !r.EndTime.IsZero() && d >= 0 {
			s += ", took " + d.Round(time.Millisecond).String()
		}
		field("time", s)
	}
	if m := r.Remediation; m != nil {
		s := clean(m.Mode)
		switch {
		case m.Mode == "plan":
			s += " (nothing was changed)"
		case m.RunID == "":
			s += ": nothing to change"
		default:
			s += fmt.Sprintf(" run %s: %d file(s) changed, %d command(s) run; undo with gcrun rollback --run %s", clean(m.RunID), m.FilesChanged, m.CommandsRun, clean(m.RunID))
		}
		field("remediation", s)
	}
	for _, c := range r.Collectors {
		if c.Status != CollectorOK {
			msg := clean(c.Name) + " failed"
			if c.Error != "" {
				msg += ": " + clean(c.Error)
			}
			field("collector", t.paint(sgrMagenta, msg))
		}
	}
}

// shortDigest abbreviates "sha256:<64 hex>" to 12 hex digits, enough to
// tell baselines apart at a glance; the JSON has the full digest.
func shortDigest(d string) string {
	const prefix, keep = "sha256:", 12
	if strings.HasPrefix(d, prefix) && len(d) > len(prefix)+keep {
		return d[:len(prefix)+keep]
	}
	return d
}

func (t *textWriter) rules(rules []RuleResult) {
	if len(rules) == 0 {
		t.printf("\n(no rules were evaluated)\n")
		return
	}
	groups := map[result.Status][]RuleResult{}
	order := append([]result.Status{}, statusOrder...)
	idWidth, sevWidth := 0, 0
	for _, r := range rules {
		if _, ok := groups[r.Status]; !ok && !isKnownStatus(r.Status) {
			// Only a hand-made report can get here; show it rather than
			// hide it, after the known groups.
			order = append(order, r.Status)
		}
		groups[r.Status] = append(groups[r.Status], r)
		idWidth = max(idWidth, utf8.RuneCountInString(clean(r.ID)))
		sevWidth = max(sevWidth, utf8.RuneCountInString(clean(string(r.Severity))))
	}
	for _, status := range order {
		group := groups[status]
		if len(group) == 0 {
			continue
		}
		sortRules(group)
		title := strings.ToUpper(strings.ReplaceAll(clean(string(status)), "_", " "))
		t.printf("\n%s\n", t.paint(statusColor[status], fmt.Sprintf("%s (%d)", title, len(group))))
		for _, r := range group {
			sev := clean(string(r.Severity))
			line := "  " + pad(clean(r.ID), idWidth) + "  " +
				t.paint(severityColor[r.Severity], pad(sev, sevWidth)) + "  " + clean(r.Title)
			if r.StatusBefore != "" && r.StatusBefore != r.Status {
				line += t.paint(sgrDim, "  (was "+clean(string(r.StatusBefore))+")")
			}
			t.printf("%s\n", strings.TrimRight(line, " "))
			for _, a := range r.Actions {
				text := "[" + clean(a.Status) + "] " + clean(a.Description)
				if a.Error != "" {
					text += ": " + clean(a.Error)
				} else if a.Detail != "" {
					text += " (" + clean(a.Detail) + ")"
				}
				t.block("    > ", "      ", text)
			}
			switch r.Status {
			case result.StatusFail, result.StatusNotApplicable:
				// Why a rule does not apply matters as much as why it
				// fails: "the file is missing" must be visible.
				for _, reason := range r.Reasons {
					t.block("    - ", "      ", reason.Phrase)
				}
			case result.StatusError:
				t.block("    error: ", "           ", r.Error)
			case result.StatusWaived:
				t.waived(r)
			default:
				if !isKnownStatus(r.Status) && r.Error != "" {
					t.block("    error: ", "           ", r.Error)
				}
			}
		}
	}
}

// waived writes what a waived rule is under and what it really is.
func (t *textWriter) waived(r RuleResult) {
	w := r.Waiver
	if w == nil {
		return // only a hand-made report
	}
	t.block("    justification: ", "                   ", w.Justification)
	t.printf("    expires: %s\n", expiry(w.Expires))
	if !w.Run {
		t.printf("    real status: not evaluated (run: false)\n")
		return
	}
	t.printf("    real status: %s\n", clean(string(w.RawStatus)))
	switch w.RawStatus {
	case result.StatusError:
		t.block("    error: ", "           ", r.Error)
	default:
		for _, reason := range r.Reasons {
			t.block("    - ", "      ", reason.Phrase)
		}
	}
}

// waivers lists the waivers that did not apply, after a count of all of
// them; the active ones are shown with their rules.
func (t *textWriter) waivers(ws []Waiver) {
	if len(ws) == 0 {
		return
	}
	count := map[string]int{}
	idWidth := 0
	for _, w := range ws {
		count[w.State]++
		if w.State != WaiverActive {
			idWidth = max(idWidth, utf8.RuneCountInString(clean(w.ID)))
		}
	}
	t.printf("\n%s\n", t.paint(sgrBold, fmt.Sprintf("WAIVERS: %d active, %d expired, %d unused",
		count[WaiverActive], count[WaiverExpired], count[WaiverUnused])))
	for _, w := range ws {
		var what string
		switch w.State {
		case WaiverActive:
			continue
		case WaiverExpired:
			what = t.paint(sgrYellow, "expired "+expiry(w.Expires))
		case WaiverUnused:
			what = "unused (the rule was not evaluated)"
		default:
			what = clean(w.State)
		}
		t.printf("  %s  %s\n", pad(clean(w.ID), idWidth), what)
		t.block("    justification: ", "                   ", w.Justification)
	}
}

// expiry shows a waiver's expiry: a midnight UTC as the day it ends
// ("2027-03-31, end of day UTC", which is how the waiver file says it),
// anything else as RFC 3339 in UTC.
func expiry(at time.Time) string {
	at = at.UTC()
	if at.Hour() == 0 && at.Minute() == 0 && at.Second() == 0 && at.Nanosecond() == 0 {
		return at.AddDate(0, 0, -1).Format(time.DateOnly) + ", end of day UTC"
	}
	return at.Format(time.RFC3339Nano)
}

// block writes a possibly multi-line text, the first line after first and
// the others after rest, so continuation lines stay under the rule.
func (t *textWriter) block(first, rest, text string) {
	for i, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		prefix := rest
		if i == 0 {
			prefix = first
		}
		t.printf("%s\n", strings.TrimRight(prefix+clean(line), " "))
	}
}

func (t *textWriter) verdict(r *Report) {
	s := r.Summary
	noun := "rules"
	if s.Total == 1 {
		noun = "rule"
	}
	color := sgrGreen
	if r.ComplianceStatus != Compliant {
		color = sgrBoldRed
	}
	waived := ""
	if s.Waived > 0 {
		waived = fmt.Sprintf(", %d waived", s.Waived)
	}
	t.printf("\n%s: %d fail, %d error%s, %d pass, %d not_applicable of %d %s\n",
		t.paint(color, clean(r.ComplianceStatus)), s.Fail, s.Error, waived, s.Pass, s.NotApplicable, s.Total, noun)
}

func isKnownStatus(s result.Status) bool {
	for _, k := range statusOrder {
		if s == k {
			return true
		}
	}
	return false
}

// sortRules orders a status group by severity (critical first, unknown
// severities last), then id, then baseline.
func sortRules(rules []RuleResult) {
	rank := func(s result.Severity) int {
		if r, ok := severityRank[s]; ok {
			return r
		}
		return len(severityRank)
	}
	sort.SliceStable(rules, func(i, j int) bool {
		a, b := rules[i], rules[j]
		if ra, rb := rank(a.Severity), rank(b.Severity); ra != rb {
			return ra < rb
		}
		if a.ID != b.ID {
			return a.ID < b.ID
		}
		return a.Baseline < b.Baseline
	})
}

func pad(s string, width int) string {
	if n := utf8.RuneCountInString(s); n < width {
		return s + strings.Repeat(" ", width-n)
	}
	return s
}

// clean makes s safe to print on a terminal: control characters (C0, DEL,
// C1, so also ESC and newlines), bidirectional formatting characters and
// invalid UTF-8 are replaced by Go-style escapes; tabs become spaces.
func clean(s string) string {
	safe := true
	for _, r := range s {
		if r == utf8.RuneError || unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	var sb strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			fmt.Fprintf(&sb, `\x%02x`, s[i])
		case r == '\t':
			sb.WriteByte(' ')
		case r == '\n':
			sb.WriteString(`\n`)
		case r == '\r':
			sb.WriteString(`\r`)
		case r < 0x80 && unicode.IsControl(r):
			fmt.Fprintf(&sb, `\x%02x`, r)
		case unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r):
			fmt.Fprintf(&sb, `\u%04x`, r)
		default:
			sb.WriteString(s[i : i+size])
		}
		i += size
	}
	return sb.String()
}
