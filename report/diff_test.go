package report

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gcrun/gcrun/engine/result"
	"github.com/google/go-cmp/cmp"
)

var (
	ruleUSB = &result.Rule{
		ID: "usb.storage_disabled", Title: "USB storage is disabled",
		Severity: result.SeverityMedium, Baseline: "linux-base", Facts: []string{"kernel_modules"},
	}
	ruleIPv6 = &result.Rule{
		ID: "net.ipv6_router_ads", Title: "IPv6 router advertisements are ignored",
		Severity: result.SeverityLow, Baseline: "linux-base", Facts: []string{"sysctl"},
	}
)

// driftPair is sampleReport and a later scan of the same host in which
// every kind of change happens.
func driftPair() (old, new *Report) {
	old = sampleReport()

	meta := sampleMeta()
	meta.StartTime = t0.Add(24 * time.Hour)
	meta.EndTime = meta.StartTime.Add(2 * time.Second)
	meta.Baselines[0].Version = "1.3.0"
	meta.Baselines[0].Digest = "sha256:" + hex64('c')
	meta.Waivers = []Waiver{sampleWaivers()[2]}
	results := []result.Result{
		// pass -> fail: newly failing.
		{Rule: ruleMOTD, Status: result.StatusFail,
			Reasons: []result.Reason{{Code: "missing", Phrase: "/etc/motd is empty"}}},
		// fail -> fail for another reason: evidence changed.
		{Rule: ruleSSH, Status: result.StatusFail,
			Reasons: []result.Reason{
				{Code: "root_login_permitted", Phrase: `PermitRootLogin is "prohibit-password", want "no"`,
					Expected: "no", Actual: "prohibit-password",
					Evidence: map[string]any{"location": map[string]any{"file": "/etc/ssh/sshd_config", "line": 14.0}}},
			},
			Evidence: map[string]any{"permitrootlogin": "prohibit-password"}},
		// fail -> pass: fixed.
		{Rule: ruleShadow, Status: result.StatusPass},
		// error -> fail: a status change, but not newly failing.
		{Rule: ruleAIDE, Status: result.StatusFail,
			Reasons: []result.Reason{{Code: "not_installed", Phrase: "aide is not installed"}}},
		// not_applicable, unchanged.
		{Rule: ruleSELinux, Status: result.StatusNotApplicable,
			Reasons: []result.Reason{{Code: "not_rhel", Phrase: "the os family is debian, not rhel"}}},
		// net.firewall_enabled is gone: removed.
		// pass, unchanged.
		{Rule: ruleCore, Status: result.StatusPass},
		// waived -> fail: the waiver was withdrawn; newly failing.
		{Rule: ruleSudo, Status: result.StatusFail,
			Reasons: []result.Reason{{Code: "use_pty_missing", Phrase: "Defaults use_pty is not set, expected it in /etc/sudoers"}}},
		// waived, unchanged.
		{Rule: ruleAudit, Status: result.StatusWaived,
			Waiver: &result.Waiver{Justification: "Audit rules are reloaded by the\nSIEM agent", Expires: sixPM, Run: false}},
		// Added, in error: added and newly failing.
		{Rule: ruleUSB, Status: result.StatusError, Error: "collector kernel_modules failed: timeout"},
		// Added, passing.
		{Rule: ruleIPv6, Status: result.StatusPass},
	}
	return old, New(meta, results)
}

func driftOf(old, new *Report, id string) RuleDrift {
	var o, n *RuleOutcome
	var src RuleResult
	for _, rr := range old.Rules {
		if rr.ID == id {
			o, src = outcome(rr), rr
		}
	}
	for _, rr := range new.Rules {
		if rr.ID == id {
			n, src = outcome(rr), rr
		}
	}
	return RuleDrift{Baseline: src.Baseline, ID: id, Title: src.Title, Severity: src.Severity, Old: o, New: n}
}

func TestDiff(t *testing.T) {
	old, new := driftPair()
	got := Diff(old, new)
	d := func(id string) RuleDrift { return driftOf(old, new, id) }
	want := &DriftReport{
		Old: DriftSide{Tool: old.Tool, Host: old.Host, Baselines: old.Baselines, StartTime: old.StartTime, EndTime: old.EndTime,
			ComplianceStatus: NonCompliant, Summary: Summary{Total: 9, Pass: 3, Fail: 2, NotApplicable: 1, Error: 1, Waived: 2}},
		New: DriftSide{Tool: new.Tool, Host: new.Host, Baselines: new.Baselines, StartTime: new.StartTime, EndTime: new.EndTime,
			ComplianceStatus: NonCompliant, Summary: Summary{Total: 10, Pass: 3, Fail: 4, NotApplicable: 1, Error: 1, Waived: 1}},
		Warnings: []DriftWarning{{Code: "baseline_changed", Message: `baseline "linux-base" changed: version "1.2.0", digest "sha256:` + hex64('a') +
			`" before; version "1.3.0", digest "sha256:` + hex64('c') + `" now; status changes may come from the baseline rather than the host`}},
		// Ordered by severity, then id.
		NewlyFailing:    []RuleDrift{d("sudo.use_pty"), d("usb.storage_disabled"), d("banner.motd")},
		Fixed:           []RuleDrift{d("files.shadow_mode")},
		StatusChanged:   []RuleDrift{d("files.shadow_mode"), d("sudo.use_pty"), d("pkg.aide_installed"), d("banner.motd")},
		EvidenceChanged: []RuleDrift{d("ssh.permit_root_login")},
		Added:           []RuleDrift{d("usb.storage_disabled"), d("net.ipv6_router_ads")},
		Removed:         []RuleDrift{d("net.firewall_enabled")},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Diff (-want +got):\n%s", diff)
	}
	if !got.Worse() || !got.Changed() {
		t.Errorf("Worse() = %v, Changed() = %v, want true, true", got.Worse(), got.Changed())
	}
	// The added rule's old side and the removed rule's new side are
	// absent, not empty.
	if got.Added[0].Old != nil || got.Removed[0].New != nil {
		t.Error("added/removed rule has both sides")
	}
}

func TestDiffGolden(t *testing.T) {
	old, new := driftPair()
	d := Diff(old, new)
	for _, color := range []bool{false, true} {
		var buf bytes.Buffer
		if err := WriteDriftText(&buf, d, TextOptions{Color: color}); err != nil {
			t.Fatal(err)
		}
		name := "drift/drift.txt"
		if color {
			name = "drift/drift-color.txt"
		}
		golden(t, name, buf.Bytes())
	}
	var buf bytes.Buffer
	if err := WriteDriftJSON(&buf, d); err != nil {
		t.Fatal(err)
	}
	golden(t, "drift/drift.json", buf.Bytes())

	// The JSON reads back into the same drift report (field names are
	// stable both ways), modulo numbers becoming float64.
	var back DriftReport
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	if err := WriteDriftJSON(&again, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(buf.String(), again.String()); diff != "" {
		t.Errorf("JSON round trip (-first +second):\n%s", diff)
	}
}

func TestDiffIdentical(t *testing.T) {
	r := sampleReport()
	// The same report read back from JSON: evidence numbers become
	// float64, empty slices may become nil; none of that is drift.
	data, err := r.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var decoded Report
	if err := json.Unmarshal(data, &decoded); err != nil {
		t.Fatal(err)
	}
	decoded.Rules[1].Evidence = map[string]any{"permitrootlogin": "yes"}
	r.Rules[1].Reasons[0].Evidence = map[string]any{"location": map[string]any{"file": "/etc/ssh/sshd_config", "line": 12}} // int, not float64
	d := Diff(r, &decoded)
	if d.Worse() || d.Changed() {
		t.Errorf("identical reports: Worse() = %v, Changed() = %v", d.Worse(), d.Changed())
	}
	if diff := cmp.Diff([]DriftWarning{}, d.Warnings); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
	var buf bytes.Buffer
	if err := WriteDriftText(&buf, d, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(buf.String(), "\nNo changes.\n") {
		t.Errorf("text does not end in No changes.:\n%s", buf.String())
	}
	// An empty JSON list is [] rather than null.
	buf.Reset()
	if err := WriteDriftJSON(&buf, d); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "null") {
		t.Errorf("JSON has null:\n%s", buf.String())
	}
}

func TestDiffWorse(t *testing.T) {
	pass := func(rule *result.Rule) result.Result { return result.Result{Rule: rule, Status: result.StatusPass} }
	fail := func(rule *result.Rule) result.Result { return result.Result{Rule: rule, Status: result.StatusFail} }
	errored := func(rule *result.Rule) result.Result {
		return result.Result{Rule: rule, Status: result.StatusError, Error: "boom"}
	}
	mk := func(rs ...result.Result) *Report { return New(sampleMeta(), rs) }
	tests := []struct {
		name       string
		old, new   *Report
		worse      bool
		newlyFails []string
		fixed      []string
	}{
		{"fixed only", mk(fail(ruleSSH), pass(ruleMOTD)), mk(pass(ruleSSH), pass(ruleMOTD)), false, nil, []string{"ssh.permit_root_login"}},
		{"fail to error", mk(fail(ruleSSH)), mk(errored(ruleSSH)), false, nil, nil},
		{"error to pass", mk(errored(ruleSSH)), mk(pass(ruleSSH)), false, nil, []string{"ssh.permit_root_login"}},
		{"pass to error", mk(pass(ruleSSH)), mk(errored(ruleSSH)), true, []string{"ssh.permit_root_login"}, nil},
		{"added failing", mk(pass(ruleMOTD)), mk(pass(ruleMOTD), fail(ruleSSH)), true, []string{"ssh.permit_root_login"}, nil},
		{"added passing", mk(pass(ruleMOTD)), mk(pass(ruleMOTD), pass(ruleSSH)), false, nil, nil},
		{"removed failing", mk(pass(ruleMOTD), fail(ruleSSH)), mk(pass(ruleMOTD)), false, nil, nil},
		{"not applicable to fail", mk(result.Result{Rule: ruleSSH, Status: result.StatusNotApplicable}), mk(fail(ruleSSH)), true, []string{"ssh.permit_root_login"}, nil},
		{"unknown status", mk(pass(ruleSSH)), func() *Report { r := mk(pass(ruleSSH)); r.Rules[0].Status = "bogus"; return r }(), true, []string{"ssh.permit_root_login"}, nil},
	}
	ids := func(list []RuleDrift) []string {
		var out []string
		for _, rd := range list {
			out = append(out, rd.ID)
		}
		return out
	}
	for _, tt := range tests {
		d := Diff(tt.old, tt.new)
		if d.Worse() != tt.worse {
			t.Errorf("%s: Worse() = %v, want %v", tt.name, d.Worse(), tt.worse)
		}
		if diff := cmp.Diff(tt.newlyFails, ids(d.NewlyFailing)); diff != "" {
			t.Errorf("%s: newly failing (-want +got):\n%s", tt.name, diff)
		}
		if diff := cmp.Diff(tt.fixed, ids(d.Fixed)); diff != "" {
			t.Errorf("%s: fixed (-want +got):\n%s", tt.name, diff)
		}
	}

	// A report that says NonCompliant while its rules all pass (hand-made)
	// is NonCompliant for drift, so going from it to a failing report
	// still reports the newly failing rule but not a compliance drop.
	old := mk(pass(ruleSSH))
	new := mk(pass(ruleSSH))
	new.ComplianceStatus = NonCompliant
	d := Diff(old, new)
	if !d.Worse() || d.New.ComplianceStatus != NonCompliant {
		t.Errorf("Compliant -> (recorded) NonCompliant: Worse() = %v, new status %s", d.Worse(), d.New.ComplianceStatus)
	}
}

func TestDiffWarnings(t *testing.T) {
	old := sampleReport()
	new := sampleReport()
	new.Host.Hostname = "web-02"
	new.Host.MachineID = "ffff"
	new.Baselines = new.Baselines[:1]
	new.Baselines = append(new.Baselines, Baseline{Name: "cis-extra", Version: "2.0.0", Digest: "sha256:" + hex64('d')})
	new.EndTime = old.EndTime.Add(-time.Hour)
	new.Rules = append(new.Rules, new.Rules[0])
	codes := func(d *DriftReport) []string {
		var out []string
		for _, w := range d.Warnings {
			out = append(out, w.Code)
		}
		return out
	}
	want := []string{"different_host", "different_machine_id", "baseline_added", "baseline_removed", "time_order", "duplicate_rule"}
	if diff := cmp.Diff(want, codes(Diff(old, new))); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
	new = sampleReport()
	new.Host.MachineID = ""
	if diff := cmp.Diff([]string{"machine_id_unknown"}, codes(Diff(old, new))); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
}

// Strings from hostile hosts reach the terminal only sanitised.
func TestDiffTextSanitised(t *testing.T) {
	old, new := driftPair()
	new.Host.Hostname = "web\x1b[2J-01"
	for i := range new.Rules {
		if new.Rules[i].ID == "ssh.permit_root_login" {
			new.Rules[i].Reasons[0].Phrase = "evil \x1b]0;title\x07 \u202e phrase"
			new.Rules[i].Evidence = map[string]any{"k\x1bey": "v\x1balue", "big": strings.Repeat("x", 500)}
		}
	}
	var buf bytes.Buffer
	if err := WriteDriftText(&buf, Diff(old, new), TextOptions{}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for i := 0; i < len(out); i++ {
		if c := out[i]; (c < 0x20 && c != '\n') || c == 0x7f {
			t.Fatalf("control byte %#x at %d:\n%s", c, i, out)
		}
	}
	for _, want := range []string{`web\x1b[2J-01`, `evil \x1b]0;title\x07 \u202e phrase`, `evidence.k\x1bey: (absent) -> "v\u001balue"`, `... (502 characters)`} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestDiffNil(t *testing.T) {
	r := sampleReport()
	d := Diff(nil, r)
	if len(d.Added) != len(r.Rules) || !d.Worse() {
		t.Errorf("Diff(nil, r): %d added, Worse() = %v", len(d.Added), d.Worse())
	}
	d = Diff(r, nil)
	if len(d.Removed) != len(r.Rules) {
		t.Errorf("Diff(r, nil): %d removed", len(d.Removed))
	}
	if err := WriteDriftText(&bytes.Buffer{}, nil, TextOptions{}); err == nil {
		t.Error("WriteDriftText(nil): no error")
	}
	if err := WriteDriftJSON(&bytes.Buffer{}, nil); err == nil {
		t.Error("WriteDriftJSON(nil): no error")
	}
}

// The big reports: a host hardened from the noncompliant fixture to the
// compliant one has only fixes (and no newly failing rule).
func TestDiffBigReports(t *testing.T) {
	read := func(name string) *Report {
		data, err := os.ReadFile("../runner/testdata/golden/" + name)
		if err != nil {
			t.Fatal(err)
		}
		var r Report
		if err := json.Unmarshal(data, &r); err != nil {
			t.Fatal(err)
		}
		return &r
	}
	nc, c := read("noncompliant.json"), read("compliant.json")
	d := Diff(nc, c)
	if d.Worse() {
		t.Errorf("noncompliant -> compliant is worse: %d newly failing", len(d.NewlyFailing))
	}
	if len(d.Fixed) != nc.Summary.Fail+nc.Summary.Error {
		t.Errorf("%d fixed, want %d", len(d.Fixed), nc.Summary.Fail+nc.Summary.Error)
	}
	back := Diff(c, nc)
	if !back.Worse() || len(back.NewlyFailing) != len(d.Fixed) {
		t.Errorf("compliant -> noncompliant: Worse() = %v, %d newly failing", back.Worse(), len(back.NewlyFailing))
	}
}
