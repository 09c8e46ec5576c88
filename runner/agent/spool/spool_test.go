package spool

import (
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"
)

// clock is an injectable clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)} }

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func envelope(id string) []byte {
	return []byte(`{"payloadType":"application/vnd.gcrun.report+json","payload":"` +
		base64.StdEncoding.EncodeToString([]byte(`{"id":"`+id+`"}`)) + `","signatures":[{"keyid":"k","sig":"c2ln"}]}`)
}

func open(t *testing.T, dir string, limits SpoolLimits, c *clock) *Spool {
	t.Helper()
	var now func() time.Time
	if c != nil {
		now = c.now
	}
	s, err := OpenSpool(dir, limits, now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func put(t *testing.T, s *Spool, id, assignment string) int {
	t.Helper()
	n, err := s.Put(id, assignment, envelope(id))
	if err != nil {
		t.Fatalf("Put(%s, %s): %v", id, assignment, err)
	}
	return n
}

func pendingIDs(t *testing.T, s *Spool) []string {
	t.Helper()
	p, err := s.Pending()
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{}
	for _, e := range p {
		ids = append(ids, e.ID)
	}
	return ids
}

func wantPending(t *testing.T, s *Spool, want ...string) {
	t.Helper()
	if want == nil {
		want = []string{}
	}
	if diff := cmp.Diff(want, pendingIDs(t, s)); diff != "" {
		t.Errorf("Pending ids (-want +got):\n%s", diff)
	}
}

// badFiles lists bad/ and returns, for each moved file, its .reason text.
func badFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	des, err := os.ReadDir(filepath.Join(dir, badDir))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, de := range des {
		if strings.HasSuffix(de.Name(), reasonSuffix) {
			continue
		}
		reason, err := os.ReadFile(filepath.Join(dir, badDir, de.Name()+reasonSuffix))
		if err != nil {
			t.Errorf("%s has no reason file: %v", de.Name(), err)
		}
		out[de.Name()] = string(reason)
	}
	return out
}

func TestPutPendingReadAck(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "spool")
	c := newClock()
	s := open(t, dir, SpoolLimits{}, c)
	for _, id := range []string{"r1", "r2", "r3"} {
		if n := put(t, s, id, "linux"); n != 0 {
			t.Fatalf("Put evicted %d", n)
		}
		c.advance(time.Second)
	}
	wantPending(t, s, "r1", "r2", "r3")

	p, _ := s.Pending()
	if got := p[0].Created; !got.Equal(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)) {
		t.Errorf("Created = %s", got)
	}
	for _, e := range p {
		data, err := s.Read(e)
		if err != nil || !bytes.Equal(data, envelope(e.ID)) {
			t.Errorf("Read(%s) = %q, %v", e.ID, data, err)
		}
		name := filepath.Join(dir, e.path)
		if want := fmt.Sprintf("%020d+linux+%s.json.gz", e.Created.UnixNano(), e.ID); e.path != want {
			t.Errorf("file name %s, want %s", e.path, want)
		}
		info, err := os.Stat(name)
		if err != nil || info.Mode().Perm() != 0o600 || info.Size() != e.Size {
			t.Errorf("%s: %v, %v (size %d)", name, info.Mode(), err, e.Size)
		}
	}
	if info, err := os.Stat(dir); err != nil || info.Mode().Perm() != 0o700 {
		t.Errorf("spool dir mode %v, %v", info.Mode(), err)
	}
	st := s.Stats()
	if st.Depth != 3 || st.Bytes != p[0].Size+p[1].Size+p[2].Size || !st.Oldest.Equal(p[0].Created) {
		t.Errorf("Stats = %+v", st)
	}

	if err := s.Ack("r2"); err != nil {
		t.Fatal(err)
	}
	wantPending(t, s, "r1", "r3")
	if _, err := os.Stat(filepath.Join(dir, p[1].path)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("acknowledged file still there: %v", err)
	}
	// Idempotent: acknowledging again, or an unknown id, is fine.
	for _, id := range []string{"r2", "never-spooled"} {
		if err := s.Ack(id); err != nil {
			t.Errorf("Ack(%s) = %v", id, err)
		}
	}
	if _, err := s.Read(p[1]); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Read of an acknowledged report: %v", err)
	}
	if err := s.Ack("r1"); err != nil {
		t.Fatal(err)
	}
	if err := s.Ack("r3"); err != nil {
		t.Fatal(err)
	}
	wantPending(t, s)
	if st := s.Stats(); st.Depth != 0 || st.Bytes != 0 || !st.Oldest.IsZero() {
		t.Errorf("empty Stats = %+v", st)
	}
}

func TestPutValidation(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, SpoolLimits{}, nil)
	long := strings.Repeat("x", 129)
	for _, tc := range []struct{ id, assignment, env, want string }{
		{"", "linux", "{}", "invalid report id"},
		{".", "linux", "{}", "invalid report id"},
		{"..", "linux", "{}", "invalid report id"},
		{"../x", "linux", "{}", "invalid report id"},
		{"a/b", "linux", "{}", "invalid report id"},
		{"a+b", "linux", "{}", "invalid report id"},
		{"a b", "linux", "{}", "invalid report id"},
		{long, "linux", "{}", "invalid report id"},
		{"r1", "", "{}", "invalid assignment name"},
		{"r1", "..", "{}", "invalid assignment name"},
		{"r1", "x/y", "{}", "invalid assignment name"},
		{"r1", "linux", "", "not JSON"},
		{"r1", "linux", "{trunc", "not JSON"},
	} {
		if _, err := s.Put(tc.id, tc.assignment, []byte(tc.env)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Put(%q, %q, %q) = %v, want %q", tc.id, tc.assignment, tc.env, err, tc.want)
		}
	}
	if _, err := s.Put("r1", "linux", make([]byte, MaxEnvelopeSize+1)); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("oversized envelope: %v", err)
	}
	put(t, s, "r1", "linux")
	if _, err := s.Put("r1", "other", envelope("r1")); !errors.Is(err, ErrDuplicate) {
		t.Errorf("duplicate Put = %v, want ErrDuplicate", err)
	}
	wantPending(t, s, "r1")
	// Nothing but the one report, the lock and bad/ is in the directory.
	des, _ := os.ReadDir(dir)
	var names []string
	for _, de := range des {
		names = append(names, de.Name())
	}
	if len(names) != 3 {
		t.Errorf("spool files: %q", names)
	}
}

func TestOrderFollowsPutsEvenWhenTheClockStalls(t *testing.T) {
	c := newClock()
	s := open(t, t.TempDir(), SpoolLimits{}, c)
	put(t, s, "z", "linux")
	put(t, s, "a", "linux") // same instant
	c.advance(-time.Hour)   // the clock goes back
	put(t, s, "m", "linux")
	wantPending(t, s, "z", "a", "m")
	p, _ := s.Pending()
	if !p[0].Created.Before(p[1].Created) || !p[1].Created.Before(p[2].Created) {
		t.Errorf("creation times not increasing: %v %v %v", p[0].Created, p[1].Created, p[2].Created)
	}
}

func TestEvictionCountThreeAssignments(t *testing.T) {
	c := newClock()
	s := open(t, t.TempDir(), SpoolLimits{MaxReports: 4}, c)
	steps := []struct {
		id, assignment string
		evicted        int
		pending        []string
	}{
		{"a1", "a", 0, []string{"a1"}},
		{"b1", "b", 0, []string{"a1", "b1"}},
		{"c1", "c", 0, []string{"a1", "b1", "c1"}},
		{"a2", "a", 0, []string{"a1", "b1", "c1", "a2"}},
		{"a3", "a", 1, []string{"b1", "c1", "a2", "a3"}}, // a1: oldest, not newest of a
		{"a4", "a", 1, []string{"b1", "c1", "a3", "a4"}}, // b1, c1: newest of their assignment
		{"b2", "b", 1, []string{"c1", "a3", "a4", "b2"}}, // b1 no longer the newest of b
		{"c2", "c", 1, []string{"a3", "a4", "b2", "c2"}},
	}
	for _, st := range steps {
		c.advance(time.Minute)
		if n := put(t, s, st.id, st.assignment); n != st.evicted {
			t.Errorf("Put(%s) evicted %d, want %d", st.id, n, st.evicted)
		}
		if diff := cmp.Diff(st.pending, pendingIDs(t, s)); diff != "" {
			t.Errorf("after Put(%s) (-want +got):\n%s", st.id, diff)
		}
	}
	if got := s.Evicted(); got != 4 {
		t.Errorf("Evicted() = %d, want 4", got)
	}
}

func TestNeverEvictsTheNewestOfAnAssignment(t *testing.T) {
	c := newClock()
	s := open(t, t.TempDir(), SpoolLimits{MaxReports: 1, MaxBytes: 1}, c)
	for _, id := range []string{"a1", "b1", "c1"} {
		if n := put(t, s, id, id[:1]); n != 0 {
			t.Errorf("Put(%s) evicted %d", id, n)
		}
	}
	wantPending(t, s, "a1", "b1", "c1") // over both limits, but each is its assignment's newest
	if n := put(t, s, "a2", "a"); n != 1 {
		t.Errorf("Put(a2) evicted %d, want 1", n)
	}
	wantPending(t, s, "b1", "c1", "a2")
}

func randomEnvelope(t *testing.T, n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return []byte(`{"payload":"` + base64.StdEncoding.EncodeToString(b) + `"}`)
}

func TestEvictionBytes(t *testing.T) {
	c := newClock()
	dir := t.TempDir()
	probe := open(t, filepath.Join(dir, "probe"), SpoolLimits{}, c)
	if _, err := probe.Put("p", "a", randomEnvelope(t, 3000)); err != nil {
		t.Fatal(err)
	}
	size := probe.Stats().Bytes // incompressible: every report has about this size
	limit := 3*size + size/2
	s := open(t, filepath.Join(dir, "spool"), SpoolLimits{MaxBytes: limit}, c)
	total := 0
	for i := 1; i <= 6; i++ {
		id := fmt.Sprintf("r%d", i)
		n, err := s.Put(id, "a", randomEnvelope(t, 3000))
		if err != nil {
			t.Fatal(err)
		}
		total += n
		if b := s.Stats().Bytes; b > limit {
			t.Errorf("after %s: %d bytes > limit %d", id, b, limit)
		}
	}
	wantPending(t, s, "r4", "r5", "r6")
	if total != 3 || s.Stats().Evicted != 3 {
		t.Errorf("evicted %d (stats %d), want 3", total, s.Stats().Evicted)
	}
}

func TestEvictionAge(t *testing.T) {
	c := newClock()
	s := open(t, t.TempDir(), SpoolLimits{MaxAge: time.Hour, MaxReports: 100}, c)
	put(t, s, "a1", "a")
	put(t, s, "b1", "b")
	c.advance(30 * time.Minute)
	put(t, s, "a2", "a")
	c.advance(30*time.Minute + time.Second) // a1, b1: 1h0m1s old; a2: 30m1s
	if n := put(t, s, "c1", "c"); n != 1 {
		t.Errorf("Put(c1) evicted %d, want 1 (a1)", n)
	}
	wantPending(t, s, "b1", "a2", "c1") // b1 is too old but b's newest
	c.advance(time.Hour)
	if n := put(t, s, "a3", "a"); n != 1 {
		t.Errorf("Put(a3) evicted %d, want 1 (a2)", n)
	}
	wantPending(t, s, "b1", "c1", "a3")

	// Age and count together: y1 goes for its age, x1 for the count;
	// y2 is too old but y's newest.
	s2 := open(t, t.TempDir(), SpoolLimits{MaxAge: time.Hour, MaxReports: 3}, c)
	put(t, s2, "y1", "y")
	put(t, s2, "y2", "y")
	c.advance(2 * time.Hour)
	if n := put(t, s2, "x1", "x"); n != 1 {
		t.Errorf("Put(x1) evicted %d, want 1 (y1)", n)
	}
	put(t, s2, "x2", "x")
	wantPending(t, s2, "y2", "x1", "x2")
	if n := put(t, s2, "x3", "x"); n != 1 {
		t.Errorf("Put(x3) evicted %d, want 1 (x1)", n)
	}
	wantPending(t, s2, "y2", "x2", "x3")
}

func TestRejectMovesAside(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, SpoolLimits{}, newClock())
	put(t, s, "r1", "linux")
	put(t, s, "r2", "linux")
	p, _ := s.Pending()
	if err := s.Reject("r1", "400 bad_report: signature does not verify"); err != nil {
		t.Fatal(err)
	}
	wantPending(t, s, "r2")
	bad := badFiles(t, dir)
	if len(bad) != 1 || !strings.Contains(bad[p[0].path], "rejected by the receiver: 400 bad_report: signature does not verify") {
		t.Errorf("bad/ = %q", bad)
	}
	data, err := os.ReadFile(filepath.Join(dir, badDir, p[0].path))
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	if _, err := got.ReadFrom(zr); err != nil || !bytes.Equal(got.Bytes(), envelope("r1")) {
		t.Errorf("moved report content %q, %v", got.Bytes(), err)
	}
	if err := s.Reject("r1", "again"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Reject of a report no longer pending = %v", err)
	}
	if st := s.Stats(); st.Rejected != 1 || st.Corrupt != 0 {
		t.Errorf("Stats = %+v", st)
	}
}

func TestCountersSurviveReopen(t *testing.T) {
	dir := t.TempDir()
	c := newClock()
	s, err := OpenSpool(dir, SpoolLimits{MaxReports: 1}, c.now)
	if err != nil {
		t.Fatal(err)
	}
	put(t, s, "a1", "a")
	put(t, s, "a2", "a")
	put(t, s, "a3", "a") // a1, a2 evicted
	put(t, s, "b1", "b")
	if err := s.Reject("b1", "refused"); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, fileName(1, "a", "broken")), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	wantPending(t, s, "a3") // the zero-byte file goes to bad/
	want := SpoolStats{Depth: 1, Bytes: s.Stats().Bytes, Oldest: s.Stats().Oldest, Evicted: 2, Rejected: 1, Corrupt: 1}
	if diff := cmp.Diff(want, s.Stats()); diff != "" {
		t.Errorf("Stats (-want +got):\n%s", diff)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Pending(); !errors.Is(err, ErrClosed) {
		t.Errorf("Pending after Close = %v", err)
	}
	s2 := open(t, dir, SpoolLimits{MaxReports: 1}, c)
	if diff := cmp.Diff(want, s2.Stats()); diff != "" {
		t.Errorf("Stats after reopening (-want +got):\n%s", diff)
	}
	// The evicted count keeps adding up.
	put(t, s2, "a4", "a")
	if got := s2.Evicted(); got != 3 {
		t.Errorf("Evicted() = %d, want 3", got)
	}
}

func TestCrashLeftovers(t *testing.T) {
	dir := t.TempDir()
	c := newClock()
	s, err := OpenSpool(dir, SpoolLimits{}, c.now)
	if err != nil {
		t.Fatal(err)
	}
	put(t, s, "r1", "linux")
	put(t, s, "r2", "linux")
	p, _ := s.Pending()
	s.Close() // as if killed: a crash also releases the flock

	good, err := os.ReadFile(filepath.Join(dir, p[1].path))
	if err != nil {
		t.Fatal(err)
	}
	dupName := fileName(c.now().Add(time.Hour).UnixNano(), "linux", "r1")
	var notJSON bytes.Buffer
	zw := gzip.NewWriter(&notJSON)
	zw.Write([]byte("not json"))
	zw.Close()
	files := map[string][]byte{
		".tmp-" + fileName(5, "linux", "r5") + "-123": good[:10], // a Put interrupted before its rename
		fileName(3, "linux", "r3"):                    nil,       // renamed, contents never reached the disk
		fileName(4, "linux", "r4"):                    good[:len(good)/2],
		fileName(6, "linux", "r6"):                    notJSON.Bytes(),
		"r7.json.gz":                                  good,
		dupName:                                       good, // a second, newer file of id r1
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, badDir, ".tmp-x.reason-9"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}

	s2 := open(t, dir, SpoolLimits{}, c)
	wantPending(t, s2, "r1", "r2")
	for _, name := range []string{".tmp-" + fileName(5, "linux", "r5") + "-123", filepath.Join(badDir, ".tmp-x.reason-9")} {
		if _, err := os.Stat(filepath.Join(dir, name)); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("temporary file %s not removed: %v", name, err)
		}
	}
	bad := badFiles(t, dir)
	wantReasons := map[string]string{
		fileName(3, "linux", "r3"): "empty file",
		fileName(4, "linux", "r4"): "truncated or damaged gzip",
		fileName(6, "linux", "r6"): "the envelope is not JSON",
		"r7.json.gz":               "unexpected file name",
		dupName:                    "duplicate report id r1",
	}
	if len(bad) != len(wantReasons) {
		t.Errorf("bad/ = %q", bad)
	}
	for name, want := range wantReasons {
		if !strings.Contains(bad[name], want) {
			t.Errorf("bad/%s reason %q, want %q", name, bad[name], want)
		}
		// Moved, not deleted: the bytes are kept.
		if got, err := os.ReadFile(filepath.Join(dir, badDir, name)); err != nil || !bytes.Equal(got, files[name]) {
			t.Errorf("bad/%s: %v (content kept: %v)", name, err, bytes.Equal(got, files[name]))
		}
	}
	if st := s2.Stats(); st.Corrupt != 5 {
		t.Errorf("Corrupt = %d, want 5", st.Corrupt)
	}
}

func TestPendingAndReadMoveBrokenFilesAside(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, SpoolLimits{}, newClock())
	put(t, s, "r1", "linux")
	put(t, s, "r2", "linux")
	p, _ := s.Pending()

	// A file appearing later is checked by Pending.
	if err := unix.Mkfifo(filepath.Join(dir, fileName(1, "linux", "fifo")), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/etc/passwd", filepath.Join(dir, fileName(2, "linux", "link"))); err != nil {
		t.Fatal(err)
	}
	wantPending(t, s, "r1", "r2")
	bad := badFiles(t, dir)
	for _, name := range []string{fileName(1, "linux", "fifo"), fileName(2, "linux", "link")} {
		if !strings.Contains(bad[name], "not a regular file") {
			t.Errorf("bad/%s reason %q", name, bad[name])
		}
	}

	// A file damaged after it was listed is caught by Read.
	if err := os.WriteFile(filepath.Join(dir, p[0].path), []byte("garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Read(p[0]); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("Read of a damaged file = %v, want ErrCorrupt", err)
	}
	wantPending(t, s, "r2")
	if !strings.Contains(badFiles(t, dir)[p[0].path], "not gzip") {
		t.Errorf("bad/ = %q", badFiles(t, dir))
	}
	if st := s.Stats(); st.Corrupt != 3 {
		t.Errorf("Corrupt = %d, want 3", st.Corrupt)
	}
	// A file removed behind the spool's back is dropped.
	if err := os.Remove(filepath.Join(dir, p[1].path)); err != nil {
		t.Fatal(err)
	}
	wantPending(t, s)
}

func TestCorruptCountersFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, countersName), []byte(`{"version":1,"evicted":`), 0o600); err != nil {
		t.Fatal(err)
	}
	s := open(t, dir, SpoolLimits{}, newClock())
	if st := s.Stats(); st.Evicted != 0 || st.Corrupt != 1 {
		t.Errorf("Stats = %+v", st)
	}
	if !strings.Contains(badFiles(t, dir)[countersName], "unreadable counters file") {
		t.Errorf("bad/ = %q", badFiles(t, dir))
	}
}

func TestLock(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "spool")
	s, err := OpenSpool(dir, SpoolLimits{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// flock locks belong to the open file description: a second open in
	// the same process conflicts as another process would.
	_, err = OpenSpool(dir, SpoolLimits{}, nil)
	if !errors.Is(err, ErrLocked) || err.Error() != "spool "+dir+" is in use by another process" {
		t.Fatalf("second OpenSpool = %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2, err := OpenSpool(dir, SpoolLimits{}, nil)
	if err != nil {
		t.Fatalf("OpenSpool after Close: %v", err)
	}
	s2.Close()
}

func TestOpenSpoolTightensModes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "spool")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	open(t, dir, SpoolLimits{}, nil)
	for _, d := range []string{dir, filepath.Join(dir, badDir)} {
		if info, err := os.Stat(d); err != nil || info.Mode().Perm() != 0o700 {
			t.Errorf("%s: %v, %v", d, info.Mode(), err)
		}
	}
	if _, err := OpenSpool(t.TempDir(), SpoolLimits{MaxReports: -1}, nil); err == nil {
		t.Error("negative limit accepted")
	}
}

func TestConcurrentUse(t *testing.T) {
	s := open(t, t.TempDir(), SpoolLimits{MaxReports: 50}, nil)
	var wg sync.WaitGroup
	errs := make(chan error, 1000)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				id := fmt.Sprintf("g%d-%02d", g, i)
				if _, err := s.Put(id, fmt.Sprintf("a%d", g), envelope(id)); err != nil {
					errs <- err
				}
				if _, err := s.Pending(); err != nil {
					errs <- err
				}
				_ = s.Stats()
				if i%5 == 0 {
					if err := s.Ack(id); err != nil {
						errs <- err
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	p, err := s.Pending()
	if err != nil {
		t.Fatal(err)
	}
	if len(p) != 50 {
		t.Errorf("%d pending, want 50", len(p))
	}
	if !sort.SliceIsSorted(p, func(i, j int) bool { return p[i].Created.Before(p[j].Created) }) {
		t.Error("Pending not oldest first")
	}
	// 160 put, 32 acknowledged, 50 left: 78 evicted.
	if got := s.Evicted(); got != 78 {
		t.Errorf("Evicted() = %d, want 78", got)
	}
}

// TestHelperProcessPutForever is the child of TestKilledWhilePutting: it
// spools reports until it is killed.
func TestHelperProcessPutForever(t *testing.T) {
	dir := os.Getenv("GCRUN_SPOOL_TEST_CHILD_DIR")
	if dir == "" {
		t.Skip("helper process only")
	}
	s, err := OpenSpool(dir, SpoolLimits{MaxReports: 200}, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	for i := 0; ; i++ {
		id := fmt.Sprintf("r%06d", i)
		if _, err := s.Put(id, fmt.Sprintf("a%d", i%3), randomEnvelope(t, 20000)); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
	}
}

// TestKilledWhilePutting kills (SIGKILL) a process in the middle of
// spooling: the lock is held by the other process while it runs, and
// afterwards every spooled report reads back intact, nothing is corrupt.
func TestKilledWhilePutting(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a process")
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcessPutForever$")
	cmd.Env = append(os.Environ(), "GCRUN_SPOOL_TEST_CHILD_DIR="+dir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	killed := false
	defer func() {
		if !killed {
			cmd.Process.Kill()
			cmd.Wait()
		}
	}()
	deadline := time.Now().Add(20 * time.Second)
	for {
		des, _ := os.ReadDir(dir)
		if len(des) >= 60 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the child spooled too little: %d files; stderr: %s", len(des), stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	if _, err := OpenSpool(dir, SpoolLimits{}, nil); !errors.Is(err, ErrLocked) {
		t.Errorf("OpenSpool while another process has the spool = %v, want ErrLocked", err)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	killed = true

	s := open(t, dir, SpoolLimits{}, nil)
	p, err := s.Pending()
	if err != nil {
		t.Fatal(err)
	}
	if len(p) < 50 {
		t.Errorf("only %d reports survived", len(p))
	}
	for _, e := range p {
		data, err := s.Read(e)
		if err != nil || !bytes.HasPrefix(data, []byte(`{"payload":"`)) {
			t.Fatalf("Read(%s): %v", e.ID, err)
		}
	}
	if st := s.Stats(); st.Corrupt != 0 {
		t.Errorf("Corrupt = %d, bad/ = %q", st.Corrupt, badFiles(t, dir))
	}
	des, _ := os.ReadDir(dir)
	for _, de := range des {
		if strings.HasPrefix(de.Name(), tmpPrefix) {
			t.Errorf("temporary file left: %s", de.Name())
		}
	}
}
