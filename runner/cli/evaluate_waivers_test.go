package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	engineresult "github.com/gcrun/gcrun/engine/result"
	"github.com/gcrun/gcrun/internal/fixture"
	"github.com/gcrun/gcrun/report"
	"github.com/google/go-cmp/cmp"
)

// tempFile writes content to name in a fresh temporary directory.
func tempFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// sshTailoring keeps three SSH rules that the non-compliant host fails
// and lets GCL-SSH-005 (MaxAuthTries 10 there) pass by its parameter.
const sshTailoring = `# three SSH rules
select:
  ids: [GCL-SSH-005, "GCL-SSH-00[12]"]
parameters:
  ssh_max_auth_tries: 10
`

// ruleOutcomes maps rule id to status, and to the raw status for waived
// rules ("waived/fail", "waived/-" when not run).
func ruleOutcomes(t *testing.T, stdout string) (map[string]string, *report.Report) {
	t.Helper()
	if err := report.Validate([]byte(stdout)); err != nil {
		t.Fatalf("not a valid report: %v", err)
	}
	var rep report.Report
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, r := range rep.Rules {
		s := string(r.Status)
		if r.Waiver != nil {
			raw := string(r.Waiver.RawStatus)
			if raw == "" {
				raw = "-"
			}
			s += "/" + raw
		}
		out[r.ID] = s
	}
	return out, &rep
}

func TestEvaluateTailoringAndWaivers(t *testing.T) {
	bad := fixture.Materialize(t, noncompliant)
	tailoring := tempFile(t, "site.yaml", sshTailoring)

	r := run(t, nil, "evaluate", "--root", bad, "--tailoring", tailoring)
	r.want(t, ExitNonCompliant)
	got, _ := ruleOutcomes(t, r.stdout)
	if diff := cmp.Diff(map[string]string{"GCL-SSH-001": "fail", "GCL-SSH-002": "fail", "GCL-SSH-005": "pass"}, got); diff != "" {
		t.Errorf("tailored (-want +got):\n%s", diff)
	}

	// --param wins over the tailoring's parameters.
	r = run(t, nil, "evaluate", "--root", bad, "--tailoring", tailoring, "--param", "ssh_max_auth_tries=4")
	r.want(t, ExitNonCompliant)
	if got, _ := ruleOutcomes(t, r.stdout); got["GCL-SSH-005"] != "fail" {
		t.Errorf("--param over the tailoring: GCL-SSH-005 is %s, want fail", got["GCL-SSH-005"])
	}

	// Waiving the two failures makes the host compliant.
	waivers := tempFile(t, "waivers.yaml", `waivers:
  - id: GCL-SSH-001
    justification: Root logs in from the console server only (SEC-7)
    expires: 2999-12-31
  - id: GCL-SSH-002
    justification: Passwords until the key rollout (SEC-8)
    expires: 2999-06-30T12:00:00Z
    run: false
  - id: GCL-SSH-040
    justification: Not selected by the tailoring
    expires: 2999-12-31
`)
	r = run(t, nil, "evaluate", "--root", bad, "--tailoring", tailoring, "--waivers", waivers)
	r.want(t, ExitCompliant)
	got, rep := ruleOutcomes(t, r.stdout)
	if diff := cmp.Diff(map[string]string{"GCL-SSH-001": "waived/fail", "GCL-SSH-002": "waived/-", "GCL-SSH-005": "pass"}, got); diff != "" {
		t.Errorf("waived (-want +got):\n%s", diff)
	}
	var states []string
	for _, w := range rep.Waivers {
		states = append(states, w.ID+" "+w.State)
	}
	if diff := cmp.Diff([]string{"GCL-SSH-001 active", "GCL-SSH-002 active", "GCL-SSH-040 unused"}, states); diff != "" {
		t.Errorf("waivers (-want +got):\n%s", diff)
	}
	if rep.Summary.Waived != 2 || rep.ComplianceStatus != report.Compliant {
		t.Errorf("summary %+v, %s", rep.Summary, rep.ComplianceStatus)
	}

	r = run(t, map[string]string{"NO_COLOR": "1"}, "evaluate", "--root", bad, "--tailoring", tailoring, "--waivers", waivers, "--format", "text")
	r.want(t, ExitCompliant)
	for _, want := range []string{
		"\nWAIVED (2)\n",
		"    justification: Root logs in from the console server only (SEC-7)\n    expires: 2999-12-31, end of day UTC\n    real status: fail\n    - ",
		"    justification: Passwords until the key rollout (SEC-8)\n    expires: 2999-06-30T12:00:00Z\n    real status: not evaluated (run: false)\n",
		"\nWAIVERS: 2 active, 0 expired, 1 unused\n  GCL-SSH-040  unused (the rule was not evaluated)\n",
		"\nCompliant: 0 fail, 0 error, 2 waived, 1 pass, 0 not_applicable of 3 rules\n",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("text output lacks %q:\n%s", want, r.stdout)
		}
	}

	// An expired waiver is ignored, and listed as expired.
	expired := tempFile(t, "waivers.yaml", "waivers:\n  - id: GCL-SSH-001\n    justification: was fine\n    expires: 2000-01-01\n")
	r = run(t, nil, "evaluate", "--root", bad, "--tailoring", tailoring, "--waivers", expired)
	r.want(t, ExitNonCompliant)
	got, rep = ruleOutcomes(t, r.stdout)
	if got["GCL-SSH-001"] != "fail" || len(rep.Waivers) != 1 || rep.Waivers[0].State != report.WaiverExpired {
		t.Errorf("expired waiver: GCL-SSH-001 %s, waivers %+v", got["GCL-SSH-001"], rep.Waivers)
	}
}

// A rule in error under a waiver does not make exit 3: the waiver accepts
// the rule's state, known or not (report/README.md).
func TestEvaluateWaivedErrorExitsZero(t *testing.T) {
	broken := fixture.Materialize(t, compliant)
	if err := os.WriteFile(filepath.Join(broken, "etc/ssh/sshd_config"), []byte("Port\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tailoring := tempFile(t, "site.yaml", "select:\n  ids: [GCL-SSH-001]\n")
	run(t, nil, "evaluate", "--root", broken, "--tailoring", tailoring).want(t, ExitRuleError)

	waivers := tempFile(t, "waivers.yaml", "waivers:\n  - id: GCL-SSH-001\n    justification: sshd is being replaced\n    expires: 2999-01-01\n")
	r := run(t, nil, "evaluate", "--root", broken, "--tailoring", tailoring, "--waivers", waivers)
	r.want(t, ExitCompliant)
	_, rep := ruleOutcomes(t, r.stdout)
	if len(rep.Rules) != 1 || rep.Rules[0].Waiver == nil || rep.Rules[0].Waiver.RawStatus != engineresult.StatusError || rep.Rules[0].Error == "" {
		t.Errorf("want GCL-SSH-001 waived with its raw error, got %+v", rep.Rules)
	}
}

func TestEvaluateTailoringWaiversBadInput(t *testing.T) {
	root := fixture.Materialize(t, compliant)
	unknownID := tempFile(t, "site.yaml", "select:\n  ids: [GCL-SSH-001, GCL-SSH-999]\n")
	badYAML := tempFile(t, "site.yaml", "select:\n  ids: a: b\n")
	badSeverity := tempFile(t, "site.yaml", "exclude:\n  severities: [urgent]\n")
	undeclared := tempFile(t, "site.yaml", "parameters:\n  ssh_max_auth_trys: 3\n")
	unknownWaiver := tempFile(t, "waivers.yaml", "waivers:\n  - id: GCL-SSH-001\n    justification: j\n    expires: 2999-01-01\n  - id: GCL-SSH-999\n    justification: j\n    expires: 2999-01-01\n")
	noExpiry := tempFile(t, "waivers.yaml", "waivers:\n  - id: GCL-SSH-001\n    justification: forever\n")
	tests := []struct {
		name   string
		args   []string
		stderr string
	}{
		{"unknown rule id", []string{"--tailoring", unknownID}, unknownID + `:2: select: ids: id "GCL-SSH-999" matches no loaded rule`},
		{"bad tailoring YAML", []string{"--tailoring", badYAML}, badYAML + ":2: bad YAML: mapping values are not allowed in this context"},
		{"unknown severity", []string{"--tailoring", badSeverity}, badSeverity + `:2: exclude: severities: unknown severity "urgent"`},
		{"undeclared parameter", []string{"--tailoring", undeclared}, undeclared + ":2: parameters: ssh_max_auth_trys is not declared by any loaded baseline"},
		{"missing tailoring", []string{"--tailoring", filepath.Join(t.TempDir(), "nope.yaml")}, "tailoring: "},
		{"waiver for an unknown rule", []string{"--waivers", unknownWaiver}, unknownWaiver + ":5: waiver for GCL-SSH-999: no loaded rule has this id"},
		{"waiver without expiry", []string{"--waivers", noExpiry}, noExpiry + ":2: waiver for GCL-SSH-001: missing expires"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, nil, append([]string{"evaluate", "--root", root}, tt.args...)...)
			r.want(t, ExitUsage, tt.stderr)
			if r.stdout != "" {
				t.Errorf("a report was written despite bad input: %.200s", r.stdout)
			}
		})
	}
}
