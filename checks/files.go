package checks

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/afero"
)

// maxGlobMatches bounds what one glob may add, so a hostile root with a
// million files in /etc/ssh cannot blow up the facts.
const maxGlobMatches = 10000

// Files stats paths and globs inside the scanned root.
type Files struct {
	// Paths are absolute paths or globs (path.Match syntax) inside the root.
	Paths []string
}

// FilesFacts are the facts of the files collector.
type FilesFacts struct {
	// Paths maps every stat'ed path (literal or matched by a glob) to its
	// description.
	Paths map[string]*FileInfo `json:"paths"`
	// Globs maps each glob to the paths it matched, sorted.
	Globs map[string][]string `json:"globs"`
}

// FileInfo describes one path. Only Path and Exists are set when the path
// does not exist.
type FileInfo struct {
	Path   string `json:"path"`
	Exists bool   `json:"exists"`
	*FileStat
}

// FileStat is what lstat(2) says about an existing path, with owner and
// group names resolved in the scanned root.
type FileStat struct {
	Type        string      `json:"type"`
	Mode        string      `json:"mode"`
	ModeBits    uint32      `json:"mode_bits"`
	Permissions Permissions `json:"permissions"`
	UID         int         `json:"uid"`
	GID         int         `json:"gid"`
	Owner       string      `json:"owner"`
	Group       string      `json:"group"`
	Size        int64       `json:"size"`
	Mtime       time.Time   `json:"mtime"`
	// LinkTarget is the target of a symlink as written in the link.
	LinkTarget string `json:"link_target,omitempty"`
	// Target describes what a symlink resolves to inside the root.
	Target *FileInfo `json:"target,omitempty"`
}

// Permissions spells out the permission bits.
type Permissions struct {
	User   Access `json:"user"`
	Group  Access `json:"group"`
	Other  Access `json:"other"`
	Setuid bool   `json:"setuid"`
	Setgid bool   `json:"setgid"`
	Sticky bool   `json:"sticky"`
}

// Access is one class's read, write and execute bits.
type Access struct {
	Read    bool `json:"read"`
	Write   bool `json:"write"`
	Execute bool `json:"execute"`
}

// Name implements Collector.
func (Files) Name() string { return "files" }

// Collect implements Collector. A missing path is a fact; a path that
// cannot be examined (permission denied, a symlink loop) fails the
// collector, because a rule must not pass on a file nobody could look at.
func (c Files) Collect(ctx context.Context, t Target) (any, error) {
	facts := &FilesFacts{Paths: map[string]*FileInfo{}, Globs: map[string][]string{}}
	names := idNames{
		users:  readIDNames(t.Fs, "/etc/passwd"),
		groups: readIDNames(t.Fs, "/etc/group"),
	}
	for _, p := range c.Paths {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if !strings.HasPrefix(p, "/") {
			return nil, fmt.Errorf("files: %q is not an absolute path", p)
		}
		clean := path.Clean(p)
		if !hasGlobMeta(clean) {
			if err := facts.add(t.Fs, clean, names); err != nil {
				return nil, err
			}
			continue
		}
		matches, err := afero.Glob(t.Fs, clean)
		if err != nil {
			return nil, fmt.Errorf("files: glob %s: %w", p, err)
		}
		if len(matches) > maxGlobMatches {
			return nil, fmt.Errorf("files: glob %s matches %d paths, more than %d", p, len(matches), maxGlobMatches)
		}
		sort.Strings(matches)
		facts.Globs[p] = append([]string{}, matches...)
		for _, m := range matches {
			if err := facts.add(t.Fs, m, names); err != nil {
				return nil, err
			}
		}
	}
	return facts, nil
}

// add describes p once, however many paths and globs name it.
func (facts *FilesFacts) add(fsys afero.Fs, p string, names idNames) error {
	if _, done := facts.Paths[p]; done {
		return nil
	}
	fi, err := describe(fsys, p, names, true)
	if err != nil {
		return err
	}
	facts.Paths[p] = fi
	return nil
}

func hasGlobMeta(p string) bool { return strings.ContainsAny(p, `*?[\`) }

// describe lstats p; for a symlink it also describes the resolved target
// (one level: the target's own description does not nest further).
func describe(fsys afero.Fs, p string, names idNames, followLink bool) (*FileInfo, error) {
	fi, err := lstat(fsys, p)
	if errors.Is(err, fs.ErrNotExist) {
		return &FileInfo{Path: p}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("files: %w", err)
	}
	st, err := statOf(fi, names)
	if err != nil {
		return nil, fmt.Errorf("files: %s: %w", p, err)
	}
	info := &FileInfo{Path: p, Exists: true, FileStat: st}
	if st.Type == "symlink" {
		if lr, ok := fsys.(afero.LinkReader); ok {
			if st.LinkTarget, err = lr.ReadlinkIfPossible(p); err != nil {
				return nil, fmt.Errorf("files: %w", err)
			}
		}
		if followLink {
			resolved := p
			if r, ok := fsys.(interface{ Resolve(string) (string, error) }); ok {
				if rp, err := r.Resolve(p); err == nil {
					resolved = rp
				}
			}
			tfi, err := fsys.Stat(p)
			switch {
			case errors.Is(err, fs.ErrNotExist):
				st.Target = &FileInfo{Path: resolved}
			case err != nil:
				return nil, fmt.Errorf("files: %w", err)
			default:
				tst, err := statOf(tfi, names)
				if err != nil {
					return nil, fmt.Errorf("files: %s: %w", p, err)
				}
				st.Target = &FileInfo{Path: resolved, Exists: true, FileStat: tst}
			}
		}
	}
	return info, nil
}

func lstat(fsys afero.Fs, p string) (os.FileInfo, error) {
	if l, ok := fsys.(afero.Lstater); ok {
		fi, _, err := l.LstatIfPossible(p)
		return fi, err
	}
	return fsys.Stat(p)
}

// ErrNoOwnership is returned for a file system that does not report file
// ownership: ownership rules must not be judged on made-up ids.
var ErrNoOwnership = errors.New("file system does not report ownership")

func statOf(fi os.FileInfo, names idNames) (*FileStat, error) {
	uid, gid, ok := ownership(fi)
	if !ok {
		return nil, ErrNoOwnership
	}
	m := fi.Mode()
	bits := uint32(m.Perm())
	if m&os.ModeSetuid != 0 {
		bits |= 0o4000
	}
	if m&os.ModeSetgid != 0 {
		bits |= 0o2000
	}
	if m&os.ModeSticky != 0 {
		bits |= 0o1000
	}
	access := func(shift uint) Access {
		return Access{Read: bits>>shift&4 != 0, Write: bits>>shift&2 != 0, Execute: bits>>shift&1 != 0}
	}
	return &FileStat{
		Type:     fileType(m),
		Mode:     fmt.Sprintf("%04o", bits),
		ModeBits: bits,
		Permissions: Permissions{
			User: access(6), Group: access(3), Other: access(0),
			Setuid: bits&0o4000 != 0, Setgid: bits&0o2000 != 0, Sticky: bits&0o1000 != 0,
		},
		UID:   uid,
		GID:   gid,
		Owner: names.users[uid],
		Group: names.groups[gid],
		Size:  fi.Size(),
		Mtime: fi.ModTime().UTC(),
	}, nil
}

// Owner is implemented by the Sys() value of file systems that are not
// backed by the operating system but know ownership (for example test
// doubles).
type Owner interface {
	Owner() (uid, gid int)
}

func ownership(fi os.FileInfo) (uid, gid int, ok bool) {
	switch s := fi.Sys().(type) {
	case *syscall.Stat_t:
		return int(s.Uid), int(s.Gid), true
	case Owner:
		uid, gid := s.Owner()
		return uid, gid, true
	}
	return 0, 0, false
}

func fileType(m os.FileMode) string {
	switch {
	case m.IsRegular():
		return "file"
	case m.IsDir():
		return "directory"
	case m&os.ModeSymlink != 0:
		return "symlink"
	case m&os.ModeNamedPipe != 0:
		return "fifo"
	case m&os.ModeSocket != 0:
		return "socket"
	case m&os.ModeCharDevice != 0:
		return "char_device"
	case m&os.ModeDevice != 0:
		return "block_device"
	}
	return "unknown"
}

// idNames resolves numeric ids with the scanned root's own databases.
type idNames struct {
	users, groups map[int]string
}

// readIDNames reads name:x:id lines from /etc/passwd or /etc/group. It is
// lenient on purpose: it only names owners, and a missing or odd database
// leaves names empty rather than failing the stat of every file. The users
// collector is the strict reader of these files.
func readIDNames(fsys afero.Fs, p string) map[int]string {
	out := map[int]string{}
	data, err := ReadFile(fsys, p, MaxConfigSize)
	if err != nil {
		return out
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), MaxConfigSize)
	for sc.Scan() {
		fields := strings.SplitN(sc.Text(), ":", 4)
		if len(fields) < 3 || fields[0] == "" || strings.HasPrefix(fields[0], "#") {
			continue
		}
		id, err := strconv.Atoi(fields[2])
		if err != nil {
			continue
		}
		if _, dup := out[id]; !dup { // the first entry wins, as in getpwuid(3)
			out[id] = fields[0]
		}
	}
	return out
}
