package packtest

import (
	"archive/tar"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/gcrun/gcrun/report"
)

const hosts = "../../testdata/hosts"

// tarListing lists a tarball's headers, one line per entry.
func tarListing(t *testing.T, data []byte) []string {
	t.Helper()
	var out []string
	tr := tar.NewReader(bytes.NewReader(data))
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%c %04o %d:%d %s -> %s (%d)", h.Typeflag, h.Mode, h.Uid, h.Gid, h.Name, h.Linkname, h.Size))
	}
}

// TestRootTarAttributes reads back the headers of the acme fixture: the
// attributes of attrs.txt, defaults elsewhere, symlinks kept.
func TestRootTarAttributes(t *testing.T) {
	dir := copyDir(t, "testdata/pass/fixtures/hardened")
	if err := os.Symlink("../etc/shadow", filepath.Join(dir, "root/var/shadow.link")); err != nil {
		t.Fatal(err)
	}
	attrs, err := readAttrs(filepath.Join(dir, FixtureAttrs))
	if err != nil {
		t.Fatal(err)
	}
	data, err := rootTar(filepath.Join(dir, FixtureRoot), attrs)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"5 0755 0:0 etc/ ->  (0)",
		"0 0644 0:0 etc/hostname ->  (9)",
		"0 0640 0:42 etc/shadow ->  (26)",
		"5 0755 0:0 var/ ->  (0)",
		"5 0755 0:0 var/lib/ ->  (0)",
		"5 0755 0:0 var/lib/dpkg/ ->  (0)",
		"0 0644 0:0 var/lib/dpkg/status ->  (228)",
		"2 0777 0:0 var/shadow.link -> ../etc/shadow (0)",
	}
	if diff := cmp.Diff(want, tarListing(t, data)); diff != "" {
		t.Errorf("tarball (-want +got):\n%s", diff)
	}
}

// TestFixturesAgainstGoldenReports turns the repository's host fixtures
// into fixtures of a copy of the Linux pack, expecting for every rule the
// status and reason codes of the golden reports, which runner's tests
// produce by scanning the fixtures materialised as directories (as root).
// Scanned as unprivileged tarballs, they must give the same results.
func TestFixturesAgainstGoldenReports(t *testing.T) {
	pack := copyLinux(t)
	for _, name := range []string{"compliant", "noncompliant"} {
		dst := filepath.Join(pack, FixturesDir, name)
		src := filepath.Join(hosts, name)
		copyTree(t, filepath.Join(src, FixtureRoot), filepath.Join(dst, FixtureRoot))
		attrs, err := os.ReadFile(filepath.Join(src, FixtureAttrs))
		if err != nil {
			t.Fatal(err)
		}
		write(t, filepath.Join(dst, FixtureAttrs), string(attrs))
		write(t, filepath.Join(dst, FixtureExpected), expectedFromGolden(t, filepath.Join("..", "testdata", "golden", name+".json")))
	}
	// Only the fixtures: the pack's Rego tests have a test of their own.
	res := run(t, pack, Options{Run: regexp.MustCompile(`^(compliant|noncompliant)$`)})
	if len(res.Tests) != 0 {
		t.Errorf("--run matched %d Rego tests", len(res.Tests))
	}
	if diff := cmp.Diff(map[string]Status{"compliant": StatusPass, "noncompliant": StatusPass}, fixtureStatuses(res)); diff != "" {
		for _, f := range res.Fixtures {
			t.Logf("%s: %s\n%s\n%s", f.Name, f.Message, f.Diff, strings.Join(f.Details, "\n"))
		}
		t.Fatalf("fixtures (-want +got):\n%s", diff)
	}
	for _, f := range res.Fixtures {
		if f.Rules < 200 {
			t.Errorf("fixture %s compared only %d rules", f.Name, f.Rules)
		}
	}
}

// expectedFromGolden writes expected.yaml for every rule of a golden
// report: its status, and its sorted reason codes when it has reasons.
func expectedFromGolden(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var rep report.Report
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("rules:\n")
	for _, r := range rep.Rules {
		if r.Status != "fail" && r.Status != "not_applicable" {
			fmt.Fprintf(&b, "  %s: %s\n", r.ID, r.Status)
			continue
		}
		var codes []string
		for _, reason := range r.Reasons {
			codes = append(codes, fmt.Sprintf("%q", reason.Code))
		}
		sort.Strings(codes)
		fmt.Fprintf(&b, "  %s: {status: %s, codes: [%s]}\n", r.ID, r.Status, strings.Join(codes, ", "))
	}
	return b.String()
}

func TestReadExpected(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "expected.yaml")
	write(t, file, `# comment
rules:
  ACME-001: pass
  ACME-002: {status: fail, codes: [b, a, b]}
  ACME-003:
    status: not_applicable
  ACME-004: {status: fail, codes: []}
  ACME-005: error
`)
	got, err := readExpected(file)
	if err != nil {
		t.Fatal(err)
	}
	want := []expectation{
		{id: "ACME-001", status: "pass", line: 3},
		{id: "ACME-002", status: "fail", codes: []string{"a", "b"}, line: 4},
		{id: "ACME-003", status: "not_applicable", line: 5},
		{id: "ACME-004", status: "fail", codes: []string{}, line: 7},
		{id: "ACME-005", status: "error", line: 8},
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(expectation{})); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	for _, bad := range []string{"", "rules: {}\n", "rules: [a]\n", "- a\n", "rules:\n  ACME-001: [pass]\n"} {
		write(t, file, bad)
		if _, err := readExpected(file); err == nil || !strings.Contains(err.Error(), file) {
			t.Errorf("readExpected(%q): %v, want an error naming the file", bad, err)
		}
	}
}
