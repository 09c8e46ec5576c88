package cli

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gcrun/gcrun/internal/fixture"
	"github.com/gcrun/gcrun/report"
	"github.com/gcrun/gcrun/runner/remediate"
	"github.com/google/go-cmp/cmp"
)

// treeDigest fingerprints every file's content, mode and owner under dir.
func treeDigest(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		rel := strings.TrimPrefix(p, dir)
		if fi.Mode().IsRegular() {
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			out[rel] = fmt.Sprintf("%v %x", fi.Mode(), sha256.Sum256(data))
		} else {
			out[rel] = fi.Mode().String()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestRemediatePlanApplyRollback(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("the fixture host needs root (owners)")
	}
	root := fixture.Materialize(t, noncompliant)
	before := treeDigest(t, root)

	// --plan changes nothing and prints diffs and manual commands.
	plan := run(t, nil, "remediate", "--root", root, "--plan", "--format", "text")
	plan.want(t, ExitCompliant)
	if diff := cmp.Diff(before, treeDigest(t, root)); diff != "" {
		t.Fatalf("--plan changed the root:\n%s", diff)
	}
	goldenText(t, "plan-noncompliant.golden", plan.stdout)
	dry := run(t, nil, "remediate", "--root", root, "--dry-run", "--format", "text")
	if dry.stdout != plan.stdout {
		t.Error("--dry-run differs from --plan")
	}

	// Apply: a report with the remediation; still non-compliant (some
	// rules need a person), and every change journaled.
	applied := run(t, nil, "remediate", "--root", root, "--format", "json")
	applied.want(t, ExitNonCompliant)
	var rep report.Report
	if err := json.Unmarshal([]byte(applied.stdout), &rep); err != nil {
		t.Fatal(err)
	}
	if err := report.Validate([]byte(applied.stdout)); err != nil {
		t.Fatal(err)
	}
	if rep.Remediation == nil || rep.Remediation.RunID == "" || rep.Remediation.FilesChanged == 0 {
		t.Fatalf("remediation = %+v", rep.Remediation)
	}
	list := run(t, nil, "rollback", "--root", root, "--list")
	list.want(t, ExitCompliant)
	if !strings.Contains(list.stdout, rep.Remediation.RunID) || !strings.Contains(list.stdout, "complete") {
		t.Errorf("rollback --list:\n%s", list.stdout)
	}

	// A second apply has nothing to do.
	again := run(t, nil, "evaluate", "--root", root, "--mode", "apply", "--format", "text")
	again.want(t, ExitNonCompliant)
	if !strings.Contains(again.stdout, "remediation: apply: nothing to change") {
		t.Errorf("second apply:\n%s", firstLines(again.stdout, 12))
	}

	// Rollback restores the tree exactly (the journal aside).
	back := run(t, nil, "rollback", "--root", root, "--format", "json")
	back.want(t, ExitCompliant)
	var res remediate.RollbackResult
	if err := json.Unmarshal([]byte(back.stdout), &res); err != nil {
		t.Fatal(err)
	}
	if res.RunID != rep.Remediation.RunID || len(res.Items) != rep.Remediation.FilesChanged {
		t.Errorf("rollback of %s restored %d items, want %d", res.RunID, len(res.Items), rep.Remediation.FilesChanged)
	}
	after := treeDigest(t, root)
	for p := range after {
		if strings.HasPrefix(p, "/var/lib/gcrun") {
			delete(after, p)
		}
	}
	for p := range before {
		if strings.HasPrefix(p, "/var/lib/gcrun") {
			delete(before, p)
		}
	}
	// Directories rollback does not remove (an emptied directory that
	// the run created, such as a drop-in directory, stays).
	for p, mode := range after {
		if _, ok := before[p]; !ok && strings.HasPrefix(mode, "d") {
			delete(after, p)
		}
	}
	if diff := cmp.Diff(before, after); diff != "" {
		t.Errorf("rollback did not restore the root (-before +after):\n%s", diff)
	}
	run(t, nil, "rollback", "--root", root).want(t, ExitUsage, "already rolled back")
	run(t, nil, "evaluate", "--root", root, "--mode", "sometimes").want(t, ExitUsage, "--mode")
	run(t, nil, "remediate", "--image-tar", "x.tar").want(t, ExitUsage, "read-only")
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}

func goldenText(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if os.Getenv("GCRUN_UPDATE_GOLDEN") == "1" {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (GCRUN_UPDATE_GOLDEN=1 go test ./runner/cli -run %s writes it)", err, t.Name())
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s (-want +got):\n%s", path, diff)
	}
}
