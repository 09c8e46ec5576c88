package remediate

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// Hook events, in the order they happen for each file; a test's hook may
// kill the process at any of them to prove crash safety.
const (
	EventBackedUp     = "backed-up"     // the journal holds the old state
	EventBeforeRename = "before-rename" // the new content is synced in a temporary file
	EventWritten      = "written"       // the file has its new state
)

// ApplyOptions configure Apply.
type ApplyOptions struct {
	// RunID names the run; "" makes one from the time (NewRunID).
	RunID string
	// Mode ("apply", "autocorrect") and Tool (version) go into the journal.
	Mode string
	Tool string
	// Now is the clock; nil is time.Now.
	Now func() time.Time
	// Executor runs commands; commands fail without one.
	Executor Executor
	// Validator checks candidate files (SSHDValidator on a live host);
	// nil validates nothing.
	Validator Validator
	// Hook, when set, is called at each Event* for each file.
	Hook func(event, path string)
}

// Run is a completed (or failed) remediation run.
type Run struct {
	// ID is the run id; "" when nothing had to change, and then no
	// journal was written.
	ID string
	// Journal is the in-root directory of the run's journal.
	Journal string
	// FilesChanged and CommandsRun count what the run did.
	FilesChanged int
	CommandsRun  int
}

// Apply carries out plan on root: for each file in path order, its old
// state (and content) goes into the journal, then the new state is written
// atomically; then the commands run, on the live host only (the plan marked
// them manual elsewhere). Every ActionResult gets its final status. A
// failed file or command fails only its actions; Apply's error is for
// failures that make the journal untrustworthy, after which nothing more
// is touched.
func Apply(ctx context.Context, root *Root, plan *Plan, opts ApplyOptions) (*Run, error) {
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	files, commands := plan.Changes()
	run := &Run{}
	if files == 0 && commands == 0 {
		return run, nil
	}
	run.ID = opts.RunID
	if run.ID == "" {
		run.ID = NewRunID(now())
	}
	j, err := createJournal(root, run.ID, now)
	if err != nil {
		plan.skipAll("journal could not be created: " + err.Error())
		return run, err
	}
	defer j.close()
	run.Journal = j.path
	if _, err := j.append(Entry{Op: "begin", RunID: run.ID, Mode: opts.Mode, Tool: opts.Tool}); err != nil {
		plan.skipAll(err.Error())
		return run, err
	}
	hook := opts.Hook
	if hook == nil {
		hook = func(string, string) {}
	}
	for _, fc := range plan.Files {
		if !fc.Changed() {
			continue
		}
		if err := ctx.Err(); err != nil {
			fc.setStatus(StatusSkipped, "", "interrupted: "+err.Error())
			continue
		}
		seq, err := j.recordFile(fc)
		if err != nil {
			fc.setStatus(StatusFailed, err.Error(), "")
			plan.skipAll("journal failed: " + err.Error())
			return run, err
		}
		hook(EventBackedUp, fc.Path)
		werr := writeChange(ctx, root, fc, opts.Validator, func() { hook(EventBeforeRename, fc.Path) })
		done := Entry{Op: "done", Ref: seq}
		if werr != nil {
			done.Error = werr.Error()
			fc.setStatus(StatusFailed, werr.Error(), "")
		} else {
			fc.setStatus(StatusSucceeded, "", "")
			run.FilesChanged++
		}
		if _, err := j.append(done); err != nil {
			plan.skipAll("journal failed: " + err.Error())
			return run, err
		}
		if werr == nil {
			hook(EventWritten, fc.Path)
		}
	}
	for _, c := range plan.Commands {
		if c.result.Status != StatusPlanned {
			continue
		}
		if err := ctx.Err(); err != nil {
			c.result.Status, c.result.Detail = StatusSkipped, "interrupted: "+err.Error()
			continue
		}
		if opts.Executor == nil {
			c.result.Status, c.result.Error = StatusFailed, "no executor for commands"
			continue
		}
		seq, err := j.append(Entry{Op: "command", Rule: c.Rule, Argv: c.Argv, Revert: c.Revert})
		if err != nil {
			plan.skipAll("journal failed: " + err.Error())
			return run, err
		}
		_, cerr := opts.Executor.Run(ctx, c.Env, c.Argv)
		done := Entry{Op: "done", Ref: seq}
		if cerr != nil {
			done.Error = cerr.Error()
			c.result.Status, c.result.Error = StatusFailed, cerr.Error()
		} else {
			c.result.Status = StatusSucceeded
			run.CommandsRun++
		}
		if _, err := j.append(done); err != nil {
			plan.skipAll("journal failed: " + err.Error())
			return run, err
		}
	}
	if _, err := j.append(Entry{Op: "end"}); err != nil {
		return run, err
	}
	return run, nil
}

// skipAll marks every still planned action skipped.
func (p *Plan) skipAll(why string) {
	for _, rp := range p.Rules {
		for _, a := range rp.Actions {
			if a.Status == StatusPlanned {
				a.Status, a.Detail = StatusSkipped, why
			}
		}
	}
}

func (c *FileChange) setStatus(status, errText, detail string) {
	for _, a := range c.actions {
		if a.Status == StatusPlanned || a.Status == StatusUnchanged {
			a.Status, a.Error, a.Detail = status, errText, detail
		}
	}
}

// recordFile journals the old state of a file (its content in a backup
// file when the content changes) before anything touches it.
func (j *journal) recordFile(fc *FileChange) (int, error) {
	before, after := snapshot(fc.Before), snapshot(fc.After)
	if fc.Before.Exists && !fc.Before.Symlink && fc.ContentChanged() {
		before.Backup = "backup-" + strconv.Itoa(j.seq+1)
		if err := j.backup(before.Backup, fc.Before.Content); err != nil {
			return 0, err
		}
	}
	return j.append(Entry{Op: "file", Path: fc.Path, Rules: fc.Rules, Before: before, After: after})
}

// writeChange puts the file into its After state, after checking that it
// is still in the state the plan was made from: an edit in between must
// not be overwritten with a plan computed from older content.
func writeChange(ctx context.Context, root *Root, fc *FileChange, v Validator, beforeRename func()) error {
	read := root.Read
	if fc.Before.Symlink {
		read = root.Lstat
	}
	cur, err := read(fc.Path)
	if err != nil {
		return err
	}
	if !snapshot(fc.Before).matches(cur) {
		return fmt.Errorf("%s: changed since the plan was made", fc.Path)
	}
	switch {
	case !fc.After.Exists:
		return root.Remove(fc.Path)
	case fc.ContentChanged():
		o := WriteOptions{Mode: fc.After.Mode, UID: fc.After.UID, GID: fc.After.GID, Xattrs: fc.Before.Xattrs, BeforeRename: beforeRename}
		if v != nil {
			o.Validate = func(tmp string) error { return v.Validate(ctx, root, fc, tmp) }
		}
		return root.WriteAtomic(fc.Path, fc.After.Content, o)
	default:
		return root.SetMeta(fc.Path, fc.After.Mode, fc.After.UID, fc.After.GID)
	}
}
