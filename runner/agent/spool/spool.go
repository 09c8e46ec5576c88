// Package spool is gcrun agent's on-disk spool of signed reports waiting
// for the receiver's acknowledgement: a report is spooled before it is
// sent and leaves the spool only when the receiver acknowledged its id
// (Ack) or refused it for good (Reject: moved aside with the reason).
//
// # Layout
//
// The spool directory (mode 0700) holds:
//
//	<created>+<assignment>+<id>.json.gz  one report: the gzip of its DSSE envelope (mode 0600);
//	                                     <created> is the Put time in Unix nanoseconds, zero-padded
//	                                     to 20 digits, so names sort by creation
//	counters.json                        {"version":1,"evicted":N,"rejected":N,"corrupt":N}: totals
//	                                     that survive restarts
//	.lock                                flock(2)ed by the process that has the spool open
//	.tmp-*                               files being written (a crash can leave one; OpenSpool
//	                                     removes them)
//	bad/<name> and bad/<name>.reason     reports refused by the receiver (Reject) and files that
//	                                     could not be read or parsed, with the reason; never deleted
//
// Ids and assignment names are 1 to 128 characters of [A-Za-z0-9._-]
// (not "." or ".."), so a name can carry no path.
//
// Every file is written atomically: a temporary file in the same
// directory, fsync, rename, fsync of the directory.
//
// # Limits
//
// After each Put the spool enforces its limits, evicting (deleting)
// reports: first those older than MaxAge, then the oldest while there are
// more than MaxReports or more than MaxBytes (on disk). It never evicts
// the newest report of any assignment, nor the report just put, so the
// limits can be exceeded by those. Put returns how many reports it
// evicted, for the caller to record in its next report; the total is
// kept in counters.json.
package spool

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// MaxEnvelopeSize bounds one spooled envelope (uncompressed).
const MaxEnvelopeSize = 64 << 20

// Names of the spool's own files.
const (
	lockName     = ".lock"
	countersName = "counters.json"
	badDir       = "bad"
	tmpPrefix    = ".tmp-"
	reportSuffix = ".json.gz"
	reasonSuffix = ".reason"
)

var (
	// ErrLocked: another process (or another Spool) has the spool open.
	ErrLocked = errors.New("spool is in use by another process")
	// ErrCorrupt: a spooled file could not be read or parsed; it was
	// moved to bad/.
	ErrCorrupt = errors.New("corrupt spool file")
	// ErrDuplicate: Put of an id that is already pending.
	ErrDuplicate = errors.New("report id already spooled")
	// ErrClosed: the spool was closed.
	ErrClosed = errors.New("spool closed")
)

// SpoolLimits bound the spool; zero means no limit.
type SpoolLimits struct {
	MaxBytes   int64
	MaxReports int
	MaxAge     time.Duration
}

// SpoolEntry is one pending report.
type SpoolEntry struct {
	ID         string
	Assignment string
	// Created is when it was put.
	Created time.Time
	// Size is the spooled (compressed) file's size.
	Size int64
	path string
}

// SpoolStats summarises the spool.
type SpoolStats struct {
	// Depth is the number of pending reports, Bytes their size on disk.
	Depth int
	Bytes int64
	// Oldest is the oldest pending report's creation (zero when empty).
	Oldest time.Time
	// Evicted, Rejected and Corrupt are totals since the spool was
	// created: reports evicted by the limits, refused by the receiver,
	// and files moved aside because they could not be read.
	Evicted  int64
	Rejected int64
	Corrupt  int64
}

// Spool is an open spool directory. Its methods are safe for concurrent
// use.
type Spool struct {
	mu       sync.Mutex
	dir      string
	limits   SpoolLimits
	now      func() time.Time
	lock     *os.File
	entries  map[string]SpoolEntry // by file name
	byID     map[string]string     // id -> file name
	counters counters
	last     int64 // the newest creation time used, Unix nanoseconds
}

// lockedError says which spool is locked; it is ErrLocked.
type lockedError struct{ dir string }

func (e lockedError) Error() string        { return "spool " + e.dir + " is in use by another process" }
func (e lockedError) Is(target error) bool { return target == ErrLocked }

type counters struct {
	Version  int   `json:"version"`
	Evicted  int64 `json:"evicted"`
	Rejected int64 `json:"rejected"`
	Corrupt  int64 `json:"corrupt"`
}

// ValidName reports whether s can be a report id or assignment name in the
// spool: 1 to 128 of [A-Za-z0-9._-], not "." or "..". (A loop, not a
// regexp: a bounded repetition compiles into a large program at start-up.)
func ValidName(s string) bool {
	if len(s) == 0 || len(s) > 128 || s == "." || s == ".." {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

func fileName(created int64, assignment, id string) string {
	return fmt.Sprintf("%020d+%s+%s%s", created, assignment, id, reportSuffix)
}

// parseName returns the entry a report file name describes.
func parseName(name string) (SpoolEntry, bool) {
	// <20 digits>+<assignment>+<id>.json.gz
	base, ok := strings.CutSuffix(name, reportSuffix)
	if !ok {
		return SpoolEntry{}, false
	}
	parts := strings.Split(base, "+")
	if len(parts) != 3 || len(parts[0]) != 20 || !ValidName(parts[1]) || !ValidName(parts[2]) {
		return SpoolEntry{}, false
	}
	for i := 0; i < len(parts[0]); i++ {
		if parts[0][i] < '0' || parts[0][i] > '9' {
			return SpoolEntry{}, false
		}
	}
	n, err := strconv.ParseInt(parts[0], 10, 64)
	if err != nil {
		return SpoolEntry{}, false
	}
	return SpoolEntry{ID: parts[2], Assignment: parts[1], Created: time.Unix(0, n).UTC(), path: name}, true
}

// OpenSpool opens (creating it if needed) the spool in dir and takes its
// lock: a second OpenSpool of the same directory, in this process or
// another, fails with ErrLocked until Close. It removes files a crash left
// half-written and moves unreadable reports to bad/. now is the clock (nil:
// time.Now).
func OpenSpool(dir string, limits SpoolLimits, now func() time.Time) (*Spool, error) {
	if limits.MaxBytes < 0 || limits.MaxReports < 0 || limits.MaxAge < 0 {
		return nil, fmt.Errorf("spool: negative limit %+v", limits)
	}
	if now == nil {
		now = time.Now
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("spool: %w", err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return nil, fmt.Errorf("spool: %w", err)
	}
	lock, err := os.OpenFile(filepath.Join(dir, lockName), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("spool: %w", err)
	}
	if err := unix.Flock(int(lock.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		lock.Close()
		if errors.Is(err, unix.EWOULDBLOCK) {
			return nil, lockedError{dir}
		}
		return nil, fmt.Errorf("spool: lock %s: %w", dir, err)
	}
	s := &Spool{dir: dir, limits: limits, now: now, lock: lock, entries: map[string]SpoolEntry{}, byID: map[string]string{}}
	if err := s.open(); err != nil {
		lock.Close()
		return nil, err
	}
	return s, nil
}

func (s *Spool) open() error {
	if err := os.MkdirAll(filepath.Join(s.dir, badDir), 0o700); err != nil {
		return fmt.Errorf("spool: %w", err)
	}
	// Half-written files of a crashed process.
	for _, d := range []string{s.dir, filepath.Join(s.dir, badDir)} {
		des, err := os.ReadDir(d)
		if err != nil {
			return fmt.Errorf("spool: %w", err)
		}
		for _, de := range des {
			if strings.HasPrefix(de.Name(), tmpPrefix) && !de.IsDir() {
				if err := os.Remove(filepath.Join(d, de.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
					return fmt.Errorf("spool: %w", err)
				}
			}
		}
	}
	if err := s.loadCounters(); err != nil {
		return err
	}
	if err := s.scan(); err != nil {
		return err
	}
	for _, e := range s.entries {
		if n := e.Created.UnixNano(); n > s.last {
			s.last = n
		}
	}
	return nil
}

func (s *Spool) loadCounters() error {
	data, err := os.ReadFile(filepath.Join(s.dir, countersName))
	if errors.Is(err, fs.ErrNotExist) {
		s.counters = counters{Version: 1}
		return nil
	}
	if err != nil {
		return fmt.Errorf("spool: %w", err)
	}
	var c counters
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil || c.Version != 1 || c.Evicted < 0 || c.Rejected < 0 || c.Corrupt < 0 {
		// Never fail the spool over its statistics: keep the bad
		// file for inspection and start again.
		reason := fmt.Sprintf("unreadable counters file (version %d): %v", c.Version, err)
		s.counters = counters{Version: 1}
		if qerr := s.quarantine(countersName, reason); qerr != nil {
			return qerr
		}
		if serr := s.saveCounters(); serr != nil {
			return fmt.Errorf("spool: %w", serr)
		}
		return nil
	}
	s.counters = c
	return nil
}

func (s *Spool) saveCounters() error {
	data, err := json.Marshal(s.counters)
	if err != nil {
		return err
	}
	return writeAtomic(s.dir, countersName, append(data, '\n'))
}

// scan brings the index in line with the directory: vanished files are
// dropped, new (or changed) ones verified, unreadable ones moved to bad/.
func (s *Spool) scan() error {
	des, err := os.ReadDir(s.dir) // sorted by name: oldest report first
	if err != nil {
		return fmt.Errorf("spool: %w", err)
	}
	present := make(map[string]bool, len(des))
	for _, de := range des {
		present[de.Name()] = true
	}
	for name := range s.entries {
		if !present[name] {
			s.drop(name)
		}
	}
	quarantined := false
	for _, de := range des {
		name := de.Name()
		if name == lockName || name == countersName || (name == badDir && de.IsDir()) || strings.HasPrefix(name, tmpPrefix) {
			// A temporary file is being written (not by another
			// process: we hold the lock) or was left by a crash
			// (OpenSpool removes those).
			continue
		}
		reason := ""
		e, ok := parseName(name)
		info, err := de.Info()
		switch {
		case errors.Is(err, fs.ErrNotExist):
			continue
		case err != nil:
			return fmt.Errorf("spool: %w", err)
		case !ok:
			reason = "unexpected file name (want <created>+<assignment>+<id>.json.gz)"
		}
		if old, known := s.entries[name]; known {
			if info.Mode().IsRegular() && info.Size() == old.Size {
				continue
			}
			s.drop(name) // changed behind our back: check it again
		}
		if reason == "" {
			if other, dup := s.byID[e.ID]; dup {
				reason = "duplicate report id " + e.ID + " (pending in " + other + ")"
			} else if _, err := readReport(filepath.Join(s.dir, name)); err != nil {
				reason = err.Error()
			}
		}
		if reason != "" {
			if err := s.quarantine(name, reason); err != nil {
				return err
			}
			quarantined = true
			continue
		}
		e.Size = info.Size()
		s.entries[name] = e
		s.byID[e.ID] = name
	}
	if quarantined {
		if err := s.saveCounters(); err != nil {
			return fmt.Errorf("spool: %w", err)
		}
	}
	return nil
}

// readReport reads and checks one report file: gzip of a JSON envelope.
func readReport(path string) ([]byte, error) {
	// Lstat first: opening a FIFO would block, a symlink could lead
	// anywhere.
	info, err := os.Lstat(path)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%w: not a regular file (%s)", ErrCorrupt, info.Mode().Type())
	}
	f, err := os.OpenFile(path, os.O_RDONLY|unix.O_NOFOLLOW|unix.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if info.Size() == 0 {
		return nil, fmt.Errorf("%w: empty file", ErrCorrupt)
	}
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%w: not gzip: %v", ErrCorrupt, err)
	}
	zr.Multistream(false)
	data, err := io.ReadAll(io.LimitReader(zr, MaxEnvelopeSize+1))
	if err != nil {
		return nil, fmt.Errorf("%w: truncated or damaged gzip: %v", ErrCorrupt, err)
	}
	if len(data) > MaxEnvelopeSize {
		return nil, fmt.Errorf("%w: envelope larger than %d bytes", ErrCorrupt, MaxEnvelopeSize)
	}
	if !json.Valid(data) {
		return nil, fmt.Errorf("%w: the envelope is not JSON", ErrCorrupt)
	}
	return data, nil
}

// quarantine moves dir/name to bad/ with a .reason file beside it and
// counts it as corrupt (the caller saves the counters).
func (s *Spool) quarantine(name, reason string) error {
	if err := s.moveAside(name, reason); err != nil {
		return err
	}
	s.counters.Corrupt++
	return nil
}

// moveAside moves dir/name to bad/, never overwriting anything there.
func (s *Spool) moveAside(name, reason string) error {
	bad := filepath.Join(s.dir, badDir)
	dst := name
	for i := 1; ; i++ {
		_, err1 := os.Lstat(filepath.Join(bad, dst))
		_, err2 := os.Lstat(filepath.Join(bad, dst+reasonSuffix))
		if errors.Is(err1, fs.ErrNotExist) && errors.Is(err2, fs.ErrNotExist) {
			break
		}
		dst = name + "." + strconv.Itoa(i)
	}
	text := fmt.Sprintf("%s\nmoved aside at %s from %s\n", reason, s.now().UTC().Format(time.RFC3339Nano), name)
	if err := writeAtomic(bad, dst+reasonSuffix, []byte(text)); err != nil {
		return fmt.Errorf("spool: %w", err)
	}
	if err := os.Rename(filepath.Join(s.dir, name), filepath.Join(bad, dst)); err != nil {
		return fmt.Errorf("spool: move %s aside: %w", name, err)
	}
	syncDir(bad)
	syncDir(s.dir)
	return nil
}

// Dir returns the spool directory.
func (s *Spool) Dir() string { return s.dir }

// Close releases the spool's lock; the Spool is unusable afterwards.
func (s *Spool) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.lock == nil {
		return nil
	}
	err := s.lock.Close() // releases the flock
	s.lock = nil
	return err
}

// Put spools the envelope (a JSON DSSE envelope) of report id for
// assignment, atomically, then enforces the limits. It returns how many
// older reports it evicted. An id that is already pending is refused
// (ErrDuplicate).
func (s *Spool) Put(id, assignment string, envelope []byte) (evicted int, err error) {
	if !ValidName(id) {
		return 0, fmt.Errorf("spool: invalid report id %q (want 1-128 of [A-Za-z0-9._-])", id)
	}
	if !ValidName(assignment) {
		return 0, fmt.Errorf("spool: invalid assignment name %q (want 1-128 of [A-Za-z0-9._-])", assignment)
	}
	if len(envelope) > MaxEnvelopeSize {
		return 0, fmt.Errorf("spool: report %s: envelope of %d bytes is larger than %d", id, len(envelope), MaxEnvelopeSize)
	}
	if !json.Valid(envelope) {
		return 0, fmt.Errorf("spool: report %s: the envelope is not JSON", id)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(envelope); err != nil {
		return 0, err
	}
	if err := zw.Close(); err != nil {
		return 0, err
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if s.lock == nil {
		return 0, ErrClosed
	}
	if name, dup := s.byID[id]; dup {
		return 0, fmt.Errorf("spool: report %s (%s): %w", id, name, ErrDuplicate)
	}
	created := s.now().UnixNano()
	if created <= s.last {
		created = s.last + 1 // names stay unique and in Put order
	}
	if created < 0 {
		created = 0
	}
	name := fileName(created, assignment, id)
	if err := writeAtomic(s.dir, name, buf.Bytes()); err != nil {
		return 0, fmt.Errorf("spool: %w", err)
	}
	s.last = created
	s.entries[name] = SpoolEntry{ID: id, Assignment: assignment, Created: time.Unix(0, created).UTC(), Size: int64(buf.Len()), path: name}
	s.byID[id] = name
	return s.enforce(name)
}

// sorted returns the entries oldest first.
func (s *Spool) sorted() []SpoolEntry {
	out := make([]SpoolEntry, 0, len(s.entries))
	for _, e := range s.entries {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].path < out[j].path })
	return out
}

// enforce evicts per the limits; just is the report just put.
func (s *Spool) enforce(just string) (int, error) {
	all := s.sorted()
	protected := map[string]bool{just: true}
	newest := map[string]string{}
	for _, e := range all {
		newest[e.Assignment] = e.path
	}
	for _, name := range newest {
		protected[name] = true
	}
	evict := map[string]bool{}
	count, size := len(all), int64(0)
	for _, e := range all {
		size += e.Size
	}
	now := s.now()
	if s.limits.MaxAge > 0 {
		for _, e := range all {
			if !protected[e.path] && now.Sub(e.Created) > s.limits.MaxAge {
				evict[e.path] = true
				count--
				size -= e.Size
			}
		}
	}
	for _, e := range all {
		over := (s.limits.MaxReports > 0 && count > s.limits.MaxReports) || (s.limits.MaxBytes > 0 && size > s.limits.MaxBytes)
		if !over {
			break
		}
		if protected[e.path] || evict[e.path] {
			continue
		}
		evict[e.path] = true
		count--
		size -= e.Size
	}
	if len(evict) == 0 {
		return 0, nil
	}
	n := 0
	var firstErr error
	for _, e := range all {
		if !evict[e.path] {
			continue
		}
		if err := os.Remove(filepath.Join(s.dir, e.path)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			if firstErr == nil {
				firstErr = fmt.Errorf("spool: evict %s: %w", e.path, err)
			}
			continue
		}
		delete(s.entries, e.path)
		delete(s.byID, e.ID)
		n++
	}
	syncDir(s.dir)
	s.counters.Evicted += int64(n)
	if err := s.saveCounters(); err != nil && firstErr == nil {
		firstErr = fmt.Errorf("spool: %w", err)
	}
	return n, firstErr
}

// Pending returns the pending reports, oldest first. Files that appeared
// since the last look are checked; unreadable ones are moved to bad/.
func (s *Spool) Pending() ([]SpoolEntry, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.lock == nil {
		return nil, ErrClosed
	}
	if err := s.scan(); err != nil {
		return nil, err
	}
	return s.sorted(), nil
}

// Read returns the envelope of a pending report. A file that cannot be
// read or parsed is moved to bad/ and the error wraps ErrCorrupt; a report
// no longer pending is an error wrapping fs.ErrNotExist.
func (s *Spool) Read(e SpoolEntry) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.lock == nil {
		return nil, ErrClosed
	}
	name, ok := s.byID[e.ID]
	if !ok {
		return nil, fmt.Errorf("spool: report %s is not pending: %w", e.ID, fs.ErrNotExist)
	}
	data, err := readReport(filepath.Join(s.dir, name))
	switch {
	case err == nil:
		return data, nil
	case errors.Is(err, fs.ErrNotExist):
		s.drop(name)
		return nil, fmt.Errorf("spool: report %s: %w", e.ID, err)
	case errors.Is(err, ErrCorrupt):
		s.drop(name)
		if qerr := s.quarantine(name, err.Error()); qerr != nil {
			return nil, qerr
		}
		if serr := s.saveCounters(); serr != nil {
			return nil, fmt.Errorf("spool: %w", serr)
		}
		return nil, fmt.Errorf("spool: report %s moved to bad/: %w", e.ID, err)
	}
	return nil, fmt.Errorf("spool: report %s: %w", e.ID, err)
}

func (s *Spool) drop(name string) {
	if e, ok := s.entries[name]; ok {
		delete(s.entries, name)
		if s.byID[e.ID] == name {
			delete(s.byID, e.ID)
		}
	}
}

// Ack removes a report the receiver acknowledged. Acknowledging an id
// that is not pending (already acknowledged) is not an error.
func (s *Spool) Ack(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.lock == nil {
		return ErrClosed
	}
	name, ok := s.byID[id]
	if !ok {
		return nil
	}
	if err := os.Remove(filepath.Join(s.dir, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("spool: ack %s: %w", id, err)
	}
	syncDir(s.dir)
	s.drop(name)
	return nil
}

// Reject moves a report the receiver refused for good to bad/, with the
// reason beside it. An id that is not pending is an error wrapping
// fs.ErrNotExist.
func (s *Spool) Reject(id, reason string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.lock == nil {
		return ErrClosed
	}
	name, ok := s.byID[id]
	if !ok {
		return fmt.Errorf("spool: reject %s: not pending: %w", id, fs.ErrNotExist)
	}
	if err := s.moveAside(name, "rejected by the receiver: "+reason); err != nil {
		return err
	}
	s.drop(name)
	s.counters.Rejected++
	if err := s.saveCounters(); err != nil {
		return fmt.Errorf("spool: %w", err)
	}
	return nil
}

// Stats summarises the spool as last seen (by OpenSpool, Put, Pending...).
func (s *Spool) Stats() SpoolStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := SpoolStats{Depth: len(s.entries), Evicted: s.counters.Evicted, Rejected: s.counters.Rejected, Corrupt: s.counters.Corrupt}
	for _, e := range s.entries {
		st.Bytes += e.Size
		if st.Oldest.IsZero() || e.Created.Before(st.Oldest) {
			st.Oldest = e.Created
		}
	}
	return st
}

// Evicted returns the total of reports evicted by the limits.
func (s *Spool) Evicted() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counters.Evicted
}

// writeAtomic writes dir/name (mode 0600) through a temporary file in dir,
// fsynced, renamed, and the directory fsynced.
func writeAtomic(dir, name string, data []byte) error {
	tmp, err := os.CreateTemp(dir, tmpPrefix+name+"-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op once renamed
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), filepath.Join(dir, name)); err != nil {
		return err
	}
	syncDir(dir)
	return nil
}

// syncDir makes renames and removals in dir durable (best effort: not
// every file system supports it).
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}
