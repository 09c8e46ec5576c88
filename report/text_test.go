package report

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gcrun/gcrun/engine/result"
	"github.com/google/go-cmp/cmp"
)

func TestWriteTextGolden(t *testing.T) {
	for _, tt := range []struct {
		file  string
		color bool
	}{
		{"text.golden", false},
		{"text-color.golden", true},
	} {
		t.Run(tt.file, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteText(&buf, sampleReport(), TextOptions{Color: tt.color}); err != nil {
				t.Fatal(err)
			}
			golden(t, tt.file, buf.Bytes())
			hasESC := bytes.ContainsRune(buf.Bytes(), '\x1b')
			if hasESC != tt.color {
				t.Errorf("Color=%v but output has ANSI escapes: %v", tt.color, hasESC)
			}
		})
	}
}

func TestWriteTextVerdict(t *testing.T) {
	tests := []struct {
		statuses []result.Status
		want     string
	}{
		{nil, "Compliant: 0 fail, 0 error, 0 pass, 0 not_applicable of 0 rules\n"},
		{[]result.Status{result.StatusPass}, "Compliant: 0 fail, 0 error, 1 pass, 0 not_applicable of 1 rule\n"},
		{[]result.Status{result.StatusFail, result.StatusFail, result.StatusFail, result.StatusError, result.StatusNotApplicable, result.StatusNotApplicable, result.StatusPass},
			"NonCompliant: 3 fail, 1 error, 1 pass, 2 not_applicable of 7 rules\n"},
		{[]result.Status{result.StatusWaived, result.StatusPass}, "Compliant: 0 fail, 0 error, 1 waived, 1 pass, 0 not_applicable of 2 rules\n"},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		if err := WriteText(&buf, New(sampleMeta(), results(tt.statuses...)), TextOptions{}); err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(buf.String(), "\n\n"+tt.want) {
			t.Errorf("output ends %q, want %q", buf.String()[max(0, buf.Len()-80):], tt.want)
		}
	}
}

func TestWriteTextOrder(t *testing.T) {
	rule := func(id string, sev result.Severity) *result.Rule {
		return &result.Rule{ID: id, Title: "t " + id, Severity: sev}
	}
	res := []result.Result{
		{Rule: rule("p.low", result.SeverityLow), Status: result.StatusPass},
		{Rule: rule("f.b", result.SeverityInfo), Status: result.StatusFail},
		{Rule: rule("n.x", result.SeverityHigh), Status: result.StatusNotApplicable},
		{Rule: rule("e.x", result.SeverityLow), Status: result.StatusError, Error: "e"},
		{Rule: rule("f.a", result.SeverityInfo), Status: result.StatusFail},
		{Rule: rule("f.z", result.SeverityCritical), Status: result.StatusFail},
		{Rule: rule("p.crit", result.SeverityCritical), Status: result.StatusPass},
		{Rule: rule("w.x", result.SeverityCritical), Status: result.StatusWaived, Waiver: &result.Waiver{Justification: "j", Expires: t0, Run: false}},
	}
	var buf bytes.Buffer
	if err := WriteText(&buf, New(sampleMeta(), res), TextOptions{}); err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, line := range strings.Split(buf.String(), "\n") {
		if f := strings.Fields(line); len(f) > 0 && strings.HasPrefix(line, "  ") && strings.Contains(f[0], ".") && !strings.Contains(line, ":") {
			order = append(order, f[0])
		}
	}
	want := "f.z f.a f.b e.x w.x n.x p.crit p.low"
	if got := strings.Join(order, " "); got != want {
		t.Errorf("rule order %q, want %q\n%s", got, want, buf.String())
	}
}

// TestWriteTextSanitizes: strings from the scanned host cannot reach the
// terminal as control sequences.
func TestWriteTextSanitizes(t *testing.T) {
	evil := &result.Rule{ID: "evil\x1b[2J", Title: "title\u202egnp.exe", Severity: result.SeverityHigh}
	r := New(sampleMeta(), []result.Result{
		{Rule: evil, Status: result.StatusFail, Reasons: []result.Reason{{Code: "c", Phrase: "line1\nline2\x1b]0;pwned\x07\r\u009b\xff"}}},
		{Rule: &result.Rule{ID: "err", Severity: result.SeverityLow}, Status: result.StatusError, Error: "first\nsecond\ttab"},
	})
	r.Host.Hostname = "host\x1b[31m"
	var buf bytes.Buffer
	if err := WriteText(&buf, r, TextOptions{Color: false}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, bad := range []string{"\x1b", "\x07", "\r", "\u202e", "\u009b", "\xff"} {
		if strings.Contains(out, bad) {
			t.Errorf("output contains %q:\n%s", bad, out)
		}
	}
	for _, want := range []string{
		`evil\x1b[2J`, `title\u202egnp.exe`, `host\x1b[31m`,
		"    - line1\n      line2\\x1b]0;pwned\\x07\\r\\u009b\\xff\n",
		"    error: first\n           second tab\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// TestWriteTextWaivers: a waived rule shows its justification, its expiry
// and its real outcome; the waivers that did not apply are listed after the
// rules; nothing from a waiver file reaches the terminal unescaped.
func TestWriteTextWaivers(t *testing.T) {
	rule := func(id string) *result.Rule {
		return &result.Rule{ID: id, Title: "t " + id, Severity: result.SeverityLow}
	}
	midnight := time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC)
	precise := time.Date(2027, 4, 1, 17, 30, 0, 0, time.UTC)
	meta := sampleMeta()
	meta.Waivers = []Waiver{
		{ID: "w.fail", Justification: "j1", Expires: midnight, Run: true, State: WaiverActive},
		{ID: "w.err", Justification: "j2", Expires: precise, Run: true, State: WaiverActive},
		{ID: "w.skip", Justification: "two\nlines\x1b[2J", Expires: midnight, Run: false, State: WaiverActive},
		{ID: "x.old", Justification: "was fine once", Expires: t0, Run: true, State: WaiverExpired},
		{ID: "x.gone", Justification: "not here", Expires: midnight, Run: false, State: WaiverUnused},
	}
	r := New(meta, []result.Result{
		{Rule: rule("w.fail"), Status: result.StatusWaived, Reasons: []result.Reason{{Code: "c", Phrase: "value is 5, expected 3"}},
			Waiver: &result.Waiver{Justification: "j1", Expires: midnight, Run: true, RawStatus: result.StatusFail}},
		{Rule: rule("w.err"), Status: result.StatusWaived, Error: "collector x failed",
			Waiver: &result.Waiver{Justification: "j2", Expires: precise, Run: true, RawStatus: result.StatusError}},
		{Rule: rule("w.skip"), Status: result.StatusWaived,
			Waiver: &result.Waiver{Justification: "two\nlines\x1b[2J", Expires: midnight, Run: false}},
		{Rule: rule("x.old"), Status: result.StatusFail, Reasons: []result.Reason{{Code: "c", Phrase: "still bad"}}},
	})
	if err := Validate(mustJSON(t, r)); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteText(&buf, r, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	want := `
FAIL (1)
  x.old   low  t x.old
    - still bad

WAIVED (3)
  w.err   low  t w.err
    justification: j2
    expires: 2027-04-01T17:30:00Z
    real status: error
    error: collector x failed
  w.fail  low  t w.fail
    justification: j1
    expires: 2027-03-31, end of day UTC
    real status: fail
    - value is 5, expected 3
  w.skip  low  t w.skip
    justification: two
                   lines\x1b[2J
    expires: 2027-03-31, end of day UTC
    real status: not evaluated (run: false)

WAIVERS: 3 active, 1 expired, 1 unused
  x.old   expired 2026-03-01T12:00:00Z
    justification: was fine once
  x.gone  unused (the rule was not evaluated)
    justification: not here

NonCompliant: 1 fail, 0 error, 3 waived, 0 pass, 0 not_applicable of 4 rules
`
	out := buf.String()
	if i := strings.Index(out, "\nFAIL"); i < 0 || out[i:] != want {
		t.Errorf("text output (-want +got):\n%s", cmp.Diff(want, out[max(0, i):]))
	}
}

func mustJSON(t *testing.T, r *Report) []byte {
	t.Helper()
	data, err := r.JSON()
	if err != nil {
		t.Fatal(err)
	}
	return data
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteTextErrors(t *testing.T) {
	if err := WriteText(failingWriter{}, sampleReport(), TextOptions{}); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("WriteText to a failing writer = %v", err)
	}
	if err := WriteText(&bytes.Buffer{}, nil, TextOptions{}); err == nil {
		t.Error("WriteText(nil report) succeeded")
	}
}

// remediatedReport is sampleReport as an apply run would leave it: the
// first failing rule fixed, one action manual, one failed.
func remediatedReport(t *testing.T) *Report {
	t.Helper()
	r := sampleReport()
	r.Remediation = &Remediation{Mode: "apply", RunID: "20261125T120000Z-0a1b2c3d", Journal: "/var/lib/gcrun/journal/20261125T120000Z-0a1b2c3d", FilesChanged: 1, CommandsRun: 0}
	fixed, failed := false, false
	for i := range r.Rules {
		rr := &r.Rules[i]
		rr.StatusBefore = rr.Status
		switch {
		case rr.Status == result.StatusFail && !fixed:
			fixed = true
			rr.Status, rr.Reasons = result.StatusPass, []result.Reason{}
			rr.Actions = []Action{
				{Type: "config.set", Target: "/etc/ssh/sshd_config", Description: "set PermitRootLogin no in /etc/ssh/sshd_config", Status: ActionSucceeded},
				{Type: "package.remove", Target: "telnetd", Description: "package.remove telnetd", Status: ActionManual, Detail: "offline root: run on the booted system: apt-get remove telnetd"},
			}
		case rr.Status == result.StatusFail && !failed:
			failed = true
			rr.Actions = []Action{{Type: "file.mode", Target: "/etc/shadow", Description: "chmod 0640 /etc/shadow", Status: ActionFailed, Error: "/etc/shadow: changed since the plan was made"}}
		}
	}
	r.Summary = summarize(r.Rules)
	r.ComplianceStatus = complianceOf(r.Summary)
	return r
}

func TestWriteTextRemediation(t *testing.T) {
	r := remediatedReport(t)
	data, err := r.JSON()
	if err != nil {
		t.Fatal(err)
	}
	if err := Validate(data); err != nil {
		t.Fatalf("remediation report does not validate: %v", err)
	}
	var buf bytes.Buffer
	if err := WriteText(&buf, r, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	golden(t, "text-remediation.golden", buf.Bytes())
	for _, want := range []string{"(was fail)", "[succeeded] set PermitRootLogin no", "[manual] package.remove telnetd (offline root", "[failed] chmod 0640 /etc/shadow: /etc/shadow: changed since", "undo with gcrun rollback --run 20261125T120000Z-0a1b2c3d"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("text lacks %q", want)
		}
	}
}

func TestAgentSectionValidates(t *testing.T) {
	r := sampleReport()
	r.Agent = &Agent{HostID: "host-1", ReportID: "r-1", Sequence: 7, Assignment: "linux", Mode: "audit",
		Bundle: &AgentBundle{Source: "https://policy.example/linux.tar.gz", Revision: "sha256:" + hex64('a'), FetchedAt: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)}, SpoolEvicted: 2}
	data, err := r.JSON()
	if err != nil {
		t.Fatal(err)
	}
	if err := Validate(data); err != nil {
		t.Fatalf("report with agent section: %v", err)
	}
	r.Agent.Sequence = 0
	r.Agent.Mode = "sometimes"
	data, _ = r.JSON()
	if err := Validate(data); err == nil || !strings.Contains(err.Error(), "/agent/") {
		t.Errorf("bad agent section validated: %v", err)
	}
}
