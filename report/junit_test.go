package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/gcrun/gcrun/engine/result"
	"github.com/google/go-cmp/cmp"
)

// The test's own view of a JUnit document, written independently of the
// renderer's types so that a mistake in those cannot hide here.
type junitDoc struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string `xml:"name,attr"`
	Hostname   string `xml:"hostname,attr"`
	Tests      int    `xml:"tests,attr"`
	Failures   int    `xml:"failures,attr"`
	Errors     int    `xml:"errors,attr"`
	Skipped    int    `xml:"skipped,attr"`
	Properties []struct {
		Name  string `xml:"name,attr"`
		Value string `xml:"value,attr"`
	} `xml:"properties>property"`
	Cases []junitCaseDoc `xml:"testcase"`
}

type junitCaseDoc struct {
	Name      string           `xml:"name,attr"`
	Classname string           `xml:"classname,attr"`
	Time      string           `xml:"time,attr"`
	Failure   *junitProblemDoc `xml:"failure"`
	Error     *junitProblemDoc `xml:"error"`
	Skipped   *junitProblemDoc `xml:"skipped"`
}

type junitProblemDoc struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// outcome is what a JUnit reader makes of a test case.
func (c junitCaseDoc) outcome() string {
	n := 0
	out := "passed"
	if c.Failure != nil {
		n, out = n+1, "failure"
	}
	if c.Error != nil {
		n, out = n+1, "error"
	}
	if c.Skipped != nil {
		n, out = n+1, "skipped"
	}
	if n > 1 {
		return "ambiguous"
	}
	return out
}

func renderJUnit(t *testing.T, r *Report) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := newJUnitRenderer(RenderOptions{}).Render(&buf, r); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// parseJUnit decodes a JUnit document strictly: encoding/xml rejects
// characters XML 1.0 forbids, so this is also a well-formedness check.
func parseJUnit(t *testing.T, data []byte) junitDoc {
	t.Helper()
	var doc junitDoc
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("output is not well-formed XML: %v\n%s", err, data)
	}
	// Nothing may follow the root element.
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("after the root element: %v", err)
		}
		if cd, ok := tok.(xml.CharData); ok && len(bytes.TrimSpace(cd)) == 0 {
			continue
		}
		t.Fatalf("unexpected %T after the root element", tok)
	}
	return doc
}

func junitLoadReport(t *testing.T, name string) *Report {
	t.Helper()
	data, err := os.ReadFile("../runner/testdata/golden/" + name)
	if err != nil {
		t.Fatal(err)
	}
	var r Report
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return &r
}

func TestJUnitGolden(t *testing.T) {
	out := renderJUnit(t, sampleReport())
	golden(t, "junit/sample.xml", out)
	if !bytes.HasPrefix(out, []byte(xml.Header)) {
		t.Errorf("output does not start with the XML declaration")
	}
}

// junitWant is the structure a report should turn into: per suite the
// counts and each case's name, classname and outcome.
type junitWantSuite struct {
	Name                                  string
	Tests, Failures, Errors, Skipped      int
	Cases                                 []junitWantCase
	BaselineVersion, BaselineDigest, Host string
}

type junitWantCase struct {
	Name, Classname, Outcome string
}

// junitExpect derives the expected structure from a report, by the rules
// the format documents, independently of the renderer's code.
func junitExpect(r *Report) (suites []junitWantSuite, total [4]int) {
	at := map[string]int{}
	add := func(b Baseline) {
		if _, ok := at[b.Name]; !ok {
			at[b.Name] = len(suites)
			suites = append(suites, junitWantSuite{Name: b.Name, BaselineVersion: b.Version, BaselineDigest: b.Digest, Host: r.Host.Hostname})
		}
	}
	for _, b := range r.Baselines {
		add(b)
	}
	for _, rule := range r.Rules {
		add(Baseline{Name: rule.Baseline})
		s := &suites[at[rule.Baseline]]
		c := junitWantCase{Name: rule.ID + ": " + rule.Title, Classname: rule.Baseline + "." + string(rule.Severity)}
		s.Tests++
		total[0]++
		switch rule.Status {
		case result.StatusPass:
			c.Outcome = "passed"
		case result.StatusFail:
			c.Outcome = "failure"
			s.Failures++
			total[1]++
		case result.StatusNotApplicable, result.StatusWaived:
			c.Outcome = "skipped"
			s.Skipped++
			total[3]++
		default:
			c.Outcome = "error"
			s.Errors++
			total[2]++
		}
		s.Cases = append(s.Cases, c)
	}
	return suites, total
}

func junitGot(doc junitDoc) (suites []junitWantSuite, total [4]int) {
	for _, s := range doc.Suites {
		props := map[string]string{}
		for _, p := range s.Properties {
			props[p.Name] = p.Value
		}
		ws := junitWantSuite{
			Name: s.Name, Tests: s.Tests, Failures: s.Failures, Errors: s.Errors, Skipped: s.Skipped,
			BaselineVersion: props["baseline.version"], BaselineDigest: props["baseline.digest"], Host: s.Hostname,
		}
		for _, c := range s.Cases {
			ws.Cases = append(ws.Cases, junitWantCase{Name: c.Name, Classname: c.Classname, Outcome: c.outcome()})
		}
		suites = append(suites, ws)
	}
	return suites, [4]int{doc.Tests, doc.Failures, doc.Errors, doc.Skipped}
}

// TestJUnitRoundTrip parses the output back and checks the counts and
// every test case's outcome against the report.
func TestJUnitRoundTrip(t *testing.T) {
	for name, r := range map[string]*Report{
		"sample":       sampleReport(),
		"noncompliant": junitLoadReport(t, "noncompliant.json"),
		"compliant":    junitLoadReport(t, "compliant.json"),
	} {
		t.Run(name, func(t *testing.T) {
			doc := parseJUnit(t, renderJUnit(t, r))
			wantSuites, wantTotal := junitExpect(r)
			gotSuites, gotTotal := junitGot(doc)
			if diff := cmp.Diff(wantSuites, gotSuites); diff != "" {
				t.Errorf("suites (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(wantTotal, gotTotal); diff != "" {
				t.Errorf("totals [tests failures errors skipped] (-want +got):\n%s", diff)
			}
			// The totals must also agree with the report's own summary,
			// which for these reports is consistent with the rules.
			s := r.Summary
			if diff := cmp.Diff([4]int{s.Total, s.Fail, s.Error, s.NotApplicable + s.Waived}, gotTotal); diff != "" {
				t.Errorf("totals vs summary (-want +got):\n%s", diff)
			}
			props := map[string]string{}
			for _, p := range doc.Suites[0].Properties {
				props[p.Name] = p.Value
			}
			for _, key := range []string{"host", "os", "root", "complianceStatus", "schemaVersion"} {
				if _, ok := props[key]; !ok {
					t.Errorf("suite properties lack %q: %v", key, props)
				}
			}
			if props["complianceStatus"] != r.ComplianceStatus || props["schemaVersion"] != r.SchemaVersion || props["root"] != r.Root {
				t.Errorf("properties %v do not match the report", props)
			}
		})
	}
}

// TestJUnitProblems checks what each non-passing status says.
func TestJUnitProblems(t *testing.T) {
	doc := parseJUnit(t, renderJUnit(t, sampleReport()))
	cases := map[string]junitCaseDoc{}
	for _, s := range doc.Suites {
		for _, c := range s.Cases {
			cases[strings.SplitN(c.Name, ":", 2)[0]] = c
		}
	}
	type problem struct{ Kind, Message, Type string }
	got := map[string]problem{}
	for id, c := range cases {
		switch {
		case c.Failure != nil:
			got[id] = problem{"failure", c.Failure.Message, c.Failure.Type}
		case c.Error != nil:
			got[id] = problem{"error", c.Error.Message, c.Error.Type}
		case c.Skipped != nil:
			got[id] = problem{"skipped", c.Skipped.Message, c.Skipped.Type}
		}
	}
	want := map[string]problem{
		"ssh.permit_root_login": {"failure", `PermitRootLogin is "yes", want "no"`, "critical"},
		"files.shadow_mode":     {"failure", "/etc/shadow has mode 0644, want at most 0640", "high"},
		"pkg.aide_installed":    {"error", "collector packages failed: read /var/lib/dpkg/status: permission denied", "medium"},
		"mac.selinux_enforcing": {"skipped", "not applicable: the os family is debian, not rhel", ""},
		"sudo.use_pty":          {"skipped", "waived until 2027-03-31, end of day UTC: Session recording by the PAM module replaces use_pty (SEC-1234)", ""},
		"audit.immutable":       {"skipped", `waived until 2027-06-30T18:00:00Z: Audit rules are reloaded by the\nSIEM agent`, ""},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}

	// The failure body carries every reason with its details.
	body := cases["ssh.permit_root_login"].Failure.Text
	for _, s := range []string{
		`- PermitRootLogin is "yes", want "no"`,
		"code: root_login_permitted",
		`expected: "no"`,
		`actual: "yes"`,
		`evidence: {"location":{"file":"/etc/ssh/sshd_config","line":12}}`,
		`rule evidence: {"permitrootlogin":"yes"}`,
		"remediation: Set PermitRootLogin no in /etc/ssh/sshd_config.",
	} {
		if !strings.Contains(body, s) {
			t.Errorf("failure body lacks %q:\n%s", s, body)
		}
	}
	shadow := cases["files.shadow_mode"].Failure.Text
	if !strings.Contains(shadow, "- /etc/shadow has mode 0644") || !strings.Contains(shadow, "- /etc/shadow is owned by uid 1000,\n  want root") {
		t.Errorf("failure body does not list both reasons:\n%s", shadow)
	}
	if pty := cases["sudo.use_pty"].Skipped.Text; !strings.Contains(pty, "real status: fail") || !strings.Contains(pty, "- Defaults use_pty is not set") {
		t.Errorf("waived body does not show the real outcome:\n%s", pty)
	}
	if audit := cases["audit.immutable"].Skipped.Text; !strings.Contains(audit, "not evaluated (run: false)") {
		t.Errorf("waived body does not say the rule was not run:\n%s", audit)
	}
	if c := cases["ssh.permit_root_login"]; c.Time != "0.005" || c.Classname != "linux-base.critical" {
		t.Errorf("ssh case time %q classname %q, want 0.005, linux-base.critical", c.Time, c.Classname)
	}
	if doc.Time != "1.500" {
		t.Errorf("testsuites time %q, want the scan's 1.500", doc.Time)
	}
}

// TestJUnitHostile feeds strings a hostile host could plant into every
// field and checks that the output still parses and says the same thing,
// with control characters made visible rather than passed through.
func TestJUnitHostile(t *testing.T) {
	const nasty = "a\x01b]]><script>alert(1)</script>&amp;\"'\x1b[31m\u202e\ufffe\xff\x00</failure><testcase name=\"injected\"/><![CDATA[x"
	const shown = `a\x01b]]><script>alert(1)</script>&amp;"'\x1b[31m\u202e\ufffe\xff\x00</failure><testcase name="injected"/><![CDATA[x`
	meta := sampleMeta()
	meta.Host.Hostname = nasty
	meta.Root = nasty
	meta.Baselines = []Baseline{{Name: nasty, Version: nasty, Digest: nasty}}
	rule := &result.Rule{ID: nasty, Title: nasty, Severity: result.Severity(nasty), Baseline: nasty, Remediation: nasty}
	results := []result.Result{
		{Rule: rule, Status: result.StatusFail, Reasons: []result.Reason{{Code: nasty, Phrase: nasty, Expected: nasty, Actual: nasty,
			Evidence: map[string]any{nasty: nasty}}}, Evidence: map[string]any{"k": nasty}},
		{Rule: rule, Status: result.StatusError, Error: nasty},
		{Rule: rule, Status: result.StatusNotApplicable, Reasons: []result.Reason{{Phrase: nasty}}},
		{Rule: rule, Status: result.StatusWaived, Waiver: &result.Waiver{Justification: nasty, Expires: endOfMarch}},
	}
	r := New(meta, results)
	out := renderJUnit(t, r)
	for _, b := range out {
		if b < 0x20 && b != '\n' {
			t.Fatalf("output contains control byte %#x", b)
		}
	}
	doc := parseJUnit(t, out)
	// Markup in the report must not have become elements.
	if len(doc.Suites) != 1 || len(doc.Suites[0].Cases) != 4 {
		t.Fatalf("got %d suites, want 1 with 4 cases", len(doc.Suites))
	}
	s := doc.Suites[0]
	if s.Name != shown || s.Hostname != shown {
		t.Errorf("suite name %q hostname %q, want %q", s.Name, s.Hostname, shown)
	}
	c := s.Cases
	if diff := cmp.Diff([]string{shown + ": " + shown, shown, shown, "not applicable: " + shown, "waived until 2027-03-31, end of day UTC: " + shown},
		[]string{c[0].Name, c[0].Failure.Message, c[1].Error.Message, c[2].Skipped.Message, c[3].Skipped.Message}); diff != "" {
		t.Errorf("names and messages (-want +got):\n%s", diff)
	}
	if !strings.Contains(c[0].Failure.Text, "- "+shown) || !strings.Contains(c[0].Failure.Text, "remediation: "+shown) {
		t.Errorf("failure body lost the hostile text:\n%s", c[0].Failure.Text)
	}
	if diff := cmp.Diff([4]int{4, 1, 1, 2}, [4]int{doc.Tests, doc.Failures, doc.Errors, doc.Skipped}); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
}

func TestJUnitEdgeCases(t *testing.T) {
	if err := newJUnitRenderer(RenderOptions{}).Render(&bytes.Buffer{}, nil); err == nil {
		t.Error("nil report: no error")
	}
	if got := newJUnitRenderer(RenderOptions{}).MediaType(); got != "application/xml" {
		t.Errorf("media type %q", got)
	}

	// A hand-made report: an unknown status counts as an error, a rule
	// naming an undeclared baseline gets its own suite, a declared
	// baseline without rules an empty one, and times are unknown.
	r := &Report{
		Baselines: []Baseline{{Name: "declared", Version: "1"}},
		Rules: []RuleResult{
			{ID: "x", Title: "X", Severity: "weird", Baseline: "other", Status: "maybe", Error: "boom", DurationMs: 1500},
			{ID: "y", Title: "Y", Severity: result.SeverityLow, Baseline: "other", Status: result.StatusWaived},
			{ID: "z", Title: "Z", Severity: result.SeverityLow, Baseline: "other", Status: result.StatusFail, DurationMs: -3},
		},
	}
	doc := parseJUnit(t, renderJUnit(t, r))
	got, total := junitGot(doc)
	want := []junitWantSuite{
		{Name: "declared", BaselineVersion: "1"},
		{Name: "other", Tests: 3, Errors: 1, Skipped: 1, Failures: 1, Cases: []junitWantCase{
			{"x: X", "other.weird", "error"}, {"y: Y", "other.low", "skipped"}, {"z: Z", "other.low", "failure"},
		}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("suites (-want +got):\n%s", diff)
	}
	if total != [4]int{3, 1, 1, 1} {
		t.Errorf("totals %v", total)
	}
	x := doc.Suites[1].Cases[0]
	if x.Error.Message != `unknown status "maybe": boom` || x.Time != "1.500" {
		t.Errorf("unknown status case: message %q time %q", x.Error.Message, x.Time)
	}
	if doc.Suites[1].Cases[2].Time != "0.000" || doc.Time != "1.500" {
		t.Errorf("negative duration shown as %q, total %q", doc.Suites[1].Cases[2].Time, doc.Time)
	}
	if doc.Name != "gcrun" {
		t.Errorf("name of an anonymous report %q, want gcrun", doc.Name)
	}

	// A failing writer's error is reported.
	werr := errors.New("disk full")
	if err := newJUnitRenderer(RenderOptions{}).Render(junitFailWriter{werr}, sampleReport()); !errors.Is(err, werr) {
		t.Errorf("writer error: got %v", err)
	}
}

type junitFailWriter struct{ err error }

func (f junitFailWriter) Write([]byte) (int, error) { return 0, f.err }
