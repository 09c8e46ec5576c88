package rootfs

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/spf13/afero"
)

func mkroot(t *testing.T) (string, *Fs) {
	t.Helper()
	dir := t.TempDir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(dir, "etc", "sub"), 0o755))
	must(os.WriteFile(filepath.Join(dir, "etc", "passwd"), []byte("in-root"), 0o644))
	must(os.Symlink("/etc/passwd", filepath.Join(dir, "etc", "abs-link")))
	must(os.Symlink("../../../../../../etc/passwd", filepath.Join(dir, "etc", "sub", "climb")))
	must(os.Symlink("/", filepath.Join(dir, "etc", "rootlink")))
	must(os.Symlink("loop", filepath.Join(dir, "etc", "loop")))
	fsys, err := New(dir)
	must(err)
	return dir, fsys
}

func read(t *testing.T, fsys afero.Fs, name string) string {
	t.Helper()
	b, err := afero.ReadFile(fsys, name)
	if err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	return string(b)
}

func TestSymlinksResolveInsideRoot(t *testing.T) {
	_, fsys := mkroot(t)
	for _, name := range []string{"/etc/passwd", "/etc/abs-link", "/etc/sub/climb", "/../../etc/passwd", "/etc/rootlink/etc/passwd", "etc/passwd"} {
		if got := read(t, fsys, name); got != "in-root" {
			t.Errorf("%s: read %q, want the root's own file", name, got)
		}
	}
}

func TestLstatDescribesLinkItself(t *testing.T) {
	_, fsys := mkroot(t)
	fi, _, err := fsys.LstatIfPossible("/etc/abs-link")
	if err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("lstat = %v, %v; want a symlink", fi, err)
	}
	target, err := fsys.ReadlinkIfPossible("/etc/abs-link")
	if err != nil || target != "/etc/passwd" {
		t.Fatalf("readlink = %q, %v", target, err)
	}
	if p, err := fsys.Resolve("/etc/sub/climb"); err != nil || p != "/etc/passwd" {
		t.Fatalf("resolve = %q, %v", p, err)
	}
}

func TestLoopIsAnErrorNotAHang(t *testing.T) {
	_, fsys := mkroot(t)
	_, err := fsys.Open("/etc/loop")
	if err == nil {
		t.Fatal("opening a symlink loop succeeded")
	}
	var pe *fs.PathError
	if !errors.As(err, &pe) || pe.Path != "/etc/loop" {
		t.Fatalf("err = %v, want a PathError naming the in-root path", err)
	}
}

func TestMissingIsNotExist(t *testing.T) {
	_, fsys := mkroot(t)
	if _, err := fsys.Stat("/etc/nope"); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("err = %v, want fs.ErrNotExist", err)
	}
}

func TestOpenFIFODoesNotBlock(t *testing.T) {
	dir, fsys := mkroot(t)
	if err := syscall.Mkfifo(filepath.Join(dir, "etc", "fifo"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	f, err := fsys.Open("/etc/fifo")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, 1)
	if _, err := f.Read(buf); err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, syscall.EAGAIN) {
		t.Fatalf("read: %v", err)
	}
}

func TestWritesStayInsideRoot(t *testing.T) {
	dir, fsys := mkroot(t)
	outside := t.TempDir()
	if err := os.Symlink(outside, filepath.Join(dir, "etc", "out")); err != nil {
		t.Fatal(err)
	}
	if err := afero.WriteFile(fsys, "/etc/out/x", []byte("w"), 0o600); err == nil {
		t.Fatal("writing through a link to a host directory outside the root succeeded")
	}
	if _, err := os.Stat(filepath.Join(outside, "x")); err == nil {
		t.Fatal("file was written outside the root")
	}
}
