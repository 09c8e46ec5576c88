package checks

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/gcrun/gcrun/checks/rootfs"
	"github.com/gcrun/gcrun/internal/oracle"
)

// pkgOracleFormat asks dpkg-query for exactly the facts the collector
// reports, one tab-separated entry a line.
const pkgOracleFormat = `${Package}\t${Architecture}\t${Version}\t${Status}\t${source:Package}\t${source:Version}\n`

// pkgOracleEntry is one entry as dpkg-query prints it.
type pkgOracleEntry struct {
	Name, Architecture, Version, Status, Source, SourceVersion string
}

// pkgOracleQuery runs dpkg-query on the database dir/status. With no
// pattern dpkg-query lists every entry whose state is not not-installed;
// with "*" it lists not-installed ones too, plus packages the database
// only mentions in dependencies.
func pkgOracleQuery(t *testing.T, dpkgQuery, dir string, patterns ...string) []pkgOracleEntry {
	t.Helper()
	args := append([]string{"--admindir=" + dir, "-W", "-f=" + pkgOracleFormat}, patterns...)
	cmd := exec.Command(dpkgQuery, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("dpkg-query %s: %v\n%s", strings.Join(args, " "), err, stderr.Bytes())
	}
	if stderr.Len() > 0 {
		// Warnings mean dpkg read the database differently from how it
		// was written; the comparison would not be like for like.
		t.Errorf("dpkg-query warned:\n%s", stderr.Bytes())
	}
	var entries []pkgOracleEntry
	for _, line := range strings.Split(strings.TrimSuffix(string(out), "\n"), "\n") {
		if line == "" {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 6 {
			t.Fatalf("dpkg-query line %q: %d fields, want 6", line, len(f))
		}
		entries = append(entries, pkgOracleEntry{f[0], f[1], f[2], f[3], f[4], f[5]})
	}
	return entries
}

func pkgOracleSort(e []pkgOracleEntry) {
	sort.Slice(e, func(i, j int) bool {
		if e[i].Name != e[j].Name {
			return e[i].Name < e[j].Name
		}
		return e[i].Architecture < e[j].Architecture
	})
}

// pkgOracleCompare parses the status file at path with the collector and
// with dpkg-query and compares every entry.
func pkgOracleCompare(t *testing.T, path string) {
	dpkgQuery := oracle.Require(t, "dpkg-query")
	db, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// One directory serves as dpkg's --admindir and as the scanned root,
	// so both read the very same file; a copy also keeps dpkg-query from
	// merging the host's pending updates/ journal, which the collector
	// does not read.
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "status"), db, 0o644); err != nil {
		t.Fatal(err)
	}
	fsys, err := rootfs.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Packages{StatusPath: "/status"}.Collect(context.Background(), Target{Fs: fsys, Root: dir})
	if err != nil {
		t.Fatal(err)
	}
	facts := got.(*PackagesFacts)

	// Every entry dpkg-query lists by default, field by field.
	var mine []pkgOracleEntry
	var notInstalled []Package
	for _, p := range facts.Packages {
		if strings.HasSuffix(p.Status, " not-installed") {
			notInstalled = append(notInstalled, p)
			continue
		}
		mine = append(mine, pkgOracleEntry{p.Name, p.Architecture, p.Version, p.Status, p.Source, p.SourceVersion})
	}
	theirs := pkgOracleQuery(t, dpkgQuery, dir)
	pkgOracleSort(mine)
	pkgOracleSort(theirs)
	if diff := cmp.Diff(theirs, mine); diff != "" {
		t.Errorf("entries (-dpkg-query +collector):\n%s", diff)
	}

	// Not-installed entries are only listed with a pattern, and dpkg
	// rewrites them on reading (a "purge" want becomes "unknown", the
	// version is forgotten), so only their name and state can agree.
	all := map[string]string{}
	for _, e := range pkgOracleQuery(t, dpkgQuery, dir, "*") {
		all[e.Name] = e.Status
	}
	for _, p := range notInstalled {
		if s, ok := all[p.Name]; !ok || !strings.HasSuffix(s, " not-installed") {
			t.Errorf("collector has %s not-installed; dpkg-query '*' has status %q", p.Name, s)
		}
	}

	installed := 0
	for _, v := range facts.Installed {
		installed += len(v)
	}
	t.Logf("%s: compared %d entries with dpkg-query (%d installed), checked %d not-installed entries against dpkg-query '*'",
		path, len(mine), installed, len(notInstalled))
}

// TestPackagesOracleFixture compares the fixture database, which holds every
// state and the Source forms, with dpkg-query's reading of it.
func TestPackagesOracleFixture(t *testing.T) {
	pkgOracleCompare(t, filepath.Join("testdata", "dpkg", "status"))
}

// TestPackagesOracleHost compares the host's own database: real packages
// in real numbers.
func TestPackagesOracleHost(t *testing.T) {
	if _, err := os.Stat(dpkgDefaultStatus); err != nil {
		t.Skipf("this host has no dpkg database: %v", err)
	}
	pkgOracleCompare(t, dpkgDefaultStatus)
}
