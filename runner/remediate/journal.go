package remediate

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path"
	"sort"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// JournalDir is where runs are journaled, inside the scanned root: the
// backups must travel with the root they belong to (a disk image is
// remediated on one machine and booted on another).
const JournalDir = "/var/lib/gcrun/journal"

// Entry is one line of a run's journal (journal.jsonl). Lines are appended
// and synced one at a time, so a crash loses at most the line being
// written; a file entry is always synced before the file is touched.
type Entry struct {
	// Seq numbers the entries of a run from 1.
	Seq int `json:"seq"`
	// Op is "begin", "file", "done", "command" or "end".
	Op   string    `json:"op"`
	Time time.Time `json:"time"`

	// begin
	RunID string `json:"run_id,omitempty"`
	Mode  string `json:"mode,omitempty"`
	Tool  string `json:"tool,omitempty"`

	// file
	Path   string    `json:"path,omitempty"`
	Rules  []string  `json:"rules,omitempty"`
	Before *Snapshot `json:"before,omitempty"`
	After  *Snapshot `json:"after,omitempty"`

	// done (Ref is the file or command entry's Seq) and command
	Ref   int    `json:"ref,omitempty"`
	Error string `json:"error,omitempty"`

	// command
	Rule   string   `json:"rule,omitempty"`
	Argv   []string `json:"argv,omitempty"`
	Revert []string `json:"revert,omitempty"`
}

// Snapshot is a file's state as the journal records it.
type Snapshot struct {
	Exists bool   `json:"exists"`
	Dir    bool   `json:"dir,omitempty"`
	Link   string `json:"link,omitempty"`
	SHA256 string `json:"sha256,omitempty"`
	Mode   string `json:"mode,omitempty"`
	UID    int    `json:"uid"`
	GID    int    `json:"gid"`
	// Xattrs are the extended attributes (values base64 in JSON).
	Xattrs map[string][]byte `json:"xattrs,omitempty"`
	// Backup names the file in the run's directory that holds the content.
	Backup string `json:"backup,omitempty"`
}

func snapshot(s FileState) *Snapshot {
	if !s.Exists {
		return &Snapshot{}
	}
	out := &Snapshot{Exists: true, Dir: s.Dir, Link: s.Link, Mode: FormatMode(s.Mode), UID: s.UID, GID: s.GID, Xattrs: s.Xattrs}
	if !s.Symlink && !s.Dir {
		out.SHA256 = digest(s.Content)
	}
	return out
}

func digest(b []byte) string {
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// matches says whether the file's current state is the snapshot.
func (s *Snapshot) matches(cur FileState) bool {
	if !s.Exists || !cur.Exists {
		return s.Exists == cur.Exists
	}
	if s.Link != "" || cur.Symlink {
		return cur.Symlink && cur.Link == s.Link
	}
	if s.Dir || cur.Dir {
		return s.Dir == cur.Dir && s.Mode == FormatMode(cur.Mode) && s.UID == cur.UID && s.GID == cur.GID
	}
	return s.SHA256 == digest(cur.Content) && s.Mode == FormatMode(cur.Mode) && s.UID == cur.UID && s.GID == cur.GID
}

// journal appends to a run's journal.
type journal struct {
	dir  *os.File // the run's directory
	file *os.File // journal.jsonl
	path string   // in-root path of the run's directory
	seq  int
	now  func() time.Time
}

// NewRunID returns a run id that sorts by time: the latest run is the
// greatest id.
func NewRunID(now time.Time) string {
	// Fixed-width nanoseconds: two runs within one second (an apply and
	// an autocorrect in a row) must still sort in the order they ran,
	// which is what rollback's "latest" means.
	return now.UTC().Format("20060102T150405.000000000Z") + "-" + randomSuffix()[:8]
}

func createJournal(root *Root, runID string, now func() time.Time) (*journal, error) {
	if !validRunID(runID) {
		return nil, fmt.Errorf("journal: bad run id %q", runID)
	}
	p := path.Join(JournalDir, runID)
	d, err := root.mkdirAll(p, 0o700)
	if err != nil {
		return nil, fmt.Errorf("journal %s: %w", p, err)
	}
	fd, err := unix.Openat(int(d.Fd()), "journal.jsonl", unix.O_WRONLY|unix.O_CREAT|unix.O_EXCL|unix.O_APPEND|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0o600)
	if err != nil {
		d.Close()
		return nil, fmt.Errorf("journal %s: %w", p, err)
	}
	return &journal{dir: d, file: os.NewFile(uintptr(fd), "journal.jsonl"), path: p, now: now}, nil
}

func validRunID(id string) bool {
	return id != "" && !strings.ContainsAny(id, "/\x00") && id != "." && id != ".."
}

func (j *journal) close() error {
	err := j.file.Close()
	if derr := j.dir.Close(); err == nil {
		err = derr
	}
	return err
}

// append writes one entry and syncs it. It returns the entry's Seq.
func (j *journal) append(e Entry) (int, error) {
	j.seq++
	e.Seq, e.Time = j.seq, j.now().UTC()
	line, err := json.Marshal(e)
	if err != nil {
		return 0, err
	}
	if _, err := j.file.Write(append(line, '\n')); err != nil {
		return 0, fmt.Errorf("journal %s: %w", j.path, err)
	}
	if err := j.file.Sync(); err != nil {
		return 0, fmt.Errorf("journal %s: %w", j.path, err)
	}
	return e.Seq, nil
}

// backup stores content in the run's directory and syncs it.
func (j *journal) backup(name string, content []byte) error {
	fd, err := unix.Openat(int(j.dir.Fd()), name, unix.O_WRONLY|unix.O_CREAT|unix.O_EXCL|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0o600)
	if err != nil {
		return fmt.Errorf("journal %s: backup: %w", j.path, err)
	}
	f := os.NewFile(uintptr(fd), name)
	defer f.Close()
	if _, err := f.Write(content); err != nil {
		return fmt.Errorf("journal %s: backup: %w", j.path, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("journal %s: backup: %w", j.path, err)
	}
	return j.dir.Sync()
}

// RunInfo describes one journaled run.
type RunInfo struct {
	ID      string
	Mode    string
	Started time.Time
	// Complete is false when the run was interrupted (no end entry).
	Complete bool
	// RolledBack is set when gcrun rollback restored the run.
	RolledBack bool
	Entries    []Entry
}

// Runs lists the journaled runs of the root, oldest first.
func Runs(root *Root) ([]string, error) {
	d, err := root.openDir(JournalDir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	defer d.Close()
	names, err := d.Readdirnames(-1)
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	var out []string
	for _, n := range names {
		if validRunID(n) && !strings.HasPrefix(n, ".") {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out, nil
}

// ReadRun reads the journal of one run.
func ReadRun(root *Root, id string) (*RunInfo, error) {
	if !validRunID(id) {
		return nil, fmt.Errorf("journal: bad run id %q", id)
	}
	dir := path.Join(JournalDir, id)
	st, err := root.Read(path.Join(dir, "journal.jsonl"))
	if err != nil {
		return nil, fmt.Errorf("journal: run %s: %w", id, err)
	}
	if !st.Exists {
		return nil, fmt.Errorf("journal: no run %s in %s", id, JournalDir)
	}
	info := &RunInfo{ID: id}
	sc := bufio.NewScanner(bytes.NewReader(st.Content))
	sc.Buffer(make([]byte, 64<<10), maxEditSize)
	for n := 1; sc.Scan(); n++ {
		var e Entry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			// A torn last line is what a crash leaves; anything
			// else is corruption.
			if !sc.Scan() {
				break
			}
			return nil, fmt.Errorf("journal: %s/journal.jsonl:%d: %w", dir, n, err)
		}
		switch e.Op {
		case "begin":
			info.Mode, info.Started = e.Mode, e.Time
		case "end":
			info.Complete = true
		}
		info.Entries = append(info.Entries, e)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("journal: %s/journal.jsonl: %w", dir, err)
	}
	rb, err := root.Read(path.Join(dir, "rolled-back"))
	if err != nil {
		return nil, fmt.Errorf("journal: run %s: %w", id, err)
	}
	info.RolledBack = rb.Exists
	return info, nil
}
