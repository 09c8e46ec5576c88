package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTestTakesTailoring: gcrun test evaluates fixtures with the
// tailoring's parameters (over the pack's own overrides) and rule
// selection.
func TestTestTakesTailoring(t *testing.T) {
	acme := filepath.Join("..", "..", "examples", "packs", "acme")
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	run(t, nil, "test", acme, "--run", "acme-web").want(t, 0)
	// MaxAuthTries 4 is fine under this tailoring, so the fixture's
	// expected failure of GCL-SSH-005 no longer holds.
	relaxed := write("relaxed.yaml", "parameters:\n  ssh_max_auth_tries: 4\n")
	r := run(t, nil, "test", acme, "--run", "acme-web", "--tailoring", relaxed)
	r.want(t, ExitNonCompliant)
	if !strings.Contains(r.stdout, "GCL-SSH-005") {
		t.Errorf("the report does not name GCL-SSH-005:\n%s", r.stdout)
	}
	// A rule the tailoring drops is not compared.
	dropped := write("dropped.yaml", "parameters:\n  ssh_max_auth_tries: 4\nexclude:\n  ids: [GCL-SSH-005]\n")
	run(t, nil, "test", acme, "--run", "acme-web", "--tailoring", dropped).want(t, 0)
	run(t, nil, "test", acme, "--tailoring", write("bad.yaml", "selct: {}\n")).want(t, ExitUsage, "bad.yaml")
}
