// Package rootfs confines file-system access to a scanned root.
//
// A root that gcrun scans may be a mounted disk image or a container rootfs
// built by anyone, so its symbolic links are hostile: an absolute link such as
// /etc/shadow -> /etc/shadow must resolve to the image's own /etc/shadow, never
// the scanning host's. The Fs returned by New resolves every path the way
// chroot(2) would, with github.com/cyphar/filepath-securejoin: symlinks are
// followed relative to the root, ".." never climbs above it, and symlink loops
// end in an error instead of a hang.
//
// The Fs is read-only for collectors; write operations are resolved the same
// way so that remediation (which writes) stays inside the root too.
package rootfs

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"syscall"
	"time"

	securejoin "github.com/cyphar/filepath-securejoin"
	"github.com/spf13/afero"
)

// Fs is an afero.Fs whose paths are absolute paths inside a scanned root.
type Fs struct {
	base afero.Fs
	name string
	// host is the directory of the operating system's file system that is
	// the root, for an Fs made by New; "" for one made by Wrap.
	host string
}

var (
	_ afero.Fs         = (*Fs)(nil)
	_ afero.Lstater    = (*Fs)(nil)
	_ afero.LinkReader = (*Fs)(nil)
)

// New returns an Fs confined to the directory dir of the operating system's
// file system. dir "/" scans the live host.
func New(dir string) (*Fs, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("root %s: %w", dir, err)
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return nil, fmt.Errorf("root %s: %w", dir, err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("root %s: not a directory", dir)
	}
	var base afero.Fs = afero.NewOsFs()
	if abs != "/" {
		base = afero.NewBasePathFs(base, abs)
	}
	return &Fs{base: base, name: abs, host: abs}, nil
}

// HostDir returns the absolute directory of the operating system's file
// system that is the root of an Fs made by New ("/" for the live host), and
// false for an Fs made by Wrap, whose files may not be on disk at all.
//
// It is for walkers that must be faster than resolving every path with
// securejoin: they must open the directory themselves and then descend only
// with openat(2) relative to a parent's descriptor and O_NOFOLLOW (and lstat
// with fstatat(2) and AT_SYMLINK_NOFOLLOW), never by joining host paths, so
// that a symlink, even one swapped in during the walk, cannot lead them out
// of the root.
func (f *Fs) HostDir() (string, bool) {
	return f.host, f.host != ""
}

// Wrap confines an existing afero.Fs (for example an afero.MemMapFs in tests)
// whose root "/" is the scanned root.
func Wrap(base afero.Fs) *Fs {
	return &Fs{base: base, name: base.Name()}
}

// Name implements afero.Fs.
func (f *Fs) Name() string { return "rootfs(" + f.name + ")" }

// vfs adapts the base Fs to securejoin's VFS so that symlinks are read from
// the scanned root, not from the host.
type vfs struct{ base afero.Fs }

func (v vfs) Lstat(name string) (os.FileInfo, error) {
	if l, ok := v.base.(afero.Lstater); ok {
		fi, _, err := l.LstatIfPossible(name)
		return fi, err
	}
	return v.base.Stat(name)
}

func (v vfs) Readlink(name string) (string, error) {
	if r, ok := v.base.(afero.LinkReader); ok {
		return r.ReadlinkIfPossible(name)
	}
	return "", &os.PathError{Op: "readlink", Path: name, Err: syscall.EINVAL}
}

// Resolve returns the path inside the root that name designates once every
// symlink in it has been followed within the root.
func (f *Fs) Resolve(name string) (string, error) {
	return f.secureResolve(name, true)
}

// resolve follows symlinks in all components of name, or in all but the last
// when followLast is false (lstat, readlink, remove and rename act on the link
// itself).
func (f *Fs) resolve(name string, followLast bool) (string, error) {
	if f.host == "/" {
		// The live host: its root is the real root, so there is nothing
		// outside it to escape to, and the kernel's own resolution of
		// symlinks is the chroot-like one. Resolving each path in user
		// space first would only double the system calls.
		return path.Clean("/" + filepath.ToSlash(name)), nil
	}
	return f.secureResolve(name, followLast)
}

// secureResolve resolves name inside the root with securejoin.
func (f *Fs) secureResolve(name string, followLast bool) (string, error) {
	clean := path.Clean("/" + filepath.ToSlash(name))
	if clean == "/" {
		return "/", nil
	}
	if !followLast {
		dir, err := f.secureResolve(path.Dir(clean), true)
		if err != nil {
			return "", err
		}
		return path.Join(dir, path.Base(clean)), nil
	}
	p, err := securejoin.SecureJoinVFS("/", clean, vfs{f.base})
	if err != nil {
		return "", rewrap("resolve", name, err)
	}
	return p, nil
}

// rewrap keeps the error's cause (so errors.Is(err, fs.ErrNotExist) holds)
// while naming the in-root path rather than a host path.
func rewrap(op, name string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return &fs.PathError{Op: op, Path: name, Err: pe.Err}
	}
	return &fs.PathError{Op: op, Path: name, Err: err}
}

// Stat implements afero.Fs, following symlinks inside the root.
func (f *Fs) Stat(name string) (os.FileInfo, error) {
	p, err := f.resolve(name, true)
	if err != nil {
		return nil, err
	}
	fi, err := f.base.Stat(p)
	if err != nil {
		return nil, rewrap("stat", name, err)
	}
	return fi, nil
}

// LstatIfPossible implements afero.Lstater: it describes a final symlink
// itself rather than its target.
func (f *Fs) LstatIfPossible(name string) (os.FileInfo, bool, error) {
	p, err := f.resolve(name, false)
	if err != nil {
		return nil, false, err
	}
	fi, err := vfs{f.base}.Lstat(p)
	if err != nil {
		return nil, true, rewrap("lstat", name, err)
	}
	_, ok := f.base.(afero.Lstater)
	return fi, ok, nil
}

// ReadlinkIfPossible implements afero.LinkReader. The target is returned as
// written in the link; resolve it with Resolve.
func (f *Fs) ReadlinkIfPossible(name string) (string, error) {
	p, err := f.resolve(name, false)
	if err != nil {
		return "", err
	}
	t, err := vfs{f.base}.Readlink(p)
	if err != nil {
		return "", rewrap("readlink", name, err)
	}
	return t, nil
}

// Open implements afero.Fs. It opens with O_NONBLOCK so that a FIFO planted
// in a hostile root cannot block a collector; callers that read content
// check that the file is regular first (see checks.ReadFile).
func (f *Fs) Open(name string) (afero.File, error) {
	return f.OpenFile(name, os.O_RDONLY, 0)
}

// OpenFile implements afero.Fs.
func (f *Fs) OpenFile(name string, flag int, perm os.FileMode) (afero.File, error) {
	p, err := f.resolve(name, true)
	if err != nil {
		return nil, err
	}
	if flag&(os.O_WRONLY|os.O_RDWR) == 0 {
		flag |= syscall.O_NONBLOCK
	}
	fh, err := f.base.OpenFile(p, flag, perm)
	if err != nil {
		return nil, rewrap("open", name, err)
	}
	return &file{File: fh, name: name}, nil
}

// file reports the in-root name rather than the host path.
type file struct {
	afero.File
	name string
}

func (f *file) Name() string { return f.name }

// Create implements afero.Fs.
func (f *Fs) Create(name string) (afero.File, error) {
	return f.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o666)
}

// Mkdir implements afero.Fs.
func (f *Fs) Mkdir(name string, perm os.FileMode) error {
	p, err := f.resolve(name, false)
	if err != nil {
		return err
	}
	return f.base.Mkdir(p, perm)
}

// MkdirAll implements afero.Fs.
func (f *Fs) MkdirAll(name string, perm os.FileMode) error {
	p, err := f.resolve(name, true)
	if err != nil {
		return err
	}
	return f.base.MkdirAll(p, perm)
}

// Remove implements afero.Fs; it removes a symlink, never its target.
func (f *Fs) Remove(name string) error {
	p, err := f.resolve(name, false)
	if err != nil {
		return err
	}
	return f.base.Remove(p)
}

// RemoveAll implements afero.Fs.
func (f *Fs) RemoveAll(name string) error {
	p, err := f.resolve(name, false)
	if err != nil {
		return err
	}
	return f.base.RemoveAll(p)
}

// Rename implements afero.Fs.
func (f *Fs) Rename(oldname, newname string) error {
	op, err := f.resolve(oldname, false)
	if err != nil {
		return err
	}
	np, err := f.resolve(newname, false)
	if err != nil {
		return err
	}
	return f.base.Rename(op, np)
}

// Chmod implements afero.Fs.
func (f *Fs) Chmod(name string, mode os.FileMode) error {
	p, err := f.resolve(name, true)
	if err != nil {
		return err
	}
	return f.base.Chmod(p, mode)
}

// Chown implements afero.Fs.
func (f *Fs) Chown(name string, uid, gid int) error {
	p, err := f.resolve(name, true)
	if err != nil {
		return err
	}
	return f.base.Chown(p, uid, gid)
}

// Chtimes implements afero.Fs.
func (f *Fs) Chtimes(name string, atime, mtime time.Time) error {
	p, err := f.resolve(name, true)
	if err != nil {
		return err
	}
	return f.base.Chtimes(p, atime, mtime)
}
