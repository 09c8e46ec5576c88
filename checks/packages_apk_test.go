package checks

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/afero"

	"github.com/gcrun/gcrun/checks/rootfs"
)

func apkEntry(name, version, source string) Package {
	return Package{Name: name, Version: version, Architecture: "x86_64", Source: source, SourceVersion: version,
		Status: "installed", Installed: true}
}

// apkFixtureWant is testdata/packages/apk/installed.
var apkFixtureWant = []Package{
	apkEntry("alpine-baselayout-data", "3.4.3-r2", "alpine-baselayout"),
	apkEntry("musl", "1.2.4_git20230717-r4", "musl"),
	apkEntry("busybox", "1.36.1-r15", "busybox"),
	apkEntry("libcrypto3", "3.1.4-r5", "openssl"),
	apkEntry("libssl3", "3.1.4-r5", "openssl"),
	apkEntry("ca-certificates-bundle", "20240226-r0", "ca-certificates"),
}

const alpineOSRelease = "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME=\"Alpine Linux v3.19\"\n"

func TestPackagesApkFixture(t *testing.T) {
	db := pkgTestdataBytes(t, "apk/installed")
	for _, root := range pkghostRoots {
		t.Run(root.name, func(t *testing.T) {
			fsys := root.make(t)
			pkgWriteBinary(t, fsys, map[string][]byte{"/lib/apk/db/installed": db, "/etc/os-release": []byte(alpineOSRelease)})
			got, err := pkgCollect(t, fsys, Packages{})
			if err != nil {
				t.Fatal(err)
			}
			want := &PackagesFacts{Format: "apk", Database: "/lib/apk/db/installed", Exists: true,
				Installed: map[string][]Package{}, Packages: apkFixtureWant,
				Databases: []PackageDatabase{
					{Format: "dpkg", Path: "/var/lib/dpkg/status"},
					{Format: "rpm", Path: "/var/lib/rpm/rpmdb.sqlite"},
					{Format: "apk", Path: "/lib/apk/db/installed", Exists: true, Count: 6},
				}}
			for _, p := range apkFixtureWant {
				want.Installed[p.Name] = []Package{p}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("facts (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPackagesApkParse(t *testing.T) {
	for _, tt := range []struct {
		name, db string
		want     []Package
	}{
		{"empty file", "", nil},
		{"blank lines only", "\n\n", nil},
		{"minimal record", "P:a\nV:1.0-r0\n\n", []Package{{Name: "a", Version: "1.0-r0", Source: "a", SourceVersion: "1.0-r0", Status: "installed", Installed: true}}},
		{"several blank lines, unknown fields, empty values of others", "\n\nP:a\nV:1\nA:aarch64\nX:whatever\nT:\nF:usr\nR:x\n\n\nP:b\nV:2\no:src\n\n",
			[]Package{
				{Name: "a", Version: "1", Architecture: "aarch64", Source: "a", SourceVersion: "1", Status: "installed", Installed: true},
				{Name: "b", Version: "2", Source: "src", SourceVersion: "2", Status: "installed", Installed: true},
			}},
		{"fields in any order", "V:1\no:s\nP:a\n\n", []Package{{Name: "a", Version: "1", Source: "s", SourceVersion: "1", Status: "installed", Installed: true}}},
		{"colons in values", "P:a\nV:1\nD:so:libc.musl-x86_64.so.1\np:cmd:a=1\n\n", []Package{{Name: "a", Version: "1", Source: "a", SourceVersion: "1", Status: "installed", Installed: true}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseApkInstalled(context.Background(), "/lib/apk/db/installed", []byte(tt.db))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("packages (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPackagesApkErrors(t *testing.T) {
	for _, tt := range []struct{ name, db, want string }{
		{"no blank line after the last record", "P:a\nV:1\n\nP:b\nV:2\n", "4: the last record has no blank line after it (truncated database?); apk would ignore it"},
		{"no final newline", "P:a\nV:1", "1: the last record has no blank line after it"},
		{"garbage line", "P:a\nthis is not a field\n\n", `2: line is neither blank nor "X:value": "this is not a field"`},
		{"one-character line", "P:a\nV:1\nx\n\n", `3: line is neither blank nor "X:value": "x"`},
		{"CRLF", "P:a\r\nV:1\r\n\r\n", "1: CRLF line ending; apk databases use LF only"},
		{"no name", "\nV:1\nA:x86_64\n\n", "2: record has no P: (name) line"},
		{"no version", "P:a\nA:x86_64\n\n", "1: package a has no V: (version) line"},
		{"empty name", "P:\nV:1\n\n", `1: invalid P: value "": empty`},
		{"version with a space", "P:a\nV:1 2\n\n", `2: invalid V: value "1 2": embedded white space`},
		{"version not UTF-8", "P:a\nV:1\xff\n\n", `2: invalid V: value "1\xff": invalid UTF-8`},
		{"two names", "P:a\nV:1\nP:b\n\n", "3: second P: line in the record (first at line 1)"},
		{"two versions", "P:a\nV:1\nV:2\n\n", "3: second V: line in the record (first at line 2)"},
		{"package twice", "P:a\nV:1\n\nP:a\nV:2\n\n", "4: second record for package a (first at line 1)"},
		{"binary", "P:a\nV:1\n\x00\n", "3: binary content (NUL byte); not an apk database"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fsys := rootfs.Wrap(afero.NewMemMapFs())
			pkghostWrite(t, fsys, map[string]string{"/lib/apk/db/installed": tt.db, "/etc/os-release": alpineOSRelease})
			got, err := pkgCollect(t, fsys, Packages{})
			want := "packages: /lib/apk/db/installed:" + tt.want
			if err == nil || !strings.HasPrefix(err.Error(), want) {
				t.Errorf("facts %+v, error %v; want %s", got, err, want)
			}
		})
	}
}

func TestPackagesApkCancelled(t *testing.T) {
	var db strings.Builder
	for i := range 3 * dpkgCancelEvery {
		fmt.Fprintf(&db, "P:p%d\nV:1\n\n", i)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := parseApkInstalled(ctx, "/installed", []byte(db.String())); !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want %v", err, context.Canceled)
	}
}

// TestPackagesAuthoritative checks which database the facts describe:
// the OS family's package manager, else the first that exists.
func TestPackagesAuthoritative(t *testing.T) {
	dpkg := pkgTestdata(t, "dpkg/status")
	rpmDB := string(pkgTestdataBytes(t, "rpm-bdb/Packages"))
	apk := string(pkgTestdataBytes(t, "apk/installed"))
	for _, tt := range []struct {
		name      string
		files     map[string]string
		format    string
		exists    bool
		existence [3]bool // dpkg, rpm, apk
		counts    [3]int
	}{
		{"debian with all three", map[string]string{"/etc/os-release": "ID=debian\n", "/var/lib/dpkg/status": dpkg, "/var/lib/rpm/Packages": rpmDB, "/lib/apk/db/installed": apk},
			"dpkg", true, [3]bool{true, true, true}, [3]int{15, 1, 6}},
		{"ubuntu (a debian) with rpm installed", map[string]string{"/etc/os-release": "ID=ubuntu\nID_LIKE=debian\n", "/var/lib/dpkg/status": dpkg, "/var/lib/rpm/Packages": rpmDB},
			"dpkg", true, [3]bool{true, true, false}, [3]int{15, 1, 0}},
		{"rhel with a dpkg status file", map[string]string{"/etc/os-release": rhelOSRelease, "/var/lib/dpkg/status": dpkg, "/var/lib/rpm/Packages": rpmDB},
			"rpm", true, [3]bool{true, true, false}, [3]int{15, 1, 0}},
		{"opensuse", map[string]string{"/etc/os-release": "ID=\"opensuse-leap\"\nID_LIKE=\"suse opensuse\"\n", "/var/lib/rpm/Packages": rpmDB},
			"rpm", true, [3]bool{false, true, false}, [3]int{0, 1, 0}},
		{"alpine", map[string]string{"/etc/os-release": alpineOSRelease, "/var/lib/dpkg/status": dpkg, "/lib/apk/db/installed": apk},
			"apk", true, [3]bool{true, false, true}, [3]int{15, 0, 6}},
		{"rhel without its database", map[string]string{"/etc/os-release": rhelOSRelease, "/var/lib/dpkg/status": dpkg},
			"rpm", false, [3]bool{true, false, false}, [3]int{15, 0, 0}},
		{"arch linux: first that exists", map[string]string{"/etc/os-release": "ID=arch\n", "/var/lib/rpm/Packages": rpmDB, "/lib/apk/db/installed": apk},
			"rpm", true, [3]bool{false, true, true}, [3]int{0, 1, 6}},
		{"no os-release: first that exists", map[string]string{"/lib/apk/db/installed": apk},
			"apk", true, [3]bool{false, false, true}, [3]int{0, 0, 6}},
		{"no os-release, dpkg and rpm", map[string]string{"/var/lib/dpkg/status": dpkg, "/var/lib/rpm/Packages": rpmDB},
			"dpkg", true, [3]bool{true, true, false}, [3]int{15, 1, 0}},
		{"nothing at all", map[string]string{"/etc/hostname": "x\n"},
			"dpkg", false, [3]bool{}, [3]int{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fsys := rootfs.Wrap(afero.NewMemMapFs())
			pkghostWrite(t, fsys, tt.files)
			got, err := pkgCollect(t, fsys, Packages{})
			if err != nil {
				t.Fatal(err)
			}
			if got.Format != tt.format || got.Exists != tt.exists {
				t.Errorf("format %s exists %v, want %s %v", got.Format, got.Exists, tt.format, tt.exists)
			}
			for i, db := range got.Databases {
				if db.Exists != tt.existence[i] || db.Count != tt.counts[i] || db.Format != [3]string{"dpkg", "rpm", "apk"}[i] {
					t.Errorf("databases[%d] = %+v, want exists %v count %d", i, db, tt.existence[i], tt.counts[i])
				}
				if db.Format == got.Format && (db.Path != got.Database || db.Count != len(got.Packages)) {
					t.Errorf("databases[%d] = %+v does not match the facts (%s, %d packages)", i, db, got.Database, len(got.Packages))
				}
			}
			if len(got.Databases) != 3 {
				t.Errorf("%d databases, want 3", len(got.Databases))
			}
			if !tt.exists && (len(got.Packages) != 0 || len(got.Installed) != 0) {
				t.Errorf("missing database with packages: %+v", got)
			}
		})
	}
}

func TestPackagesBadOSRelease(t *testing.T) {
	fsys := rootfs.Wrap(afero.NewMemMapFs())
	pkghostWrite(t, fsys, map[string]string{"/etc/os-release": "ID=debian\nthis is not an assignment\n", "/var/lib/dpkg/status": ""})
	_, err := pkgCollect(t, fsys, Packages{})
	if err == nil || !strings.Contains(err.Error(), "packages: deciding the package manager: host: /etc/os-release:2:") {
		t.Errorf("error %v, want one naming /etc/os-release:2", err)
	}
}

// FuzzPackagesApk checks that no input panics and that whatever parses
// has names, versions and the installed status.
func FuzzPackagesApk(f *testing.F) {
	f.Add(pkgTestdataBytes(f, "apk/installed"))
	for _, s := range []string{"", "\n", "P:a\nV:1\n\n", "P:a\n", "x\n", "P:a\r\n", "P:a\nV:1\n\nP:a\nV:1\n\n", "V:1\no:x\nP:y\n\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		pkgs, err := parseApkInstalled(context.Background(), "/installed", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "packages: /installed:") {
				t.Fatalf("error without file:line: %v", err)
			}
			return
		}
		seen := map[string]bool{}
		for _, p := range pkgs {
			if p.Name == "" || p.Version == "" || p.Source == "" || !p.Installed || seen[p.Name] {
				t.Fatalf("bad entry %+v", p)
			}
			seen[p.Name] = true
		}
	})
}
