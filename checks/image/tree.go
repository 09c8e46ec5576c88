package image

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"
	"syscall"
	"time"
)

// Limits of the Linux file system that an extracted image would meet.
const (
	// pathMax is PATH_MAX: no path (nor symlink target) may be longer.
	pathMax = 4096
	// nameMax is NAME_MAX: no path component may be longer.
	nameMax = 255
	// maxSymlinks is how many symlinks one lookup follows before ELOOP,
	// as Linux does.
	maxSymlinks = 40
	// maxWarnings bounds the warnings kept in Info; the rest are counted.
	maxWarnings = 100
)

// Whiteout names of the OCI image layer specification.
const (
	whiteoutPrefix = ".wh."
	whiteoutMeta   = ".wh..wh."
	whiteoutOpaque = ".wh..wh..opq"
)

// inode is one file of the image. Hard links share an inode.
type inode struct {
	mode         fs.FileMode
	uid, gid     int
	uname, gname string
	size         int64
	mtime        time.Time
	// link is a symlink's target as written in the archive.
	link               string
	devmajor, devminor int64
	// data is a regular file's content when retained is true.
	data     []byte
	retained bool
	// nlink counts the paths of the tree that name this inode.
	nlink int
}

// node is one name in the tree.
type node struct {
	ino *inode
	// children is non-nil exactly for directories.
	children map[string]*node
	// layer is the index of the layer that last created or touched this
	// name; whiteouts and opaque markers remove only lower-layer names.
	layer int
}

func (n *node) isDir() bool { return n.children != nil }

// builder applies tar entries, layer after layer, to an in-memory tree.
type builder struct {
	root  *node
	opts  *options
	layer int
	// entries counts the tar entries read in all layers.
	entries int
	// retained is the content currently held, in bytes.
	retained int64
	warnings []string
	dropped  int
	// names interns user and group names: a few distinct values repeat
	// on every entry.
	names map[string]string
}

func newBuilder(o *options) *builder {
	root := &node{
		ino:      &inode{mode: fs.ModeDir | 0o755, nlink: 1},
		children: map[string]*node{},
	}
	return &builder{root: root, opts: o, names: map[string]string{}}
}

func (b *builder) intern(s string) string {
	if v, ok := b.names[s]; ok {
		return v
	}
	if len(b.names) < 4096 {
		b.names[s] = s
	}
	return s
}

func (b *builder) warn(format string, args ...any) {
	if len(b.warnings) >= maxWarnings {
		b.dropped++
		return
	}
	b.warnings = append(b.warnings, fmt.Sprintf(format, args...))
}

// Causes of entry errors.
var (
	errEscapes = errors.New("name escapes the root")
	errNUL     = errors.New("name contains a NUL byte")
)

// cleanName turns a tar entry name into a path relative to the root
// ("" for the root itself). Leading slashes are dropped as tar(1) does;
// a name that climbs above the root is an error, as in docker's extraction.
func cleanName(name string) (string, error) {
	if len(name) >= pathMax {
		return "", fmt.Errorf("name of %d bytes: %w", len(name), syscall.ENAMETOOLONG)
	}
	if strings.IndexByte(name, 0) >= 0 {
		return "", errNUL
	}
	rel := path.Clean(strings.TrimLeft(name, "/"))
	if rel == ".." || strings.HasPrefix(rel, "../") {
		return "", errEscapes
	}
	if rel == "." {
		return "", nil
	}
	for c := range strings.SplitSeq(rel, "/") {
		if len(c) > nameMax {
			return "", fmt.Errorf("component of %d bytes: %w", len(c), syscall.ENAMETOOLONG)
		}
	}
	return rel, nil
}

// lookup returns the node at rel without following any symlink, or nil.
func (b *builder) lookup(rel string) *node {
	n := b.root
	if rel == "" {
		return n
	}
	for c := range strings.SplitSeq(rel, "/") {
		if !n.isDir() {
			return nil
		}
		if n = n.children[c]; n == nil {
			return nil
		}
	}
	return n
}

// parent returns the directory that holds rel, creating missing
// directories as extraction does. A non-directory in the way is replaced by
// a directory: an upper layer that adds lib/x over a lower layer's symlink
// lib has a directory lib, as overlayfs shows it. Every directory on the way
// counts as touched by the current layer.
func (b *builder) parent(rel string) (*node, string) {
	dir, base := path.Split(rel)
	n := b.root
	if dir == "" {
		return n, base
	}
	for c := range strings.SplitSeq(strings.TrimSuffix(dir, "/"), "/") {
		child := n.children[c]
		if child == nil || !child.isDir() {
			if child != nil {
				b.warn("layer %d: %s is not a directory in the lower layers; replaced by a directory to hold %s", b.layer, c, rel)
				b.release(child)
			}
			child = &node{
				ino:      &inode{mode: fs.ModeDir | 0o755, nlink: 1},
				children: map[string]*node{},
			}
			n.children[c] = child
		}
		child.layer = b.layer
		n = child
	}
	return n, base
}

// release forgets n and everything below it; content no other path names
// stops counting against the retention limit.
func (b *builder) release(n *node) {
	n.ino.nlink--
	if n.ino.nlink == 0 && n.ino.retained {
		b.retained -= int64(len(n.ino.data))
		n.ino.data, n.ino.retained = nil, false
	}
	for _, c := range n.children {
		b.release(c)
	}
}

// pruneLower removes from dir every name that lower layers created,
// recursing into directories the current layer re-declared.
func (b *builder) pruneLower(dir *node) {
	for name, c := range dir.children {
		if c.layer < b.layer {
			b.release(c)
			delete(dir.children, name)
		} else if c.isDir() {
			b.pruneLower(c)
		}
	}
}

// add applies one tar entry. r reads its content. layered is false for a
// plain rootfs tarball, whose .wh. files are ordinary files.
func (b *builder) add(hdr *tar.Header, r io.Reader, layered bool) error {
	b.entries++
	if b.entries > b.opts.maxEntries {
		return fmt.Errorf("%w: more than %d entries", ErrTooManyEntries, b.opts.maxEntries)
	}
	if hdr.Typeflag == tar.TypeXGlobalHeader {
		return nil
	}
	rel, err := cleanName(hdr.Name)
	if err != nil {
		return err
	}
	if layered {
		if done := b.whiteout(rel); done {
			return nil
		}
	}
	if rel == "" {
		if hdr.Typeflag != tar.TypeDir {
			b.warn("layer %d: root entry %q of type %q ignored", b.layer, hdr.Name, hdr.Typeflag)
			return nil
		}
		ino := b.inode(hdr)
		ino.nlink = 1
		b.root.ino = ino
		return nil
	}
	switch hdr.Typeflag {
	case tar.TypeReg, tar.TypeRegA, tar.TypeCont, tar.TypeGNUSparse:
		return b.addRegular(rel, hdr, r)
	case tar.TypeLink:
		return b.addHardlink(rel, hdr)
	case tar.TypeDir, tar.TypeSymlink, tar.TypeChar, tar.TypeBlock, tar.TypeFifo:
	default:
		b.warn("layer %d: %s: entry type %q not supported; skipped", b.layer, rel, hdr.Typeflag)
		return nil
	}
	if hdr.Typeflag == tar.TypeSymlink && len(hdr.Linkname) >= pathMax {
		return fmt.Errorf("symlink target of %d bytes: %w", len(hdr.Linkname), syscall.ENAMETOOLONG)
	}
	parent, base := b.parent(rel)
	existing := parent.children[base]
	ino := b.inode(hdr)
	ino.nlink = 1
	if hdr.Typeflag == tar.TypeDir && existing != nil && existing.isDir() {
		// A directory entry over a directory updates its metadata and keeps
		// its content, as extraction and overlayfs do.
		existing.ino.nlink--
		existing.ino = ino
		existing.layer = b.layer
		return nil
	}
	if existing != nil {
		b.release(existing)
	}
	n := &node{ino: ino, layer: b.layer}
	if hdr.Typeflag == tar.TypeDir {
		n.children = map[string]*node{}
	}
	parent.children[base] = n
	return nil
}

// whiteout applies rel if it is a whiteout or opaque marker and reports
// whether it was one. Markers remove only names of lower layers.
func (b *builder) whiteout(rel string) bool {
	dir, base := path.Split(rel)
	if !strings.HasPrefix(base, whiteoutPrefix) {
		return false
	}
	dir = strings.TrimSuffix(dir, "/")
	d := b.lookup(dir)
	switch {
	case base == whiteoutOpaque:
		if d != nil && d.isDir() {
			b.pruneLower(d)
		}
	case strings.HasPrefix(base, whiteoutMeta):
		// Other .wh..wh. names are aufs bookkeeping (.wh..wh.plnk, ...).
	default:
		name := base[len(whiteoutPrefix):]
		if name == "" || name == "." || name == ".." {
			b.warn("layer %d: whiteout %s names nothing; ignored", b.layer, rel)
			return true
		}
		if d == nil || !d.isDir() {
			return true
		}
		if c := d.children[name]; c != nil && c.layer < b.layer {
			b.release(c)
			delete(d.children, name)
		}
	}
	return true
}

// inode builds the metadata of hdr. The file type comes from the entry
// type only, never from the type bits some writers leave in Mode.
func (b *builder) inode(hdr *tar.Header) *inode {
	m := fs.FileMode(hdr.Mode & 0o777)
	if hdr.Mode&0o4000 != 0 {
		m |= fs.ModeSetuid
	}
	if hdr.Mode&0o2000 != 0 {
		m |= fs.ModeSetgid
	}
	if hdr.Mode&0o1000 != 0 {
		m |= fs.ModeSticky
	}
	ino := &inode{
		uid:   hdr.Uid,
		gid:   hdr.Gid,
		uname: b.intern(hdr.Uname),
		gname: b.intern(hdr.Gname),
		mtime: hdr.ModTime,
	}
	switch hdr.Typeflag {
	case tar.TypeDir:
		m |= fs.ModeDir
	case tar.TypeSymlink:
		m |= fs.ModeSymlink
		ino.link = hdr.Linkname
		ino.size = int64(len(hdr.Linkname))
	case tar.TypeChar:
		m |= fs.ModeDevice | fs.ModeCharDevice
		ino.devmajor, ino.devminor = hdr.Devmajor, hdr.Devminor
	case tar.TypeBlock:
		m |= fs.ModeDevice
		ino.devmajor, ino.devminor = hdr.Devmajor, hdr.Devminor
	case tar.TypeFifo:
		m |= fs.ModeNamedPipe
	default:
		ino.size = hdr.Size
	}
	ino.mode = m
	return ino
}

func (b *builder) addRegular(rel string, hdr *tar.Header, r io.Reader) error {
	ino := b.inode(hdr)
	ino.nlink = 1
	parent, base := b.parent(rel)
	if existing := parent.children[base]; existing != nil {
		b.release(existing)
		delete(parent.children, base)
	}
	if b.opts.retain("/"+rel, hdr.Size) {
		if b.retained+hdr.Size > b.opts.maxRetained {
			return fmt.Errorf("%w: keeping /%s (%d bytes) would hold %d bytes, limit %d",
				ErrRetainedLimit, rel, hdr.Size, b.retained+hdr.Size, b.opts.maxRetained)
		}
		data := make([]byte, hdr.Size)
		if _, err := io.ReadFull(r, data); err != nil {
			return fmt.Errorf("reading content: %w", noEOF(err))
		}
		ino.data, ino.retained = data, true
		b.retained += hdr.Size
	}
	parent.children[base] = &node{ino: ino, layer: b.layer}
	return nil
}

// addHardlink makes rel another name of an existing file's inode: later
// changes to either path replace the name, not the shared inode, as on disk.
func (b *builder) addHardlink(rel string, hdr *tar.Header) error {
	target, err := cleanName(hdr.Linkname)
	if err != nil {
		return fmt.Errorf("hard link target %q: %w", hdr.Linkname, err)
	}
	t := b.lookup(target)
	switch {
	case t == nil || target == "":
		b.warn("layer %d: hard link /%s to missing /%s; skipped", b.layer, rel, target)
		return nil
	case t.isDir():
		b.warn("layer %d: hard link /%s to directory /%s; skipped", b.layer, rel, target)
		return nil
	case strings.HasPrefix(target, rel+"/"):
		b.warn("layer %d: hard link /%s to /%s inside itself; skipped", b.layer, rel, target)
		return nil
	}
	parent, base := b.parent(rel)
	existing := parent.children[base]
	if existing == t {
		return nil
	}
	if existing != nil {
		b.release(existing)
	}
	t.ino.nlink++
	parent.children[base] = &node{ino: t.ino, layer: b.layer}
	return nil
}

// noEOF reports a short read of an entry as the truncation it is.
func noEOF(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

// stats fills the counts of info from the finished tree.
func (b *builder) stats(info *Info) {
	seen := map[*inode]bool{}
	var walk func(n *node)
	walk = func(n *node) {
		for _, c := range n.children {
			info.Files++
			if c.ino.mode.IsRegular() && !seen[c.ino] {
				if c.ino.nlink > 1 {
					seen[c.ino] = true
				}
				if c.ino.retained {
					info.RetainedFiles++
					info.RetainedBytes += int64(len(c.ino.data))
				} else {
					info.UnretainedFiles++
					info.UnretainedBytes += c.ino.size
				}
			}
			walk(c)
		}
	}
	walk(b.root)
	info.Entries = b.entries
	info.Warnings = b.warnings
	if b.dropped > 0 {
		info.Warnings = append(info.Warnings, fmt.Sprintf("%d more warnings not shown", b.dropped))
	}
}

// sortedNames returns the names of a directory in byte order.
func sortedNames(n *node) []string {
	names := make([]string, 0, len(n.children))
	for name := range n.children {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}
