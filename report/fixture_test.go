package report

import (
	"bytes"
	"crypto/ed25519"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gcrun/gcrun/engine/result"
	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got with testdata/name, or rewrites the file with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./report -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got); go test ./report -update rewrites it:\n%s", path, diff)
	}
}

var (
	t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

	ruleSSH = &result.Rule{
		ID: "ssh.permit_root_login", Title: "SSH root login is disabled",
		Description: "Root must log in through a named account.",
		Severity:    result.SeverityCritical,
		References:  map[string][]string{"cis": {"5.2.7"}, "nist-800-53": {"AC-6(2)"}},
		Remediation: "Set PermitRootLogin no in /etc/ssh/sshd_config.",
		Tags:        []string{"ssh", "access"},
		Package:     "data.gcrun.linux.ssh.permit_root_login", Baseline: "linux-base",
		Facts: []string{"sshd"},
	}
	ruleShadow = &result.Rule{
		ID: "files.shadow_mode", Title: "/etc/shadow is not world-readable",
		Severity: result.SeverityHigh, Baseline: "linux-base", Facts: []string{"files"},
	}
	ruleAIDE = &result.Rule{
		ID: "pkg.aide_installed", Title: "AIDE is installed",
		Severity: result.SeverityMedium, Baseline: "linux-base", Facts: []string{"packages"},
	}
	ruleFirewall = &result.Rule{
		ID: "net.firewall_enabled", Title: "A host firewall is enabled",
		Severity: result.SeverityHigh, Baseline: "linux-base", Facts: []string{"services"},
	}
	ruleSELinux = &result.Rule{
		ID: "mac.selinux_enforcing", Title: "SELinux is enforcing",
		Severity: result.SeverityMedium, Baseline: "rhel-extra", Facts: []string{"os"},
	}
	ruleMOTD = &result.Rule{
		ID: "banner.motd", Title: "A login banner is configured",
		Severity: result.SeverityInfo, Baseline: "linux-base", Facts: []string{"files"},
	}
	ruleCore = &result.Rule{
		ID: "kernel.core_dumps", Title: "Core dumps are restricted",
		Severity: result.SeverityLow, Baseline: "linux-base", Facts: []string{"sysctl"},
	}
	ruleSudo = &result.Rule{
		ID: "sudo.use_pty", Title: "sudo runs commands in a pseudo-terminal",
		Severity: result.SeverityHigh, Baseline: "linux-base", Facts: []string{"sudoers"},
	}
	ruleAudit = &result.Rule{
		ID: "audit.immutable", Title: "The audit rules are immutable",
		Severity: result.SeverityLow, Baseline: "linux-base", Facts: []string{"audit"},
	}

	// expiries of the sample waivers: the end of 2027-03-31 UTC (as a
	// date in a waiver file gives), a precise time, and a past date.
	endOfMarch = time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC)
	sixPM      = time.Date(2027, 6, 30, 18, 0, 0, 0, time.UTC)
	lastYear   = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
)

func sampleMeta() Meta {
	return Meta{
		Tool: Tool{Name: "gcrun", Version: "0.4.0"},
		Host: Host{
			Hostname: "web-01", MachineID: "4c4c4544003957108052b4c04f384833",
			OS: OS{ID: "ubuntu", VersionID: "24.04", PrettyName: "Ubuntu 24.04.1 LTS", Family: "debian"},
		},
		Root: "/",
		Baselines: []Baseline{
			{Name: "linux-base", Version: "1.2.0", Digest: "sha256:" + hex64('a')},
			{Name: "rhel-extra", Version: "0.1.0", Digest: "sha256:" + hex64('b')},
		},
		StartTime: t0,
		EndTime:   t0.Add(1500 * time.Millisecond),
		Collectors: []Collector{
			{Name: "files", Status: CollectorOK, DurationMs: 12},
			{Name: "packages", Status: CollectorError, Error: "read /var/lib/dpkg/status: permission denied", DurationMs: 3},
			{Name: "sshd", Status: CollectorOK, DurationMs: 40},
		},
	}
}

func hex64(c byte) string { return string(bytes.Repeat([]byte{c}, 64)) }

// sampleResults covers every status and severity, optional fields both set
// and unset, and reasons with and without expected/actual/evidence.
func sampleResults() []result.Result {
	return []result.Result{
		{Rule: ruleMOTD, Status: result.StatusPass, Duration: 2 * time.Millisecond},
		{Rule: ruleSSH, Status: result.StatusFail, Duration: 5 * time.Millisecond,
			Reasons: []result.Reason{
				{Code: "root_login_permitted", Phrase: `PermitRootLogin is "yes", want "no"`,
					Expected: "no", Actual: "yes",
					Evidence: map[string]any{"location": map[string]any{"file": "/etc/ssh/sshd_config", "line": 12.0}}},
			},
			Evidence: map[string]any{"permitrootlogin": "yes"}},
		{Rule: ruleShadow, Status: result.StatusFail, Duration: time.Millisecond,
			Reasons: []result.Reason{
				{Code: "mode_too_open", Phrase: "/etc/shadow has mode 0644, want at most 0640", Expected: "0640", Actual: "0644"},
				{Code: "owner", Phrase: "/etc/shadow is owned by uid 1000,\nwant root"},
			}},
		{Rule: ruleAIDE, Status: result.StatusError, Error: "collector packages failed: read /var/lib/dpkg/status: permission denied"},
		{Rule: ruleSELinux, Status: result.StatusNotApplicable,
			Reasons: []result.Reason{{Code: "not_rhel", Phrase: "the os family is debian, not rhel"}}},
		{Rule: ruleFirewall, Status: result.StatusPass, Duration: 3 * time.Millisecond},
		{Rule: ruleCore, Status: result.StatusPass},
		// Waived, still run: the raw result is kept.
		{Rule: ruleSudo, Status: result.StatusWaived, Duration: time.Millisecond,
			Reasons: []result.Reason{{Code: "use_pty_missing", Phrase: "Defaults use_pty is not set, expected it in /etc/sudoers"}},
			Waiver:  &result.Waiver{Justification: "Session recording by the PAM module replaces use_pty (SEC-1234)", Expires: endOfMarch, Run: true, RawStatus: result.StatusFail}},
		// Waived, not run.
		{Rule: ruleAudit, Status: result.StatusWaived,
			Waiver: &result.Waiver{Justification: "Audit rules are reloaded by the\nSIEM agent", Expires: sixPM, Run: false}},
	}
}

// sampleWaivers is the waivers section that goes with sampleResults: the
// two active waivers, one expired (its rule passes on its own) and one
// whose rule was not evaluated.
func sampleWaivers() []Waiver {
	return []Waiver{
		{ID: "sudo.use_pty", Justification: "Session recording by the PAM module replaces use_pty (SEC-1234)", Expires: endOfMarch, Run: true, State: WaiverActive},
		{ID: "net.firewall_enabled", Justification: "Firewall is upstream", Expires: lastYear, Run: true, State: WaiverExpired},
		{ID: "audit.immutable", Justification: "Audit rules are reloaded by the\nSIEM agent", Expires: sixPM, Run: false, State: WaiverActive},
		{ID: "usb.storage_disabled", Justification: "No USB on VMs", Expires: sixPM, Run: false, State: WaiverUnused},
	}
}

func sampleReport() *Report {
	meta := sampleMeta()
	meta.Waivers = sampleWaivers()
	return New(meta, sampleResults())
}

func sampleJSON(t testing.TB) []byte {
	t.Helper()
	data, err := sampleReport().JSON()
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// testKey is a fixed key so that envelopes in tests are reproducible.
var testKey = ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))

func testPub() ed25519.PublicKey { return testKey.Public().(ed25519.PublicKey) }
