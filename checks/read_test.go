package checks

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/spf13/afero"

	"github.com/gcrun/gcrun/checks/rootfs"
)

// readRoot is a real root with one path of each kind ReadFile must handle.
func readRoot(t *testing.T) (string, *rootfs.Fs) {
	t.Helper()
	dir := t.TempDir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(dir, "etc/ssh"), 0o755))
	must(os.WriteFile(filepath.Join(dir, "etc/hosts"), []byte("127.0.0.1 localhost\n"), 0o644))
	must(os.WriteFile(filepath.Join(dir, "etc/exact"), bytes.Repeat([]byte("x"), 64), 0o644))
	must(os.WriteFile(filepath.Join(dir, "etc/over"), bytes.Repeat([]byte("x"), 65), 0o644))
	f, err := os.Create(filepath.Join(dir, "etc/passwd"))
	must(err)
	must(f.Truncate(10 << 30)) // sparse: no disk used, 10 GiB by stat
	must(f.Close())
	must(syscall.Mkfifo(filepath.Join(dir, "etc/ssh/sshd_config"), 0o644))
	must(syscall.Mknod(filepath.Join(dir, "etc/socket"), syscall.S_IFSOCK|0o644, 0))
	must(os.MkdirAll(filepath.Join(dir, "etc/machine-id"), 0o755))
	must(os.WriteFile(filepath.Join(dir, "etc/locked"), []byte("secret\n"), 0o000))
	must(os.Symlink("/etc/hosts", filepath.Join(dir, "etc/abs")))
	must(os.Symlink("../../../../etc/hosts", filepath.Join(dir, "etc/ssh/rel")))
	fsys, err := rootfs.New(dir)
	must(err)
	return dir, fsys
}

// readFileWithin runs ReadFile, failing the test if it blocks.
func readFileWithin(t *testing.T, fsys afero.Fs, name string, limit int64) ([]byte, error) {
	t.Helper()
	type result struct {
		b   []byte
		err error
	}
	done := make(chan result, 1)
	go func() {
		b, err := ReadFile(fsys, name, limit)
		done <- result{b, err}
	}()
	select {
	case r := <-done:
		return r.b, r.err
	case <-time.After(5 * time.Second):
		t.Fatalf("ReadFile(%s) blocked", name)
		return nil, nil
	}
}

func TestReadFile(t *testing.T) {
	_, fsys := readRoot(t)
	for _, c := range []struct {
		name  string
		limit int64
		want  string
		err   error
	}{
		{"/etc/hosts", MaxConfigSize, "127.0.0.1 localhost\n", nil},
		{"/etc/abs", MaxConfigSize, "127.0.0.1 localhost\n", nil},     // absolute link, resolved in the root
		{"/etc/ssh/rel", MaxConfigSize, "127.0.0.1 localhost\n", nil}, // ../ climbing stops at the root
		{"/etc/exact", 64, strings.Repeat("x", 64), nil},
		{"/etc/over", 64, "", ErrTooLarge},
		{"/etc/passwd", MaxConfigSize, "", ErrTooLarge},
		{"/etc/ssh/sshd_config", MaxConfigSize, "", ErrNotRegular},
		{"/etc/socket", MaxConfigSize, "", ErrNotRegular},
		{"/etc/machine-id", MaxConfigSize, "", ErrNotRegular},
		{"/etc/missing", MaxConfigSize, "", fs.ErrNotExist},
	} {
		start := time.Now()
		b, err := readFileWithin(t, fsys, c.name, c.limit)
		switch {
		case c.err == nil && (err != nil || string(b) != c.want):
			t.Errorf("%s: %q, %v; want %q", c.name, b, err, c.want)
		case c.err != nil && (!errors.Is(err, c.err) || b != nil):
			t.Errorf("%s: %d bytes, %v; want %v", c.name, len(b), err, c.err)
		}
		var pe *fs.PathError
		if err != nil && (!errors.As(err, &pe) || pe.Path != c.name) {
			t.Errorf("%s: error %v does not name the path inside the root", c.name, err)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("%s took %s", c.name, d)
		}
	}
}

// TestReadFileUnreadable: root bypasses permission checks; anyone else
// gets fs.ErrPermission.
func TestReadFileUnreadable(t *testing.T) {
	_, fsys := readRoot(t)
	b, err := readFileWithin(t, fsys, "/etc/locked", MaxConfigSize)
	if os.Geteuid() == 0 {
		if err != nil || string(b) != "secret\n" {
			t.Errorf("as root: %q, %v", b, err)
		}
		return
	}
	if !errors.Is(err, fs.ErrPermission) {
		t.Errorf("not root: %q, %v; want fs.ErrPermission", b, err)
	}
}

// lyingFs reports every file as one byte long, as a file that grows
// between stat and read would look.
type lyingFs struct{ afero.Fs }

type lyingInfo struct{ os.FileInfo }

func (lyingInfo) Size() int64 { return 1 }

func (l lyingFs) Stat(name string) (os.FileInfo, error) {
	fi, err := l.Fs.Stat(name)
	if err != nil {
		return nil, err
	}
	return lyingInfo{fi}, nil
}

// TestReadFileGrowing: the limit holds on the bytes read, not only on
// what stat said.
func TestReadFileGrowing(t *testing.T) {
	mem := afero.NewMemMapFs()
	if err := afero.WriteFile(mem, "/etc/big", bytes.Repeat([]byte("y"), 1000), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := ReadFile(lyingFs{mem}, "/etc/big", 100)
	if !errors.Is(err, ErrTooLarge) || b != nil {
		t.Fatalf("%d bytes, %v; want ErrTooLarge", len(b), err)
	}
	if b, err := ReadFile(lyingFs{mem}, "/etc/big", 1000); err != nil || len(b) != 1000 {
		t.Fatalf("at the limit: %d bytes, %v", len(b), err)
	}
}
