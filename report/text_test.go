package report

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/gcrun/gcrun/engine/result"
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
	want := "f.z f.a f.b e.x n.x p.crit p.low"
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
