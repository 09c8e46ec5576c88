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
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/spf13/afero"
	"golang.org/x/sys/unix"

	"github.com/gcrun/gcrun/checks/rootfs"
)

// Defaults of the Sweep collector's options.
const (
	// DefaultSweepMaxEntries bounds the entries one sweep examines.
	DefaultSweepMaxEntries = 2_000_000
	// DefaultSweepTimeout bounds the time one sweep takes.
	DefaultSweepTimeout = 2 * time.Minute
	// DefaultSweepMaxFindings bounds each list of findings; the counts stay
	// exact beyond it.
	DefaultSweepMaxFindings = 1000
	// sweepMaxDepth bounds directory nesting: the fast walk keeps one open
	// descriptor per level, and a hostile root may nest without end.
	// Deeper directories are recorded as unreadable.
	sweepMaxDepth = 256
)

// sweepDefaultExcludes are skipped unless Sweep.Excludes says otherwise:
// kernel interfaces and runtime state, not files an image ships.
var sweepDefaultExcludes = []string{"/dev", "/proc", "/run", "/sys"}

// sweepSkipFSTypes are the file-system types whose mount points a sweep of
// the live host does not enter: kernel pseudo file systems (their "files"
// are interfaces whose modes say nothing about stored data) and network
// file systems (slow, possibly hung, and another machine's files). FUSE
// file systems ("fuse", "fuse.sshfs", ...) are skipped too; see
// sweepSkipFSType.
var sweepSkipFSTypes = map[string]bool{
	"proc": true, "sysfs": true, "devtmpfs": true, "devpts": true,
	"cgroup": true, "cgroup2": true, "securityfs": true, "debugfs": true,
	"tracefs": true, "pstore": true, "bpf": true, "mqueue": true,
	"hugetlbfs": true, "configfs": true, "fusectl": true, "binfmt_misc": true,
	"autofs": true, "efivarfs": true, "selinuxfs": true, "nsfs": true,
	"rpc_pipefs": true, "nfsd": true,
	"nfs": true, "nfs4": true, "cifs": true, "smb3": true, "smbfs": true,
	"ncpfs": true, "afs": true, "ceph": true, "glusterfs": true, "9p": true,
	"lustre": true, "gpfs": true, "davfs": true, "sshfs": true,
}

func sweepSkipFSType(t string) bool {
	return sweepSkipFSTypes[t] || t == "fuse" || strings.HasPrefix(t, "fuse.")
}

// Sweep walks the scanned root's file systems once and reports what CIS
// section 7.1 asks to review: world-writable files, world-writable
// directories without the sticky bit, files whose owner or group the root
// does not know, and SUID and SGID programs.
//
// Symlinks are never followed. For a root made by rootfs.New the walk opens
// each directory with openat(2) relative to its parent's descriptor and
// O_NOFOLLOW, and examines entries with fstatat(2) and AT_SYMLINK_NOFOLLOW,
// so that no symlink, not even one swapped in during the walk, can lead it
// out of the root. Other file systems (in-memory roots, container images)
// are walked through afero with lstat.
//
// The walk is bounded by MaxEntries and Timeout: a sweep that hits either
// returns what it found with Complete false and the budget's reason, so
// that rules can refuse to pass on partial data.
type Sweep struct {
	// Paths are the absolute paths inside the root to sweep; empty means
	// ["/"]. A path that does not exist is listed in the facts' missing.
	Paths []string
	// Excludes are absolute paths or globs (path.Match syntax, matched
	// against whole paths) that the sweep neither examines nor enters. They
	// apply below the swept paths, never to a swept path itself. nil means
	// /dev, /proc, /run and /sys and, on the live host, every mount point
	// of a pseudo, network or FUSE file system (read from
	// /proc/self/mounts); an empty non-nil slice excludes nothing.
	Excludes []string
	// ExtraExcludes are excluded too, on top of Excludes or its defaults:
	// how a user adds a directory without losing the default excludes.
	ExtraExcludes []string
	// MaxEntries is the most entries examined; 0 means
	// DefaultSweepMaxEntries.
	MaxEntries int
	// Timeout is the longest the sweep may take; 0 means
	// DefaultSweepTimeout. When the collector's context has an earlier
	// deadline, the sweep stops shortly before it so that it can still
	// report what it found.
	Timeout time.Duration
	// MaxFindings is the most entries reported in each list; 0 means
	// DefaultSweepMaxFindings. Lists keep the first paths in byte order;
	// counts are exact.
	MaxFindings int
	// Workers is how many directories are read at once; 0 means two.
	Workers int
	// Progress, when set, is called every few thousand entries with the
	// number examined so far (for a progress display). It is called from
	// the walking goroutines, possibly concurrently.
	Progress func(entries int64)

	// beforeOpen, when set (by tests), runs between the stat of a
	// directory and its openat in the fast walk.
	beforeOpen func(p string)
}

// SweepFacts are the facts of the sweep collector (docs/facts/sweep.md).
type SweepFacts struct {
	// Paths are the paths swept, as asked for.
	Paths []string `json:"paths"`
	// Missing are the asked-for paths that do not exist in the root.
	Missing []string `json:"missing"`
	// Excludes are the excludes in force, defaults and mount points
	// included, sorted.
	Excludes []string `json:"excludes"`
	// Complete is true when every entry below Paths (except Excludes) was
	// examined: no budget was hit and nothing was unreadable.
	Complete bool `json:"complete"`
	// Budget says whether, and where, the sweep stopped early.
	Budget SweepBudget `json:"budget"`
	// Scanned counts what the sweep examined.
	Scanned SweepScanned `json:"scanned"`
	// IDDatabases says whether the root's /etc/passwd and /etc/group were
	// read; without them Unowned or Ungrouped are not computed.
	IDDatabases SweepIDDatabases `json:"id_databases"`
	// WorldWritableFiles are files, FIFOs and devices writable by others.
	// Sockets are not listed (their write bit is the permission to
	// connect), nor symlinks (their mode means nothing).
	WorldWritableFiles []SweepEntry `json:"world_writable_files"`
	// WorldWritableDirsWithoutSticky are directories writable by others
	// without the sticky bit: anyone may delete or rename anyone's files
	// there.
	WorldWritableDirsWithoutSticky []SweepEntry `json:"world_writable_dirs_without_sticky"`
	// Unowned are entries (symlinks included) whose uid /etc/passwd does
	// not name; empty when /etc/passwd was not read.
	Unowned []SweepEntry `json:"unowned"`
	// Ungrouped are entries whose gid /etc/group does not name; empty when
	// /etc/group was not read.
	Ungrouped []SweepEntry `json:"ungrouped"`
	// SUID are non-directories with the set-user-ID bit.
	SUID []SweepEntry `json:"suid"`
	// SGID are non-directories with the set-group-ID bit (on a directory
	// it only makes new files inherit the group, so directories are not
	// listed).
	SGID []SweepEntry `json:"sgid"`
	// Unreadable are the entries the sweep could not examine or enter.
	Unreadable []SweepUnreadable `json:"unreadable"`
	// Counts are the exact sizes of the lists, however many are listed.
	Counts SweepCounts `json:"counts"`
}

// SweepBudget is the sweep's budget and whether it was hit.
type SweepBudget struct {
	Hit bool `json:"hit"`
	// Reason says which budget was hit and where: "entry budget of
	// 2000000 reached at /usr/share/doc" or "time budget of 2m0s reached
	// at /var/lib".
	Reason string `json:"reason"`
	// MaxEntries and TimeoutMS are the budget in force.
	MaxEntries int   `json:"max_entries"`
	TimeoutMS  int64 `json:"timeout_ms"`
}

// SweepScanned counts what the sweep examined.
type SweepScanned struct {
	// Entries counts every entry examined, directories included.
	Entries int64 `json:"entries"`
	// Dirs counts the directories among them.
	Dirs int64 `json:"dirs"`
	// DurationMS is how long the sweep took.
	DurationMS int64 `json:"duration_ms"`
}

// SweepIDDatabases describes the account databases ownership was judged
// against.
type SweepIDDatabases struct {
	Passwd SweepIDDatabase `json:"passwd"`
	Group  SweepIDDatabase `json:"group"`
}

// SweepIDDatabase is one account database of the root.
type SweepIDDatabase struct {
	Path string `json:"path"`
	// Exists is false when the root has no such file.
	Exists bool `json:"exists"`
	// Read is true when the file was read; when it exists but was not
	// (too large, not a regular file), Error says why.
	Read bool `json:"read"`
	// IDs counts the distinct ids it defines.
	IDs   int    `json:"ids"`
	Error string `json:"error,omitempty"`
}

// SweepEntry is one finding.
type SweepEntry struct {
	Path string `json:"path"`
	// Mode is the permission and special bits in octal ("4755").
	Mode string `json:"mode"`
	UID  int    `json:"uid"`
	GID  int    `json:"gid"`
	// Type is "file", "directory", "symlink", "fifo", "socket",
	// "char_device" or "block_device".
	Type string `json:"type"`
}

// SweepUnreadable is an entry the sweep could not examine or enter.
type SweepUnreadable struct {
	Path  string `json:"path"`
	Error string `json:"error"`
}

// SweepCounts are the exact number of findings of each kind.
type SweepCounts struct {
	WorldWritableFiles             int `json:"world_writable_files"`
	WorldWritableDirsWithoutSticky int `json:"world_writable_dirs_without_sticky"`
	Unowned                        int `json:"unowned"`
	Ungrouped                      int `json:"ungrouped"`
	SUID                           int `json:"suid"`
	SGID                           int `json:"sgid"`
	Unreadable                     int `json:"unreadable"`
}

// Name implements Collector.
func (Sweep) Name() string { return "sweep" }

// Collect implements Collector. Unreadable entries and a hit budget are
// facts (Complete false); the collector fails only on bad options, on a
// file system that cannot lstat or does not report ownership, on a live
// host whose mount table cannot be read, and when ctx ends.
func (c Sweep) Collect(ctx context.Context, t Target) (any, error) {
	start := time.Now()
	s, facts, err := c.prepare(ctx, t, start)
	if err != nil {
		return nil, err
	}
	starts, err := s.starts(t.Fs, facts)
	if err != nil {
		return nil, err
	}
	host, fast := "", false
	if rfs, ok := t.Fs.(*rootfs.Fs); ok {
		host, fast = rfs.HostDir()
	}
	if fast {
		err = s.sweepHost(host, starts)
	} else {
		err = s.sweepAfero(t.Fs, starts)
	}
	if err != nil {
		return nil, err
	}
	if err := s.failure(); err != nil {
		return nil, err
	}
	s.finish(facts, start)
	return facts, nil
}

// prepare checks the options and builds the sweeper and the facts' head.
func (c Sweep) prepare(ctx context.Context, t Target, start time.Time) (*sweeper, *SweepFacts, error) {
	paths := c.Paths
	if len(paths) == 0 {
		// Sweeping nothing would report a clean, complete sweep.
		paths = []string{"/"}
	}
	for _, p := range paths {
		if !strings.HasPrefix(p, "/") {
			return nil, nil, fmt.Errorf("sweep: path %q is not absolute", p)
		}
	}
	excludes := c.Excludes
	if excludes == nil {
		excludes = slices.Clone(sweepDefaultExcludes)
		if t.Live {
			mounts, err := sweepSkippedMounts(t.Fs, "/proc/self/mounts")
			if err != nil {
				return nil, nil, err
			}
			excludes = append(excludes, mounts...)
		}
	}
	excludes = append(slices.Clone(excludes), c.ExtraExcludes...)
	s := &sweeper{
		ctx:         ctx,
		maxEntries:  int64(orDefault(c.MaxEntries, DefaultSweepMaxEntries)),
		maxFindings: orDefault(c.MaxFindings, DefaultSweepMaxFindings),
		workers:     orDefault(c.Workers, 2),
		exclLit:     map[string]bool{},
		beforeOpen:  c.beforeOpen,
		progress:    c.Progress,
	}
	var cleanExcl []string
	for _, e := range excludes {
		if !strings.HasPrefix(e, "/") {
			return nil, nil, fmt.Errorf("sweep: exclude %q is not absolute", e)
		}
		e = path.Clean(e)
		if hasGlobMeta(e) {
			if _, err := path.Match(e, "/"); err != nil {
				return nil, nil, fmt.Errorf("sweep: exclude %q: %w", e, err)
			}
			s.exclGlob = append(s.exclGlob, e)
		} else {
			s.exclLit[e] = true
		}
		cleanExcl = append(cleanExcl, e)
	}
	slices.Sort(cleanExcl)
	cleanExcl = slices.Compact(cleanExcl)
	// A literal exclude below another (/sys/fs/cgroup below /sys) changes
	// nothing: list only the outer one.
	var kept []string
	for _, e := range cleanExcl {
		if n := len(kept); n > 0 && !hasGlobMeta(kept[n-1]) && !hasGlobMeta(e) && strings.HasPrefix(e, kept[n-1]+"/") {
			delete(s.exclLit, e)
			continue
		}
		kept = append(kept, e)
	}
	cleanExcl = kept

	timeout := c.Timeout
	if timeout <= 0 {
		timeout = DefaultSweepTimeout
	}
	s.timeBudget = timeout
	if dl, ok := ctx.Deadline(); ok {
		// Stop early enough to report what was found rather than be cut
		// off by the collector's deadline with nothing.
		if left := time.Until(dl); left-left/10 < timeout {
			s.timeBudget = max(left-left/10, 0)
		}
	}
	s.deadline = start.Add(s.timeBudget)

	facts := &SweepFacts{
		Paths:    slices.Clone(paths),
		Missing:  []string{},
		Excludes: cleanExcl,
		Budget:   SweepBudget{MaxEntries: int(s.maxEntries), TimeoutMS: timeout.Milliseconds()},
	}
	if facts.Excludes == nil {
		facts.Excludes = []string{}
	}
	facts.IDDatabases.Passwd, s.users = sweepReadIDs(t.Fs, "/etc/passwd")
	facts.IDDatabases.Group, s.groups = sweepReadIDs(t.Fs, "/etc/group")
	return s, facts, nil
}

func orDefault(v, def int) int {
	if v <= 0 {
		return def
	}
	return v
}

// sweepReadIDs reads the ids an account database defines (the third field
// of name:x:id:... lines). Like getpwuid(3) it skips what it cannot parse;
// NIS compat lines ("+", "-") define no id. It returns nil ids when the
// file was not read, so that ownership is not judged.
func sweepReadIDs(fsys afero.Fs, p string) (SweepIDDatabase, map[uint32]bool) {
	db := SweepIDDatabase{Path: p}
	data, err := ReadFile(fsys, p, MaxConfigSize)
	switch {
	case hostMissing(err):
		return db, nil
	case err != nil:
		db.Exists, db.Error = true, err.Error()
		return db, nil
	}
	db.Exists, db.Read = true, true
	ids := map[uint32]bool{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), MaxConfigSize)
	for sc.Scan() {
		fields := strings.SplitN(sc.Text(), ":", 4)
		if len(fields) < 3 || fields[0] == "" || strings.HasPrefix(fields[0], "#") ||
			strings.HasPrefix(fields[0], "+") || strings.HasPrefix(fields[0], "-") {
			continue
		}
		if id, err := strconv.ParseUint(fields[2], 10, 32); err == nil {
			ids[uint32(id)] = true
		}
	}
	db.IDs = len(ids)
	return db, ids
}

// sweepSkippedMounts returns the mount points of /proc/self/mounts (read
// through fsys) whose file-system type a sweep must not enter.
func sweepSkippedMounts(fsys afero.Fs, p string) ([]string, error) {
	data, err := ReadFile(fsys, p, MaxConfigSize)
	if err != nil {
		return nil, fmt.Errorf("sweep: mount table: %w", err)
	}
	var out []string
	for n, line := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		f := strings.Fields(line)
		if len(f) < 3 {
			return nil, fmt.Errorf("sweep: %s:%d: %d fields, want at least 3", p, n+1, len(f))
		}
		if !sweepSkipFSType(f[2]) {
			continue
		}
		mp, err := unescapeMountField(f[1])
		if err != nil || !strings.HasPrefix(mp, "/") {
			return nil, fmt.Errorf("sweep: %s:%d: bad mount point %q", p, n+1, f[1])
		}
		out = append(out, path.Clean(mp))
	}
	return out, nil
}

// unescapeMountField undoes the octal escapes (\040 for a space) of a
// /proc/self/mounts field.
func unescapeMountField(s string) (string, error) {
	if !strings.Contains(s, `\`) {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			b.WriteByte(s[i])
			continue
		}
		if i+4 > len(s) {
			return "", fmt.Errorf("truncated escape in %q", s)
		}
		v, err := strconv.ParseUint(s[i+1:i+4], 8, 8)
		if err != nil {
			return "", fmt.Errorf("bad escape in %q", s)
		}
		b.WriteByte(byte(v))
		i += 3
	}
	return b.String(), nil
}

// The kinds of finding, indexes of sweeper.lists.
const (
	sweepWorldWritable = iota
	sweepNoSticky
	sweepUnowned
	sweepUngrouped
	sweepSUID
	sweepSGID
	sweepKinds
)

// sweeper is the state of one sweep, shared by its workers.
type sweeper struct {
	ctx         context.Context
	maxEntries  int64
	maxFindings int
	workers     int
	timeBudget  time.Duration
	deadline    time.Time
	exclLit     map[string]bool
	exclGlob    []string
	// users and groups are the known ids; nil when not judged.
	users, groups map[uint32]bool

	entries, dirs atomic.Int64
	stopped       atomic.Bool
	progress      func(int64)

	mu         sync.Mutex
	lists      [sweepKinds]sweepList[SweepEntry]
	unreadable sweepList[SweepUnreadable]
	budget     string // reason, when a budget was hit
	err        error  // ctx's error or a fatal one

	// beforeOpen, when set (by tests), runs between the stat of a
	// directory and its openat, to swap it for a symlink.
	beforeOpen func(p string)
}

// sweepList keeps the first max items by path (in byte order) and counts
// them all. It holds at most 2*max items between compactions.
type sweepList[T interface{ key() string }] struct {
	items []T
	count int
}

func (e SweepEntry) key() string      { return e.Path }
func (e SweepUnreadable) key() string { return e.Path }

func (l *sweepList[T]) add(v T, max int) {
	l.count++
	l.items = append(l.items, v)
	if len(l.items) >= 2*max {
		l.compact(max)
	}
}

func (l *sweepList[T]) compact(max int) {
	slices.SortFunc(l.items, func(a, b T) int { return strings.Compare(a.key(), b.key()) })
	if len(l.items) > max {
		clear(l.items[max:])
		l.items = l.items[:max]
	}
}

func (l *sweepList[T]) result(max int) []T {
	l.compact(max)
	if l.items == nil {
		return []T{}
	}
	return l.items
}

// admit counts one more entry at p and says whether the sweep may examine
// it: false once a budget is hit, ctx has ended or another worker failed.
func (s *sweeper) admit(p []byte) bool {
	if s.stopped.Load() {
		return false
	}
	n := s.entries.Add(1)
	if n > s.maxEntries {
		s.entries.Add(-1)
		s.halt(fmt.Sprintf("entry budget of %d reached at %s", s.maxEntries, displayPath(p)), nil)
		return false
	}
	if n&4095 == 0 && s.progress != nil {
		s.progress(n)
	}
	if n&255 == 0 {
		if err := s.ctx.Err(); err != nil {
			s.entries.Add(-1)
			s.halt("", err)
			return false
		}
		if time.Now().After(s.deadline) {
			s.entries.Add(-1)
			s.halt(fmt.Sprintf("time budget of %s reached at %s", s.timeBudget, displayPath(p)), nil)
			return false
		}
	}
	return true
}

// halt stops every worker, recording the first budget reason or error.
func (s *sweeper) halt(reason string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.budget == "" && s.err == nil {
		s.budget, s.err = reason, err
	}
	s.stopped.Store(true)
}

func (s *sweeper) failure() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err == nil {
		// ctx may have ended after the last check.
		return s.ctx.Err()
	}
	return s.err
}

func displayPath(p []byte) string {
	if len(p) == 0 {
		return "/"
	}
	return string(p)
}

// excluded reports whether p (not a swept path itself) is excluded.
func (s *sweeper) excluded(p []byte) bool {
	if s.exclLit[string(p)] {
		return true
	}
	if len(s.exclGlob) > 0 {
		ps := string(p)
		for _, g := range s.exclGlob {
			if ok, _ := path.Match(g, ps); ok {
				return true
			}
		}
	}
	return false
}

// Unix mode bits, as in stat(2); os.FileMode is converted to them.
const (
	sIFMT   = 0o170000
	sIFSOCK = 0o140000
	sIFLNK  = 0o120000
	sIFREG  = 0o100000
	sIFBLK  = 0o060000
	sIFDIR  = 0o040000
	sIFCHR  = 0o020000
	sIFIFO  = 0o010000
	sISUID  = 0o4000
	sISGID  = 0o2000
	sISVTX  = 0o1000
)

func sweepType(mode uint32) string {
	switch mode & sIFMT {
	case sIFREG:
		return "file"
	case sIFDIR:
		return "directory"
	case sIFLNK:
		return "symlink"
	case sIFIFO:
		return "fifo"
	case sIFSOCK:
		return "socket"
	case sIFCHR:
		return "char_device"
	case sIFBLK:
		return "block_device"
	}
	return "unknown"
}

// unixMode converts an os.FileMode to stat(2) mode bits.
func unixMode(m os.FileMode) uint32 {
	v := uint32(m.Perm())
	if m&os.ModeSetuid != 0 {
		v |= sISUID
	}
	if m&os.ModeSetgid != 0 {
		v |= sISGID
	}
	if m&os.ModeSticky != 0 {
		v |= sISVTX
	}
	switch {
	case m.IsDir():
		v |= sIFDIR
	case m&os.ModeSymlink != 0:
		v |= sIFLNK
	case m&os.ModeNamedPipe != 0:
		v |= sIFIFO
	case m&os.ModeSocket != 0:
		v |= sIFSOCK
	case m&os.ModeCharDevice != 0:
		v |= sIFCHR
	case m&os.ModeDevice != 0:
		v |= sIFBLK
	case m.IsRegular():
		v |= sIFREG
	}
	return v
}

// classify records the findings of the entry at p.
func (s *sweeper) classify(p []byte, mode, uid, gid uint32) {
	typ := mode & sIFMT
	var kinds [sweepKinds]bool
	found := false
	mark := func(k int) { kinds[k], found = true, true }
	if typ == sIFDIR {
		s.dirs.Add(1)
	}
	if mode&0o002 != 0 {
		switch typ {
		case sIFDIR:
			if mode&sISVTX == 0 {
				mark(sweepNoSticky)
			}
		case sIFREG, sIFIFO, sIFCHR, sIFBLK:
			mark(sweepWorldWritable)
		}
	}
	if s.users != nil && !s.users[uid] {
		mark(sweepUnowned)
	}
	if s.groups != nil && !s.groups[gid] {
		mark(sweepUngrouped)
	}
	if typ != sIFDIR {
		if mode&sISUID != 0 {
			mark(sweepSUID)
		}
		if mode&sISGID != 0 {
			mark(sweepSGID)
		}
	}
	if !found {
		return
	}
	e := SweepEntry{
		Path: displayPath(p),
		Mode: fmt.Sprintf("%04o", mode&0o7777),
		UID:  int(uid), GID: int(gid),
		Type: sweepType(mode),
	}
	s.mu.Lock()
	for k, on := range kinds {
		if on {
			s.lists[k].add(e, s.maxFindings)
		}
	}
	s.mu.Unlock()
}

func (s *sweeper) unreadableAt(p []byte, err error) {
	msg := err.Error()
	var pe *fs.PathError
	if errors.As(err, &pe) {
		msg = pe.Err.Error()
	}
	s.mu.Lock()
	s.unreadable.add(SweepUnreadable{Path: displayPath(p), Error: msg}, s.maxFindings)
	s.mu.Unlock()
}

// finish fills the facts from the sweeper.
func (s *sweeper) finish(facts *SweepFacts, start time.Time) {
	m := s.maxFindings
	facts.WorldWritableFiles = s.lists[sweepWorldWritable].result(m)
	facts.WorldWritableDirsWithoutSticky = s.lists[sweepNoSticky].result(m)
	facts.Unowned = s.lists[sweepUnowned].result(m)
	facts.Ungrouped = s.lists[sweepUngrouped].result(m)
	facts.SUID = s.lists[sweepSUID].result(m)
	facts.SGID = s.lists[sweepSGID].result(m)
	facts.Unreadable = s.unreadable.result(m)
	facts.Counts = SweepCounts{
		WorldWritableFiles:             s.lists[sweepWorldWritable].count,
		WorldWritableDirsWithoutSticky: s.lists[sweepNoSticky].count,
		Unowned:                        s.lists[sweepUnowned].count,
		Ungrouped:                      s.lists[sweepUngrouped].count,
		SUID:                           s.lists[sweepSUID].count,
		SGID:                           s.lists[sweepSGID].count,
		Unreadable:                     s.unreadable.count,
	}
	facts.Budget.Hit = s.budget != ""
	facts.Budget.Reason = s.budget
	facts.Complete = !facts.Budget.Hit && facts.Counts.Unreadable == 0
	facts.Scanned = SweepScanned{
		Entries:    s.entries.Load(),
		Dirs:       s.dirs.Load(),
		DurationMS: time.Since(start).Milliseconds(),
	}
}

// starts resolves the swept paths inside the root (a path through a
// symlink is swept where it leads, inside the root), records the missing
// ones and drops those below another.
func (s *sweeper) starts(fsys afero.Fs, facts *SweepFacts) ([]string, error) {
	var out []string
	for _, p := range facts.Paths {
		r := path.Clean(p)
		if res, ok := fsys.(interface{ Resolve(string) (string, error) }); ok {
			rp, err := res.Resolve(r)
			switch {
			case hostMissing(err):
				facts.Missing = append(facts.Missing, p)
				continue
			case err != nil:
				s.unreadableAt([]byte(r), err)
				continue
			}
			r = rp
		}
		if _, err := lstat(fsys, r); hostMissing(err) {
			facts.Missing = append(facts.Missing, p)
			continue
		}
		out = append(out, r)
	}
	slices.Sort(out)
	out = slices.Compact(out)
	var kept []string
	for _, p := range out {
		if len(kept) > 0 && isBelow(p, kept[len(kept)-1]) {
			continue
		}
		kept = append(kept, p)
	}
	return kept, nil
}

// isBelow reports whether p is dir or inside it.
func isBelow(p, dir string) bool {
	return p == dir || dir == "/" || strings.HasPrefix(p, dir+"/")
}

// ---------------------------------------------------------------------------
// The fast walk: a root on the operating system's file system.

// sweepJob is a directory handed to another worker: its open descriptor
// (owned by the job) and its path.
type sweepJob struct {
	fd    int
	path  string
	depth int
}

// sweepHost walks the host directory dir, the root, from the swept paths.
func (s *sweeper) sweepHost(dir string, starts []string) error {
	rootFD, err := unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("sweep: open root %s: %w", dir, err)
	}
	defer unix.Close(rootFD)

	pool := newSweepPool(s)
	for _, p := range starts {
		if s.stopped.Load() {
			break
		}
		s.startHost(rootFD, p, pool)
	}
	pool.wait()
	return nil
}

// startHost examines the swept path p and, if it is a directory, hands it to
// the pool. p is reached from the root one component at a time with
// O_NOFOLLOW.
func (s *sweeper) startHost(rootFD int, p string, pool *sweepPool) {
	pb := []byte(strings.TrimSuffix(p, "/"))
	if !s.admit(pb) {
		return
	}
	parent, err := unix.Dup(rootFD)
	if err != nil {
		s.unreadableAt(pb, err)
		return
	}
	comps := strings.Split(strings.Trim(p, "/"), "/")
	if p == "/" {
		comps = nil
	}
	for i := 0; i+1 < len(comps); i++ {
		fd, err := unix.Openat(parent, comps[i], unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
		unix.Close(parent)
		if err != nil {
			s.unreadableAt(pb, err)
			return
		}
		parent = fd
	}
	var st unix.Stat_t
	if len(comps) == 0 {
		err = unix.Fstat(parent, &st)
	} else {
		err = unix.Fstatat(parent, comps[len(comps)-1], &st, unix.AT_SYMLINK_NOFOLLOW|unix.AT_NO_AUTOMOUNT)
	}
	if err != nil {
		unix.Close(parent)
		s.unreadableAt(pb, err)
		return
	}
	s.classify(pb, st.Mode, st.Uid, st.Gid)
	if st.Mode&sIFMT != sIFDIR {
		unix.Close(parent)
		return
	}
	fd := parent
	if len(comps) > 0 {
		fd, err = openDirAt(parent, comps[len(comps)-1], &st)
		unix.Close(parent)
		if err != nil {
			s.unreadableAt(pb, err)
			return
		}
	}
	pool.submit(sweepJob{fd: fd, path: string(pb), depth: 0})
}

// openDirAt opens the directory name of dfd without following a symlink,
// and checks that it is the directory st described (not one swapped in
// since).
func openDirAt(dfd int, name string, st *unix.Stat_t) (int, error) {
	fd, err := unix.Openat(dfd, name, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC|unix.O_NONBLOCK, 0)
	if err != nil {
		return -1, err
	}
	var now unix.Stat_t
	if err := unix.Fstat(fd, &now); err != nil {
		unix.Close(fd)
		return -1, err
	}
	if now.Dev != st.Dev || now.Ino != st.Ino {
		unix.Close(fd)
		return -1, errors.New("replaced during the sweep")
	}
	return fd, nil
}

// sweepPool runs directory jobs on s.workers goroutines. A worker hands a
// subdirectory to the pool while another worker is idle and walks it
// itself otherwise, so that both cores stay busy without a queue of open
// descriptors.
type sweepPool struct {
	s       *sweeper
	jobs    chan sweepJob
	idle    atomic.Int32
	pending sync.WaitGroup
	done    sync.WaitGroup
}

func newSweepPool(s *sweeper) *sweepPool {
	p := &sweepPool{s: s, jobs: make(chan sweepJob, s.workers)}
	for range s.workers {
		p.done.Add(1)
		p.idle.Add(1)
		go p.work()
	}
	return p
}

func (p *sweepPool) work() {
	defer p.done.Done()
	w := &sweepWorker{s: p.s, pool: p, buf: make([]byte, 32<<10)}
	for j := range p.jobs {
		p.idle.Add(-1)
		w.path = append(w.path[:0], j.path...)
		w.walk(j.fd, j.depth)
		unix.Close(j.fd)
		p.idle.Add(1)
		p.pending.Done()
	}
}

// submit queues j, blocking until a worker takes it.
func (p *sweepPool) submit(j sweepJob) {
	p.pending.Add(1)
	p.jobs <- j
}

// offer hands j to an idle worker if there is room, without blocking.
func (p *sweepPool) offer(j sweepJob) bool {
	if p.idle.Load() == 0 {
		return false
	}
	p.pending.Add(1)
	select {
	case p.jobs <- j:
		return true
	default:
		p.pending.Done()
		return false
	}
}

func (p *sweepPool) wait() {
	p.pending.Wait()
	close(p.jobs)
	p.done.Wait()
}

// sweepWorker walks directories depth first with its own path buffer and
// getdents buffer.
type sweepWorker struct {
	s    *sweeper
	pool *sweepPool
	path []byte
	buf  []byte
}

// walk examines the entries of the directory open as dfd, whose path is
// w.path, and descends into its subdirectories.
func (w *sweepWorker) walk(dfd int, depth int) {
	s := w.s
	names, err := w.readNames(dfd)
	if err != nil {
		s.unreadableAt(w.path, err)
		// Examine what was read before the error.
	}
	slices.Sort(names)
	base := len(w.path)
	for _, name := range names {
		w.path = append(append(w.path[:base], '/'), name...)
		if s.excluded(w.path) {
			continue
		}
		if !s.admit(w.path) {
			break
		}
		var st unix.Stat_t
		if err := unix.Fstatat(dfd, name, &st, unix.AT_SYMLINK_NOFOLLOW|unix.AT_NO_AUTOMOUNT); err != nil {
			if err != unix.ENOENT { // removed since it was listed
				s.unreadableAt(w.path, err)
			}
			continue
		}
		s.classify(w.path, st.Mode, st.Uid, st.Gid)
		if st.Mode&sIFMT != sIFDIR {
			continue
		}
		if depth+1 >= sweepMaxDepth {
			s.unreadableAt(w.path, fmt.Errorf("nested deeper than %d directories", sweepMaxDepth))
			continue
		}
		if s.beforeOpen != nil {
			s.beforeOpen(string(w.path))
		}
		cfd, err := openDirAt(dfd, name, &st)
		if err != nil {
			s.unreadableAt(w.path, err)
			continue
		}
		if w.pool.offer(sweepJob{fd: cfd, path: string(w.path), depth: depth + 1}) {
			continue
		}
		w.walk(cfd, depth+1)
		unix.Close(cfd)
	}
	w.path = w.path[:base]
}

// readNames lists the directory open as dfd with getdents(2).
func (w *sweepWorker) readNames(dfd int) ([]string, error) {
	var names []string
	for {
		n, err := unix.ReadDirent(dfd, w.buf)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return names, err
		}
		if n <= 0 {
			return names, nil
		}
		_, _, names = unix.ParseDirent(w.buf[:n], -1, names)
	}
}

// ---------------------------------------------------------------------------
// The generic walk: any afero.Fs that can lstat.

// sweepAfero walks fsys from the swept paths, one directory at a time,
// examining every entry with lstat.
func (s *sweeper) sweepAfero(fsys afero.Fs, starts []string) error {
	if _, ok := fsys.(afero.Lstater); !ok {
		return fmt.Errorf("sweep: %s cannot lstat, and a sweep must not follow symlinks", fsys.Name())
	}
	for _, p := range starts {
		if s.stopped.Load() {
			break
		}
		if err := s.aferoEntry(fsys, p, 0); err != nil {
			return err
		}
	}
	return nil
}

// aferoEntry examines p and, if it is a directory, its entries.
func (s *sweeper) aferoEntry(fsys afero.Fs, p string, depth int) error {
	pb := []byte(strings.TrimSuffix(p, "/"))
	if !s.admit(pb) {
		return nil
	}
	fi, err := lstat(fsys, p)
	if err != nil {
		if !hostMissing(err) {
			s.unreadableAt(pb, err)
		}
		return nil
	}
	uid, gid, ok := ownership(fi)
	if !ok {
		return fmt.Errorf("sweep: %s: %w", p, ErrNoOwnership)
	}
	mode := unixMode(fi.Mode())
	s.classify(pb, mode, uint32(uid), uint32(gid))
	if mode&sIFMT != sIFDIR {
		return nil
	}
	if depth+1 > sweepMaxDepth {
		s.unreadableAt(pb, fmt.Errorf("nested deeper than %d directories", sweepMaxDepth))
		return nil
	}
	f, err := fsys.Open(p)
	if err != nil {
		s.unreadableAt(pb, err)
		return nil
	}
	names, err := f.Readdirnames(-1)
	f.Close()
	if err != nil {
		s.unreadableAt(pb, err)
	}
	slices.Sort(names)
	for _, name := range names {
		if s.stopped.Load() {
			return nil
		}
		child := path.Join(p, name)
		if s.excluded([]byte(child)) {
			continue
		}
		if err := s.aferoEntry(fsys, child, depth+1); err != nil {
			return err
		}
	}
	return nil
}
