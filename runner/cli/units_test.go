package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/gcrun/gcrun/internal/oracle"
	"github.com/gcrun/gcrun/runner/agent/config"
)

// TestExampleUnitsAndConfig: the systemd units in examples/agent pass
// systemd-analyze verify (with gcrun's path replaced by one that exists
// here), the agent's unit keeps its resource caps, its offline security
// exposure stays low, and the example agent.yaml loads.
func TestExampleUnitsAndConfig(t *testing.T) {
	analyze := oracle.Require(t, "systemd-analyze")
	for _, name := range []string{"gcrun-agent.service", "gcrun-serve.service"} {
		data, err := os.ReadFile(filepath.Join("../../examples/agent", name))
		if err != nil {
			t.Fatal(err)
		}
		unit := filepath.Join(t.TempDir(), name)
		os.WriteFile(unit, bytes.ReplaceAll(data, []byte("/usr/local/bin/gcrun"), []byte("/bin/true")), 0o644)
		if out, err := exec.Command(analyze, "verify", "--man=no", unit).CombinedOutput(); err != nil || len(bytes.TrimSpace(out)) > 0 {
			t.Errorf("systemd-analyze verify %s: %v\n%s", name, err, out)
		}
		if name != "gcrun-agent.service" {
			continue
		}
		for _, want := range []string{"CPUQuota=5%", "MemoryMax=", "Nice=", "NoNewPrivileges=true", "ProtectSystem=", "KillSignal=SIGTERM"} {
			if !bytes.Contains(data, []byte(want)) {
				t.Errorf("%s lacks %s", name, want)
			}
		}
		out, _ := exec.Command(analyze, "security", "--offline=true", unit).CombinedOutput()
		m := regexp.MustCompile(`Overall exposure level for \S+: ([0-9.]+)`).FindSubmatch(out)
		if m == nil {
			t.Logf("systemd-analyze security gave no exposure level:\n%s", out)
			continue
		}
		if level, _ := strconv.ParseFloat(string(m[1]), 64); level > 4 {
			t.Errorf("%s exposure level %.1f, want at most 4 (\"OK\")", name, level)
		}
	}
	if _, err := config.LoadConfig("../../examples/agent/agent.yaml"); err != nil {
		t.Errorf("examples/agent/agent.yaml: %v", err)
	}
}
