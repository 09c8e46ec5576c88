package edit

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/gcrun/gcrun/internal/oracle"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/diff")

// diffCase is one golden UnifiedDiff: testdata/diff/<name>.diff holds the
// expected output. A nil before or after is a created or removed file.
type diffCase struct {
	name          string
	path          string
	before, after []byte
}

// diffCases builds the golden cases, some from the editors' own results on
// Debian 12's stock sshd_config so the goldens show what a plan prints.
func diffCases(t *testing.T) []diffCase {
	t.Helper()
	debian, err := os.ReadFile(filepath.Join("testdata", "sshd", "debian12.conf"))
	if err != nil {
		t.Fatal(err)
	}
	changed := debian
	for _, kv := range [][2]string{{"X11Forwarding", "no"}, {"PermitRootLogin", "no"}, {"MaxAuthTries", "4"}} {
		if changed, _, err = SetSSHD(changed, kv[0], kv[1]); err != nil {
			t.Fatal(err)
		}
	}
	match := []byte("Port 22\nUsePAM yes\n\n# admins\nMatch Group admins\n\tPasswordAuthentication yes\n")
	matchAfter, _, err := SetSSHD(match, "PasswordAuthentication", "no")
	if err != nil {
		t.Fatal(err)
	}
	return []diffCase{
		{"change", "/etc/ssh/sshd_config", debian, changed},
		{"insert-before-match", "/etc/ssh/sshd_config", match, matchAfter},
		{"create", "/etc/issue.net", nil, []byte("Authorized users only. All activity may be monitored and reported.\n")},
		{"remove", "/etc/modprobe.d/cramfs.conf", []byte("# gcrun\ninstall cramfs /bin/false\nblacklist cramfs\n"), nil},
		{"no-newline-appended", "/etc/login.defs", []byte("PASS_MIN_DAYS 0\nPASS_WARN_AGE 7"), []byte("PASS_MIN_DAYS 0\nPASS_WARN_AGE 7\nPASS_MAX_DAYS 365\n")},
		{"no-newline-both", "/etc/login.defs", []byte("PASS_MAX_DAYS 99999\nPASS_WARN_AGE 7"), []byte("PASS_MAX_DAYS 365\nPASS_WARN_AGE 7")},
		{"crlf", "/etc/security/pwquality.conf", []byte("# q\r\nminlen = 8\r\n"), []byte("# q\r\nminlen = 14\r\n")},
		{"relative-path", "etc/sysctl.d/60-gcrun.conf", []byte("a = 1\n"), []byte("a = 2\n")},
	}
}

func TestUnifiedDiffGolden(t *testing.T) {
	for _, c := range diffCases(t) {
		t.Run(c.name, func(t *testing.T) {
			got := UnifiedDiff(c.path, c.before, c.after)
			golden := filepath.Join("testdata", "diff", c.name+".diff")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("UnifiedDiff vs %s (-want +got):\n%s", golden, diff)
			}
		})
	}
}

// TestUnifiedDiffOracle holds the golden cases against GNU diff -u with
// git's labels: the same hunks, ranges and "\ No newline at end of file"
// markers.
func TestUnifiedDiffOracle(t *testing.T) {
	diffTool := oracle.Require(t, "diff")
	for _, c := range diffCases(t) {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			name := strings.TrimPrefix(c.path, "/")
			from, to := "a/"+name, "b/"+name
			write := func(file string, b []byte) string {
				if b == nil {
					return "/dev/null"
				}
				p := filepath.Join(dir, file)
				if err := os.WriteFile(p, b, 0o644); err != nil {
					t.Fatal(err)
				}
				return p
			}
			oldPath, newPath := write("old", c.before), write("new", c.after)
			if c.before == nil {
				from = "/dev/null"
			}
			if c.after == nil {
				to = "/dev/null"
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			var out bytes.Buffer
			cmd := exec.CommandContext(ctx, diffTool, "-u", "--label", from, "--label", to, oldPath, newPath)
			cmd.Stdout = &out
			err := cmd.Run()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != 1 {
				t.Fatalf("diff -u: %v (want exit status 1, files differ)", err)
			}
			if diff := cmp.Diff(out.String(), UnifiedDiff(c.path, c.before, c.after)); diff != "" {
				t.Errorf("diff -u vs UnifiedDiff (-diff +gcrun):\n%s", diff)
			}
		})
	}
}

func TestUnifiedDiffEdges(t *testing.T) {
	cases := []struct {
		name          string
		before, after []byte
		want          string
	}{
		{"equal", []byte("a\n"), []byte("a\n"), ""},
		{"both nil", nil, nil, ""},
		{"both empty", []byte{}, []byte{}, ""},
		{"empty file created", nil, []byte{}, "--- /dev/null\n+++ b/etc/x\n"},
		{"empty file removed", []byte{}, nil, "--- a/etc/x\n+++ /dev/null\n"},
		{"emptied", []byte("a\n"), []byte{}, "--- a/etc/x\n+++ b/etc/x\n@@ -1 +0,0 @@\n-a\n"},
		{"only the final newline added", []byte("a"), []byte("a\n"),
			"--- a/etc/x\n+++ b/etc/x\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+a\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if diff := cmp.Diff(c.want, UnifiedDiff("/etc/x", c.before, c.after)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
