package checks

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gcrun/gcrun/checks/rootfs"
	"github.com/gcrun/gcrun/internal/oracle"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/spf13/afero"
)

// ownedFs gives an afero.MemMapFs the ownership that MemMapFs keeps but
// does not report.
type ownedFs struct {
	afero.Fs
	owners map[string][2]int
}

type ownedInfo struct {
	os.FileInfo
	uid, gid int
}

func (o ownedInfo) Sys() any              { return o }
func (o ownedInfo) Owner() (uid, gid int) { return o.uid, o.gid }

func (f ownedFs) wrap(name string, fi os.FileInfo) os.FileInfo {
	ids := f.owners[filepath.Clean(name)]
	return ownedInfo{FileInfo: fi, uid: ids[0], gid: ids[1]}
}

func (f ownedFs) Stat(name string) (os.FileInfo, error) {
	fi, err := f.Fs.Stat(name)
	if err != nil {
		return nil, err
	}
	return f.wrap(name, fi), nil
}

func (f ownedFs) LstatIfPossible(name string) (os.FileInfo, bool, error) {
	fi, err := f.Stat(name)
	return fi, false, err
}

// fileSpec is one file of a test root.
type fileSpec struct {
	path     string
	content  string
	mode     os.FileMode
	uid, gid int
	dir      bool
}

var filesFixture = []fileSpec{
	// Names differ from any real host's so that a test resolving them
	// through the host's /etc/passwd would fail.
	{path: "/etc/passwd", content: "toor:x:0:0::/root:/bin/sh\n+::::::\nbroken line\nalice:x:1000:1000::/home/alice:/bin/sh\n", mode: 0o644},
	{path: "/etc/group", content: "wheelz:x:0:\nshadowy:x:42:\n", mode: 0o644},
	{path: "/etc/shadow", content: "toor:*:1::::::\n", mode: 0o640, gid: 42},
	{path: "/etc/ssh", dir: true, mode: 0o755},
	{path: "/etc/ssh/ssh_host_rsa_key", content: "k", mode: 0o600},
	{path: "/etc/ssh/ssh_host_ed25519_key", content: "k", mode: 0o644, uid: 1000, gid: 1000},
	{path: "/etc/ssh/ssh_host_ed25519_key.pub", content: "p", mode: 0o644},
	{path: "/usr/bin/su", content: "elf", mode: 0o4755 | os.ModeSetuid, uid: 0, gid: 7},
}

func stat(path, mode string, bits uint32, uid, gid int, owner, group string, size int64) *FileInfo {
	b := func(shift uint) Access {
		return Access{Read: bits>>shift&4 != 0, Write: bits>>shift&2 != 0, Execute: bits>>shift&1 != 0}
	}
	return &FileInfo{Path: path, Exists: true, FileStat: &FileStat{
		Type: "file", Mode: mode, ModeBits: bits,
		Permissions: Permissions{User: b(6), Group: b(3), Other: b(0), Setuid: bits&0o4000 != 0, Setgid: bits&0o2000 != 0, Sticky: bits&0o1000 != 0},
		UID:         uid, GID: gid, Owner: owner, Group: group, Size: size,
	}}
}

var filesWant = &FilesFacts{
	Paths: map[string]*FileInfo{
		"/etc/passwd":                       stat("/etc/passwd", "0644", 0o644, 0, 0, "toor", "wheelz", 85),
		"/etc/shadow":                       stat("/etc/shadow", "0640", 0o640, 0, 42, "toor", "shadowy", 15),
		"/etc/gshadow":                      {Path: "/etc/gshadow"},
		"/etc/ssh/ssh_host_rsa_key":         stat("/etc/ssh/ssh_host_rsa_key", "0600", 0o600, 0, 0, "toor", "wheelz", 1),
		"/etc/ssh/ssh_host_ed25519_key":     stat("/etc/ssh/ssh_host_ed25519_key", "0644", 0o644, 1000, 1000, "alice", "", 1),
		"/etc/ssh/ssh_host_ed25519_key.pub": stat("/etc/ssh/ssh_host_ed25519_key.pub", "0644", 0o644, 0, 0, "toor", "wheelz", 1),
		"/usr/bin/su":                       stat("/usr/bin/su", "4755", 0o4755, 0, 7, "toor", "", 3),
	},
	Globs: map[string][]string{
		"/etc/ssh/ssh_host_*_key": {"/etc/ssh/ssh_host_ed25519_key", "/etc/ssh/ssh_host_rsa_key"},
		"/etc/nothing/*":          {},
	},
}

var filesPaths = []string{"/etc/passwd", "/etc/shadow", "/etc/gshadow", "/etc/./passwd", "/etc/ssh/ssh_host_*_key", "/etc/ssh/ssh_host_ed25519_key.pub", "/usr/bin/su", "/etc/nothing/*"}

var ignoreMtime = cmpopts.IgnoreFields(FileStat{}, "Mtime")

// osRoot writes specs into a temporary directory, with real ownership
// when the test runs as root.
func osRoot(t *testing.T, specs []fileSpec) (string, *rootfs.Fs) {
	t.Helper()
	dir := t.TempDir()
	for _, s := range specs {
		p := filepath.Join(dir, s.path)
		if s.dir {
			if err := os.MkdirAll(p, s.mode.Perm()); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s.content), 0o600); err != nil {
			t.Fatal(err)
		}
		if os.Geteuid() == 0 {
			if err := os.Chown(p, s.uid, s.gid); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.Chmod(p, s.mode); err != nil {
			t.Fatal(err)
		}
	}
	fsys, err := rootfs.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	return dir, fsys
}

func memRoot(t *testing.T, specs []fileSpec) *rootfs.Fs {
	t.Helper()
	mem := afero.NewMemMapFs()
	owners := map[string][2]int{}
	for _, s := range specs {
		if s.dir {
			if err := mem.MkdirAll(s.path, s.mode); err != nil {
				t.Fatal(err)
			}
		} else if err := afero.WriteFile(mem, s.path, []byte(s.content), s.mode); err != nil {
			t.Fatal(err)
		}
		if err := mem.Chmod(s.path, s.mode); err != nil {
			t.Fatal(err)
		}
		owners[s.path] = [2]int{s.uid, s.gid}
	}
	return rootfs.Wrap(ownedFs{Fs: mem, owners: owners})
}

func TestFilesMemMapFs(t *testing.T) {
	got, err := Files{Paths: filesPaths}.Collect(context.Background(), Target{Fs: memRoot(t, filesFixture), Root: "/"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(filesWant, got, ignoreMtime); diff != "" {
		t.Errorf("facts (-want +got):\n%s", diff)
	}
}

func TestFilesOsFs(t *testing.T) {
	if os.Geteuid() != 0 {
		oracle.Missing(t, "chown needs root")
	}
	_, fsys := osRoot(t, filesFixture)
	got, err := Files{Paths: filesPaths}.Collect(context.Background(), Target{Fs: fsys, Root: "x"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(filesWant, got, ignoreMtime); diff != "" {
		t.Errorf("facts (-want +got):\n%s", diff)
	}
	fi := got.(*FilesFacts).Paths["/etc/passwd"]
	if time.Since(fi.Mtime) > time.Hour {
		t.Errorf("mtime %v is not the file's", fi.Mtime)
	}
}

func TestFilesMemMapFsWithoutOwnership(t *testing.T) {
	mem := afero.NewMemMapFs()
	if err := afero.WriteFile(mem, "/etc/passwd", []byte("root:x:0:0::/:/bin/sh\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Files{Paths: []string{"/etc/passwd"}}.Collect(context.Background(), Target{Fs: rootfs.Wrap(mem)})
	if !errors.Is(err, ErrNoOwnership) || !strings.Contains(err.Error(), "/etc/passwd") {
		t.Fatalf("err = %v, want ErrNoOwnership naming /etc/passwd", err)
	}
}

func TestFilesRejectsRelativePath(t *testing.T) {
	_, err := Files{Paths: []string{"etc/passwd"}}.Collect(context.Background(), Target{Fs: memRoot(t, nil)})
	if err == nil || !strings.Contains(err.Error(), `"etc/passwd" is not an absolute path`) {
		t.Fatalf("err = %v", err)
	}
}

// TestFilesSymlinksStayInRoot plants links that would reach the host's
// files if followed naively.
func TestFilesSymlinksStayInRoot(t *testing.T) {
	dir, fsys := osRoot(t, []fileSpec{
		{path: "/etc/passwd", content: "root:x:0:0::/:/bin/sh\n", mode: 0o644},
		{path: "/etc/real-shadow", content: "0123456789", mode: 0o600},
	})
	links := map[string]string{
		"/etc/shadow":  "/etc/real-shadow",               // absolute: must stay in the root
		"/etc/gshadow": "../../../../../etc/real-shadow", // climbs above the root
		"/etc/hosts":   "/etc/hosts",                     // loop; the host has an /etc/hosts
		"/etc/group":   "/nonexistent",                   // dangling
	}
	for from, to := range links {
		if err := os.Symlink(to, filepath.Join(dir, from)); err != nil {
			t.Fatal(err)
		}
	}
	got, err := Files{Paths: []string{"/etc/shadow", "/etc/gshadow", "/etc/group"}}.Collect(context.Background(), Target{Fs: fsys})
	if err != nil {
		t.Fatal(err)
	}
	paths := got.(*FilesFacts).Paths
	for _, p := range []string{"/etc/shadow", "/etc/gshadow"} {
		fi := paths[p]
		if fi.Type != "symlink" || fi.Target == nil || !fi.Target.Exists || fi.Target.Path != "/etc/real-shadow" || fi.Target.Size != 10 || fi.Target.Mode != "0600" {
			t.Errorf("%s: got %+v target %+v, want a symlink to the root's /etc/real-shadow", p, fi.FileStat, fi.Target)
		}
	}
	if fi := paths["/etc/group"]; fi.LinkTarget != "/nonexistent" || fi.Target == nil || fi.Target.Exists {
		t.Errorf("/etc/group: got %+v, want a dangling link", fi.FileStat)
	}
	_, err = Files{Paths: []string{"/etc/hosts"}}.Collect(context.Background(), Target{Fs: fsys})
	if err == nil || !strings.Contains(err.Error(), "/etc/hosts") {
		t.Fatalf("symlink loop: err = %v, want an error naming /etc/hosts", err)
	}
}

// TestFilesStatOracle compares every field with stat(1) on real files.
func TestFilesStatOracle(t *testing.T) {
	statBin := oracle.Require(t, "stat")
	if os.Geteuid() != 0 {
		oracle.Missing(t, "chown needs root")
	}
	dir, fsys := osRoot(t, filesFixture)
	got, err := Files{Paths: filesPaths}.Collect(context.Background(), Target{Fs: fsys})
	if err != nil {
		t.Fatal(err)
	}
	for p, fi := range got.(*FilesFacts).Paths {
		if !fi.Exists {
			continue
		}
		out, err := exec.Command(statBin, "-c", "%a|%u|%g|%s|%F|%Y", filepath.Join(dir, p)).Output()
		if err != nil {
			t.Fatal(err)
		}
		f := strings.Split(strings.TrimSpace(string(out)), "|")
		mode, _ := strconv.ParseUint(f[0], 8, 32)
		uid, _ := strconv.Atoi(f[1])
		gid, _ := strconv.Atoi(f[2])
		size, _ := strconv.ParseInt(f[3], 10, 64)
		mtime, _ := strconv.ParseInt(f[5], 10, 64)
		types := map[string]string{"regular file": "file", "regular empty file": "file", "directory": "directory", "symbolic link": "symlink"}
		want := []any{uint32(mode), uid, gid, size, types[f[4]], mtime}
		have := []any{fi.ModeBits, fi.UID, fi.GID, fi.Size, fi.Type, fi.Mtime.Unix()}
		if diff := cmp.Diff(want, have); diff != "" {
			t.Errorf("%s: stat(1) disagrees (-stat +gcrun):\n%s", p, diff)
		}
	}
}
