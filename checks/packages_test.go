package checks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/afero"

	"github.com/gcrun/gcrun/checks/rootfs"
)

// pkghostRoot is a kind of scanned root: the collectors must behave the same
// on an in-memory Fs and on a real directory confined with rootfs.New.
type pkghostRoot struct {
	name string
	make func(t testing.TB) afero.Fs
}

var pkghostRoots = []pkghostRoot{
	{"MemMapFs", func(t testing.TB) afero.Fs { return rootfs.Wrap(afero.NewMemMapFs()) }},
	{"OsFs", func(t testing.TB) afero.Fs {
		fsys, err := rootfs.New(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		return fsys
	}},
}

// pkghostWrite creates files (path inside the root to content) in fsys.
func pkghostWrite(t testing.TB, fsys afero.Fs, files map[string]string) {
	t.Helper()
	for name, content := range files {
		if err := fsys.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := afero.WriteFile(fsys, name, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func pkgTestdata(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func pkgCollect(t testing.TB, fsys afero.Fs, p Packages) (*PackagesFacts, error) {
	t.Helper()
	got, err := p.Collect(context.Background(), Target{Fs: fsys, Root: "/"})
	if err != nil {
		return nil, err
	}
	return got.(*PackagesFacts), nil
}

// pkgNoOtherDatabases is the databases list of a root with a dpkg database
// (or none) at path, holding count entries, and neither rpm's nor apk's.
func pkgNoOtherDatabases(path string, exists bool, count int) []PackageDatabase {
	return []PackageDatabase{
		{Format: "dpkg", Path: path, Exists: exists, Count: count},
		{Format: "rpm", Path: "/var/lib/rpm/rpmdb.sqlite"},
		{Format: "apk", Path: "/lib/apk/db/installed"},
	}
}

// pkgFacts builds the facts expected for a database holding pkgs.
func pkgFacts(path string, pkgs ...Package) *PackagesFacts {
	f := &PackagesFacts{Format: "dpkg", Database: path, Exists: true,
		Installed: map[string][]Package{}, Packages: []Package{}, Databases: pkgNoOtherDatabases(path, true, len(pkgs))}
	for _, p := range pkgs {
		f.Packages = append(f.Packages, p)
		if p.Installed {
			f.Installed[p.Name] = append(f.Installed[p.Name], p)
		}
	}
	return f
}

// pkgEntry is a shorthand for expected entries; source fields default to the
// binary's as in the database without Source.
func pkgEntry(name, version, arch, status string) Package {
	return Package{Name: name, Version: version, Architecture: arch, Source: name, SourceVersion: version,
		Status: status, Installed: strings.HasSuffix(status, " installed")}
}

func pkgWithSource(p Package, source, version string) Package {
	p.Source, p.SourceVersion = source, version
	return p
}

// pkgFixtureWant is what testdata/dpkg/status holds, entry by entry.
var pkgFixtureWant = []Package{
	pkgEntry("adduser", "3.134", "all", "install ok installed"),
	pkgWithSource(pkgEntry("libc6", "2.36-9+deb12u9", "amd64", "install ok installed"), "glibc", "2.36-9+deb12u9"),
	pkgWithSource(pkgEntry("libc6", "2.36-9+deb12u9", "i386", "install ok installed"), "glibc", "2.36-9+deb12u9"),
	pkgWithSource(pkgEntry("openssh-server", "1:9.2p1-2+deb12u3", "amd64", "install ok installed"), "openssh", "1:9.2p1-2+deb12u3"),
	pkgWithSource(pkgEntry("libfoo1", "1.2.3-1+b1", "amd64", "install ok installed"), "foo", "1.2.3-1"),
	pkgWithSource(pkgEntry("telnetd", "2:2.4-2+deb12u1", "amd64", "deinstall ok config-files"), "inetutils", "2:2.4-2+deb12u1"),
	pkgEntry("broken-upgrade", "", "amd64", "install reinstreq half-installed"),
	pkgEntry("held", "0.9-3", "arm64", "hold ok installed"),
	pkgEntry("marked-for-removal", "5.0-1", "amd64", "deinstall ok installed"),
	pkgEntry("only-selected", "", "amd64", "install ok not-installed"),
	pkgEntry("unpacked-only", "1.0-1", "amd64", "install ok unpacked"),
	pkgEntry("halfway", "2.0-1", "amd64", "install ok half-configured"),
	pkgEntry("man-db", "2.11.2-2", "amd64", "install ok triggers-pending"),
	pkgWithSource(pkgEntry("mixedcase-pkg", "3.0-1", "amd64", "install ok installed"), "mixedcase-src", "3.0-0.1"),
	pkgEntry("purged-leftover", "", "amd64", "purge ok not-installed"),
}

func TestPackagesFixture(t *testing.T) {
	for _, root := range pkghostRoots {
		t.Run(root.name, func(t *testing.T) {
			fsys := root.make(t)
			pkghostWrite(t, fsys, map[string]string{"/var/lib/dpkg/status": pkgTestdata(t, "dpkg/status")})
			got, err := pkgCollect(t, fsys, Packages{})
			if err != nil {
				t.Fatal(err)
			}
			want := pkgFacts("/var/lib/dpkg/status", pkgFixtureWant...)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("facts (-want +got):\n%s", diff)
			}
			// The multi-arch pair are both installed instances of one name.
			if n := len(got.Installed["libc6"]); n != 2 {
				t.Errorf("installed[libc6] has %d instances, want 2", n)
			}
			for _, absent := range []string{"telnetd", "broken-upgrade", "only-selected", "unpacked-only", "man-db", "purged-leftover"} {
				if _, ok := got.Installed[absent]; ok {
					t.Errorf("%s is in installed", absent)
				}
			}
		})
	}
}

func TestPackagesParse(t *testing.T) {
	const ok = "install ok installed"
	tests := []struct {
		name string
		db   string
		want []Package
	}{
		{"empty file", "", nil},
		{"only blank lines", "\n\n\n", nil},
		{
			"no blank line at end of file",
			"Package: a\nStatus: install ok installed\nVersion: 1\n",
			[]Package{pkgEntry("a", "1", "", ok)},
		},
		{
			"several blank lines between stanzas",
			"Package: a\nStatus: install ok installed\nVersion: 1\n\n\n\nPackage: b\nStatus: install ok installed\nVersion: 2\n\n",
			[]Package{pkgEntry("a", "1", "", ok), pkgEntry("b", "2", "", ok)},
		},
		{
			"continuation lines belong to the previous field",
			"Package: a\nDescription: short\n Package: b\n\tVersion: 9\n .\nStatus: install ok installed\nConffiles:\n /etc/a 0123\nVersion: 1\n",
			[]Package{pkgEntry("a", "1", "", ok)},
		},
		{
			"white-space-only continuation line stays in the stanza, as in dpkg",
			"Package: a\nDescription: short\n  \nStatus: install ok installed\nVersion: 1\n",
			[]Package{pkgEntry("a", "1", "", ok)},
		},
		{
			"field names are case-insensitive and values trimmed",
			"PACKAGE:a\nstatus: Install OK Installed\nVERSION:\t1.0 \nArchiTecture: amd64\nsOURCE: s\n",
			[]Package{pkgWithSource(pkgEntry("a", "1.0", "amd64", ok), "s", "1.0")},
		},
		{
			"white space before the colon, as dpkg allows",
			"Package : a\nStatus\t: install ok installed\nVersion: 1\n",
			[]Package{pkgEntry("a", "1", "", ok)},
		},
		{
			"package names are lowercased, as dpkg does",
			"Package: LibFoo\nStatus: install ok installed\nVersion: 1\n",
			[]Package{pkgEntry("libfoo", "1", "", ok)},
		},
		{
			"source without version takes the binary version",
			"Package: a\nStatus: install ok installed\nVersion: 1:2-3\nSource: src\n",
			[]Package{pkgWithSource(pkgEntry("a", "1:2-3", "", ok), "src", "1:2-3")},
		},
		{
			"source with version",
			"Package: a\nStatus: install ok installed\nVersion: 2-3+b1\nSource: src (2-3)\n",
			[]Package{pkgWithSource(pkgEntry("a", "2-3+b1", "", ok), "src", "2-3")},
		},
		{
			"source naming the package itself, with version",
			"Package: a\nStatus: install ok installed\nVersion: 2-3+b1\nSource: a (2-3)\n",
			[]Package{pkgWithSource(pkgEntry("a", "2-3+b1", "", ok), "a", "2-3")},
		},
		{
			"empty source is no source",
			"Package: a\nStatus: install ok installed\nVersion: 1\nSource:\n",
			[]Package{pkgEntry("a", "1", "", ok)},
		},
		{
			"source continued on the next line",
			"Package: a\nStatus: install ok installed\nVersion: 2\nSource: src\n (1)\n",
			[]Package{pkgWithSource(pkgEntry("a", "2", "", ok), "src", "1")},
		},
		{
			"no Status is not-installed, as dpkg reads it",
			"Package: a\nArchitecture: amd64\n",
			[]Package{pkgEntry("a", "", "amd64", "unknown ok not-installed")},
		},
		{
			"config-files and half-installed are not installed",
			"Package: a\nStatus: deinstall ok config-files\nVersion: 1\n\nPackage: b\nStatus: install reinstreq half-installed\n",
			[]Package{pkgEntry("a", "1", "", "deinstall ok config-files"), pkgEntry("b", "", "", "install reinstreq half-installed")},
		},
		{
			"installed whatever the want: hold and deinstall",
			"Package: a\nStatus: hold ok installed\nVersion: 1\n\nPackage: b\nStatus: deinstall ok installed\nVersion: 1\n",
			[]Package{pkgEntry("a", "1", "", "hold ok installed"), pkgEntry("b", "1", "", "deinstall ok installed")},
		},
		{
			"multi-arch instances of one name",
			"Package: a\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1\n\nPackage: a\nStatus: install ok installed\nArchitecture: i386\nVersion: 1\n\nPackage: a\nStatus: deinstall ok config-files\nArchitecture: armhf\nVersion: 0.9\n",
			[]Package{pkgEntry("a", "1", "amd64", ok), pkgEntry("a", "1", "i386", ok), pkgEntry("a", "0.9", "armhf", "deinstall ok config-files")},
		},
		{
			"colon in value and unknown fields",
			"Package: a\nStatus: install ok installed\nVersion: 1:2.0\nX-Custom: a: b: c\nDepends: libc6 (>= 2:1)\n",
			[]Package{pkgEntry("a", "1:2.0", "", ok)},
		},
		{
			"UTF-8 and Latin-1 in fields that are not reported",
			"Package: a\nMaintainer: J\xc3\xb6rg \xf6\nStatus: install ok installed\nVersion: 1\n",
			[]Package{pkgEntry("a", "1", "", ok)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, root := range pkghostRoots {
				fsys := root.make(t)
				pkghostWrite(t, fsys, map[string]string{"/var/lib/dpkg/status": tt.db})
				got, err := pkgCollect(t, fsys, Packages{})
				if err != nil {
					t.Fatalf("%s: %v", root.name, err)
				}
				if diff := cmp.Diff(pkgFacts("/var/lib/dpkg/status", tt.want...), got); diff != "" {
					t.Errorf("%s: facts (-want +got):\n%s", root.name, diff)
				}
			}
		})
	}
}

func TestPackagesErrors(t *testing.T) {
	const head = "Package: a\nStatus: install ok installed\nVersion: 1\n\n"
	tests := []struct {
		name string
		db   string
		want string // the error, after "packages: /var/lib/dpkg/status:"
	}{
		{"garbage line", head + "Package: b\nthis is not a field\n", `6: line is neither "Field: value" nor a continuation`},
		{"prose with a colon", "Package: b\nSee also: the manual\n", `2: line is neither "Field: value" nor a continuation (invalid field name "See also")`},
		{"comment line", "# generated\nPackage: b\n", `1: line is neither "Field: value" nor a continuation`},
		{"comment with a colon", "# note: x\nPackage: b\n", `1: line is neither "Field: value" nor a continuation (invalid field name "# note")`},
		{"field name starting with a hyphen", "Package: b\n-Bad: x\n", `2: line is neither "Field: value" nor a continuation (invalid field name "-Bad")`},
		{"empty field name", "Package: b\n: x\n", `2: line is neither "Field: value" nor a continuation (invalid field name "")`},
		{"no Package field", head + "Status: install ok installed\nVersion: 1\n", "5: stanza has no Package field"},
		{"stanza of unknown fields only", "Description: x\n\n", "1: stanza has no Package field"},
		{"continuation line first", " Package: a\n", "1: continuation line with no field to continue"},
		{"continuation line after a blank line", head + " more\n", "5: continuation line with no field to continue"},
		{"status with two words", "Package: a\nStatus: install ok\n", `2: malformed Status field "install ok": 2 words, want three (want, error flag, state)`},
		{"status with four words", "Package: a\nStatus: install ok installed now\n", `2: malformed Status field "install ok installed now": more than three words`},
		{"empty status", "Package: a\nStatus:\n", `2: malformed Status field "": 0 words, want three (want, error flag, state)`},
		{"unknown want", "Package: a\nStatus: keep ok installed\n", `2: malformed Status field "keep ok installed": unknown want "keep"`},
		{"unknown error flag", "Package: a\nStatus: install hold installed\n", `2: malformed Status field "install hold installed": unknown error flag "hold"`},
		{"unknown state", "Package: a\nStatus: install ok installedx\n", `2: malformed Status field "install ok installedx": unknown state "installedx"`},
		{"binary content", head + "\x7fELF\x02\x01\x01\x00\x00\x00", "5: binary content (NUL byte); not a dpkg database"},
		{"zeroed tail", head + "Package: b\n\x00\x00\x00\x00", "6: binary content (NUL byte); not a dpkg database"},
		{"CRLF", "Package: a\r\nStatus: install ok installed\r\n", "1: CRLF line ending; dpkg databases use LF only"},
		{"missing final newline", head + "Package: b\nStatus: install ok installed", "6: missing final newline (truncated database?)"},
		{"duplicate Package field", "Package: a\nStatus: install ok installed\npackage: b\n", "3: duplicate Package field (first at line 1)"},
		{"duplicate Status field", "Package: a\nStatus: install ok installed\nStatus: purge ok not-installed\n", "3: duplicate Status field (first at line 2)"},
		{"second entry for a package", head + "Package: A\nStatus: purge ok not-installed\n", `5: second entry for package a architecture "" (first at line 1)`},
		{"invalid package name", "Package: -a\n", `1: invalid package name "-a": must start with an alphanumeric character`},
		{"package name with a space", "Package: a b\n", `1: invalid package name "a b": character ' ' not allowed`},
		{"package name continued", "Package: a\n b\n", `1: invalid package name "a\n b": character '\n' not allowed`},
		{"installed without version", "Package: a\nStatus: install ok installed\n", "1: package a (installed) has no Version field"},
		{"config-files without version", "\nPackage: a\nStatus: deinstall ok config-files\n", "2: package a (config-files) has no Version field"},
		{"version with a space", "Package: a\nStatus: install ok installed\nVersion: 1 2\n", `3: invalid Version "1 2": embedded white space`},
		{"empty version", "Package: a\nStatus: install ok installed\nVersion:\n", `3: invalid Version "": empty`},
		{"version with a control character", "Package: a\nStatus: install ok installed\nVersion: 1\x1b[0m\n", `3: invalid Version "1\x1b[0m": control character`},
		{"version not UTF-8", "Package: a\nStatus: install ok installed\nVersion: 1\xff\n", `3: invalid Version "1\xff": invalid UTF-8`},
		{"architecture with a space", "Package: a\nStatus: install ok installed\nVersion: 1\nArchitecture: amd 64\n", `4: invalid Architecture "amd 64": embedded white space`},
		{"source without closing parenthesis", "Package: a\nStatus: install ok installed\nVersion: 1\nSource: s (1\n", `4: malformed Source field "s (1": missing ")"`},
		{"source with junk after the name", "Package: a\nStatus: install ok installed\nVersion: 1\nSource: s 1\n", `4: malformed Source field "s 1": expected "(version)" after the name`},
		{"source with only a version", "Package: a\nStatus: install ok installed\nVersion: 1\nSource: (1)\n", `4: malformed Source field "(1)": no source package name`},
		{"source with an empty version", "Package: a\nStatus: install ok installed\nVersion: 1\nSource: s ()\n", `4: malformed Source field "s ()": version: empty`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, root := range pkghostRoots {
				fsys := root.make(t)
				pkghostWrite(t, fsys, map[string]string{"/var/lib/dpkg/status": tt.db})
				got, err := pkgCollect(t, fsys, Packages{})
				want := "packages: /var/lib/dpkg/status:" + tt.want
				if err == nil {
					t.Fatalf("%s: no error, facts %+v; want %s", root.name, got, want)
				}
				if err.Error() != want {
					t.Errorf("%s: error\n got %s\nwant %s", root.name, err, want)
				}
			}
		})
	}
}

func TestPackagesMissingDatabase(t *testing.T) {
	for _, root := range pkghostRoots {
		t.Run(root.name, func(t *testing.T) {
			fsys := root.make(t)
			pkghostWrite(t, fsys, map[string]string{"/etc/hostname": "x\n"})
			got, err := pkgCollect(t, fsys, Packages{})
			if err != nil {
				t.Fatal(err)
			}
			want := &PackagesFacts{Format: "dpkg", Database: "/var/lib/dpkg/status", Exists: false,
				Installed: map[string][]Package{}, Packages: []Package{}, Databases: pkgNoOtherDatabases("/var/lib/dpkg/status", false, 0)}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("facts (-want +got):\n%s", diff)
			}
			b, err := json.Marshal(got)
			if err != nil {
				t.Fatal(err)
			}
			// Rules iterate these: they must be empty, never null.
			const wantJSON = `{"format":"dpkg","database":"/var/lib/dpkg/status","exists":false,"installed":{},"packages":[],` +
				`"databases":[{"format":"dpkg","path":"/var/lib/dpkg/status","exists":false,"count":0},` +
				`{"format":"rpm","path":"/var/lib/rpm/rpmdb.sqlite","exists":false,"count":0},` +
				`{"format":"apk","path":"/lib/apk/db/installed","exists":false,"count":0}]}`
			if string(b) != wantJSON {
				t.Errorf("JSON\n got %s\nwant %s", b, wantJSON)
			}
		})
	}
}

func TestPackagesNotADatabase(t *testing.T) {
	// A directory where the file should be is not a missing database: the
	// root is broken and the facts cannot be trusted.
	for _, root := range pkghostRoots {
		t.Run(root.name, func(t *testing.T) {
			fsys := root.make(t)
			if err := fsys.MkdirAll("/var/lib/dpkg/status", 0o755); err != nil {
				t.Fatal(err)
			}
			_, err := pkgCollect(t, fsys, Packages{})
			if !errors.Is(err, ErrNotRegular) || !strings.HasPrefix(err.Error(), "packages: ") {
				t.Errorf("error %v, want packages: ... %v", err, ErrNotRegular)
			}
		})
	}
	// /var/lib/dpkg being a file means there is no database under it.
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "var/lib"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "var/lib/dpkg"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	fsys, err := rootfs.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	got, err := pkgCollect(t, fsys, Packages{})
	if err != nil || got.Exists {
		t.Errorf("with /var/lib/dpkg a file: facts %+v, error %v; want exists=false", got, err)
	}
}

// TestPackagesHostileFiles covers what a hostile image can put at the
// database path: a huge (sparse) file, a FIFO that would block a reader, a
// symlink loop. Each must fail fast with an error, never hang or exhaust
// memory.
func TestPackagesHostileFiles(t *testing.T) {
	dir := t.TempDir()
	dpkgDir := filepath.Join(dir, "var/lib/dpkg")
	if err := os.MkdirAll(dpkgDir, 0o755); err != nil {
		t.Fatal(err)
	}
	huge := filepath.Join(dpkgDir, "huge")
	if err := os.WriteFile(huge, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(huge, MaxDatabaseSize+1); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dpkgDir, "fifo"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("loop", filepath.Join(dpkgDir, "loop")); err != nil {
		t.Fatal(err)
	}
	fsys, err := rootfs.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		path string
		is   error
	}{
		{"/var/lib/dpkg/huge", ErrTooLarge},
		{"/var/lib/dpkg/fifo", ErrNotRegular},
		{"/var/lib/dpkg/loop", nil},
	} {
		got, err := pkgCollect(t, fsys, Packages{StatusPath: tt.path})
		if err == nil || !strings.HasPrefix(err.Error(), "packages: ") || tt.is != nil && !errors.Is(err, tt.is) {
			t.Errorf("%s: facts %+v, error %v; want a packages error (%v)", tt.path, got, err, tt.is)
		}
	}
}

func TestPackagesStatusPath(t *testing.T) {
	for _, root := range pkghostRoots {
		t.Run(root.name, func(t *testing.T) {
			fsys := root.make(t)
			pkghostWrite(t, fsys, map[string]string{
				"/var/lib/dpkg/status": "Package: default\nStatus: install ok installed\nVersion: 1\n",
				"/srv/dpkg/status":     "Package: custom\nStatus: install ok installed\nVersion: 2\n",
			})
			got, err := pkgCollect(t, fsys, Packages{StatusPath: "/srv/dpkg/status"})
			if err != nil {
				t.Fatal(err)
			}
			want := pkgFacts("/srv/dpkg/status", pkgEntry("custom", "2", "", "install ok installed"))
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("facts (-want +got):\n%s", diff)
			}
		})
	}
}

// TestPackagesSymlinkStaysInRoot plants the hostile link a disk image could
// hold: its status file is an absolute symlink to /etc/passwd. It must read
// the image's /etc/passwd (here a tiny database), never the host's.
func TestPackagesSymlinkStaysInRoot(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"etc/passwd":  "Package: inside-root\nStatus: install ok installed\nVersion: 1\n",
		"srv/real-db": "Package: via-relative-link\nStatus: install ok installed\nVersion: 2\n",
	} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(filepath.Join(dir, "var/lib/dpkg"), 0o755); err != nil {
		t.Fatal(err)
	}
	links := map[string]string{
		"var/lib/dpkg/status":   "/etc/passwd",
		"var/lib/dpkg/relative": "../../../../../../srv/real-db",
		"var/lib/dpkg/dangling": "/nonexistent/status",
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	fsys, err := rootfs.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		path string
		want *PackagesFacts
	}{
		{"/var/lib/dpkg/status", pkgFacts("/var/lib/dpkg/status", pkgEntry("inside-root", "1", "", "install ok installed"))},
		{"/var/lib/dpkg/relative", pkgFacts("/var/lib/dpkg/relative", pkgEntry("via-relative-link", "2", "", "install ok installed"))},
		{"/var/lib/dpkg/dangling", &PackagesFacts{Format: "dpkg", Database: "/var/lib/dpkg/dangling",
			Installed: map[string][]Package{}, Packages: []Package{}, Databases: pkgNoOtherDatabases("/var/lib/dpkg/dangling", false, 0)}},
	} {
		got, err := pkgCollect(t, fsys, Packages{StatusPath: tt.path})
		if err != nil {
			t.Errorf("%s: %v", tt.path, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: facts (-want +got):\n%s", tt.path, diff)
		}
	}
}

func TestPackagesCancelled(t *testing.T) {
	var db strings.Builder
	for i := range 3 * dpkgCancelEvery {
		fmt.Fprintf(&db, "Package: p%d\nStatus: install ok installed\nVersion: 1\n\n", i)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	fsys := rootfs.Wrap(afero.NewMemMapFs())
	pkghostWrite(t, fsys, map[string]string{"/var/lib/dpkg/status": db.String()})
	if _, err := (Packages{}).Collect(ctx, Target{Fs: fsys, Root: "/"}); !errors.Is(err, context.Canceled) {
		t.Errorf("Collect with a cancelled context: error %v, want %v", err, context.Canceled)
	}
	// The parser itself stops between stanzas, not only before reading.
	if _, err := parseDpkgStatus(ctx, "/status", []byte(db.String())); !errors.Is(err, context.Canceled) {
		t.Errorf("parse with a cancelled context: error %v, want %v", err, context.Canceled)
	}
}

func TestPackagesJSON(t *testing.T) {
	fsys := rootfs.Wrap(afero.NewMemMapFs())
	pkghostWrite(t, fsys, map[string]string{"/var/lib/dpkg/status": "Package: openssh-server\nStatus: install ok installed\n" +
		"Architecture: amd64\nSource: openssh\nVersion: 1:9.2p1-2+deb12u3\n\nPackage: telnetd\nStatus: deinstall ok config-files\nArchitecture: amd64\nVersion: 1\n"})
	got, err := pkgCollect(t, fsys, Packages{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	// The shape of docs/facts.md.
	const ssh = `{"name":"openssh-server","version":"1:9.2p1-2+deb12u3","architecture":"amd64","source":"openssh","source_version":"1:9.2p1-2+deb12u3","status":"install ok installed","installed":true}`
	const telnetd = `{"name":"telnetd","version":"1","architecture":"amd64","source":"telnetd","source_version":"1","status":"deinstall ok config-files","installed":false}`
	want := `{"format":"dpkg","database":"/var/lib/dpkg/status","exists":true,"installed":{"openssh-server":[` + ssh + `]},"packages":[` + ssh + `,` + telnetd + `],` +
		`"databases":[{"format":"dpkg","path":"/var/lib/dpkg/status","exists":true,"count":2},` +
		`{"format":"rpm","path":"/var/lib/rpm/rpmdb.sqlite","exists":false,"count":0},` +
		`{"format":"apk","path":"/lib/apk/db/installed","exists":false,"count":0}]}`
	if string(b) != want {
		t.Errorf("JSON\n got %s\nwant %s", b, want)
	}
}

// FuzzPackagesParse checks that no input panics and that whatever parses
// keeps the invariants rules rely on.
func FuzzPackagesParse(f *testing.F) {
	b, err := os.ReadFile("testdata/dpkg/status")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	for _, s := range []string{"", "\n", "Package: a\n", " x\n", "Package: a\nStatus: install ok\n", "Package: a\r\n", "a:\n\x00",
		"Package: a\nSource: s (1\n", "Package: a\nStatus: hold ok installed\nVersion: 1\n\nPackage: a\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		pkgs, err := parseDpkgStatus(context.Background(), "/status", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "packages: /status:") {
				t.Fatalf("error without file:line: %v", err)
			}
			return
		}
		for _, p := range pkgs {
			if dpkgInvalidName([]byte(p.Name)) != "" || p.Source == "" {
				t.Fatalf("bad entry %+v", p)
			}
			w := strings.Fields(p.Status)
			if len(w) != 3 || p.Installed != (w[2] == "installed") {
				t.Fatalf("bad status %+v", p)
			}
		}
	})
}

// BenchmarkPackages measures Collect on the host's own dpkg database (the
// realistic input, skipped where there is none) and on a generated one of
// 5000 packages, the size of a full desktop install.
func BenchmarkPackages(b *testing.B) {
	b.Run("host", func(b *testing.B) {
		db, err := os.ReadFile(dpkgDefaultStatus)
		if err != nil {
			b.Skipf("no dpkg database on this host: %v", err)
		}
		pkgBench(b, db)
	})
	b.Run("generated-5000", func(b *testing.B) {
		var db strings.Builder
		for i := range 5000 {
			fmt.Fprintf(&db, "Package: package-%d\nStatus: install ok installed\nPriority: optional\nSection: libs\n"+
				"Installed-Size: %d\nMaintainer: Example Maintainers <maint@example.org>\nArchitecture: amd64\n"+
				"Multi-Arch: same\nSource: source-%d (1:%d.0-1)\nVersion: 1:%d.0-1+b1\n"+
				"Depends: libc6 (>= 2.34), libgcc-s1 (>= 3.0), libstdc++6 (>= 12)\n"+
				"Conffiles:\n /etc/package-%d.conf 0123456789abcdef0123456789abcdef\n"+
				"Description: a generated package\n%s\n", i, i, i/3, i, i, i,
				strings.Repeat(" A description line as long as those in real databases, about seventy.\n", 6))
		}
		pkgBench(b, []byte(db.String()))
	})
}

func pkgBench(b *testing.B, db []byte) {
	fsys, err := rootfs.New(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	pkghostWrite(b, fsys, map[string]string{dpkgDefaultStatus: string(db)})
	t := Target{Fs: fsys, Root: "/"}
	ctx := context.Background()
	b.SetBytes(int64(len(db)))
	b.ReportAllocs()
	var n int
	for b.Loop() {
		got, err := (Packages{}).Collect(ctx, t)
		if err != nil {
			b.Fatal(err)
		}
		n = len(got.(*PackagesFacts).Packages)
	}
	b.ReportMetric(float64(n), "packages")
}
