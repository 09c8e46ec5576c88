package checks

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/adler32"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	rpmdb "github.com/knqyf263/go-rpmdb/pkg"
	"github.com/spf13/afero"

	"github.com/gcrun/gcrun/checks/rootfs"
)

// pkgTestdataBytes reads a file of testdata/packages.
func pkgTestdataBytes(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "packages", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// pkgWriteBinary creates files (path inside the root to content) in fsys.
func pkgWriteBinary(t testing.TB, fsys afero.Fs, files map[string][]byte) {
	t.Helper()
	for name, content := range files {
		if err := fsys.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := afero.WriteFile(fsys, name, content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// rpmEntry is a shorthand for an expected rpm package.
func rpmEntry(name, version, arch, source, sourceVersion string) Package {
	return Package{Name: name, Version: version, Architecture: arch, Source: source, SourceVersion: sourceVersion,
		Status: "installed", Installed: true}
}

// rpmSQLiteWant is testdata/packages/rpm-sqlite/rpmdb.sqlite, built with
// rpm 4.18 from packages made with rpmbuild (see the README there), in
// instance order; instance 3 (telnet-server) was erased.
var rpmSQLiteWant = []Package{
	rpmEntry("tzdata", "2024a-1.el9", "noarch", "tzdata", "2024a-1.el9"),
	rpmEntry("kernel-core", "5.14.0-362.8.1.el9_3", "x86_64", "kernel-core", "5.14.0-362.8.1.el9_3"),
	rpmEntry("openssl-libs", "1:3.0.7-27.el9", "i686", "openssl-libs", "1:3.0.7-27.el9"),
	rpmEntry("openssl-libs", "1:3.0.7-27.el9", "x86_64", "openssl-libs", "1:3.0.7-27.el9"),
	rpmEntry("openssh-server", "0:9.2p1-2.el9", "x86_64", "openssh", "0:9.2p1-2.el9"),
	rpmEntry("openssh-clients", "0:9.2p1-2.el9", "x86_64", "openssh", "0:9.2p1-2.el9"),
	rpmEntry("vim-minimal", "2:9.0.1~rc1-1^20240101git.el9", "x86_64", "vim-minimal", "2:9.0.1~rc1-1^20240101git.el9"),
	rpmEntry("kernel-core", "5.14.0-427.13.1.el9_4", "x86_64", "kernel-core", "5.14.0-427.13.1.el9_4"),
	rpmEntry("gpg-pubkey", "8783d481-63ceb953", "", "gpg-pubkey", "8783d481-63ceb953"),
}

// rpmWALWant is testdata/packages/rpm-sqlite-wal: the same database with
// two transactions in its write-ahead log, one erasing tzdata (instance 1),
// one adding sudo (instance 11).
var rpmWALWant = append(slices.Clone(rpmSQLiteWant[1:]), rpmEntry("sudo", "1.9.5p2-10.el9_3", "x86_64", "sudo", "1.9.5p2-10.el9_3"))

// rpmFacts builds the facts of an rpm root whose database at path holds
// pkgs; the dpkg and apk databases are missing.
func rpmFacts(path string, pkgs ...Package) *PackagesFacts {
	f := &PackagesFacts{Format: "rpm", Database: path, Exists: true, Installed: map[string][]Package{}, Packages: []Package{},
		Databases: []PackageDatabase{
			{Format: "dpkg", Path: "/var/lib/dpkg/status"},
			{Format: "rpm", Path: path, Exists: true, Count: len(pkgs)},
			{Format: "apk", Path: "/lib/apk/db/installed"},
		}}
	for _, p := range pkgs {
		f.Packages = append(f.Packages, p)
		f.Installed[p.Name] = append(f.Installed[p.Name], p)
	}
	return f
}

const rhelOSRelease = "NAME=\"Red Hat Enterprise Linux\"\nID=\"rhel\"\nID_LIKE=\"fedora\"\nVERSION_ID=\"9.3\"\n"

func TestPackagesRPMSQLite(t *testing.T) {
	db := pkgTestdataBytes(t, "rpm-sqlite/rpmdb.sqlite")
	for _, root := range pkghostRoots {
		for _, path := range []string{"/var/lib/rpm/rpmdb.sqlite", "/usr/lib/sysimage/rpm/rpmdb.sqlite"} {
			t.Run(root.name+path, func(t *testing.T) {
				fsys := root.make(t)
				pkgWriteBinary(t, fsys, map[string][]byte{path: db, path + "-wal": nil, "/etc/os-release": []byte(rhelOSRelease)})
				got, err := pkgCollect(t, fsys, Packages{})
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(rpmFacts(path, rpmSQLiteWant...), got); diff != "" {
					t.Errorf("facts (-want +got):\n%s", diff)
				}
				if n := len(got.Installed["kernel-core"]); n != 2 {
					t.Errorf("%d kernel-core instances, want 2", n)
				}
			})
		}
	}
}

func TestPackagesRPMBDB(t *testing.T) {
	db := pkgTestdataBytes(t, "rpm-bdb/Packages")
	for _, root := range pkghostRoots {
		t.Run(root.name, func(t *testing.T) {
			fsys := root.make(t)
			pkgWriteBinary(t, fsys, map[string][]byte{"/var/lib/rpm/Packages": db, "/etc/os-release": []byte("ID=centos\n")})
			got, err := pkgCollect(t, fsys, Packages{})
			if err != nil {
				t.Fatal(err)
			}
			want := rpmFacts("/var/lib/rpm/Packages", rpmEntry("libuuid", "2.32.1-42.el8_8", "x86_64", "util-linux", "2.32.1-42.el8_8"))
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("facts (-want +got):\n%s", diff)
			}
		})
	}
}

// rpmFromGoRPMDB converts go-rpmdb's reading of a database to entries of
// the facts: a second, independent reader of the same files.
func rpmFromGoRPMDB(t *testing.T, path string) []Package {
	t.Helper()
	db, err := rpmdb.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	infos, err := db.ListPackages()
	if err != nil {
		t.Fatal(err)
	}
	var pkgs []Package
	for _, p := range infos {
		evr := p.Version + "-" + p.Release
		if p.Epoch != nil {
			evr = fmt.Sprint(*p.Epoch) + ":" + evr
		}
		src, srcVersion := p.Name, evr
		if p.SourceRpm != "" && p.SourceRpm != "(none)" {
			s := strings.TrimSuffix(p.SourceRpm, ".src.rpm")
			r := strings.LastIndex(s, "-")
			v := strings.LastIndex(s[:r], "-")
			src, srcVersion = s[:v], s[v+1:]
			if p.Epoch != nil {
				srcVersion = fmt.Sprint(*p.Epoch) + ":" + srcVersion
			}
		}
		pkgs = append(pkgs, rpmEntry(p.Name, evr, p.Arch, src, srcVersion))
	}
	return pkgs
}

func pkgSortEntries(p []Package) []Package {
	p = slices.Clone(p)
	slices.SortFunc(p, func(a, b Package) int {
		return strings.Compare(a.Name+" "+a.Version+" "+a.Architecture, b.Name+" "+b.Version+" "+b.Architecture)
	})
	return p
}

// TestPackagesRPMNDB reads SUSE's ndb format, which Debian's rpm cannot
// read (it is built without the ndb backend): go-rpmdb is the second
// reader here.
func TestPackagesRPMNDB(t *testing.T) {
	path := filepath.Join("testdata", "packages", "rpm-ndb", "Packages.db")
	db := pkgTestdataBytes(t, "rpm-ndb/Packages.db")
	fsys := rootfs.Wrap(afero.NewMemMapFs())
	pkgWriteBinary(t, fsys, map[string][]byte{"/usr/lib/sysimage/rpm/Packages.db": db,
		"/etc/os-release": []byte("NAME=\"SLES\"\nID=\"sles\"\nID_LIKE=\"suse\"\n")})
	got, err := pkgCollect(t, fsys, Packages{})
	if err != nil {
		t.Fatal(err)
	}
	if got.Format != "rpm" || got.Database != "/usr/lib/sysimage/rpm/Packages.db" || !got.Exists || len(got.Packages) != 35 {
		t.Fatalf("facts %s %s %v with %d packages, want rpm /usr/lib/sysimage/rpm/Packages.db with 35", got.Format, got.Database, got.Exists, len(got.Packages))
	}
	if diff := cmp.Diff(pkgSortEntries(rpmFromGoRPMDB(t, path)), pkgSortEntries(got.Packages)); diff != "" {
		t.Errorf("packages (-go-rpmdb +collector):\n%s", diff)
	}
	// A few entries checked by hand: SUSE's epoch-less versions, a
	// source package with subpackages.
	for _, want := range []Package{
		rpmEntry("system-user-root", "20190513-3.3.1", "noarch", "system-user-root", "20190513-3.3.1"),
		rpmEntry("libzstd1", "1.4.4-1.6.1", "x86_64", "zstd", "1.4.4-1.6.1"),
	} {
		if !slices.Contains(got.Packages, want) {
			t.Errorf("no entry %+v", want)
		}
	}
}

// TestPackagesRPMGoRPMDB compares every bdb and ndb database of the test
// data with go-rpmdb's reading (go-rpmdb's sqlite reader needs a SQL
// driver the module does not build in).
func TestPackagesRPMGoRPMDB(t *testing.T) {
	for _, tt := range []struct{ file, backend string }{
		{"rpm-bdb/Packages", rpmBDB},
		{"rpm-ndb/Packages.db", rpmNDB},
	} {
		path := filepath.Join("testdata", "packages", tt.file)
		got, err := readRPM(context.Background(), afero.NewMemMapFs(), path, tt.backend, pkgTestdataBytes(t, tt.file))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(pkgSortEntries(rpmFromGoRPMDB(t, path)), pkgSortEntries(got)); diff != "" {
			t.Errorf("%s (-go-rpmdb +collector):\n%s", tt.file, diff)
		}
	}
}

// rpmWALFrame is the offset of frame i of a write-ahead log of 4096-byte
// pages.
func rpmWALFrame(i int) int { return 32 + i*(24+4096) }

// rpmWALCases derive logs from the test data's: its three frames are a
// commit (erasing tzdata), a page of the second transaction and that
// transaction's commit (adding sudo). What the collector must then see is
// what SQLite recovery makes of each log (and rpm, in the oracle test).
func rpmWALCases(t testing.TB) []struct {
	name string
	wal  []byte
	want []Package
} {
	wal := pkgTestdataBytes(t, "rpm-sqlite-wal/rpmdb.sqlite-wal")
	if len(wal) != rpmWALFrame(3) {
		t.Fatalf("test log of %d bytes, want 3 frames", len(wal))
	}
	corrupt := func(off int) []byte {
		b := slices.Clone(wal)
		b[off] ^= 0xff
		return b
	}
	afterErase := rpmSQLiteWant[1:]
	return []struct {
		name string
		wal  []byte
		want []Package
	}{
		{"whole log", wal, rpmWALWant},
		{"empty log", nil, rpmSQLiteWant},
		{"log header only", wal[:32], rpmSQLiteWant},
		{"first transaction", wal[:rpmWALFrame(1)], afterErase},
		{"second transaction without its commit frame", wal[:rpmWALFrame(2)], afterErase},
		{"second transaction cut short", wal[:rpmWALFrame(3)-1], afterErase},
		{"commit frame corrupted", corrupt(rpmWALFrame(2) + 24 + 100), afterErase},
		{"first frame corrupted", corrupt(rpmWALFrame(0) + 24 + 100), rpmSQLiteWant},
		{"salt of the last frame changed", corrupt(rpmWALFrame(2) + 8), afterErase},
		{"log header checksum wrong", corrupt(24), rpmSQLiteWant},
	}
}

func TestPackagesRPMWAL(t *testing.T) {
	db := pkgTestdataBytes(t, "rpm-sqlite-wal/rpmdb.sqlite")
	// The -shm index is stale or absent on a copied image; it must not
	// matter.
	shm := pkgTestdataBytes(t, "rpm-sqlite-wal/rpmdb.sqlite-shm")
	for _, tt := range rpmWALCases(t) {
		t.Run(tt.name, func(t *testing.T) {
			for _, withSHM := range []bool{false, true} {
				fsys := rootfs.Wrap(afero.NewMemMapFs())
				files := map[string][]byte{"/var/lib/rpm/rpmdb.sqlite": db, "/etc/os-release": []byte(rhelOSRelease)}
				if tt.wal != nil {
					files["/var/lib/rpm/rpmdb.sqlite-wal"] = tt.wal
				}
				if withSHM {
					files["/var/lib/rpm/rpmdb.sqlite-shm"] = shm
				}
				pkgWriteBinary(t, fsys, files)
				got, err := pkgCollect(t, fsys, Packages{})
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(rpmFacts("/var/lib/rpm/rpmdb.sqlite", tt.want...), got); diff != "" {
					t.Errorf("shm %v: facts (-want +got):\n%s", withSHM, diff)
				}
			}
		})
	}
}

func TestPackagesRPMLocations(t *testing.T) {
	sqlite := pkgTestdataBytes(t, "rpm-sqlite/rpmdb.sqlite")
	bdb := pkgTestdataBytes(t, "rpm-bdb/Packages")
	ndb := pkgTestdataBytes(t, "rpm-ndb/Packages.db")
	for _, tt := range []struct {
		name  string
		files map[string][]byte
		want  string
	}{
		{"sysimage before /var/lib/rpm", map[string][]byte{"/var/lib/rpm/rpmdb.sqlite": sqlite, "/usr/lib/sysimage/rpm/Packages": bdb}, "/usr/lib/sysimage/rpm/Packages"},
		{"sqlite before ndb and bdb", map[string][]byte{"/var/lib/rpm/Packages": bdb, "/var/lib/rpm/Packages.db": ndb, "/var/lib/rpm/rpmdb.sqlite": sqlite}, "/var/lib/rpm/rpmdb.sqlite"},
		{"ndb before bdb", map[string][]byte{"/var/lib/rpm/Packages": bdb, "/var/lib/rpm/Packages.db": ndb}, "/var/lib/rpm/Packages.db"},
		{"sysimage ndb (openSUSE)", map[string][]byte{"/usr/lib/sysimage/rpm/Packages.db": ndb, "/var/lib/rpm/Packages": bdb}, "/usr/lib/sysimage/rpm/Packages.db"},
		{"bdb alone", map[string][]byte{"/var/lib/rpm/Packages": bdb}, "/var/lib/rpm/Packages"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fsys := rootfs.Wrap(afero.NewMemMapFs())
			tt.files["/etc/os-release"] = []byte(rhelOSRelease)
			pkgWriteBinary(t, fsys, tt.files)
			got, err := pkgCollect(t, fsys, Packages{})
			if err != nil {
				t.Fatal(err)
			}
			if got.Database != tt.want || got.Databases[1].Path != tt.want || !got.Exists {
				t.Errorf("database %s (databases %+v), want %s", got.Database, got.Databases, tt.want)
			}
		})
	}
	// /var/lib/rpm as a symlink to the sysimage directory, as Fedora
	// leaves it: the file is found under its first name.
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "usr/lib/sysimage/rpm"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "var/lib"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "usr/lib/sysimage/rpm/rpmdb.sqlite"), sqlite, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../../usr/lib/sysimage/rpm", filepath.Join(dir, "var/lib/rpm")); err != nil {
		t.Fatal(err)
	}
	fsys, err := rootfs.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	got, err := pkgCollect(t, fsys, Packages{})
	if err != nil {
		t.Fatal(err)
	}
	if got.Format != "rpm" || got.Database != "/usr/lib/sysimage/rpm/rpmdb.sqlite" || len(got.Packages) != len(rpmSQLiteWant) {
		t.Errorf("facts %s %s with %d packages, want rpm from /usr/lib/sysimage/rpm/rpmdb.sqlite", got.Format, got.Database, len(got.Packages))
	}
}

// TestPackagesRPMBadDatabases covers damaged and hostile databases, made
// from the test data: each must fail with an error naming the file, never
// panic, hang or read outside the file.
func TestPackagesRPMBadDatabases(t *testing.T) {
	sqlite := pkgTestdataBytes(t, "rpm-sqlite/rpmdb.sqlite")
	bdb := pkgTestdataBytes(t, "rpm-bdb/Packages")
	ndb := pkgTestdataBytes(t, "rpm-ndb/Packages.db")
	le := binary.LittleEndian
	edit := func(b []byte, f func(b []byte)) []byte {
		b = slices.Clone(b)
		f(b)
		return b
	}
	bdbPage := func(b []byte, typ byte) int {
		for off := 4096; off+4096 <= len(b); off += 4096 {
			if b[off+25] == typ {
				return off
			}
		}
		t.Fatalf("no bdb page of type %d", typ)
		return 0
	}
	// The first Packages row's cell on the sqlite leaf page that holds it.
	sqliteCell := func(b []byte) int {
		db, err := openSQLite("x", b, nil)
		if err != nil {
			t.Fatal(err)
		}
		root, err := db.tableRoot("Packages")
		if err != nil {
			t.Fatal(err)
		}
		off := int((root - 1) * 4096)
		for b[off] == 0x05 { // down the leftmost child to a leaf
			cell := off + int(binary.BigEndian.Uint16(b[off+12:]))
			off = int(binary.BigEndian.Uint32(b[cell:])-1) * 4096
		}
		if b[off] != 0x0d {
			t.Fatalf("page at %d has type %#x, want a table leaf", off, b[off])
		}
		return off + int(binary.BigEndian.Uint16(b[off+8:]))
	}
	for _, tt := range []struct {
		name, path string
		data       []byte
		want       string
	}{
		{"empty file", "/var/lib/rpm/Packages", nil, "too short for a Berkeley DB database"},
		{"sqlite content under the bdb name", "/var/lib/rpm/Packages", sqlite, "not a Berkeley DB hash database"},
		{"bdb content under the sqlite name", "/var/lib/rpm/rpmdb.sqlite", bdb, "not a SQLite database"},
		{"bdb content under the ndb name", "/var/lib/rpm/Packages.db", bdb, "not an rpm ndb database"},
		{"bdb truncated", "/var/lib/rpm/Packages", bdb[:len(bdb)-4096], "beyond the end of the file"},
		{"bdb page size zero", "/var/lib/rpm/Packages", edit(bdb, func(b []byte) { le.PutUint32(b[20:], 0) }), "invalid page size 0"},
		{"bdb last page too small", "/var/lib/rpm/Packages", edit(bdb, func(b []byte) { le.PutUint32(b[32:], 1) }), "outside the database (last page 1)"},
		{"bdb overflow page of the wrong type", "/var/lib/rpm/Packages", edit(bdb, func(b []byte) { b[bdbPage(b, 7)+25] = 13 }), "in an overflow chain"},
		{"bdb overflow chain looping on empty pages", "/var/lib/rpm/Packages", edit(bdb, func(b []byte) {
			off := bdbPage(b, 7)
			le.PutUint16(b[off+22:], 0)
			copy(b[off+16:off+20], b[off+8:off+12]) // next page: itself
		}), "page chains loop"},
		{"bdb overflow item longer than the file", "/var/lib/rpm/Packages", edit(bdb, func(b []byte) {
			for off := 4096; off+4096 <= len(b); off += 4096 {
				if b[off+25] != 13 {
					continue
				}
				n := int(le.Uint16(b[off+20:]))
				for i := 0; i < n; i++ {
					if item := int(le.Uint16(b[off+26+2*i:])); b[off+item] == 3 {
						le.PutUint32(b[off+item+8:], 1<<31)
					}
				}
			}
		}), "overflow item of 2147483648 bytes"},
		// The entries past the real ones are whatever bytes follow.
		{"bdb entry count beyond the page", "/var/lib/rpm/Packages", edit(bdb, func(b []byte) { le.PutUint16(b[bdbPage(b, 13)+20:], 0xfffe) }), "want inline or overflow data"},
		{"ndb truncated", "/var/lib/rpm/Packages.db", ndb[:len(ndb)-16], "beyond the end of the file"},
		{"ndb size not whole blocks", "/var/lib/rpm/Packages.db", ndb[:len(ndb)-1], "not a multiple of 16"},
		{"ndb slot pages beyond the file", "/var/lib/rpm/Packages.db", edit(ndb, func(b []byte) { le.PutUint32(b[12:], 1<<20) }), "slot pages do not fit the file"},
		{"ndb bad slot magic", "/var/lib/rpm/Packages.db", edit(ndb, func(b []byte) { b[32] = 'X' }), "slot 2: bad magic"},
		{"ndb two slots for one package", "/var/lib/rpm/Packages.db", edit(ndb, func(b []byte) {
			var used []int
			for o := 32; o < 4096 && len(used) < 2; o += 16 {
				if le.Uint32(b[o+8:]) != 0 {
					used = append(used, o)
				}
			}
			copy(b[used[1]+4:used[1]+8], b[used[0]+4:used[0]+8])
		}), "both hold package"},
		{"ndb bad blob tail", "/var/lib/rpm/Packages.db", edit(ndb, func(b []byte) {
			o := 32
			for le.Uint32(b[o+8:]) == 0 {
				o += 16
			}
			end := int(le.Uint32(b[o+8:])+le.Uint32(b[o+12:])) * 16
			b[end-1] ^= 0xff
		}), "bad blob tail"},
		{"sqlite truncated", "/var/lib/rpm/rpmdb.sqlite", sqlite[:len(sqlite)/2], "outside the database"},
		{"sqlite interior page pointing at itself", "/var/lib/rpm/rpmdb.sqlite", edit(sqlite, func(b []byte) {
			b[100] = 0x05 // page 1 becomes an interior page whose right child is page 1
			binary.BigEndian.PutUint32(b[108:], 1)
		}), "reached twice"},
		{"sqlite payload larger than the file", "/var/lib/rpm/rpmdb.sqlite", edit(sqlite, func(b []byte) {
			c := sqliteCell(b)
			copy(b[c:], []byte{0xff, 0xff, 0xff, 0xff, 0x7f})
		}), "payload of"},
		{"sqlite no Packages table", "/var/lib/rpm/rpmdb.sqlite", edit(sqlite, func(b []byte) {
			// Wherever the schema record is (page 1 may be an interior
			// page, with stale copies in its free space).
			n := 0
			for i := bytes.Index(b, []byte("tablePackagesPackages")); i >= 0; i = bytes.Index(b, []byte("tablePackagesPackages")) {
				copy(b[i+5:], "Xackages")
				n++
			}
			if n == 0 {
				t.Fatal("no schema record for Packages")
			}
		}), "no Packages table"},
		{"sqlite header damaged", "/var/lib/rpm/rpmdb.sqlite", edit(sqlite, func(b []byte) {
			c := sqliteCell(b)
			// the payload size and rowid take 2+1 bytes here; the
			// record header follows, then the blob: clobber il.
			_, n := sqliteVarint(b[c:])
			_, m := sqliteVarint(b[c+n:])
			h, k := sqliteVarint(b[c+n+m:])
			binary.BigEndian.PutUint32(b[c+n+m+int(h):], 0x7fffffff)
			_ = k
		}), "tags, more than rpm accepts"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fsys := rootfs.Wrap(afero.NewMemMapFs())
			pkgWriteBinary(t, fsys, map[string][]byte{tt.path: tt.data, "/etc/os-release": []byte(rhelOSRelease)})
			got, err := pkgCollect(t, fsys, Packages{})
			if err == nil || !strings.HasPrefix(err.Error(), "packages: "+tt.path) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("facts %+v, error %v; want an error on %s containing %q", got, err, tt.path, tt.want)
			}
		})
	}
	// A rollback journal beside the database: an interrupted transaction.
	fsys := rootfs.Wrap(afero.NewMemMapFs())
	pkgWriteBinary(t, fsys, map[string][]byte{"/var/lib/rpm/rpmdb.sqlite": sqlite,
		"/var/lib/rpm/rpmdb.sqlite-journal": append(slices.Clone(sqliteJournalMagic), make([]byte, 504)...)})
	if _, err := pkgCollect(t, fsys, Packages{}); err == nil || !strings.Contains(err.Error(), "rpmdb.sqlite-journal: rollback journal") {
		t.Errorf("hot journal: error %v", err)
	}
	// A WAL that is not one.
	fsys = rootfs.Wrap(afero.NewMemMapFs())
	pkgWriteBinary(t, fsys, map[string][]byte{"/var/lib/rpm/rpmdb.sqlite": sqlite, "/var/lib/rpm/rpmdb.sqlite-wal": bytes.Repeat([]byte("x"), 64)})
	if _, err := pkgCollect(t, fsys, Packages{}); err == nil || !strings.Contains(err.Error(), "not a SQLite write-ahead log") {
		t.Errorf("bad WAL: error %v", err)
	}
	// A directory where the database belongs is an error, as for dpkg.
	fsys = rootfs.Wrap(afero.NewMemMapFs())
	if err := fsys.MkdirAll("/var/lib/rpm/rpmdb.sqlite", 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := pkgCollect(t, fsys, Packages{}); !errors.Is(err, ErrNotRegular) {
		t.Errorf("directory as database: error %v, want %v", err, ErrNotRegular)
	}
}

func TestRPMHeaderErrors(t *testing.T) {
	// A valid minimal header: NAME, VERSION, RELEASE as strings.
	build := func(entries [][4]int32, data []byte) []byte {
		var b []byte
		b = binary.BigEndian.AppendUint32(b, uint32(len(entries)))
		b = binary.BigEndian.AppendUint32(b, uint32(len(data)))
		for _, e := range entries {
			for _, v := range e {
				b = binary.BigEndian.AppendUint32(b, uint32(v))
			}
		}
		return append(b, data...)
	}
	data := []byte("bash\x005.1.8\x002.fc35\x00" + "\x00\x00" + "\x00\x00\x00\x01") // strings, padding, epoch 1
	ok := [][4]int32{{1000, 6, 0, 1}, {1001, 6, 5, 1}, {1002, 6, 11, 1}, {1003, 4, 20, 1}}
	h, err := parseRPMHeader(build(ok, data))
	if err != nil {
		t.Fatal(err)
	}
	p, err := h.pkg()
	if err != nil {
		t.Fatal(err)
	}
	if want := rpmEntry("bash", "1:5.1.8-2.fc35", "", "bash", "1:5.1.8-2.fc35"); p != want {
		t.Errorf("package %+v, want %+v", p, want)
	}
	for _, tt := range []struct {
		name    string
		blob    []byte
		want    string
		pkgWant string
	}{
		{"short", []byte{0, 0, 0}, "shorter than its 8-byte preamble", ""},
		{"no tags", build(nil, nil), "header has no tags", ""},
		{"length mismatch", append(build(ok, data), 0), "blob size", ""},
		{"too many tags", []byte{0, 1, 0, 0, 0, 0, 0, 0}, "more than rpm accepts", ""},
		{"string without NUL", build([][4]int32{{1000, 6, 0, 1}}, []byte("bash")), "data does not fit", ""},
		{"misaligned epoch", build([][4]int32{{1000, 6, 0, 1}, {1003, 4, 5, 1}}, []byte("bash\x00\x00\x00\x00\x00\x00\x00\x00")), "misaligned data", ""},
		{"name twice", build([][4]int32{{1000, 6, 0, 1}, {1000, 6, 5, 1}}, []byte("bash\x00zsh\x00")), "tag appears twice", ""},
		{"overlapping data", build([][4]int32{{1000, 6, 0, 1}, {1001, 6, 2, 1}}, []byte("bash\x00")), "overlaps the previous entry", ""},
		{"bad type", build([][4]int32{{1000, 12, 0, 1}}, []byte("bash\x00")), "invalid type", ""},
		{"bad tag", build([][4]int32{{99, 6, 0, 1}}, []byte("bash\x00")), "invalid tag", ""},
		{"name as an int", build([][4]int32{{1000, 4, 0, 1}}, []byte("bash")), "not a string", ""},
		{"region tag of the wrong type", build([][4]int32{{63, 6, 0, 16}}, make([]byte, 16)), "region tag 63", ""},
		{"no version", build([][4]int32{{1000, 6, 0, 1}, {1002, 6, 5, 1}}, []byte("bash\x002\x00")), "", "no VERSION"},
		{"name with a space", build(ok, bytes.Replace(data, []byte("bash"), []byte("ba h"), 1)), "", "white space"},
		{"bad SOURCERPM", build([][4]int32{{1000, 6, 0, 1}, {1001, 6, 2, 1}, {1002, 6, 4, 1}, {1044, 6, 6, 1}}, []byte("a\x001\x001\x00a.rpm\x00")), "", "not name-version-release.src.rpm"},
	} {
		h, err := parseRPMHeader(tt.blob)
		if tt.want != "" {
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("%s: error %v, want %q", tt.name, err, tt.want)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if _, err := h.pkg(); err == nil || !strings.Contains(err.Error(), tt.pkgWant) {
			t.Errorf("%s: pkg error %v, want %q", tt.name, err, tt.pkgWant)
		}
	}
}

func TestRPMSplitSourceRPM(t *testing.T) {
	for _, tt := range []struct{ in, name, version string }{
		{"bash-5.1.8-2.fc35.src.rpm", "bash", "5.1.8-2.fc35"},
		{"python-setuptools-57.4.0-1.fc35.src.rpm", "python-setuptools", "57.4.0-1.fc35"},
		{"kernel-5.14.0-427.13.1.el9_4.nosrc.rpm", "kernel", "5.14.0-427.13.1.el9_4"},
		{"vim-9.0.1~rc1-1^20240101git.el9.src.rpm", "vim", "9.0.1~rc1-1^20240101git.el9"},
	} {
		name, version, ok := rpmSplitSourceRPM(tt.in)
		if !ok || name != tt.name || version != tt.version {
			t.Errorf("rpmSplitSourceRPM(%q) = %q, %q, %v", tt.in, name, version, ok)
		}
	}
	for _, bad := range []string{"", "bash.src.rpm", "bash-5.1.src.rpm", "-5.1-2.src.rpm", "bash--2.src.rpm", "bash-5.1-.src.rpm", "bash-5.1-2.rpm"} {
		if _, _, ok := rpmSplitSourceRPM(bad); ok {
			t.Errorf("rpmSplitSourceRPM(%q) accepted", bad)
		}
	}
}

func TestPackagesRPMCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, tt := range []struct{ file, backend string }{
		{"rpm-bdb/Packages", rpmBDB}, {"rpm-ndb/Packages.db", rpmNDB}, {"rpm-sqlite/rpmdb.sqlite", rpmSQLite},
	} {
		if _, err := readRPM(ctx, afero.NewMemMapFs(), tt.file, tt.backend, pkgTestdataBytes(t, tt.file)); !errors.Is(err, context.Canceled) {
			t.Errorf("%s: error %v, want %v", tt.file, err, context.Canceled)
		}
	}
}

// fuzzRPMDatabase feeds damaged databases to a reader: whatever the
// bytes, it must return (no panic, no hang) and either fail naming the
// file or give packages with a name and a version.
//
// The fuzzer mutates edits of a seed database rather than the database
// itself: patch is a list of 3-byte edits (a 16-bit offset into the file,
// a byte to write there) and cut shortens the file. A database is kilobytes
// even when tiny, and Go's fuzzer spends its time minimizing inputs that
// large; edits stay small, and each one lands in a real structure.
func fuzzRPMDatabase(f *testing.F, backend string, seeds ...[]byte) {
	for i := range seeds {
		f.Add(uint8(i), []byte{}, uint16(0))
	}
	f.Fuzz(func(t *testing.T, seed uint8, patch []byte, cut uint16) {
		data := slices.Clone(seeds[int(seed)%len(seeds)])
		for ; len(patch) >= 3; patch = patch[3:] {
			data[int(binary.LittleEndian.Uint16(patch))%len(data)] = patch[2]
		}
		data = data[:len(data)-int(cut)%len(data)]
		pkgs, err := readRPM(context.Background(), afero.NewMemMapFs(), "/db", backend, data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "packages: /db") {
				t.Fatalf("error without the file: %v", err)
			}
			return
		}
		for _, p := range pkgs {
			if p.Name == "" || p.Version == "" || !p.Installed {
				t.Fatalf("bad entry %+v", p)
			}
		}
	})
}

// rpmFuzzItems are small records for the seeds.
var rpmFuzzItems = []bdbTestItem{
	{0, []byte{5, 0, 0, 0}, true},
	{1, rpmTestHeader("bash", "5.1.8", "6.el9", -1, "x86_64", "bash-5.1.8-6.el9.src.rpm"), true},
	{2, rpmTestHeader("shadow-utils", "4.9", "8.el9", 2, "x86_64", "shadow-utils-4.9-8.el9.src.rpm"), false},
	{4, rpmTestHeader("gpg-pubkey", "fd431d51", "4ae0493b", -1, "", "(none)"), true},
}

func FuzzPackagesRPMBDB(f *testing.F) {
	fuzzRPMDatabase(f, rpmBDB,
		buildBDB(binary.LittleEndian, 512, [][][]bdbTestItem{{rpmFuzzItems[:2]}, {rpmFuzzItems[2:]}}),
		buildBDB(binary.BigEndian, 512, [][][]bdbTestItem{{rpmFuzzItems}}))
}

func FuzzPackagesRPMNDB(f *testing.F) {
	var blobs []rpmBlob
	for _, it := range rpmFuzzItems[1:] {
		blobs = append(blobs, rpmBlob{it.hnum, it.value})
	}
	fuzzRPMDatabase(f, rpmNDB, buildNDB(blobs))
}

func FuzzPackagesRPMSQLite(f *testing.F) {
	fuzzRPMDatabase(f, rpmSQLite, pkgTestdataBytes(f, "rpm-sqlite-small/fuzz-seed.sqlite"))
}

// FuzzRPMHeader checks the header parser alone, which every backend's
// blobs go through.
func FuzzRPMHeader(f *testing.F) {
	f.Add(rpmTestHeader("bash", "5.1.8", "6.el9", 1, "x86_64", "bash-5.1.8-6.el9.src.rpm"))
	f.Add(rpmTestHeader("gpg-pubkey", "fd431d51", "4ae0493b", -1, "", "(none)"))
	f.Fuzz(func(t *testing.T, blob []byte) {
		h, err := parseRPMHeader(blob)
		if err != nil {
			return
		}
		if p, err := h.pkg(); err == nil && (p.Name == "" || !strings.Contains(p.Version, "-")) {
			t.Fatalf("bad package %+v", p)
		}
	})
}

// BenchmarkPackagesRPM measures reading each test database.
func BenchmarkPackagesRPM(b *testing.B) {
	for _, tt := range []struct{ file, backend string }{
		{"rpm-bdb/Packages", rpmBDB}, {"rpm-ndb/Packages.db", rpmNDB}, {"rpm-sqlite/rpmdb.sqlite", rpmSQLite},
	} {
		b.Run(tt.backend, func(b *testing.B) {
			data := pkgTestdataBytes(b, tt.file)
			fsys := afero.NewMemMapFs()
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			var n int
			for b.Loop() {
				pkgs, err := readRPM(context.Background(), fsys, "/db", tt.backend, data)
				if err != nil {
					b.Fatal(err)
				}
				n = len(pkgs)
			}
			b.ReportMetric(float64(n), "packages")
		})
	}
}

// ---- Databases built here, byte by byte, from the formats' definitions ----

// rpmTestHeader builds a header blob as rpm writes it: an immutable
// region (first entry and trailer) around NAME, VERSION, RELEASE, EPOCH
// (when epoch >= 0), ARCH and SOURCERPM (when not "").
func rpmTestHeader(name, version, release string, epoch int64, arch, srpm string) []byte {
	type tag struct {
		tag int32
		s   string
		i   int64
	}
	tags := []tag{{1000, name, -1}, {1001, version, -1}, {1002, release, -1}}
	if epoch >= 0 {
		tags = append(tags, tag{1003, "", epoch})
	}
	if arch != "" {
		tags = append(tags, tag{1022, arch, -1})
	}
	if srpm != "" {
		tags = append(tags, tag{1044, srpm, -1})
	}
	var data, index []byte
	entry := func(b []byte, tag int32, typ uint32, off int32, count uint32) []byte {
		b = binary.BigEndian.AppendUint32(b, uint32(tag))
		b = binary.BigEndian.AppendUint32(b, typ)
		b = binary.BigEndian.AppendUint32(b, uint32(off))
		return binary.BigEndian.AppendUint32(b, count)
	}
	for _, tg := range tags {
		if tg.i >= 0 {
			for len(data)%4 != 0 {
				data = append(data, 0)
			}
			index = entry(index, tg.tag, 4, int32(len(data)), 1)
			data = binary.BigEndian.AppendUint32(data, uint32(tg.i))
			continue
		}
		index = entry(index, tg.tag, 6, int32(len(data)), 1)
		data = append(append(data, tg.s...), 0)
	}
	il := len(tags) + 1
	region := entry(nil, 63, 7, int32(len(data)), 16)
	data = entry(data, 63, 7, int32(-16*il), 16) // the trailer
	var b []byte
	b = binary.BigEndian.AppendUint32(b, uint32(il))
	b = binary.BigEndian.AppendUint32(b, uint32(len(data)))
	return append(append(append(b, region...), index...), data...)
}

// bdbTestItem is one record of a built Berkeley DB database.
type bdbTestItem struct {
	hnum   uint32
	value  []byte
	inline bool
}

// buildBDB builds a Berkeley DB hash database as rpm's Packages: one
// metadata page, then for each bucket its chain of hash pages, then the
// overflow pages of the values not stored inline. pages[b] lists bucket
// b's pages, each with its records.
func buildBDB(order binary.ByteOrder, pagesize int, buckets [][][]bdbTestItem) []byte {
	type ovfl struct {
		page  int
		value []byte
	}
	npages := 1
	for _, chain := range buckets {
		npages += len(chain)
	}
	pages := make([][]byte, npages)
	var ovfls []ovfl
	newPage := func(pgno int, typ byte) []byte {
		p := make([]byte, pagesize)
		order.PutUint32(p[8:], uint32(pgno))
		p[25] = typ
		return p
	}
	var spares [32]uint32
	pgno := 1
	for b, chain := range buckets {
		// bucket b's first page is b + spares[bits(b)]
		bits := 0
		for x := b; x != 0; x >>= 1 {
			bits++
		}
		spares[bits] = uint32(pgno - b)
		for i, items := range chain {
			p := newPage(pgno, 13)
			if i+1 < len(chain) {
				order.PutUint32(p[16:], uint32(pgno+1))
			}
			if i > 0 {
				order.PutUint32(p[12:], uint32(pgno-1))
			}
			top := pagesize
			var inp []int
			put := func(item []byte) {
				top -= len(item)
				copy(p[top:], item)
				inp = append(inp, top)
			}
			for _, it := range items {
				key := make([]byte, 5)
				key[0] = 1
				order.PutUint32(key[1:], it.hnum)
				put(key)
				if it.inline {
					put(append([]byte{1}, it.value...))
					continue
				}
				off := make([]byte, 12)
				off[0] = 3
				put(off)
				ovfls = append(ovfls, ovfl{pgno*pagesize + top, it.value})
			}
			order.PutUint16(p[20:], uint16(len(inp)))
			order.PutUint16(p[22:], uint16(top))
			for i, o := range inp {
				order.PutUint16(p[26+2*i:], uint16(o))
			}
			pages[pgno] = p
			pgno++
		}
	}
	// Overflow chains, and the offpage items that point at them.
	for _, o := range ovfls {
		ref := pages[o.page/pagesize][o.page%pagesize:]
		order.PutUint32(ref[4:], uint32(pgno))
		order.PutUint32(ref[8:], uint32(len(o.value)))
		for rest := o.value; len(rest) > 0; {
			n := min(len(rest), pagesize-26)
			p := newPage(pgno, 7)
			copy(p[26:], rest[:n])
			order.PutUint16(p[22:], uint16(n))
			rest = rest[n:]
			if len(rest) > 0 {
				order.PutUint32(p[16:], uint32(pgno+1))
			}
			pages = append(pages, p)
			pgno++
		}
	}
	meta := make([]byte, pagesize)
	order.PutUint32(meta[12:], bdbHashMagic)
	order.PutUint32(meta[16:], 9) // hash version
	order.PutUint32(meta[20:], uint32(pagesize))
	meta[25] = 8
	order.PutUint32(meta[32:], uint32(len(pages)-1))
	order.PutUint32(meta[72:], uint32(len(buckets)-1)) // max bucket
	order.PutUint32(meta[76:], uint32(len(buckets)-1)) // high mask
	for i, s := range spares {
		order.PutUint32(meta[96+4*i:], s)
	}
	pages[0] = meta
	return bytes.Join(pages, nil)
}

// buildNDB builds an ndb Packages.db: header and one slot page, then each
// blob between its head and tail, as rpmpkgWriteBlob writes it.
func buildNDB(blobs []rpmBlob) []byte {
	le := binary.LittleEndian
	out := make([]byte, ndbPageSize)
	le.PutUint32(out, ndbMagic)
	le.PutUint32(out[12:], 1) // slot pages
	for o := ndbHeaderSize; o < ndbPageSize; o += ndbSlotSize {
		le.PutUint32(out[o:], ndbSlotMagic)
	}
	for i, b := range blobs {
		blkcnt := (ndbBlobHead + len(b.data) + ndbBlobTail + ndbBlkSize - 1) / ndbBlkSize
		slot := out[ndbHeaderSize+ndbSlotSize*(2*i+1):] // every other slot is free
		le.PutUint32(slot[4:], b.hnum)
		le.PutUint32(slot[8:], uint32(len(out)/ndbBlkSize))
		le.PutUint32(slot[12:], uint32(blkcnt))
		blk := make([]byte, blkcnt*ndbBlkSize)
		le.PutUint32(blk, ndbBlobMagic)
		le.PutUint32(blk[4:], b.hnum)
		le.PutUint32(blk[12:], uint32(len(b.data)))
		copy(blk[ndbBlobHead:], b.data)
		tail := blk[len(blk)-ndbBlobTail:]
		le.PutUint32(tail, adler32.Checksum(blk[:len(blk)-ndbBlobTail]))
		le.PutUint32(tail[4:], uint32(len(b.data)))
		le.PutUint32(tail[8:], ndbTailMagic)
		out = append(out, blk...)
	}
	return out
}

// rpmBuiltRecords are the records of the built databases: small headers
// (inline in bdb), the real ones of the sqlite test data (overflow pages),
// and bdb's record 0, rpm's counter of instances.
func rpmBuiltRecords(t testing.TB) ([]bdbTestItem, []Package) {
	t.Helper()
	real, err := rpmSQLiteBlobs(context.Background(), afero.NewMemMapFs(), "/db", pkgTestdataBytes(t, "rpm-sqlite/rpmdb.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	items := []bdbTestItem{
		{0, []byte{12, 0, 0, 0}, true},
		{3, rpmTestHeader("bash", "5.1.8", "6.el9", -1, "x86_64", "bash-5.1.8-6.el9.src.rpm"), true},
		{5, real[4].data, false},
		{4, rpmTestHeader("shadow-utils", "4.9", "8.el9", 2, "x86_64", "shadow-utils-4.9-8.el9.src.rpm"), true},
		{11, rpmTestHeader("gpg-pubkey", "fd431d51", "4ae0493b", -1, "", "(none)"), true},
		{9, real[6].data, false},
	}
	want := []Package{
		rpmEntry("bash", "5.1.8-6.el9", "x86_64", "bash", "5.1.8-6.el9"),
		rpmEntry("shadow-utils", "2:4.9-8.el9", "x86_64", "shadow-utils", "2:4.9-8.el9"),
		rpmSQLiteWant[4],
		rpmSQLiteWant[6],
		rpmEntry("gpg-pubkey", "fd431d51-4ae0493b", "", "gpg-pubkey", "fd431d51-4ae0493b"),
	}
	return items, want
}

// rpmBuiltBDB lays the records out over two buckets, bucket 0 a chain of
// two pages, in 512-byte pages.
func rpmBuiltBDB(t testing.TB, order binary.ByteOrder) ([]byte, []Package) {
	items, want := rpmBuiltRecords(t)
	return buildBDB(order, 512, [][][]bdbTestItem{{items[:2], items[2:4]}, {items[4:]}}), want
}

func rpmBuiltNDB(t testing.TB) ([]byte, []Package) {
	items, want := rpmBuiltRecords(t)
	var blobs []rpmBlob
	for _, it := range items[1:] { // ndb has no record 0
		blobs = append(blobs, rpmBlob{it.hnum, it.value})
	}
	return buildNDB(blobs), want
}

func TestPackagesRPMBuilt(t *testing.T) {
	le, want := rpmBuiltBDB(t, binary.LittleEndian)
	be, _ := rpmBuiltBDB(t, binary.BigEndian)
	ndb, _ := rpmBuiltNDB(t)
	for _, tt := range []struct {
		name, path string
		data       []byte
	}{
		{"bdb little-endian", "/var/lib/rpm/Packages", le},
		{"bdb big-endian", "/var/lib/rpm/Packages", be},
		{"ndb", "/var/lib/rpm/Packages.db", ndb},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fsys := rootfs.Wrap(afero.NewMemMapFs())
			pkgWriteBinary(t, fsys, map[string][]byte{tt.path: tt.data, "/etc/os-release": []byte(rhelOSRelease)})
			got, gerr := pkgCollect(t, fsys, Packages{})
			if gerr != nil {
				t.Fatal(gerr)
			}
			if diff := cmp.Diff(rpmFacts(tt.path, want...), got); diff != "" {
				t.Errorf("facts (-want +got):\n%s", diff)
			}
		})
	}
	// go-rpmdb reads the ndb one alike (its bdb reader skips inline
	// values, which rpm reads: rpm itself checks the bdb ones in the
	// oracle test).
	path := filepath.Join(t.TempDir(), "Packages.db")
	if err := os.WriteFile(path, ndb, 0o644); err != nil {
		t.Fatal(err)
	}
	got, rerr := readRPM(context.Background(), afero.NewMemMapFs(), path, rpmNDB, ndb)
	if rerr != nil {
		t.Fatal(rerr)
	}
	if diff := cmp.Diff(pkgSortEntries(rpmFromGoRPMDB(t, path)), pkgSortEntries(got)); diff != "" {
		t.Errorf("ndb (-go-rpmdb +collector):\n%s", diff)
	}
}
