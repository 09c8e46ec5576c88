package report

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/gcrun/gcrun/engine/result"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func results(statuses ...result.Status) []result.Result {
	out := make([]result.Result, len(statuses))
	for i, s := range statuses {
		out[i] = result.Result{Rule: &result.Rule{ID: "r" + string(rune('a'+i)), Severity: result.SeverityLow}, Status: s}
		switch s {
		case result.StatusError:
			out[i].Error = "boom"
		case result.StatusWaived:
			out[i].Waiver = &result.Waiver{Justification: "accepted", Expires: t0.AddDate(1, 0, 0), Run: false}
		}
	}
	return out
}

func TestNewSummaryComplianceExitCode(t *testing.T) {
	const (
		P = result.StatusPass
		F = result.StatusFail
		N = result.StatusNotApplicable
		E = result.StatusError
		W = result.StatusWaived
	)
	tests := []struct {
		name       string
		statuses   []result.Status
		summary    Summary
		compliance string
		exit       int
	}{
		{"no rules", nil, Summary{}, Compliant, ExitCompliant},
		{"all pass", []result.Status{P, P}, Summary{Total: 2, Pass: 2}, Compliant, ExitCompliant},
		{"only not applicable", []result.Status{N, N, N}, Summary{Total: 3, NotApplicable: 3}, Compliant, ExitCompliant},
		{"pass and not applicable", []result.Status{P, N}, Summary{Total: 2, Pass: 1, NotApplicable: 1}, Compliant, ExitCompliant},
		{"one fail", []result.Status{P, F, N}, Summary{Total: 3, Pass: 1, Fail: 1, NotApplicable: 1}, NonCompliant, ExitNonCompliant},
		{"only fails", []result.Status{F, F}, Summary{Total: 2, Fail: 2}, NonCompliant, ExitNonCompliant},
		{"one error", []result.Status{P, E}, Summary{Total: 2, Pass: 1, Error: 1}, NonCompliant, ExitError},
		{"error wins over fail", []result.Status{F, E, F, P}, Summary{Total: 4, Pass: 1, Fail: 2, Error: 1}, NonCompliant, ExitError},
		{"unknown status counts as error", []result.Status{P, "skipped"}, Summary{Total: 2, Pass: 1, Error: 1}, NonCompliant, ExitError},
		{"empty status counts as error", []result.Status{""}, Summary{Total: 1, Error: 1}, NonCompliant, ExitError},
		{"only waived", []result.Status{W, W}, Summary{Total: 2, Waived: 2}, Compliant, ExitCompliant},
		{"waived and pass", []result.Status{P, W, N}, Summary{Total: 3, Pass: 1, NotApplicable: 1, Waived: 1}, Compliant, ExitCompliant},
		{"waived does not hide a fail", []result.Status{W, F}, Summary{Total: 2, Fail: 1, Waived: 1}, NonCompliant, ExitNonCompliant},
		{"waived does not hide an error", []result.Status{W, E}, Summary{Total: 2, Error: 1, Waived: 1}, NonCompliant, ExitError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := New(sampleMeta(), results(tt.statuses...))
			if diff := cmp.Diff(tt.summary, r.Summary); diff != "" {
				t.Errorf("summary (-want +got):\n%s", diff)
			}
			if r.ComplianceStatus != tt.compliance {
				t.Errorf("complianceStatus = %q, want %q", r.ComplianceStatus, tt.compliance)
			}
			if got := r.ExitCode(); got != tt.exit {
				t.Errorf("ExitCode() = %d, want %d", got, tt.exit)
			}
			// Whatever the engine handed us, the report is valid.
			data, err := r.JSON()
			if err != nil {
				t.Fatal(err)
			}
			if err := Validate(data); err != nil {
				t.Errorf("New produced an invalid report: %v", err)
			}
		})
	}
}

func TestExitCodeFailsClosedOnInconsistentReport(t *testing.T) {
	// Hand-edited reports: each claims less than the truth somewhere.
	tests := []struct {
		name string
		edit func(*Report)
		want int
	}{
		{"summary hides the error", func(r *Report) { r.Summary.Error = 0 }, ExitError},
		{"rules hide the error", func(r *Report) { r.Rules = r.Rules[:1] }, ExitError},
		{"compliance status contradicts", func(r *Report) {
			r.Rules, r.Summary = nil, Summary{}
			r.ComplianceStatus = NonCompliant
		}, ExitNonCompliant},
		{"compliance status missing", func(r *Report) {
			r.Rules, r.Summary = nil, Summary{}
			r.ComplianceStatus = ""
		}, ExitNonCompliant},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := New(sampleMeta(), results(result.StatusPass, result.StatusError))
			tt.edit(r)
			if got := r.ExitCode(); got != tt.want {
				t.Errorf("ExitCode() = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestNewRuleFields(t *testing.T) {
	r := sampleReport()
	var ids []string
	for _, rr := range r.Rules {
		ids = append(ids, rr.ID)
	}
	want := []string{"banner.motd", "ssh.permit_root_login", "files.shadow_mode", "pkg.aide_installed",
		"mac.selinux_enforcing", "net.firewall_enabled", "kernel.core_dumps", "sudo.use_pty", "audit.immutable"}
	if diff := cmp.Diff(want, ids); diff != "" {
		t.Errorf("rules not in the order given (-want +got):\n%s", diff)
	}
	wantSSH := RuleResult{
		ID: "ssh.permit_root_login", Title: "SSH root login is disabled",
		Description: "Root must log in through a named account.",
		Severity:    result.SeverityCritical,
		References:  map[string][]string{"cis": {"5.2.7"}, "nist-800-53": {"AC-6(2)"}},
		Remediation: "Set PermitRootLogin no in /etc/ssh/sshd_config.",
		Tags:        []string{"ssh", "access"},
		Baseline:    "linux-base",
		Status:      result.StatusFail,
		Reasons:     sampleResults()[1].Reasons,
		Evidence:    map[string]any{"permitrootlogin": "yes"},
		DurationMs:  5,
	}
	if diff := cmp.Diff(wantSSH, r.Rules[1]); diff != "" {
		t.Errorf("ssh rule (-want +got):\n%s", diff)
	}
	wantSudo := RuleResult{
		ID: "sudo.use_pty", Title: "sudo runs commands in a pseudo-terminal",
		Severity: result.SeverityHigh, Baseline: "linux-base",
		Status:     result.StatusWaived,
		Reasons:    sampleResults()[7].Reasons,
		Waiver:     &result.Waiver{Justification: "Session recording by the PAM module replaces use_pty (SEC-1234)", Expires: endOfMarch, Run: true, RawStatus: result.StatusFail},
		DurationMs: 1,
	}
	if diff := cmp.Diff(wantSudo, r.Rules[7]); diff != "" {
		t.Errorf("waived rule (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(Summary{Total: 9, Pass: 3, Fail: 2, NotApplicable: 1, Error: 1, Waived: 2}, r.Summary); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(sampleWaivers(), r.Waivers); diff != "" {
		t.Errorf("waivers (-want +got):\n%s", diff)
	}
}

// TestNewWaived: New fails closed on a waived result it cannot show
// truthfully, keeps a waived rule's raw result, and never lets a waiver
// make a host non-compliant, even over a raw error.
func TestNewWaived(t *testing.T) {
	cet := time.FixedZone("CET", 3600)
	expires := time.Date(2027, 4, 1, 1, 0, 0, 0, cet) // midnight UTC
	waiver := func(run bool, raw result.Status) *result.Waiver {
		return &result.Waiver{Justification: "accepted risk", Expires: expires, Run: run, RawStatus: raw}
	}
	tests := []struct {
		name string
		in   result.Result
		want RuleResult // ID, Severity, Baseline and Reasons are filled in
	}{
		{"run, raw fail keeps reasons and evidence",
			result.Result{Status: result.StatusWaived, Waiver: waiver(true, result.StatusFail),
				Reasons: []result.Reason{{Code: "c", Phrase: "p"}}, Evidence: map[string]any{"k": "v"}},
			RuleResult{Status: result.StatusWaived, Waiver: &result.Waiver{Justification: "accepted risk", Expires: endOfMarch, Run: true, RawStatus: result.StatusFail},
				Reasons: []result.Reason{{Code: "c", Phrase: "p"}}, Evidence: map[string]any{"k": "v"}}},
		{"run, raw error keeps the error",
			result.Result{Status: result.StatusWaived, Waiver: waiver(true, result.StatusError), Error: "collector sudoers failed"},
			RuleResult{Status: result.StatusWaived, Waiver: &result.Waiver{Justification: "accepted risk", Expires: endOfMarch, Run: true, RawStatus: result.StatusError}, Error: "collector sudoers failed"}},
		{"run, raw error without a message gets one",
			result.Result{Status: result.StatusWaived, Waiver: waiver(true, result.StatusError)},
			RuleResult{Status: result.StatusWaived, Waiver: &result.Waiver{Justification: "accepted risk", Expires: endOfMarch, Run: true, RawStatus: result.StatusError}, Error: "rule evaluation failed without an error message"}},
		{"not run",
			result.Result{Status: result.StatusWaived, Waiver: waiver(false, "")},
			RuleResult{Status: result.StatusWaived, Waiver: &result.Waiver{Justification: "accepted risk", Expires: endOfMarch}}},
		{"no waiver is an error",
			result.Result{Status: result.StatusWaived},
			RuleResult{Status: result.StatusError, Error: "waived without a waiver"}},
		{"no justification is an error",
			result.Result{Status: result.StatusWaived, Waiver: &result.Waiver{Expires: expires, Run: false}},
			RuleResult{Status: result.StatusError, Error: "waived without a justification"}},
		{"run without a raw status is an error",
			result.Result{Status: result.StatusWaived, Waiver: waiver(true, "")},
			RuleResult{Status: result.StatusError, Error: `waived with run: true but raw status ""`}},
		{"run with raw status waived is an error",
			result.Result{Status: result.StatusWaived, Waiver: waiver(true, result.StatusWaived)},
			RuleResult{Status: result.StatusError, Error: `waived with run: true but raw status "waived"`}},
		{"not run with a raw status is an error",
			result.Result{Status: result.StatusWaived, Waiver: waiver(false, result.StatusPass)},
			RuleResult{Status: result.StatusError, Error: `waived with run: false but raw status "pass"`}},
		{"a waiver on a result that is not waived is dropped",
			result.Result{Status: result.StatusFail, Waiver: waiver(true, result.StatusFail), Reasons: []result.Reason{{Code: "c", Phrase: "p"}}},
			RuleResult{Status: result.StatusFail, Reasons: []result.Reason{{Code: "c", Phrase: "p"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.in.Rule = ruleSudo
			r := New(sampleMeta(), []result.Result{tt.in})
			want := tt.want
			want.ID, want.Title, want.Severity, want.Baseline = ruleSudo.ID, ruleSudo.Title, ruleSudo.Severity, ruleSudo.Baseline
			if want.Reasons == nil {
				want.Reasons = []result.Reason{}
			}
			if diff := cmp.Diff(want, r.Rules[0]); diff != "" {
				t.Errorf("rule (-want +got):\n%s", diff)
			}
			if w := r.Rules[0].Waiver; w != nil && w.Expires.Location() != time.UTC {
				t.Errorf("expires %v is not in UTC", w.Expires)
			}
			wantExit := ExitCompliant
			if want.Status == result.StatusError {
				wantExit = ExitError
			} else if want.Status == result.StatusFail {
				wantExit = ExitNonCompliant
			}
			if got := r.ExitCode(); got != wantExit {
				t.Errorf("ExitCode() = %d, want %d", got, wantExit)
			}
			data, err := r.JSON()
			if err != nil {
				t.Fatal(err)
			}
			if err := Validate(data); err != nil {
				t.Errorf("New produced an invalid report: %v", err)
			}
		})
	}
}

func TestNewCopiesWaivers(t *testing.T) {
	meta := sampleMeta()
	meta.Waivers = sampleWaivers()
	meta.Waivers[0].Expires = time.Date(2027, 4, 1, 2, 0, 0, 0, time.FixedZone("CEST", 7200))
	r := New(meta, sampleResults())
	meta.Waivers[0].ID = "changed"
	if r.Waivers[0].ID == "changed" {
		t.Error("New must copy meta.Waivers")
	}
	if got := r.Waivers[0].Expires; got.Location() != time.UTC || !got.Equal(endOfMarch) {
		t.Errorf("expires = %v, want %v in UTC", got, endOfMarch)
	}
	if r := New(sampleMeta(), nil); r.Waivers != nil {
		t.Errorf("no waiver file: Waivers = %v, want nil (no section)", r.Waivers)
	}
}

func TestNewDefensive(t *testing.T) {
	local := time.FixedZone("CET", 3600)
	meta := sampleMeta()
	meta.StartTime = time.Date(2026, 3, 1, 13, 0, 0, 0, local)
	meta.EndTime = meta.StartTime.Add(time.Second)
	res := []result.Result{
		{Rule: ruleMOTD, Status: result.StatusPass},        // nil reasons
		{Rule: ruleAIDE, Status: result.StatusError},       // no message
		{Rule: ruleCore, Status: "weird", Error: "detail"}, // unknown status
	}
	r := New(meta, res)
	if r.StartTime.Location() != time.UTC || !r.StartTime.Equal(t0) {
		t.Errorf("StartTime = %v, want %v in UTC", r.StartTime, t0)
	}
	if r.Rules[0].Reasons == nil {
		t.Error("nil reasons must become an empty slice")
	}
	if r.Rules[1].Error == "" {
		t.Error("an error without a message must get one")
	}
	if r.Rules[2].Status != result.StatusError || !strings.Contains(r.Rules[2].Error, `unknown status "weird": detail`) {
		t.Errorf("unknown status: got %q %q", r.Rules[2].Status, r.Rules[2].Error)
	}
	// New copies slices so later changes to the inputs do not leak in.
	meta.Baselines[0].Name = "changed"
	if r.Baselines[0].Name == "changed" {
		t.Error("New must copy meta.Baselines")
	}
	data, err := r.JSON()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"reasons": []`) {
		t.Error(`JSON must have "reasons": [] for a rule without reasons`)
	}
	if err := Validate(data); err != nil {
		t.Error(err)
	}
}

func TestNewPanicsOnNilRule(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("New with a nil Rule must panic")
		}
	}()
	New(sampleMeta(), []result.Result{{Status: result.StatusPass}})
}

func TestJSONRoundTrip(t *testing.T) {
	r := sampleReport()
	data, err := r.JSON()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(string(data), "}\n") || !strings.HasPrefix(string(data), "{\n  \"schemaVersion\": \"1.2.0\",\n") {
		t.Errorf("want 2-space indented JSON with a final newline, got %.60q...", data)
	}
	if strings.Contains(string(data), `\u003c`) {
		t.Error("JSON must not HTML-escape")
	}
	var back Report
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	// JSON numbers in free-form values come back as float64, which the
	// fixture already uses, so the round trip is exact.
	if diff := cmp.Diff(r, &back, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	golden(t, "report.json", data)
}
