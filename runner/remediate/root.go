package remediate

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	securejoin "github.com/cyphar/filepath-securejoin"
	pathrs "github.com/cyphar/filepath-securejoin/pathrs-lite"
	"golang.org/x/sys/unix"
)

// maxEditSize bounds the files remediation reads to edit or back up: they
// are configuration files, and a root is hostile (a 10 GB "sshd_config"
// must not be read into memory).
const maxEditSize = 4 << 20

// Root is a directory of the host's file system that remediation may write
// in, and nothing outside it. Every path is an absolute path inside the
// root; symlinks in it resolve inside the root as they would under
// chroot(2). Operations work on a handle of the file's parent directory
// obtained with filepath-securejoin's openat-based lookup and then act
// relative to it (openat, renameat, fchownat), so a symlink swapped in after
// the lookup cannot redirect a write outside the root.
type Root struct {
	dir    string   // absolute host path of the root
	handle *os.File // O_PATH handle of dir
}

// OpenRoot opens dir ("/" for the live host) for remediation.
func OpenRoot(dir string) (*Root, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("remediate: root %s: %w", dir, err)
	}
	h, err := os.OpenFile(abs, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("remediate: root %s: %w", dir, err)
	}
	return &Root{dir: abs, handle: h}, nil
}

// Close releases the root's handle.
func (r *Root) Close() error { return r.handle.Close() }

// Dir is the root's absolute host path.
func (r *Root) Dir() string { return r.dir }

// HostPath is the host path of the in-root path p, after resolving
// symlinks inside the root. For messages and for tools (sshd -t) that need
// a path; never for writing.
func (r *Root) HostPath(p string) (string, error) {
	return securejoin.SecureJoin(r.dir, p)
}

// Resolve returns the in-root path that p designates once the symlinks in
// it have been followed inside the root, so that two names of one file
// are planned as one file. A missing final component is kept as is.
func (r *Root) Resolve(p string) (string, error) {
	clean := path.Clean("/" + p)
	host, err := securejoin.SecureJoin(r.dir, clean)
	if err != nil {
		return "", fmt.Errorf("%s: %w", clean, err)
	}
	rel, err := filepath.Rel(r.dir, host)
	if err != nil || rel == ".." || strings.HasPrefix(rel, "../") {
		return "", fmt.Errorf("%s: resolves outside the root", clean)
	}
	return path.Clean("/" + filepath.ToSlash(rel)), nil
}

// openDir opens the directory dir (in-root) for use with *at calls.
func (r *Root) openDir(dir string) (*os.File, error) {
	h, err := pathrs.OpenatInRoot(r.handle, dir)
	if err != nil {
		return nil, err
	}
	defer h.Close()
	return pathrs.Reopen(h, unix.O_RDONLY|unix.O_DIRECTORY)
}

// mkdirAll creates dir and its parents (mode 0755, or mode for the last)
// inside the root and opens it.
func (r *Root) mkdirAll(dir string, mode os.FileMode) (*os.File, error) {
	h, err := pathrs.MkdirAllHandle(r.handle, dir, mode)
	if err != nil {
		return nil, err
	}
	defer h.Close()
	return pathrs.Reopen(h, unix.O_RDONLY|unix.O_DIRECTORY)
}

// FileState is what remediation knows of one file: enough to restore it.
type FileState struct {
	// Exists is false for a file that does not exist.
	Exists bool
	// Symlink is true when the path is a symbolic link (only reported by
	// Lstat; edits follow links), and Link is its target.
	Symlink bool
	Link    string
	// Dir is true for a directory (only its mode and owner can change).
	Dir bool
	// Content is the file's content (read only for regular files).
	Content []byte
	// Mode holds the permission bits and setuid/setgid/sticky (07777).
	Mode uint32
	UID  int
	GID  int
	// Xattrs are the file's extended attributes.
	Xattrs map[string][]byte
}

// Read returns the state of the regular file or directory p (symlinks
// followed inside the root). A missing file is a state, not an error;
// anything else that is not a regular file (a FIFO, a device), or a file
// larger than maxEditSize, is an error.
func (r *Root) Read(p string) (FileState, error) {
	d, err := r.openDir(path.Dir(p))
	if errors.Is(err, fs.ErrNotExist) {
		return FileState{}, nil
	}
	if err != nil {
		return FileState{}, fmt.Errorf("%s: %w", p, err)
	}
	defer d.Close()
	return readAt(d, p, path.Base(p), true)
}

// Lstat returns the state of p itself (a symlink is not followed), without
// content for a symlink.
func (r *Root) Lstat(p string) (FileState, error) {
	d, err := r.openDir(path.Dir(p))
	if errors.Is(err, fs.ErrNotExist) {
		return FileState{}, nil
	}
	if err != nil {
		return FileState{}, fmt.Errorf("%s: %w", p, err)
	}
	defer d.Close()
	var st unix.Stat_t
	if err := unix.Fstatat(int(d.Fd()), path.Base(p), &st, unix.AT_SYMLINK_NOFOLLOW); err != nil {
		if errors.Is(err, unix.ENOENT) {
			return FileState{}, nil
		}
		return FileState{}, fmt.Errorf("%s: %w", p, err)
	}
	if st.Mode&unix.S_IFMT == unix.S_IFLNK {
		buf := make([]byte, unix.PathMax)
		n, err := unix.Readlinkat(int(d.Fd()), path.Base(p), buf)
		if err != nil {
			return FileState{}, fmt.Errorf("%s: %w", p, err)
		}
		return FileState{Exists: true, Symlink: true, Link: string(buf[:n]), Mode: st.Mode & 0o7777, UID: int(st.Uid), GID: int(st.Gid)}, nil
	}
	return readAt(d, p, path.Base(p), true)
}

// readAt reads the regular file base in the directory d.
func readAt(d *os.File, p, base string, withContent bool) (FileState, error) {
	fd, err := unix.Openat(int(d.Fd()), base, unix.O_RDONLY|unix.O_NOFOLLOW|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		if errors.Is(err, unix.ENOENT) {
			return FileState{}, nil
		}
		if errors.Is(err, unix.ELOOP) {
			return FileState{}, fmt.Errorf("%s: is a symbolic link", p)
		}
		return FileState{}, fmt.Errorf("%s: %w", p, err)
	}
	f := os.NewFile(uintptr(fd), p)
	defer f.Close()
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return FileState{}, fmt.Errorf("%s: %w", p, err)
	}
	if st.Mode&unix.S_IFMT == unix.S_IFDIR {
		return FileState{Exists: true, Dir: true, Mode: st.Mode & 0o7777, UID: int(st.Uid), GID: int(st.Gid)}, nil
	}
	if st.Mode&unix.S_IFMT != unix.S_IFREG {
		return FileState{}, fmt.Errorf("%s: not a regular file", p)
	}
	s := FileState{Exists: true, Mode: st.Mode & 0o7777, UID: int(st.Uid), GID: int(st.Gid)}
	if withContent {
		if st.Size > maxEditSize {
			return FileState{}, fmt.Errorf("%s: %d bytes, more than the %d remediation edits", p, st.Size, maxEditSize)
		}
		data, err := io.ReadAll(io.LimitReader(f, maxEditSize+1))
		if err != nil {
			return FileState{}, fmt.Errorf("%s: %w", p, err)
		}
		if len(data) > maxEditSize {
			return FileState{}, fmt.Errorf("%s: more than the %d bytes remediation edits", p, maxEditSize)
		}
		s.Content = data
	}
	x, err := xattrsOf(fd)
	if err != nil {
		return FileState{}, fmt.Errorf("%s: extended attributes: %w", p, err)
	}
	s.Xattrs = x
	return s, nil
}

// xattrsOf reads every extended attribute of the open file fd.
func xattrsOf(fd int) (map[string][]byte, error) {
	size, err := unix.Flistxattr(fd, nil)
	if err != nil {
		if errors.Is(err, unix.ENOTSUP) {
			return nil, nil
		}
		return nil, err
	}
	if size == 0 {
		return nil, nil
	}
	buf := make([]byte, size)
	n, err := unix.Flistxattr(fd, buf)
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	for _, name := range strings.Split(strings.TrimRight(string(buf[:n]), "\x00"), "\x00") {
		if name == "" {
			continue
		}
		vsize, err := unix.Fgetxattr(fd, name, nil)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		val := make([]byte, vsize)
		vn, err := unix.Fgetxattr(fd, name, val)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		out[name] = val[:vn]
	}
	return out, nil
}

// WriteOptions is the state a file gets from WriteAtomic besides content.
type WriteOptions struct {
	Mode   uint32
	UID    int
	GID    int
	Xattrs map[string][]byte
	// Validate, when set, is called with the host path of the complete,
	// synced temporary file before it replaces the old one; an error
	// leaves the old file untouched.
	Validate func(tmpHostPath string) error
	// BeforeRename is a fault-injection point for tests.
	BeforeRename func()
}

// WriteAtomic replaces (or creates) the regular file p with content: a
// temporary file in the same directory gets the content, mode, owner and
// extended attributes, is synced, renamed over p, and the directory is
// synced. Readers, and a crash, see either the old or the new file.
// Missing parent directories are created (0755).
func (r *Root) WriteAtomic(p string, content []byte, o WriteOptions) (err error) {
	d, err := r.mkdirAll(path.Dir(p), 0o755)
	if err != nil {
		return fmt.Errorf("%s: %w", p, err)
	}
	defer d.Close()
	base := path.Base(p)
	var st unix.Stat_t
	switch err := unix.Fstatat(int(d.Fd()), base, &st, unix.AT_SYMLINK_NOFOLLOW); {
	case err == nil && st.Mode&unix.S_IFMT != unix.S_IFREG:
		// Resolve first: a symlink here means it was swapped in.
		return fmt.Errorf("%s: not a regular file", p)
	case err != nil && !errors.Is(err, unix.ENOENT):
		return fmt.Errorf("%s: %w", p, err)
	}
	tmp := ".gcrun-" + base + "." + randomSuffix()
	fd, err := unix.Openat(int(d.Fd()), tmp, unix.O_WRONLY|unix.O_CREAT|unix.O_EXCL|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0o600)
	if err != nil {
		return fmt.Errorf("%s: temporary file: %w", p, err)
	}
	f := os.NewFile(uintptr(fd), tmp)
	renamed := false
	defer func() {
		f.Close()
		if !renamed {
			_ = unix.Unlinkat(int(d.Fd()), tmp, 0)
		}
	}()
	if _, err := f.Write(content); err != nil {
		return fmt.Errorf("%s: %w", p, err)
	}
	if err := unix.Fchown(fd, o.UID, o.GID); err != nil {
		return fmt.Errorf("%s: chown: %w", p, err)
	}
	// After chown, which clears setuid/setgid bits.
	if err := unix.Fchmod(fd, o.Mode&0o7777); err != nil {
		return fmt.Errorf("%s: chmod: %w", p, err)
	}
	for _, name := range sortedNames(o.Xattrs) {
		if err := unix.Fsetxattr(fd, name, o.Xattrs[name], 0); err != nil {
			return fmt.Errorf("%s: extended attribute %s: %w", p, name, err)
		}
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("%s: fsync: %w", p, err)
	}
	if o.Validate != nil {
		if err := o.Validate(path.Join(r.dir, path.Dir(p), tmp)); err != nil {
			return err
		}
	}
	if o.BeforeRename != nil {
		o.BeforeRename()
	}
	if err := unix.Renameat(int(d.Fd()), tmp, int(d.Fd()), base); err != nil {
		return fmt.Errorf("%s: rename: %w", p, err)
	}
	renamed = true
	if err := d.Sync(); err != nil {
		return fmt.Errorf("%s: fsync of directory: %w", p, err)
	}
	return nil
}

// SetMeta changes the mode and owner of the existing regular file p in
// place (each change is one atomic system call).
func (r *Root) SetMeta(p string, mode uint32, uid, gid int) error {
	d, err := r.openDir(path.Dir(p))
	if err != nil {
		return fmt.Errorf("%s: %w", p, err)
	}
	defer d.Close()
	fd, err := unix.Openat(int(d.Fd()), path.Base(p), unix.O_RDONLY|unix.O_NOFOLLOW|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("%s: %w", p, err)
	}
	defer unix.Close(fd)
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return fmt.Errorf("%s: %w", p, err)
	}
	if t := st.Mode & unix.S_IFMT; t != unix.S_IFREG && t != unix.S_IFDIR {
		return fmt.Errorf("%s: not a regular file or directory", p)
	}
	if int(st.Uid) != uid || int(st.Gid) != gid {
		if err := unix.Fchown(fd, uid, gid); err != nil {
			return fmt.Errorf("%s: chown: %w", p, err)
		}
	}
	if err := unix.Fchmod(fd, mode&0o7777); err != nil {
		return fmt.Errorf("%s: chmod: %w", p, err)
	}
	return unix.Fsync(fd)
}

// Remove removes the file or symlink p itself (a symlink is not followed)
// and syncs its directory. A missing file is not an error.
func (r *Root) Remove(p string) error {
	d, err := r.openDir(path.Dir(p))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("%s: %w", p, err)
	}
	defer d.Close()
	if err := unix.Unlinkat(int(d.Fd()), path.Base(p), 0); err != nil && !errors.Is(err, unix.ENOENT) {
		return fmt.Errorf("%s: %w", p, err)
	}
	return d.Sync()
}

// Symlink creates the symbolic link p -> target (rollback of a removed
// link). An existing file at p is an error.
func (r *Root) Symlink(target, p string, uid, gid int) error {
	d, err := r.mkdirAll(path.Dir(p), 0o755)
	if err != nil {
		return fmt.Errorf("%s: %w", p, err)
	}
	defer d.Close()
	if err := unix.Symlinkat(target, int(d.Fd()), path.Base(p)); err != nil {
		return fmt.Errorf("%s: %w", p, err)
	}
	if err := unix.Fchownat(int(d.Fd()), path.Base(p), uid, gid, unix.AT_SYMLINK_NOFOLLOW); err != nil {
		return fmt.Errorf("%s: chown: %w", p, err)
	}
	return d.Sync()
}

func sortedNames(m map[string][]byte) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func randomSuffix() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
