package checks

import (
	"bytes"
	"context"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
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

// pkgRPMOracleFormat asks rpm for what the facts hold, by instance
// number; EPOCHNUM:VERSION-RELEASE is rpm's own rendering of the EVR with
// the epoch always present.
const pkgRPMOracleFormat = `%{DBINSTANCE}\t%{NAME}\t%{EPOCH}\t%{VERSION}\t%{RELEASE}\t%{ARCH}\t%{SOURCERPM}\t%{EPOCHNUM}:%{VERSION}-%{RELEASE}\n`

// pkgRPMOracleSource splits a SOURCERPM file name independently of the
// collector's code.
var pkgRPMOracleSource = regexp.MustCompile(`^(.+)-([^-]+-[^-]+)\.(?:no)?src\.rpm$`)

// pkgRPMOracleQuery lists the database in dir with `rpm --dbpath dir -qa`
// and converts each line to the entry the facts should have.
func pkgRPMOracleQuery(t *testing.T, rpm, dir string) []Package {
	t.Helper()
	cmd := exec.Command(rpm, "--dbpath", dir, "-qa", "--qf", pkgRPMOracleFormat)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("rpm -qa: %v\n%s", err, stderr.Bytes())
	}
	// bdb_ro warns about the index files it lacks; anything else means
	// rpm skipped or doubted something.
	for _, line := range strings.Split(strings.TrimSpace(stderr.String()), "\n") {
		if line != "" && !strings.Contains(line, "could not open") && !strings.Contains(line, "while attempting sqlite backend") {
			t.Errorf("rpm -qa: %s", line)
		}
	}
	type row struct {
		instance int
		pkg      Package
	}
	var rows []row
	for _, line := range strings.Split(strings.TrimSuffix(string(out), "\n"), "\n") {
		if line == "" {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 8 {
			t.Fatalf("rpm line %q: %d fields", line, len(f))
		}
		n, err := strconv.Atoi(f[0])
		if err != nil {
			t.Fatalf("rpm line %q: %v", line, err)
		}
		evr := f[3] + "-" + f[4]
		if f[2] != "(none)" {
			evr = f[2] + ":" + evr
		}
		// The EPOCHNUM form must be the same EVR with the epoch made
		// explicit.
		if want := f[7]; evr != want && "0:"+evr != want {
			t.Errorf("rpm line %q: EVR %s does not match EPOCHNUM form %s", line, evr, want)
		}
		arch := f[5]
		if arch == "(none)" {
			arch = ""
		}
		src, srcVersion := f[1], evr
		if m := pkgRPMOracleSource.FindStringSubmatch(f[6]); m != nil {
			src, srcVersion = m[1], m[2]
			if f[2] != "(none)" {
				srcVersion = f[2] + ":" + srcVersion
			}
		} else if f[6] != "(none)" {
			t.Fatalf("rpm line %q: SOURCERPM %q", line, f[6])
		}
		rows = append(rows, row{n, Package{Name: f[1], Version: evr, Architecture: arch, Source: src, SourceVersion: srcVersion,
			Status: "installed", Installed: true}})
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].instance < rows[j].instance })
	pkgs := make([]Package, len(rows))
	for i, r := range rows {
		pkgs[i] = r.pkg
	}
	return pkgs
}

// pkgRPMOracleCompare puts files (base name to content) in a fresh
// directory, reads the database file among them with the collector and
// with rpm, and compares the packages in instance order.
func pkgRPMOracleCompare(t *testing.T, rpm, dbName string, files map[string][]byte) int {
	t.Helper()
	dir := t.TempDir()
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	backend := map[string]string{"Packages": rpmBDB, "rpmdb.sqlite": rpmSQLite}[dbName]
	fsys, err := rootfs.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	mine, err := readRPM(context.Background(), fsys, "/"+dbName, backend, files[dbName])
	if err != nil {
		t.Fatal(err)
	}
	theirs := pkgRPMOracleQuery(t, rpm, dir)
	if diff := cmp.Diff(theirs, mine); diff != "" {
		t.Errorf("%s (-rpm +collector):\n%s", dbName, diff)
	}
	return len(mine)
}

// TestPackagesOracleRPM compares the collector's reading of the test
// databases with rpm's. Debian's rpm reads sqlite and Berkeley DB (bdb_ro)
// but has no ndb backend: the ndb database is compared with go-rpmdb in
// TestPackagesRPMNDB instead.
func TestPackagesOracleRPM(t *testing.T) {
	rpm := oracle.Require(t, "rpm")
	n := pkgRPMOracleCompare(t, rpm, "Packages", map[string][]byte{"Packages": pkgTestdataBytes(t, "rpm-bdb/Packages")})
	n += pkgRPMOracleCompare(t, rpm, "rpmdb.sqlite", map[string][]byte{
		"rpmdb.sqlite": pkgTestdataBytes(t, "rpm-sqlite/rpmdb.sqlite"), "rpmdb.sqlite-wal": nil})
	// 512-byte pages: a b-tree of several levels, rows on overflow pages.
	n += pkgRPMOracleCompare(t, rpm, "rpmdb.sqlite", map[string][]byte{"rpmdb.sqlite": pkgTestdataBytes(t, "rpm-sqlite-small/rpmdb.sqlite")})
	// The databases built byte by byte in packages_rpm_test.go: rpm's
	// reading of them checks the builder, and so the collector's reading
	// of values stored inline, of record 0, of bucket chains and of the
	// big-endian layout, which the test data lack.
	for _, order := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
		db, _ := rpmBuiltBDB(t, order)
		n += pkgRPMOracleCompare(t, rpm, "Packages", map[string][]byte{"Packages": db})
	}
	t.Logf("compared %d packages with rpm -qa", n)
}

// TestPackagesOracleRPMWAL compares each derived write-ahead log (see
// rpmWALCases) with what rpm, through SQLite's own recovery, reads.
func TestPackagesOracleRPMWAL(t *testing.T) {
	rpm := oracle.Require(t, "rpm")
	db := pkgTestdataBytes(t, "rpm-sqlite-wal/rpmdb.sqlite")
	for _, tt := range rpmWALCases(t) {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string][]byte{"rpmdb.sqlite": db}
			if tt.wal != nil {
				files["rpmdb.sqlite-wal"] = tt.wal
			}
			pkgRPMOracleCompare(t, rpm, "rpmdb.sqlite", files)
		})
	}
}

// TestPackagesOracleRPMCorpus compares the databases go-rpmdb ships as its
// own test data (CentOS 5 to 8, UBI 8 on big-endian s390x, Fedora 35,
// CBL-Mariner; in the module cache, too large to copy here) with rpm, and
// the ndb one with go-rpmdb.
func TestPackagesOracleRPMCorpus(t *testing.T) {
	rpm := oracle.Require(t, "rpm")
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/knqyf263/go-rpmdb").Output()
	if err != nil {
		t.Skipf("go-rpmdb's module directory: %v", err)
	}
	dir := filepath.Join(strings.TrimSpace(string(out)), "pkg", "testdata")
	paths, _ := filepath.Glob(filepath.Join(dir, "*", "*"))
	compared := 0
	for _, p := range paths {
		name := filepath.Base(p)
		if name != "Packages" && name != "rpmdb.sqlite" {
			continue
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(filepath.Base(filepath.Dir(p)), func(t *testing.T) {
			n := pkgRPMOracleCompare(t, rpm, name, map[string][]byte{name: b})
			t.Logf("%s: %d packages", p, n)
		})
		compared++
	}
	if compared < 10 {
		t.Errorf("found %d databases in %s, want the 15 of go-rpmdb v0.1.1", compared, dir)
	}
}
