package cli

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gcrun/gcrun/internal/fixture"
	"github.com/gcrun/gcrun/report"
)

// TestReportCommands: render every format from a plain and a signed
// report (verified with --key, refused when tampered or unsigned), the
// drift between a non-compliant host and the same host remediated, and a
// fleet summary with keys.
func TestReportCommands(t *testing.T) {
	dir := t.TempDir()
	priv, pub := filepath.Join(dir, "k.key"), filepath.Join(dir, "k.pub")
	run(t, nil, "keygen", "--private-key", priv, "--public-key", pub).want(t, 0)
	root := fixture.Materialize(t, noncompliant)
	before := filepath.Join(dir, "before.json")
	signed := filepath.Join(dir, "before.signed.json")
	run(t, nil, "evaluate", "--root", root, "--output", before).want(t, ExitNonCompliant)
	run(t, nil, "evaluate", "--root", root, "--sign-key", priv, "--output", signed).want(t, ExitNonCompliant)

	for _, format := range report.Formats() {
		r := run(t, nil, "report", "render", "--format", format, before)
		r.want(t, 0)
		if len(r.stdout) == 0 {
			t.Errorf("render %s: empty output", format)
		}
		v := run(t, nil, "report", "render", "--format", format, "--key", pub, signed)
		v.want(t, 0)
		if len(v.stdout) == 0 {
			t.Errorf("render %s of the signed report: empty output", format)
		}
	}
	// JUnit parses; Prometheus goes to a file atomically.
	j := run(t, nil, "report", "render", "--format", "junit", before)
	if err := xml.Unmarshal([]byte(j.stdout), new(struct{})); err != nil {
		t.Errorf("junit output is not XML: %v", err)
	}
	prom := filepath.Join(dir, "gcrun.prom")
	run(t, nil, "report", "render", "--format", "prometheus", "--output", prom, before).want(t, 0)
	if data, _ := os.ReadFile(prom); !strings.Contains(string(data), "gcrun_compliant 0") {
		t.Errorf("prometheus file: %.200s", data)
	}
	// Unverified signed report: rendered, with a warning.
	u := run(t, nil, "report", "render", signed)
	u.want(t, 0, "WITHOUT verifying")
	// --key is fail closed.
	run(t, nil, "report", "render", "--key", pub, before).want(t, ExitUsage, "not signed")
	data, _ := os.ReadFile(signed)
	var env map[string]any
	json.Unmarshal(data, &env)
	p := env["payload"].(string)
	env["payload"] = p[:40] + string(rune('A'+(p[40]-'A'+1)%26)) + p[41:]
	tampered, _ := json.Marshal(env)
	tf := filepath.Join(dir, "tampered.json")
	os.WriteFile(tf, tampered, 0o644)
	run(t, nil, "report", "render", "--key", pub, tf).want(t, ExitUsage)
	run(t, nil, "report", "render", "--format", "yaml", before).want(t, ExitUsage, "unknown report format")

	// Drift: remediate, then compare.
	run(t, nil, "evaluate", "--root", root, "--mode", "apply").want(t, ExitNonCompliant)
	after := filepath.Join(dir, "after.json")
	run(t, nil, "evaluate", "--root", root, "--output", after).want(t, ExitNonCompliant)
	better := run(t, nil, "report", "diff", before, after)
	better.want(t, 0)
	if !strings.Contains(better.stdout, "FIXED") || !strings.Contains(better.stdout, "GCL-SSH-005") {
		t.Errorf("diff before->after:\n%s", firstLines(better.stdout, 20))
	}
	worse := run(t, nil, "report", "diff", "--format", "json", after, before)
	worse.want(t, 1)
	var drift map[string]any
	if err := json.Unmarshal([]byte(worse.stdout), &drift); err != nil {
		t.Fatalf("diff json: %v", err)
	}

	// Summary over a directory, keys required: the plain reports are
	// listed as problems (exit 3), the signed one counted.
	sum := run(t, nil, "report", "summarize", "--format", "json", "--key", pub, dir)
	sum.want(t, ExitRuleError, "could not be used")
	var s report.FleetSummary
	if err := json.Unmarshal([]byte(sum.stdout), &s); err != nil {
		t.Fatal(err)
	}
	if len(s.Hosts) != 1 || !s.SignaturesRequired || len(s.Problems) < 2 {
		t.Errorf("summary: %d hosts, signatures required %v, %d problems", len(s.Hosts), s.SignaturesRequired, len(s.Problems))
	}
	run(t, nil, "report", "summarize", "--format", "html", "--output", filepath.Join(dir, "fleet.html"), before, after).want(t, 0)
}
