package remediate

import (
	"context"
	"fmt"
	"path"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// Restored is what rollback did with one journaled file or command.
type Restored struct {
	Path string `json:"path,omitempty"`
	// Status is "restored", "removed" (a file the run created),
	// "unchanged" (already in its old state), "conflict" (changed since
	// the run; left alone without Force), "failed", or "manual" for a
	// command, which rollback cannot undo.
	Status string `json:"status"`
	Detail string `json:"detail,omitempty"`
	// Command is the command a person can run to undo a command action.
	Command string `json:"command,omitempty"`
}

// RollbackOptions configure Rollback.
type RollbackOptions struct {
	// RunID is the run to undo; "" is the latest.
	RunID string
	// Force restores files changed since the run, and rolls back a run
	// that was already rolled back.
	Force bool
	Now   func() time.Time
}

// RollbackResult is the outcome of a rollback.
type RollbackResult struct {
	RunID string     `json:"run_id"`
	Items []Restored `json:"items"`
}

// Failed says whether any file could not be restored (conflicts included).
func (r *RollbackResult) Failed() bool {
	for _, it := range r.Items {
		if it.Status == "failed" || it.Status == "conflict" {
			return true
		}
	}
	return false
}

// Rollback restores every file a run changed, newest change first: the
// content from the journal's backup, mode, owner and extended attributes;
// files the run created are removed. It works on interrupted runs too: a
// file whose change never happened is found in its old state and left
// alone. Rolling back twice is harmless.
func Rollback(ctx context.Context, root *Root, opts RollbackOptions) (*RollbackResult, error) {
	id := opts.RunID
	if id == "" {
		runs, err := Runs(root)
		if err != nil {
			return nil, err
		}
		if len(runs) == 0 {
			return nil, fmt.Errorf("rollback: no remediation run journaled in %s", JournalDir)
		}
		id = runs[len(runs)-1]
	}
	info, err := ReadRun(root, id)
	if err != nil {
		return nil, err
	}
	if info.RolledBack && !opts.Force {
		return nil, fmt.Errorf("rollback: run %s was already rolled back (use --force to restore its files again)", id)
	}
	res := &RollbackResult{RunID: id}
	dir := path.Join(JournalDir, id)
	for i := len(info.Entries) - 1; i >= 0; i-- {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		e := info.Entries[i]
		switch e.Op {
		case "file":
			res.Items = append(res.Items, restoreFile(root, dir, e, opts.Force))
			removeTemporaries(root, e.Path)
		case "command":
			it := Restored{Status: "manual", Detail: "commands are not undone automatically: " + strings.Join(e.Argv, " ")}
			if len(e.Revert) > 0 {
				it.Command = strings.Join(e.Revert, " ")
			}
			res.Items = append(res.Items, it)
		}
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	if !res.Failed() {
		stamp := []byte(now().UTC().Format(time.RFC3339) + "\n")
		if err := root.WriteAtomic(path.Join(dir, "rolled-back"), stamp, WriteOptions{Mode: 0o600}); err != nil {
			return res, fmt.Errorf("rollback: %w", err)
		}
	}
	return res, nil
}

func restoreFile(root *Root, dir string, e Entry, force bool) Restored {
	it := Restored{Path: e.Path}
	fail := func(err error) Restored {
		it.Status, it.Detail = "failed", err.Error()
		return it
	}
	if e.Before == nil || e.After == nil {
		return fail(fmt.Errorf("journal entry %d is incomplete", e.Seq))
	}
	read := root.Read
	if e.Before.Link != "" || e.After.Link != "" {
		read = root.Lstat
	}
	cur, err := read(e.Path)
	if err != nil {
		return fail(err)
	}
	if e.Before.matches(cur) {
		it.Status = "unchanged"
		return it
	}
	if !e.After.matches(cur) && !force {
		it.Status, it.Detail = "conflict", "changed since the run; not restored (use --force)"
		return it
	}
	if !e.Before.Exists {
		if err := root.Remove(e.Path); err != nil {
			return fail(err)
		}
		it.Status = "removed"
		return it
	}
	if e.Before.Link != "" {
		if cur.Exists {
			if err := root.Remove(e.Path); err != nil {
				return fail(err)
			}
		}
		if err := root.Symlink(e.Before.Link, e.Path, e.Before.UID, e.Before.GID); err != nil {
			return fail(err)
		}
		it.Status = "restored"
		return it
	}
	mode, err := ParseMode(e.Before.Mode)
	if err != nil {
		return fail(err)
	}
	if e.Before.Dir {
		if err := root.SetMeta(e.Path, mode, e.Before.UID, e.Before.GID); err != nil {
			return fail(err)
		}
		it.Status = "restored"
		return it
	}
	content := cur.Content
	if e.Before.Backup != "" {
		b, err := root.Read(path.Join(dir, e.Before.Backup))
		if err != nil {
			return fail(err)
		}
		if !b.Exists || digest(b.Content) != e.Before.SHA256 {
			return fail(fmt.Errorf("backup %s is missing or does not match its recorded digest", e.Before.Backup))
		}
		content = b.Content
	} else if !cur.Exists || digest(cur.Content) != e.Before.SHA256 {
		return fail(fmt.Errorf("no backup of the old content"))
	}
	if err := root.WriteAtomic(e.Path, content, WriteOptions{Mode: mode, UID: e.Before.UID, GID: e.Before.GID, Xattrs: e.Before.Xattrs}); err != nil {
		return fail(err)
	}
	it.Status = "restored"
	return it
}

// removeTemporaries removes the temporary files a run killed before its
// rename left next to p (".gcrun-<name>.<random>"): they were never the
// file, and nothing else would ever remove them.
func removeTemporaries(root *Root, p string) {
	d, err := root.openDir(path.Dir(p))
	if err != nil {
		return
	}
	defer d.Close()
	names, err := d.Readdirnames(-1)
	if err != nil {
		return
	}
	prefix := ".gcrun-" + path.Base(p) + "."
	for _, n := range names {
		if strings.HasPrefix(n, prefix) {
			_ = unix.Unlinkat(int(d.Fd()), n, 0)
		}
	}
}
