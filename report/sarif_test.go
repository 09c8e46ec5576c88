package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/gcrun/gcrun/engine/result"
	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// The test's own view of a SARIF log, written independently of the
// renderer's types.
type sarifDoc struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name           string         `json:"name"`
				Version        string         `json:"version"`
				InformationURI string         `json:"informationUri"`
				Rules          []sarifDocRule `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Invocations []struct {
			ExecutionSuccessful        bool   `json:"executionSuccessful"`
			StartTimeUTC               string `json:"startTimeUtc"`
			EndTimeUTC                 string `json:"endTimeUtc"`
			Machine                    string `json:"machine"`
			ToolExecutionNotifications []struct {
				Level   string `json:"level"`
				Message struct {
					Text string `json:"text"`
				} `json:"message"`
				AssociatedRule *struct {
					ID    string `json:"id"`
					Index int    `json:"index"`
				} `json:"associatedRule"`
			} `json:"toolExecutionNotifications"`
		} `json:"invocations"`
		OriginalURIBaseIDs map[string]struct {
			URI string `json:"uri"`
		} `json:"originalUriBaseIds"`
		Results    []sarifDocResult `json:"results"`
		Properties struct {
			ComplianceStatus string     `json:"complianceStatus"`
			Baselines        []Baseline `json:"baselines"`
			Host             Host       `json:"host"`
		} `json:"properties"`
	} `json:"runs"`
}

type sarifDocRule struct {
	ID               string `json:"id"`
	Name             string `json:"name"`
	ShortDescription struct {
		Text string `json:"text"`
	} `json:"shortDescription"`
	Help *struct {
		Text     string `json:"text"`
		Markdown string `json:"markdown"`
	} `json:"help"`
	HelpURI              string `json:"helpUri"`
	DefaultConfiguration struct {
		Level string `json:"level"`
	} `json:"defaultConfiguration"`
	Properties struct {
		Severity         string   `json:"severity"`
		SecuritySeverity string   `json:"security-severity"`
		Baseline         string   `json:"baseline"`
		Tags             []string `json:"tags"`
	} `json:"properties"`
}

type sarifDocResult struct {
	RuleID    string `json:"ruleId"`
	RuleIndex int    `json:"ruleIndex"`
	Kind      string `json:"kind"`
	Level     string `json:"level"`
	Message   struct {
		Text string `json:"text"`
	} `json:"message"`
	Locations []struct {
		PhysicalLocation struct {
			ArtifactLocation struct {
				URI       string `json:"uri"`
				URIBaseID string `json:"uriBaseId"`
			} `json:"artifactLocation"`
			Region *struct {
				StartLine int `json:"startLine"`
			} `json:"region"`
		} `json:"physicalLocation"`
	} `json:"locations"`
	Suppressions []struct {
		Kind          string `json:"kind"`
		Status        string `json:"status"`
		Justification string `json:"justification"`
	} `json:"suppressions"`
	Properties struct {
		Status   string `json:"status"`
		Baseline string `json:"baseline"`
	} `json:"properties"`
}

// sarifLoc is a location reduced to what the tests compare.
type sarifLoc struct {
	URI, Base string
	Line      int
}

func (r sarifDocResult) locs() []sarifLoc {
	var out []sarifLoc
	for _, l := range r.Locations {
		loc := sarifLoc{URI: l.PhysicalLocation.ArtifactLocation.URI, Base: l.PhysicalLocation.ArtifactLocation.URIBaseID}
		if l.PhysicalLocation.Region != nil {
			loc.Line = l.PhysicalLocation.Region.StartLine
		}
		out = append(out, loc)
	}
	return out
}

func renderSARIF(t *testing.T, r *Report) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := newSARIFRenderer(RenderOptions{}).Render(&buf, r); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func parseSARIF(t *testing.T, data []byte) sarifDoc {
	t.Helper()
	var doc sarifDoc
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("output is not JSON: %v", err)
	}
	if len(doc.Runs) != 1 {
		t.Fatalf("%d runs, want 1", len(doc.Runs))
	}
	return doc
}

func sarifLoadReport(t *testing.T, name string) *Report {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "runner", "testdata", "golden", name))
	if err != nil {
		t.Fatal(err)
	}
	var r Report
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return &r
}

// sarifSchema compiles the vendored OASIS schema (draft-04), asserting
// formats so that URIs and date-times are checked too.
var sarifSchema = sync.OnceValues(func() (*jsonschema.Schema, error) {
	f, err := os.Open(filepath.Join("testdata", "sarif", "sarif-schema-2.1.0.json"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		return nil, err
	}
	const id = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(id, doc); err != nil {
		return nil, err
	}
	return c.Compile(id)
})

func validateSARIF(t *testing.T, data []byte) {
	t.Helper()
	sch, err := sarifSchema()
	if err != nil {
		t.Fatalf("compile SARIF schema: %v", err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("output is not JSON: %v", err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("output is not valid SARIF 2.1.0: %v", err)
	}
}

func TestSARIFGolden(t *testing.T) {
	golden(t, "sarif/sample.sarif.json", renderSARIF(t, sampleReport()))
}

// TestSARIFSchema validates every kind of report against the official
// schema, and checks that the schema would catch a broken log.
func TestSARIFSchema(t *testing.T) {
	for name, r := range map[string]*Report{
		"sample":       sampleReport(),
		"noncompliant": sarifLoadReport(t, "noncompliant.json"),
		"compliant":    sarifLoadReport(t, "compliant.json"),
		"hostile":      sarifHostileReport(),
		"handmade":     sarifHandmadeReport(),
		"empty":        {},
	} {
		t.Run(name, func(t *testing.T) {
			validateSARIF(t, renderSARIF(t, r))
		})
	}
	t.Run("schema rejects a bad level", func(t *testing.T) {
		bad := bytes.Replace(renderSARIF(t, sampleReport()), []byte(`"level": "error"`), []byte(`"level": "fatal"`), 1)
		sch, err := sarifSchema()
		if err != nil {
			t.Fatal(err)
		}
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(bad))
		if err != nil {
			t.Fatal(err)
		}
		if sch.Validate(inst) == nil {
			t.Error("the schema accepted level \"fatal\"; the validation test proves nothing")
		}
	})
}

// sarifHandmadeReport has what only a hand-made report can: unknown
// statuses and severities, a waived rule without a waiver, a scanned
// image, the same rule id in two baselines, odd evidence.
func sarifHandmadeReport() *Report {
	return &Report{
		Root:  "/var/tmp/image.tar",
		Image: &Image{Format: "oci-archive", Reference: "registry.example/app:1", Digest: "sha256:" + hex64('c'), Layers: 3},
		Rules: []RuleResult{
			{ID: "dup", Title: "Dup in a", Severity: "weird", Baseline: "a", Status: "maybe", Error: "boom"},
			{ID: "dup", Title: "Dup in b", Severity: result.SeverityLow, Baseline: "b", Status: result.StatusWaived},
			{ID: "odd", Title: "", Severity: result.SeverityHigh, Baseline: "a", Status: result.StatusFail,
				Reasons:  []result.Reason{{Phrase: "x", Evidence: map[string]any{"file": 3, "path": "", "line": "7"}}},
				Evidence: map[string]any{"path": "/", "line": -1.0}},
			{ID: "dup", Title: "Dup in a", Severity: "weird", Baseline: "a", Status: result.StatusPass},
		},
	}
}

// TestSARIFKinds checks kind, level and suppression for every status and
// severity, against the mapping the format documents.
func TestSARIFKinds(t *testing.T) {
	var results []result.Result
	type want struct {
		RuleID, Kind, Level, Status string
		Suppressed                  bool
		DefaultLevel, Score         string
	}
	var wants []want
	add := func(id string, sev result.Severity, status result.Status, w *result.Waiver, kind, level, defLevel, score string) {
		rule := &result.Rule{ID: id, Title: "Title of " + id, Severity: sev, Baseline: "b"}
		res := result.Result{Rule: rule, Status: status, Waiver: w}
		if status == result.StatusError || (w != nil && w.RawStatus == result.StatusError) {
			res.Error = "no facts"
		}
		results = append(results, res)
		wants = append(wants, want{id, kind, level, string(status), w != nil, defLevel, score})
	}
	add("fail.critical", result.SeverityCritical, result.StatusFail, nil, "fail", "error", "error", "9.5")
	add("fail.high", result.SeverityHigh, result.StatusFail, nil, "fail", "error", "error", "8.0")
	add("fail.medium", result.SeverityMedium, result.StatusFail, nil, "fail", "warning", "warning", "5.5")
	add("fail.low", result.SeverityLow, result.StatusFail, nil, "fail", "note", "note", "3.0")
	add("fail.info", result.SeverityInfo, result.StatusFail, nil, "fail", "note", "note", "0.0")
	add("fail.unknown", "bogus", result.StatusFail, nil, "fail", "error", "error", "")
	add("error.low", result.SeverityLow, result.StatusError, nil, "fail", "error", "note", "3.0")
	add("na.high", result.SeverityHigh, result.StatusNotApplicable, nil, "notApplicable", "none", "error", "8.0")
	add("pass.high", result.SeverityHigh, result.StatusPass, nil, "pass", "none", "error", "8.0")
	later := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	add("waived.fail.medium", result.SeverityMedium, result.StatusWaived,
		&result.Waiver{Justification: "j", Expires: later, Run: true, RawStatus: result.StatusFail}, "fail", "warning", "warning", "5.5")
	add("waived.pass", result.SeverityHigh, result.StatusWaived,
		&result.Waiver{Justification: "j", Expires: later, Run: true, RawStatus: result.StatusPass}, "pass", "none", "error", "8.0")
	add("waived.na", result.SeverityHigh, result.StatusWaived,
		&result.Waiver{Justification: "j", Expires: later, Run: true, RawStatus: result.StatusNotApplicable}, "notApplicable", "none", "error", "8.0")
	add("waived.error", result.SeverityInfo, result.StatusWaived,
		&result.Waiver{Justification: "j", Expires: later, Run: true, RawStatus: result.StatusError}, "fail", "error", "note", "0.0")
	add("waived.notrun", result.SeverityCritical, result.StatusWaived,
		&result.Waiver{Justification: "j", Expires: later}, "review", "none", "error", "9.5")

	doc := parseSARIF(t, renderSARIF(t, New(sampleMeta(), results)))
	run := doc.Runs[0]
	var got []want
	for _, res := range run.Results {
		rule := run.Tool.Driver.Rules[res.RuleIndex]
		got = append(got, want{res.RuleID, res.Kind, res.Level, res.Properties.Status, len(res.Suppressions) > 0,
			rule.DefaultConfiguration.Level, rule.Properties.SecuritySeverity})
	}
	if diff := cmp.Diff(wants, got); diff != "" {
		t.Errorf("kinds and levels (-want +got):\n%s", diff)
	}
	// SARIF 3.27.10: a kind other than fail requires level none.
	for _, res := range run.Results {
		if res.Kind != "fail" && res.Level != "none" {
			t.Errorf("%s: kind %s with level %s", res.RuleID, res.Kind, res.Level)
		}
	}
	// Only the unwaived rule in error makes the run incomplete.
	inv := run.Invocations[0]
	if inv.ExecutionSuccessful {
		t.Error("executionSuccessful with a rule in error")
	}
	var noted []string
	for _, n := range inv.ToolExecutionNotifications {
		if n.Level == "error" && n.AssociatedRule != nil {
			noted = append(noted, n.AssociatedRule.ID)
			if r := run.Tool.Driver.Rules[n.AssociatedRule.Index]; r.ID != n.AssociatedRule.ID {
				t.Errorf("notification for %s points at rule %s", n.AssociatedRule.ID, r.ID)
			}
		}
	}
	if diff := cmp.Diff([]string{"error.low"}, noted); diff != "" {
		t.Errorf("error notifications (-want +got):\n%s", diff)
	}
}

// TestSARIFSample checks the sample report's results in full: messages,
// locations (with lines), suppressions.
func TestSARIFSample(t *testing.T) {
	doc := parseSARIF(t, renderSARIF(t, sampleReport()))
	run := doc.Runs[0]
	type res struct {
		RuleID, Kind, Level, Message string
		Locations                    []sarifLoc
		Suppression                  string
	}
	var got []res
	for _, r := range run.Results {
		x := res{RuleID: r.RuleID, Kind: r.Kind, Level: r.Level, Message: r.Message.Text, Locations: r.locs()}
		for _, s := range r.Suppressions {
			x.Suppression = s.Kind + "/" + s.Status + ": " + s.Justification
		}
		got = append(got, x)
	}
	whole := []sarifLoc{{URI: "./", Base: "ROOT"}}
	want := []res{
		{"banner.motd", "pass", "none", "Passed: A login banner is configured", whole, ""},
		{"ssh.permit_root_login", "fail", "error", `PermitRootLogin is "yes", want "no"`,
			[]sarifLoc{{URI: "etc/ssh/sshd_config", Base: "ROOT", Line: 12}}, ""},
		{"files.shadow_mode", "fail", "error", "/etc/shadow has mode 0644, want at most 0640; /etc/shadow is owned by uid 1000,\nwant root", whole, ""},
		{"pkg.aide_installed", "fail", "error", "AIDE is installed: could not be evaluated: collector packages failed: read /var/lib/dpkg/status: permission denied", whole, ""},
		{"mac.selinux_enforcing", "notApplicable", "none", "Not applicable: the os family is debian, not rhel", whole, ""},
		{"net.firewall_enabled", "pass", "none", "Passed: A host firewall is enabled", whole, ""},
		{"kernel.core_dumps", "pass", "none", "Passed: Core dumps are restricted", whole, ""},
		{"sudo.use_pty", "fail", "error", "Waived: Defaults use_pty is not set, expected it in /etc/sudoers (until 2027-03-31, end of day UTC)", whole,
			"external/accepted: Session recording by the PAM module replaces use_pty (SEC-1234)"},
		{"audit.immutable", "review", "none", "Waived: Not evaluated: The audit rules are immutable (until 2027-06-30T18:00:00Z)", whole,
			"external/accepted: Audit rules are reloaded by the\nSIEM agent"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}

	if u := run.OriginalURIBaseIDs["ROOT"].URI; u != "file:///" {
		t.Errorf("ROOT is %q, want file:///", u)
	}
	inv := run.Invocations[0]
	if inv.ExecutionSuccessful || inv.StartTimeUTC != "2026-03-01T12:00:00.000Z" || inv.EndTimeUTC != "2026-03-01T12:00:01.500Z" || inv.Machine != "web-01" {
		t.Errorf("invocation %+v", inv)
	}
	var notes []string
	for _, n := range inv.ToolExecutionNotifications {
		notes = append(notes, n.Level+": "+n.Message.Text)
	}
	if diff := cmp.Diff([]string{
		"error: rule pkg.aide_installed could not be evaluated: collector packages failed: read /var/lib/dpkg/status: permission denied",
		"warning: collector packages failed: read /var/lib/dpkg/status: permission denied",
	}, notes); diff != "" {
		t.Errorf("notifications (-want +got):\n%s", diff)
	}

	ssh := run.Tool.Driver.Rules[run.Results[1].RuleIndex]
	if ssh.Help == nil || ssh.Help.Text != "Set PermitRootLogin no in /etc/ssh/sshd_config.\n\nReferences: cis 5.2.7; nist-800-53 AC-6(2)" {
		t.Errorf("help %+v", ssh.Help)
	}
	if ssh.Help != nil && !strings.HasPrefix(ssh.Help.Markdown, `**Remediation:** Set PermitRootLogin no in /etc/ssh/sshd\_config\.`) {
		t.Errorf("help markdown %q", ssh.Help.Markdown)
	}
	if ssh.Name != "ssh-root-login-is-disabled" || ssh.ShortDescription.Text != "SSH root login is disabled" || ssh.HelpURI != "" {
		t.Errorf("descriptor name %q short %q helpUri %q", ssh.Name, ssh.ShortDescription.Text, ssh.HelpURI)
	}
	if diff := cmp.Diff([]string{"ssh", "access"}, ssh.Properties.Tags); diff != "" {
		t.Errorf("tags (-want +got):\n%s", diff)
	}
	if doc.Schema != "https://json.schemastore.org/sarif-2.1.0.json" || doc.Version != "2.1.0" ||
		run.Tool.Driver.Name != "gcrun" || run.Tool.Driver.Version != "0.4.0" || run.Tool.Driver.InformationURI != "https://github.com/gcrun/gcrun" {
		t.Errorf("header: %s %s %s %s %s", doc.Schema, doc.Version, run.Tool.Driver.Name, run.Tool.Driver.Version, run.Tool.Driver.InformationURI)
	}
	if run.Properties.ComplianceStatus != NonCompliant || len(run.Properties.Baselines) != 2 || run.Properties.Host.Hostname != "web-01" {
		t.Errorf("run properties %+v", run.Properties)
	}
}

// TestSARIFLocations checks where locations come from: each reason's
// evidence (file, else path, else a nested location), deduplicated, else
// the rule's evidence, else the root; paths relative to ROOT.
func TestSARIFLocations(t *testing.T) {
	rule := func(id string) *result.Rule {
		return &result.Rule{ID: id, Title: id, Severity: result.SeverityHigh, Baseline: "b"}
	}
	ev := func(kv ...any) map[string]any {
		m := map[string]any{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	}
	results := []result.Result{
		{Rule: rule("several"), Status: result.StatusFail, Reasons: []result.Reason{
			{Phrase: "a", Evidence: ev("file", "/etc/a", "line", 3)},
			{Phrase: "a again", Evidence: ev("file", "/etc/a", "line", 3.0)},
			{Phrase: "a elsewhere", Evidence: ev("file", "/etc/a", "line", int64(9))},
			{Phrase: "b", Evidence: ev("path", "/etc/b d/c:1#?", "line", 0.5)},
			{Phrase: "file wins", Evidence: ev("file", "/etc/f", "path", "/etc/p")},
			{Phrase: "nested", Evidence: ev("location", ev("file", "/etc/n", "line", json.Number("4")))},
			{Phrase: "escape", Evidence: ev("file", "../../../etc/../root/x")},
			{Phrase: "none", Evidence: ev("user", "bob")},
		}, Evidence: ev("path", "/ignored/when/reasons/have/files")},
		{Rule: rule("rule-evidence"), Status: result.StatusPass, Evidence: ev("path", "/etc/motd", "line", 2)},
		{Rule: rule("relative"), Status: result.StatusFail, Reasons: []result.Reason{{Phrase: "r", Evidence: ev("file", "etc/x")}}},
		{Rule: rule("colon"), Status: result.StatusFail, Reasons: []result.Reason{{Phrase: "r", Evidence: ev("file", "a:b")}}},
	}
	meta := sampleMeta()
	meta.Root = "/srv/scan root"
	doc := parseSARIF(t, renderSARIF(t, New(meta, results)))
	run := doc.Runs[0]
	got := map[string][]sarifLoc{}
	for _, r := range run.Results {
		got[r.RuleID] = r.locs()
	}
	want := map[string][]sarifLoc{
		"several": {
			{URI: "etc/a", Base: "ROOT", Line: 3},
			{URI: "etc/a", Base: "ROOT", Line: 9},
			{URI: "etc/b%20d/c:1%23%3F", Base: "ROOT"},
			{URI: "etc/f", Base: "ROOT"},
			{URI: "etc/n", Base: "ROOT", Line: 4},
			{URI: "root/x", Base: "ROOT"},
		},
		"rule-evidence": {{URI: "etc/motd", Base: "ROOT", Line: 2}},
		"relative":      {{URI: "etc/x", Base: "ROOT"}},
		"colon":         {{URI: "./a:b", Base: "ROOT"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("locations (-want +got):\n%s", diff)
	}
	if u := run.OriginalURIBaseIDs["ROOT"].URI; u != "file:///srv/scan%20root/" {
		t.Errorf("ROOT is %q", u)
	}

	// The big report: a rule with two failing accounts in /etc/shadow
	// gets both lines.
	doc = parseSARIF(t, renderSARIF(t, sarifLoadReport(t, "noncompliant.json")))
	run = doc.Runs[0]
	found := false
	for _, r := range run.Results {
		if r.RuleID == "GCL-ACCT-011" {
			found = true
			if diff := cmp.Diff([]sarifLoc{{"etc/shadow", "ROOT", 4}, {"etc/shadow", "ROOT", 5}}, r.locs()); diff != "" {
				t.Errorf("GCL-ACCT-011 locations (-want +got):\n%s", diff)
			}
		}
		if len(r.Locations) == 0 {
			t.Errorf("%s has no location; GitHub rejects such a log", r.RuleID)
		}
	}
	if !found {
		t.Error("GCL-ACCT-011 not in the noncompliant report's results")
	}
	// Its root is a placeholder, not a path: ROOT has no URI.
	if u := run.OriginalURIBaseIDs["ROOT"].URI; u != "" {
		t.Errorf("ROOT of root %q is %q, want none", "<root>", u)
	}
}

// TestSARIFRuleIndex checks that every result's ruleIndex names its rule,
// that every rule has exactly one result in report order, and that the
// same id in two baselines yields two descriptors.
func TestSARIFRuleIndex(t *testing.T) {
	for name, r := range map[string]*Report{
		"sample":       sampleReport(),
		"noncompliant": sarifLoadReport(t, "noncompliant.json"),
		"compliant":    sarifLoadReport(t, "compliant.json"),
		"handmade":     sarifHandmadeReport(),
	} {
		t.Run(name, func(t *testing.T) {
			run := parseSARIF(t, renderSARIF(t, r)).Runs[0]
			rules := run.Tool.Driver.Rules
			type ref struct{ ID, Baseline, Status string }
			var want, got []ref
			distinct := map[ref]bool{}
			for _, rule := range r.Rules {
				want = append(want, ref{rule.ID, rule.Baseline, string(rule.Status)})
				distinct[ref{ID: rule.ID, Baseline: rule.Baseline}] = true
			}
			for i, res := range run.Results {
				if res.RuleIndex < 0 || res.RuleIndex >= len(rules) {
					t.Fatalf("result %d: ruleIndex %d out of range", i, res.RuleIndex)
				}
				d := rules[res.RuleIndex]
				if d.ID != res.RuleID || d.Properties.Baseline != res.Properties.Baseline {
					t.Errorf("result %d (%s in %s) points at rule %s in %s", i, res.RuleID, res.Properties.Baseline, d.ID, d.Properties.Baseline)
				}
				got = append(got, ref{res.RuleID, res.Properties.Baseline, res.Properties.Status})
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("results vs rules (-want +got):\n%s", diff)
			}
			if len(rules) != len(distinct) {
				t.Errorf("%d descriptors for %d distinct rules", len(rules), len(distinct))
			}
		})
	}
}

// sarifHostileReport puts strings a hostile host could plant everywhere.
func sarifHostileReport() *Report {
	const nasty = "a\x01b\x1b[31m\u202e<script>**x**](javascript:alert(1))\r\n\xff\x00"
	meta := sampleMeta()
	meta.Host.Hostname = nasty
	meta.Root = "/srv/" + nasty
	meta.Tool.Version = nasty
	meta.Collectors = []Collector{{Name: nasty, Status: CollectorError, Error: nasty}}
	rule := &result.Rule{ID: nasty, Title: nasty, Description: nasty, Severity: result.SeverityHigh, Baseline: nasty,
		Remediation: nasty, Tags: []string{nasty, nasty}, References: map[string][]string{nasty: {nasty, "https://example.com/" + nasty, `https://example.com/a b<c>"`}}}
	return New(meta, []result.Result{
		{Rule: rule, Status: result.StatusFail, Reasons: []result.Reason{{Code: nasty, Phrase: nasty, Expected: nasty,
			Evidence: map[string]any{"file": "/etc/" + nasty, "line": 1}}}},
		{Rule: rule, Status: result.StatusError, Error: nasty},
		{Rule: rule, Status: result.StatusWaived, Waiver: &result.Waiver{Justification: nasty, Expires: endOfMarch}},
	})
}

// TestSARIFHostile checks that no displayed string carries a control
// character (JSON would escape them, but viewers show the decoded text)
// and that the markdown cannot format or link.
func TestSARIFHostile(t *testing.T) {
	out := renderSARIF(t, sarifHostileReport())
	var doc any
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	// Strings under "properties" are data (the report's own values,
	// JSON-escaped), not text for display.
	var walk func(v any, where string)
	walk = func(v any, where string) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				if k != "properties" {
					walk(e, where+"/"+k)
				}
			}
		case []any:
			for _, e := range x {
				walk(e, where+"[]")
			}
		case string:
			for _, r := range x {
				if r != '\n' && (unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || r == '\uFFFD') {
					t.Errorf("%s: %q contains %U", where, x, r)
					return
				}
			}
		}
	}
	walk(doc, "")
	run := parseSARIF(t, out).Runs[0]
	md := run.Tool.Driver.Rules[0].Help.Markdown
	for _, s := range []string{"<script>", "**x**", "](", "javascript:"} {
		if strings.Contains(md, s) {
			t.Errorf("markdown %q contains unescaped %q", md, s)
		}
	}
	// A reference with control characters is no URL; the next one is,
	// once escaped.
	if u := run.Tool.Driver.Rules[0].HelpURI; u != "https://example.com/a%20b%3Cc%3E%22" {
		t.Errorf("helpUri %q, want the escaped third reference", u)
	}
	if u := run.Results[0].Locations[0].PhysicalLocation.ArtifactLocation.URI; strings.ContainsAny(u, "\x01\x1b<> ") {
		t.Errorf("artifact URI %q is not percent-encoded", u)
	}
	if n := len(run.Tool.Driver.Rules[0].Properties.Tags); n != 1 {
		t.Errorf("%d tags, want the duplicate removed", n)
	}
}

func TestSARIFEdgeCases(t *testing.T) {
	rd := newSARIFRenderer(RenderOptions{})
	if err := rd.Render(&bytes.Buffer{}, nil); err == nil {
		t.Error("nil report: no error")
	}
	if got := rd.MediaType(); got != "application/sarif+json" {
		t.Errorf("media type %q", got)
	}
	werr := errors.New("disk full")
	if err := rd.Render(sarifFailWriter{werr}, sampleReport()); !errors.Is(err, werr) {
		t.Errorf("writer error: got %v", err)
	}
	// Evidence JSON cannot hold is an error, and nothing is written.
	r := sampleReport()
	r.Rules[0].Evidence = map[string]any{"f": func() {}}
	var buf bytes.Buffer
	if err := rd.Render(&buf, r); err == nil || buf.Len() != 0 {
		t.Errorf("unencodable evidence: err %v, %d bytes written", err, buf.Len())
	}

	// A compliant report's run is successful and has no times when the
	// report has none.
	run := parseSARIF(t, renderSARIF(t, sarifLoadReport(t, "compliant.json"))).Runs[0]
	if inv := run.Invocations[0]; !inv.ExecutionSuccessful || inv.StartTimeUTC != "" || len(inv.ToolExecutionNotifications) != 0 {
		t.Errorf("compliant invocation %+v", inv)
	}
	for _, res := range run.Results {
		if res.Kind == "fail" {
			t.Errorf("compliant report has a failing result %s", res.RuleID)
		}
	}

	// An empty report still has a run with empty rules and results.
	empty := parseSARIF(t, renderSARIF(t, &Report{})).Runs[0]
	if empty.Tool.Driver.Rules == nil || empty.Results == nil || len(empty.Results) != 0 {
		t.Errorf("empty report: rules %v results %v", empty.Tool.Driver.Rules, empty.Results)
	}

	// The hand-made report: an image root has no URI; the waived rule
	// without a waiver is a review with an empty justification.
	hm := parseSARIF(t, renderSARIF(t, sarifHandmadeReport())).Runs[0]
	if u := hm.OriginalURIBaseIDs["ROOT"].URI; u != "" {
		t.Errorf("image ROOT has URI %q", u)
	}
	if res := hm.Results[1]; res.Kind != "review" || len(res.Suppressions) != 1 {
		t.Errorf("waived without waiver: %+v", res)
	}
	if res := hm.Results[0]; res.Kind != "fail" || res.Level != "error" || !strings.Contains(res.Message.Text, `unknown status "maybe": boom`) {
		t.Errorf("unknown status: %+v", res)
	}
	if diff := cmp.Diff([]sarifLoc{{URI: "./", Base: "ROOT"}}, hm.Results[2].locs()); diff != "" {
		t.Errorf("odd evidence locations (-want +got):\n%s", diff)
	}
}

type sarifFailWriter struct{ err error }

func (f sarifFailWriter) Write([]byte) (int, error) { return 0, f.err }
