package image

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/gcrun/gcrun/checks"
	"github.com/spf13/afero"
)

// FS is a read-only afero.Fs over the flattened file tree of an image.
//
// Paths are absolute inside the image ("/etc/passwd"; relative paths are
// taken from "/"). Lookups resolve symlinks inside the image the way
// chroot(2) would: Stat and Open follow every symlink, Lstat and Readlink
// all but the last component; ".." never climbs above "/", an absolute
// target restarts at the image's root and more than 40 links end in ELOOP.
// Every write returns an error that matches both syscall.EROFS and
// fs.ErrPermission.
//
// An FS is immutable once Open returns and safe for concurrent use; each
// afero.File it opens has its own offset.
type FS struct {
	root *node
	name string
	info Info
}

var (
	_ afero.Fs         = (*FS)(nil)
	_ afero.Lstater    = (*FS)(nil)
	_ afero.LinkReader = (*FS)(nil)
	_ checks.Owner     = (*Stat)(nil)
)

// ErrNotRetained is the cause of reading a regular file whose content was
// not kept in memory when the image was read (see WithRetain). It wraps
// checks.ErrTooLarge, so collectors fail as they do on any file above their
// size limit instead of reading nothing.
var ErrNotRetained = fmt.Errorf("%w: content not retained when the image was read", checks.ErrTooLarge)

// ErrReadOnly is the cause of every write to an FS. It matches
// syscall.EROFS and fs.ErrPermission with errors.Is.
var ErrReadOnly error = readOnlyError{}

type readOnlyError struct{}

func (readOnlyError) Error() string { return "read-only file system (container image)" }

func (readOnlyError) Is(target error) bool {
	return target == syscall.EROFS || target == fs.ErrPermission
}

// Stat is the Sys() value of the FileInfos of an FS: what the tar header
// said beyond os.FileInfo. It implements checks.Owner.
type Stat struct {
	// UID and GID are the numeric owner and group.
	UID, GID int
	// Uname and Gname are the owner and group names recorded in the
	// archive ("" when it recorded none); the image's /etc/passwd is
	// the authority.
	Uname, Gname string
	// Devmajor and Devminor are a device node's numbers.
	Devmajor, Devminor int64
	// Nlink is the number of paths of the image that name this file
	// (hard links); directories report 1.
	Nlink int
	// Retained is true for a regular file whose content was kept and can
	// be read.
	Retained bool
}

// Owner implements checks.Owner.
func (s *Stat) Owner() (uid, gid int) { return s.UID, s.GID }

// fileInfo is the os.FileInfo of an FS.
type fileInfo struct {
	name string
	ino  *inode
}

func (fi *fileInfo) Name() string       { return fi.name }
func (fi *fileInfo) Size() int64        { return fi.ino.size }
func (fi *fileInfo) Mode() fs.FileMode  { return fi.ino.mode }
func (fi *fileInfo) ModTime() time.Time { return fi.ino.mtime }
func (fi *fileInfo) IsDir() bool        { return fi.ino.mode.IsDir() }
func (fi *fileInfo) Sys() any {
	nlink := fi.ino.nlink
	if fi.ino.mode.IsDir() {
		nlink = 1
	}
	return &Stat{
		UID: fi.ino.uid, GID: fi.ino.gid,
		Uname: fi.ino.uname, Gname: fi.ino.gname,
		Devmajor: fi.ino.devmajor, Devminor: fi.ino.devminor,
		Nlink:    nlink,
		Retained: fi.ino.retained,
	}
}

// Name implements afero.Fs.
func (f *FS) Name() string { return "image(" + f.name + ")" }

// Describe says what Open read.
func (f *FS) Describe() Info {
	info := f.info
	info.Tags = append([]string(nil), f.info.Tags...)
	info.Warnings = append([]string(nil), f.info.Warnings...)
	return info
}

// resolve walks name from the root. It follows symlinks in every
// component but the last, and in the last too when followLast is set or
// name ends in a slash.
func (f *FS) resolve(op, name string, followLast bool) (*node, error) {
	fail := func(err error) (*node, error) {
		return nil, &fs.PathError{Op: op, Path: name, Err: err}
	}
	if len(name) >= pathMax {
		return fail(syscall.ENAMETOOLONG)
	}
	if strings.IndexByte(name, 0) >= 0 {
		return fail(syscall.EINVAL)
	}
	stack := make([]*node, 1, 16)
	stack[0] = f.root
	rest, links := name, 0
	for rest != "" {
		if rest[0] == '/' {
			rest = rest[1:]
			continue
		}
		// c is the next component; rest keeps the slash after it, so
		// that a trailing slash still shows.
		c := rest
		if i := strings.IndexByte(rest, '/'); i >= 0 {
			c, rest = rest[:i], rest[i:]
		} else {
			rest = ""
		}
		switch c {
		case ".":
			continue
		case "..":
			if len(stack) > 1 {
				stack = stack[:len(stack)-1]
			}
			continue
		}
		dir := stack[len(stack)-1]
		if !dir.isDir() {
			return fail(syscall.ENOTDIR)
		}
		if len(c) > nameMax {
			return fail(syscall.ENAMETOOLONG)
		}
		child := dir.children[c]
		if child == nil {
			return fail(syscall.ENOENT)
		}
		// A symlink is followed unless it is the last component, lookup
		// asks for the link itself and no slash follows it.
		last := strings.TrimLeft(rest, "/") == ""
		if child.ino.mode&fs.ModeSymlink != 0 && (!last || followLast || rest != "") {
			if links++; links > maxSymlinks {
				return fail(syscall.ELOOP)
			}
			t := child.ino.link
			if t == "" {
				return fail(syscall.ENOENT)
			}
			if t[0] == '/' {
				stack = stack[:1]
			}
			rest = t + rest
			continue
		}
		stack = append(stack, child)
	}
	n := stack[len(stack)-1]
	if strings.HasSuffix(name, "/") && !n.isDir() {
		return fail(syscall.ENOTDIR)
	}
	return n, nil
}

// Stat implements afero.Fs, following symlinks inside the image.
func (f *FS) Stat(name string) (os.FileInfo, error) {
	n, err := f.resolve("stat", name, true)
	if err != nil {
		return nil, err
	}
	return &fileInfo{name: path.Base(name), ino: n.ino}, nil
}

// LstatIfPossible implements afero.Lstater: a final symlink is described
// itself.
func (f *FS) LstatIfPossible(name string) (os.FileInfo, bool, error) {
	n, err := f.resolve("lstat", name, false)
	if err != nil {
		return nil, true, err
	}
	return &fileInfo{name: path.Base(name), ino: n.ino}, true, nil
}

// ReadlinkIfPossible implements afero.LinkReader: the target as written in
// the archive.
func (f *FS) ReadlinkIfPossible(name string) (string, error) {
	n, err := f.resolve("readlink", name, false)
	if err != nil {
		return "", err
	}
	if n.ino.mode&fs.ModeSymlink == 0 {
		return "", &fs.PathError{Op: "readlink", Path: name, Err: syscall.EINVAL}
	}
	return n.ino.link, nil
}

// Open implements afero.Fs.
func (f *FS) Open(name string) (afero.File, error) {
	return f.OpenFile(name, os.O_RDONLY, 0)
}

// writeFlags are the open flags that would modify the file system.
const writeFlags = os.O_WRONLY | os.O_RDWR | os.O_CREATE | os.O_TRUNC | os.O_APPEND

// OpenFile implements afero.Fs. Only reading is possible; O_NONBLOCK is
// accepted (nothing blocks), O_NOFOLLOW and O_DIRECTORY are honoured.
func (f *FS) OpenFile(name string, flag int, _ os.FileMode) (afero.File, error) {
	if flag&writeFlags != 0 {
		return nil, &fs.PathError{Op: "open", Path: name, Err: ErrReadOnly}
	}
	n, err := f.resolve("open", name, flag&syscall.O_NOFOLLOW == 0)
	if err != nil {
		return nil, err
	}
	if flag&syscall.O_NOFOLLOW != 0 && n.ino.mode&fs.ModeSymlink != 0 {
		return nil, &fs.PathError{Op: "open", Path: name, Err: syscall.ELOOP}
	}
	if flag&syscall.O_DIRECTORY != 0 && !n.isDir() {
		return nil, &fs.PathError{Op: "open", Path: name, Err: syscall.ENOTDIR}
	}
	return &file{name: name, n: n}, nil
}

func readOnly(op, name string) error {
	return &fs.PathError{Op: op, Path: name, Err: ErrReadOnly}
}

// Create implements afero.Fs; the image is read-only.
func (f *FS) Create(name string) (afero.File, error) { return nil, readOnly("open", name) }

// Mkdir implements afero.Fs; the image is read-only.
func (f *FS) Mkdir(name string, _ os.FileMode) error { return readOnly("mkdir", name) }

// MkdirAll implements afero.Fs; the image is read-only.
func (f *FS) MkdirAll(name string, _ os.FileMode) error { return readOnly("mkdir", name) }

// Remove implements afero.Fs; the image is read-only.
func (f *FS) Remove(name string) error { return readOnly("remove", name) }

// RemoveAll implements afero.Fs; the image is read-only.
func (f *FS) RemoveAll(name string) error { return readOnly("remove", name) }

// Rename implements afero.Fs; the image is read-only.
func (f *FS) Rename(oldname, _ string) error { return readOnly("rename", oldname) }

// Chmod implements afero.Fs; the image is read-only.
func (f *FS) Chmod(name string, _ os.FileMode) error { return readOnly("chmod", name) }

// Chown implements afero.Fs; the image is read-only.
func (f *FS) Chown(name string, _, _ int) error { return readOnly("chown", name) }

// Chtimes implements afero.Fs; the image is read-only.
func (f *FS) Chtimes(name string, _, _ time.Time) error { return readOnly("chtimes", name) }

// file is an open file or directory of an FS.
type file struct {
	name string
	n    *node

	mu     sync.Mutex
	off    int64
	names  []string // directory entries, sorted on first Readdir
	dirPos int
	closed bool
}

var _ afero.File = (*file)(nil)

func (fh *file) Name() string { return fh.name }

func (fh *file) Close() error {
	fh.mu.Lock()
	defer fh.mu.Unlock()
	if fh.closed {
		return &fs.PathError{Op: "close", Path: fh.name, Err: fs.ErrClosed}
	}
	fh.closed = true
	return nil
}

// content returns the file's bytes or the reason there are none.
func (fh *file) content(op string) ([]byte, error) {
	if fh.closed {
		return nil, &fs.PathError{Op: op, Path: fh.name, Err: fs.ErrClosed}
	}
	ino := fh.n.ino
	switch {
	case ino.mode.IsDir():
		return nil, &fs.PathError{Op: op, Path: fh.name, Err: syscall.EISDIR}
	case !ino.mode.IsRegular():
		return nil, &fs.PathError{Op: op, Path: fh.name, Err: fmt.Errorf("%w: an image holds no content for a %s", checks.ErrNotRegular, typeName(ino.mode))}
	case !ino.retained:
		return nil, &fs.PathError{Op: op, Path: fh.name, Err: fmt.Errorf("%w (%d bytes)", ErrNotRetained, ino.size)}
	}
	return ino.data, nil
}

func (fh *file) Read(p []byte) (int, error) {
	fh.mu.Lock()
	defer fh.mu.Unlock()
	data, err := fh.content("read")
	if err != nil {
		return 0, err
	}
	if fh.off >= int64(len(data)) {
		return 0, io.EOF
	}
	n := copy(p, data[fh.off:])
	fh.off += int64(n)
	return n, nil
}

func (fh *file) ReadAt(p []byte, off int64) (int, error) {
	fh.mu.Lock()
	defer fh.mu.Unlock()
	data, err := fh.content("read")
	if err != nil {
		return 0, err
	}
	if off < 0 {
		return 0, &fs.PathError{Op: "read", Path: fh.name, Err: syscall.EINVAL}
	}
	if off >= int64(len(data)) {
		return 0, io.EOF
	}
	n := copy(p, data[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

func (fh *file) Seek(offset int64, whence int) (int64, error) {
	fh.mu.Lock()
	defer fh.mu.Unlock()
	if fh.closed {
		return 0, &fs.PathError{Op: "seek", Path: fh.name, Err: fs.ErrClosed}
	}
	if fh.n.isDir() {
		if offset != 0 || whence != io.SeekStart {
			return 0, &fs.PathError{Op: "seek", Path: fh.name, Err: syscall.EINVAL}
		}
		fh.dirPos = 0
		return 0, nil
	}
	var abs int64
	switch whence {
	case io.SeekStart:
		abs = offset
	case io.SeekCurrent:
		abs = fh.off + offset
	case io.SeekEnd:
		abs = fh.n.ino.size + offset
	default:
		return 0, &fs.PathError{Op: "seek", Path: fh.name, Err: syscall.EINVAL}
	}
	if abs < 0 {
		return 0, &fs.PathError{Op: "seek", Path: fh.name, Err: syscall.EINVAL}
	}
	fh.off = abs
	return abs, nil
}

// dirNames returns the entries not yet read, at most count when count > 0.
func (fh *file) dirNames(op string, count int) ([]string, error) {
	if fh.closed {
		return nil, &fs.PathError{Op: op, Path: fh.name, Err: fs.ErrClosed}
	}
	if !fh.n.isDir() {
		return nil, &fs.PathError{Op: op, Path: fh.name, Err: syscall.ENOTDIR}
	}
	if fh.names == nil {
		fh.names = sortedNames(fh.n)
	}
	rest := fh.names[fh.dirPos:]
	if count > 0 {
		if len(rest) == 0 {
			return nil, io.EOF
		}
		rest = rest[:min(count, len(rest))]
	}
	fh.dirPos += len(rest)
	return rest, nil
}

// Readdir implements afero.File. Entries are described like Lstat, in
// byte order of their names.
func (fh *file) Readdir(count int) ([]os.FileInfo, error) {
	fh.mu.Lock()
	defer fh.mu.Unlock()
	names, err := fh.dirNames("readdirent", count)
	if err != nil {
		return nil, err
	}
	out := make([]os.FileInfo, len(names))
	for i, name := range names {
		out[i] = &fileInfo{name: name, ino: fh.n.children[name].ino}
	}
	return out, nil
}

// Readdirnames implements afero.File.
func (fh *file) Readdirnames(count int) ([]string, error) {
	fh.mu.Lock()
	defer fh.mu.Unlock()
	names, err := fh.dirNames("readdirent", count)
	if err != nil {
		return nil, err
	}
	return append([]string(nil), names...), nil
}

func (fh *file) Stat() (os.FileInfo, error) {
	fh.mu.Lock()
	defer fh.mu.Unlock()
	if fh.closed {
		return nil, &fs.PathError{Op: "stat", Path: fh.name, Err: fs.ErrClosed}
	}
	return &fileInfo{name: path.Base(fh.name), ino: fh.n.ino}, nil
}

func (fh *file) Sync() error { return nil }

func (fh *file) Write([]byte) (int, error)          { return 0, readOnly("write", fh.name) }
func (fh *file) WriteAt([]byte, int64) (int, error) { return 0, readOnly("write", fh.name) }
func (fh *file) WriteString(string) (int, error)    { return 0, readOnly("write", fh.name) }
func (fh *file) Truncate(int64) error               { return readOnly("truncate", fh.name) }

func typeName(m fs.FileMode) string {
	switch {
	case m&fs.ModeSymlink != 0:
		return "symlink"
	case m&fs.ModeNamedPipe != 0:
		return "fifo"
	case m&fs.ModeCharDevice != 0:
		return "character device"
	case m&fs.ModeDevice != 0:
		return "block device"
	case m&fs.ModeSocket != 0:
		return "socket"
	}
	return "special file"
}
