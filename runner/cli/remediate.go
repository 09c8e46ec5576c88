package cli

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/gcrun/gcrun/runner"
	"github.com/gcrun/gcrun/runner/remediate"
	"github.com/spf13/cobra"
)

func (a *app) remediateCommand() *cobra.Command {
	var (
		e           evalFlags
		plan        bool
		autocorrect bool
	)
	cmd := &cobra.Command{
		Use:   "remediate",
		Short: "Fix the failing rules of this host (or --root), or show the plan (--plan)",
		Long: `Evaluate, then fix every failing rule that declares remediation actions, collect
and evaluate again, and write the report with each rule's status before and
after and every action taken (the same as evaluate --mode apply).

--plan (or --dry-run) changes nothing: with --format text it prints, per rule,
the actions, then a unified diff for each file and the commands for packages,
services and sysctl; with --format json the report with the planned actions.

Every changed file is backed up into /var/lib/gcrun/journal/<run> inside the
root first and written atomically; a changed sshd configuration is checked
with sshd -t before it replaces the old one. Package, service and sysctl
actions run only on the live host (--root /); for another root they are
reported as manual. gcrun rollback undoes a run. See docs/remediation.md.

Exit codes as for evaluate, after remediation; with --plan, 0 unless the plan
could not be made.`,
		Example: `  gcrun remediate --plan --format text
  gcrun remediate --root /mnt/image --plan --format text
  gcrun remediate --format text
  gcrun rollback`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			mode := runner.ModeApply
			if autocorrect {
				mode = runner.ModeAutocorrect
			}
			return a.evaluate(cmd, &e, &runner.Remediation{Mode: mode, PlanOnly: plan})
		},
	}
	f := cmd.Flags()
	e.register(f)
	f.BoolVar(&plan, "plan", false, "print what would change (diffs, commands) and change nothing")
	f.BoolVar(&plan, "dry-run", false, "the same as --plan")
	f.BoolVar(&autocorrect, "autocorrect", false, "also fix rules an earlier apply run fixed that have drifted since")
	return cmd
}

func (a *app) rollbackCommand() *cobra.Command {
	var (
		root   string
		runID  string
		force  bool
		format string
		list   bool
	)
	cmd := &cobra.Command{
		Use:   "rollback",
		Short: "Undo a remediation run: restore every file it changed",
		Long: `Restore every file a remediation run changed (default: the latest run) from the
run's journal under /var/lib/gcrun/journal in the root: content, mode, owner
and extended attributes; files the run created are removed. A file changed
again since the run is a conflict and left alone unless --force is given.
Package and service actions are not undone; rollback lists the commands that
undo them.

Exit codes: 0 everything restored, 1 some file could not be restored
(conflict or error), 2 usage error (no such run, no journal).`,
		Example: `  gcrun rollback
  gcrun rollback --root /mnt/image --run 20261125T171500.123456789Z-1a2b3c4d
  gcrun rollback --list`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if format != "text" && format != "json" {
				return usageErr(fmt.Errorf("--format: %q is not text or json", format))
			}
			r, err := remediate.OpenRoot(root)
			if err != nil {
				return usageErr(fmt.Errorf("--root: %w", err))
			}
			defer r.Close()
			if list {
				return a.listRuns(r, format)
			}
			res, err := remediate.Rollback(cmd.Context(), r, remediate.RollbackOptions{RunID: runID, Force: force})
			if err != nil && res == nil {
				return usageErr(err)
			}
			var out []byte
			if format == "json" {
				out, _ = json.MarshalIndent(res, "", "  ")
				out = append(out, '\n')
			} else {
				var b strings.Builder
				fmt.Fprintf(&b, "rollback of run %s\n", res.RunID)
				for _, it := range res.Items {
					what := it.Path
					if what == "" {
						what = "(command)"
					}
					fmt.Fprintf(&b, "  %-9s %s", it.Status, what)
					if it.Detail != "" {
						fmt.Fprintf(&b, ": %s", it.Detail)
					}
					if it.Command != "" {
						fmt.Fprintf(&b, "; to undo: %s", it.Command)
					}
					b.WriteString("\n")
				}
				out = []byte(b.String())
			}
			if _, werr := a.io.Stdout.Write(out); werr != nil {
				return werr
			}
			if err != nil {
				return err
			}
			if res.Failed() {
				return &exitError{code: 1, err: errSilent}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&root, "root", "/", "root directory whose run to undo: / for this host, or a mounted image or container rootfs")
	f.StringVar(&runID, "run", "", "id of the run to undo (default: the latest)")
	f.BoolVar(&force, "force", false, "also restore files changed since the run, and roll back a run again")
	f.StringVarP(&format, "format", "f", "text", "output format: text or json")
	f.BoolVar(&list, "list", false, "list the journaled runs instead")
	return cmd
}

func (a *app) listRuns(r *remediate.Root, format string) error {
	ids, err := remediate.Runs(r)
	if err != nil {
		return err
	}
	type runLine struct {
		ID         string `json:"id"`
		Mode       string `json:"mode"`
		Files      int    `json:"files"`
		Complete   bool   `json:"complete"`
		RolledBack bool   `json:"rolled_back"`
	}
	var runs []runLine
	for _, id := range ids {
		info, err := remediate.ReadRun(r, id)
		if err != nil {
			return err
		}
		l := runLine{ID: id, Mode: info.Mode, Complete: info.Complete, RolledBack: info.RolledBack}
		for _, e := range info.Entries {
			if e.Op == "file" {
				l.Files++
			}
		}
		runs = append(runs, l)
	}
	if format == "json" {
		out, _ := json.MarshalIndent(runs, "", "  ")
		_, err := a.io.Stdout.Write(append(out, '\n'))
		return err
	}
	var b strings.Builder
	for _, l := range runs {
		state := "complete"
		if !l.Complete {
			state = "interrupted"
		}
		if l.RolledBack {
			state += ", rolled back"
		}
		fmt.Fprintf(&b, "%s  %-11s %3d file(s)  %s\n", l.ID, l.Mode, l.Files, state)
	}
	_, err = a.io.Stdout.Write([]byte(b.String()))
	return err
}
