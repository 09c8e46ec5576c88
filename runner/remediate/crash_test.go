package remediate

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// The crash test runs the remediation in a child process (this test binary
// again) whose hook kills it with SIGKILL at a chosen point, then checks
// what a crash leaves: every file holds its old or its new content, never
// a mix, and rollback restores all of them.
const (
	envCrashRoot  = "GCRUN_TEST_CRASH_ROOT"
	envCrashEvent = "GCRUN_TEST_CRASH_EVENT"
	envCrashNth   = "GCRUN_TEST_CRASH_NTH"
)

// crashRules are file actions only: several files, one after the other.
func crashRules() []RuleActions {
	var out []RuleActions
	for _, ra := range scenarioRules() {
		var files []Action
		for _, a := range ra.Actions {
			if a.IsFile() {
				files = append(files, a)
			}
		}
		if len(files) > 0 {
			out = append(out, RuleActions{Rule: ra.Rule, Actions: files})
		}
	}
	return out
}

// TestCrashChild is the child's side; it does nothing in a normal run.
func TestCrashChild(t *testing.T) {
	dir := os.Getenv(envCrashRoot)
	if dir == "" {
		t.Skip("only run by TestCrashMidwayLeavesOldOrNewAndRollsBack")
	}
	event := os.Getenv(envCrashEvent)
	nth, _ := strconv.Atoi(os.Getenv(envCrashNth))
	root, err := OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := NewPlan(root, crashRules(), PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	hook := func(ev, path string) {
		if ev != event {
			return
		}
		seen++
		if seen == nth {
			// What a power cut or an OOM kill does: no deferred
			// function, no flush, nothing.
			_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
			select {}
		}
	}
	if _, err := Apply(context.Background(), root, plan, ApplyOptions{RunID: "crashed", Hook: hook}); err != nil {
		t.Fatal(err)
	}
	fmt.Println("completed without being killed")
}

func TestCrashMidwayLeavesOldOrNewAndRollsBack(t *testing.T) {
	requireRoot(t)
	for _, point := range []struct {
		event string
		nth   int
	}{
		{EventWritten, 1},      // between the first and the second file
		{EventBackedUp, 2},     // second file journaled, not yet touched
		{EventBeforeRename, 3}, // third file's new content synced in a temporary file
		{EventWritten, 6},      // well into the run
	} {
		t.Run(fmt.Sprintf("%s-%d", point.event, point.nth), func(t *testing.T) {
			root, dir := newRoot(t, scenario())
			before := snapshotTree(t, dir)
			// What each file would become: plan the same run.
			plan, err := NewPlan(root, crashRules(), PlanOptions{})
			if err != nil {
				t.Fatal(err)
			}
			newState := map[string]string{}
			for _, f := range plan.Files {
				if !f.After.Exists {
					newState[f.Path] = "(absent)"
					continue
				}
				if f.After.Dir {
					newState[f.Path] = fmt.Sprintf("dir %s %d:%d", FormatMode(f.After.Mode), f.After.UID, f.After.GID)
					continue
				}
				newState[f.Path] = fmt.Sprintf("%s %d:%d %s", FormatMode(f.After.Mode), f.After.UID, f.After.GID, f.After.Content)
			}

			cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
			cmd.Env = append(os.Environ(), envCrashRoot+"="+dir, envCrashEvent+"="+point.event, envCrashNth+"="+strconv.Itoa(point.nth))
			out, err := cmd.CombinedOutput()
			var exitErr *exec.ExitError
			if !errors.As(err, &exitErr) || exitErr.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
				t.Fatalf("child was not killed: %v\n%s", err, out)
			}

			after := snapshotTree(t, dir)
			changed := 0
			for p, want := range newState {
				got, ok := after[p]
				if !ok {
					got = "(absent)"
				}
				old, ok := before[p]
				if !ok {
					old = "(absent)"
				}
				switch got {
				case want:
					changed++
				case old:
				default:
					t.Errorf("%s holds neither its old nor its new state after the crash:\n got %q\n old %q\n new %q", p, got, old, want)
				}
			}
			if changed == 0 || changed == len(newState) {
				t.Errorf("%d of %d files changed: the crash was not midway", changed, len(newState))
			}
			for p := range after {
				if _, ok := before[p]; ok {
					continue
				}
				if _, ok := newState[p]; ok || strings.HasPrefix(filepath.Base(p), ".gcrun-") || isDirEntry(after[p]) {
					continue
				}
				t.Errorf("unexpected file after the crash: %s", p)
			}

			res, err := Rollback(context.Background(), root, RollbackOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if res.Failed() {
				t.Errorf("rollback failed: %+v", res.Items)
			}
			final := snapshotTree(t, dir)
			for p, was := range before {
				if final[p] != was {
					t.Errorf("%s after rollback = %q, want %q", p, final[p], was)
				}
			}
			for p := range final {
				if _, ok := before[p]; !ok && !isDirEntry(final[p]) {
					t.Errorf("%s left behind after rollback", p)
				}
			}
		})
	}
}

func isDirEntry(s string) bool { return strings.HasPrefix(s, "dir ") }
