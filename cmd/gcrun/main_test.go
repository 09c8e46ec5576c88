package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gcrun/gcrun/internal/fixture"
)

// TestBinary builds gcrun and runs it as a user would, checking the exit
// codes the README documents through a real process.
func TestBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "gcrun")
	build := exec.Command("go", "build", "-ldflags", "-X main.version=v9.9.9", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	code := func(args ...string) (int, string) {
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), "NO_COLOR=1")
		out, err := cmd.Output()
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode(), string(out)
		}
		if err != nil {
			t.Fatal(err)
		}
		return 0, string(out)
	}
	if c, out := code("version"); c != 0 || out != "gcrun v9.9.9\n" {
		t.Fatalf("version: %d %q", c, out)
	}
	good := fixture.Materialize(t, "../../testdata/hosts/compliant")
	bad := fixture.Materialize(t, "../../testdata/hosts/noncompliant")
	if c, out := code("evaluate", "--root", good, "--format", "text"); c != 0 || !strings.Contains(out, "Compliant: 0 fail") {
		t.Errorf("compliant root: exit %d\n%s", c, out)
	}
	if c, _ := code("evaluate", "--root", bad); c != 1 {
		t.Errorf("non-compliant root: exit %d, want 1", c)
	}
	if c, _ := code("evaluate", "--format", "xml"); c != 2 {
		t.Errorf("bad flag: exit %d, want 2", c)
	}
}
