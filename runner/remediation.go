package runner

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"

	"github.com/gcrun/gcrun/checks"
	"github.com/gcrun/gcrun/checks/rootfs"
	"github.com/gcrun/gcrun/engine"
	"github.com/gcrun/gcrun/report"
	"github.com/gcrun/gcrun/runner/remediate"
)

// The evaluation modes, after Azure Machine Configuration's assignment
// types (Audit, ApplyAndMonitor, ApplyAndAutoCorrect).
const (
	ModeAudit       = "audit"
	ModeApply       = "apply"
	ModeAutocorrect = "autocorrect"
)

// Remediation configures remediation in Evaluate and EvaluateBaselines.
type Remediation struct {
	// Mode is ModeApply or ModeAutocorrect. In ModeApply a rule that an
	// earlier apply run fixed and that has drifted since is reported but
	// not fixed again; ModeAutocorrect fixes it on every run.
	Mode string
	// PlanOnly computes the plan and changes nothing; the report then has
	// the planned actions and Plan is set.
	PlanOnly bool
	// Executor runs package, service, sysctl and validation commands on
	// the live host; nil is remediate.SystemExecutor. Never used for an
	// offline root.
	Executor remediate.Executor
	// Validator checks changed files before they replace the old ones;
	// nil is remediate.SSHDValidator on the live host, and none offline
	// (the root's sshd cannot be run from here).
	Validator remediate.Validator
	// Hook is passed to remediate.Apply (fault injection in tests).
	Hook func(event, path string)

	// Plan is set by the run: the plan that was (or would be) applied.
	Plan *remediate.Plan
	// Run is set by an applying run.
	Run *remediate.Run
}

// StateFile records, inside the scanned root, which rules apply runs have
// fixed, so that ModeApply can tell drift (report it) from a first fix.
const StateFile = "/var/lib/gcrun/remediation-state.json"

type remediationState struct {
	// Applied maps a rule id to the run that fixed it.
	Applied map[string]string `json:"applied"`
}

func readState(root *remediate.Root) (remediationState, error) {
	st := remediationState{Applied: map[string]string{}}
	f, err := root.Read(StateFile)
	if err != nil || !f.Exists {
		return st, err
	}
	if err := json.Unmarshal(f.Content, &st); err != nil {
		return st, fmt.Errorf("%s: %w", StateFile, err)
	}
	if st.Applied == nil {
		st.Applied = map[string]string{}
	}
	return st, nil
}

func writeState(root *remediate.Root, st remediationState) error {
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	return root.WriteAtomic(StateFile, append(data, '\n'), remediate.WriteOptions{Mode: 0o600})
}

// hostDir is the directory of the host's file system that target scans.
func hostDir(target checks.Target) (string, error) {
	if fs, ok := target.Fs.(*rootfs.Fs); ok {
		if dir, ok := fs.HostDir(); ok {
			return dir, nil
		}
	}
	return "", errors.New("remediation needs a directory root (--root); an image or in-memory root cannot be changed")
}

// packageManager is the format of the root's authoritative package
// database, from the facts, or from the OS family.
func packageManager(facts *checks.Facts) string {
	if o, ok := facts.Outcomes["packages"]; ok && o.Err == nil {
		if p, ok := o.Facts.(*checks.PackagesFacts); ok && p.Format != "" {
			return p.Format
		}
	}
	if o, ok := facts.Outcomes["host"]; ok && o.Err == nil {
		if h, ok := o.Facts.(*checks.HostFacts); ok {
			switch h.OS.Family {
			case "debian":
				return "dpkg"
			case "rhel", "suse":
				return "rpm"
			case "alpine":
				return "apk"
			}
		}
	}
	return ""
}

// remediateAndVerify remediates the failing rules of before, collects and
// evaluates again, and returns the report of the state after, with each
// rule's status before and its actions.
func remediateAndVerify(ctx context.Context, eng *engine.Engine, target checks.Target, facts *checks.Facts, in engine.Input, before []engine.Result, opts Options, rem *Remediation) ([]engine.Result, *report.Remediation, map[string][]report.Action, error) {
	log := logger(opts)
	dir, err := hostDir(target)
	if err != nil {
		return nil, nil, nil, err
	}
	root, err := remediate.OpenRoot(dir)
	if err != nil {
		return nil, nil, nil, err
	}
	defer root.Close()
	state, err := readState(root)
	if err != nil {
		return nil, nil, nil, err
	}

	// Which rules to fix, and with what.
	var work []remediate.RuleActions
	skipped := map[string][]report.Action{}
	for _, r := range before {
		if r.Status != engine.StatusFail || !r.Rule.Remediable {
			continue
		}
		ra := remediate.RuleActions{Rule: r.Rule.ID}
		raw, err := eng.Remediation(ctx, in, r.Rule.ID)
		if err != nil {
			ra.Err = err
		}
		for _, m := range raw {
			a, err := remediate.Decode(m)
			if err != nil {
				ra.Err, ra.Actions = fmt.Errorf("rule %s: %w", r.Rule.ID, err), nil
				break
			}
			ra.Actions = append(ra.Actions, a)
		}
		if run, ok := state.Applied[r.Rule.ID]; ok && rem.Mode == ModeApply && ra.Err == nil {
			for _, a := range ra.Actions {
				skipped[r.Rule.ID] = append(skipped[r.Rule.ID], report.Action{
					Type: a.Type, Target: a.Target(), Description: a.Describe(), Status: report.ActionSkipped,
					Detail: fmt.Sprintf("drift after run %s fixed the rule; mode apply reports drift but does not correct it (use --mode autocorrect)", run),
				})
			}
			continue
		}
		work = append(work, ra)
	}
	plan, err := remediate.NewPlan(root, work, remediate.PlanOptions{Live: target.Live, PackageManager: packageManager(facts)})
	if err != nil {
		return nil, nil, nil, err
	}
	rem.Plan = plan
	summary := &report.Remediation{Mode: rem.Mode}
	if rem.PlanOnly {
		summary.Mode = "plan"
		return before, summary, actionsOf(plan, skipped), nil
	}

	exec := rem.Executor
	if exec == nil {
		exec = remediate.SystemExecutor{}
	}
	validator := rem.Validator
	if validator == nil && target.Live {
		validator = remediate.SSHDValidator{Executor: exec}
	}
	run, applyErr := remediate.Apply(ctx, root, plan, remediate.ApplyOptions{
		Mode: rem.Mode, Tool: opts.ToolVersion, Executor: exec, Validator: validator, Hook: rem.Hook,
	})
	rem.Run = run
	summary.RunID, summary.Journal = run.ID, run.Journal
	summary.FilesChanged, summary.CommandsRun = run.FilesChanged, run.CommandsRun
	log.WithFields(map[string]any{"run": run.ID, "files": run.FilesChanged, "commands": run.CommandsRun}).Info("remediated")
	if applyErr != nil {
		log.WithError(applyErr).Error("remediation stopped")
	}

	// Verify: the facts again, from scratch, and every rule again.
	names := append(eng.RequiredFacts(), "host")
	after, err := CollectWith(ctx, target, names, eng.Files(), opts.Collect)
	if err != nil {
		return nil, nil, nil, err
	}
	results, err := eng.Evaluate(ctx, inputOf(after))
	if err != nil {
		return nil, nil, nil, err
	}
	*facts = *after

	// Remember what apply fixed, so the next apply run reports drift.
	if rem.Mode == ModeApply && run.ID != "" {
		fixed := map[string]bool{}
		for _, r := range results {
			fixed[r.Rule.ID] = r.Status == engine.StatusPass
		}
		changed := false
		for _, rp := range plan.Rules {
			if fixed[rp.Rule] && rp.Err == "" {
				state.Applied[rp.Rule] = run.ID
				changed = true
			}
		}
		if changed {
			if err := writeState(root, state); err != nil {
				log.WithError(err).Warn("remediation state not saved")
			}
		}
	}
	if applyErr != nil {
		return results, summary, actionsOf(plan, skipped), fmt.Errorf("remediation stopped: %w", applyErr)
	}
	return results, summary, actionsOf(plan, skipped), nil
}

// actionsOf is each rule's actions as the report shows them.
func actionsOf(plan *remediate.Plan, skipped map[string][]report.Action) map[string][]report.Action {
	out := map[string][]report.Action{}
	for id, a := range skipped {
		out[id] = a
	}
	for _, rp := range plan.Rules {
		if rp.Err != "" {
			// The rule's remediate set itself is broken: one
			// pseudo-action of type "remediate" carries the error.
			out[rp.Rule] = append(out[rp.Rule], report.Action{Type: "remediate", Target: rp.Rule, Description: "evaluate and decode the rule's remediate actions", Status: report.ActionFailed, Error: rp.Err})
			continue
		}
		for _, a := range rp.Actions {
			out[rp.Rule] = append(out[rp.Rule], report.Action{
				Type: a.Type, Target: a.Target, Description: a.Description,
				Status: a.Status, Detail: a.Detail, Error: a.Error,
			})
		}
	}
	return out
}

// PlanText renders a plan for people: per rule its actions and outcome,
// then the unified diff of every file and the command lines.
func PlanText(plan *remediate.Plan) string {
	var b []byte
	add := func(format string, args ...any) { b = fmt.Appendf(b, format, args...) }
	files, commands := plan.Changes()
	for _, rp := range plan.Rules {
		if rp.Err == "" && len(rp.Actions) == 0 {
			continue
		}
		add("%s\n", rp.Rule)
		if rp.Err != "" {
			add("  failed: %s\n", rp.Err)
		}
		for _, a := range rp.Actions {
			add("  [%s] %s", a.Status, a.Description)
			if a.Detail != "" && a.Status != remediate.StatusPlanned {
				add(" (%s)", a.Detail)
			}
			if a.Error != "" {
				add(": %s", a.Error)
			}
			add("\n")
		}
	}
	var paths []string
	byPath := map[string]*remediate.FileChange{}
	for _, f := range plan.Files {
		if f.Changed() {
			paths = append(paths, f.Path)
			byPath[f.Path] = f
		}
	}
	sort.Strings(paths)
	for _, p := range paths {
		add("\n%s", byPath[p].Diff())
	}
	var manual []string
	for _, c := range plan.Commands {
		switch c.Status() {
		case remediate.StatusPlanned:
			add("\n# command (%s)\n%s\n", c.Rule, c.String())
		case remediate.StatusManual:
			manual = append(manual, fmt.Sprintf("%s  # %s", c.String(), c.Rule))
		}
	}
	if len(manual) > 0 {
		add("\n# manual: offline root, run on the booted system\n")
		for _, m := range manual {
			add("%s\n", m)
		}
	}
	add("\n%d file(s) to change, %d command(s) to run\n", files, commands)
	return string(b)
}
