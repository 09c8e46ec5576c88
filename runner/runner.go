// Package runner ties collectors, the engine and reports together: it is
// what `gcrun evaluate` and `gcrun facts` do, as a library.
package runner

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"time"

	"github.com/gcrun/gcrun/baselines"
	"github.com/gcrun/gcrun/checks"
	"github.com/gcrun/gcrun/checks/rootfs"
	"github.com/gcrun/gcrun/engine"
	"github.com/gcrun/gcrun/report"
	"github.com/sirupsen/logrus"
)

// ToolName is the tool name written into reports.
const ToolName = "gcrun"

// DefaultBaseline loads the Linux baseline embedded in the binary.
func DefaultBaseline() (*engine.Baseline, error) {
	return engine.LoadBaseline(baselines.Linux(), "builtin:linux")
}

// LoadBaselines loads baseline directories with the packs they depend on
// (dependencies first), or the embedded default baseline when dirs is
// empty. It is LoadPacks without a gcrun version (every gcrun constraint
// holds) and without the packs' engine options: use LoadPacks to evaluate
// packs that drop rules or override parameters of their dependencies.
func LoadBaselines(dirs []string) ([]*engine.Baseline, error) {
	p, err := LoadPacks(dirs, "")
	if err != nil {
		return nil, err
	}
	return p.Baselines(), nil
}

// NewTarget opens root for scanning, confined so that nothing outside it is
// read. Root "/" (or "") is the live host.
func NewTarget(root string) (checks.Target, error) {
	if root == "" {
		root = "/"
	}
	fsys, err := rootfs.New(root)
	if err != nil {
		return checks.Target{}, err
	}
	// The root is the live host when it is "/" itself, however spelled
	// ("/", "/.", a symlink to "/"): then /proc and the hostname belong to
	// the scanned system.
	resolved, err := filepath.EvalSymlinks(root)
	if err != nil {
		return checks.Target{}, err
	}
	abs, err := filepath.Abs(resolved)
	if err != nil {
		return checks.Target{}, err
	}
	return checks.Target{Fs: fsys, Root: root, Live: abs == "/"}, nil
}

// CollectorNames lists every collector gcrun has, sorted.
func CollectorNames() []string {
	names := make([]string, 0, 20)
	for n := range Collectors(nil) {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Collectors returns every collector gcrun has, by name, with default
// settings. The files collector stats paths.
func Collectors(paths []string) map[string]checks.Collector {
	return collectors(paths, checks.Sweep{})
}

// CollectOptions bound a collection (workers, per-collector timeout) and
// configure the collectors that take settings.
type CollectOptions struct {
	checks.CollectOptions
	// Sweep configures the sweep collector: paths, excludes and budgets.
	// The zero value sweeps / with the default excludes and budgets.
	Sweep checks.Sweep
}

func collectors(paths []string, sweep checks.Sweep) map[string]checks.Collector {
	all := []checks.Collector{
		checks.Files{Paths: paths},
		checks.SSHD{},
		checks.Packages{},
		checks.Host{},
		checks.Users{},
		checks.Login{},
		checks.Sysctl{},
		checks.KernelModules{},
		checks.Mounts{},
		checks.Systemd{},
		checks.Cron{},
		checks.Sudoers{},
		checks.Banners{},
		checks.Logging{},
		checks.Audit{},
		checks.Mac{},
		sweep,
	}
	m := make(map[string]checks.Collector, len(all))
	for _, c := range all {
		m[c.Name()] = c
	}
	return m
}

// Collect runs the named collectors (all of them for "*") against target
// with the default worker pool and timeout; see CollectWith.
func Collect(ctx context.Context, target checks.Target, names []string, paths []string) (*checks.Facts, error) {
	return CollectWith(ctx, target, names, paths, CollectOptions{})
}

// CollectWith runs the named collectors (all of them for "*") against
// target, concurrently within opts' bounds. A name with no collector is
// recorded as that collector's error, so that a rule reading input.<typo>
// reports error instead of passing on nothing.
func CollectWith(ctx context.Context, target checks.Target, names []string, paths []string, opts CollectOptions) (*checks.Facts, error) {
	registry := collectors(paths, opts.Sweep)
	var selected []checks.Collector
	unknown := map[string]bool{}
	seen := map[string]bool{}
	for _, n := range names {
		if n == "*" {
			for _, all := range CollectorNames() {
				if !seen[all] {
					seen[all] = true
					selected = append(selected, registry[all])
				}
			}
			continue
		}
		c, ok := registry[n]
		switch {
		case !ok:
			unknown[n] = true
		case !seen[n]:
			seen[n] = true
			selected = append(selected, c)
		}
	}
	facts, err := checks.CollectWith(ctx, target, opts.CollectOptions, selected...)
	if err != nil {
		return nil, err
	}
	for n := range unknown {
		facts.Outcomes[n] = checks.Outcome{Name: n, Err: fmt.Errorf("no collector named %q (collectors: %v)", n, CollectorNames())}
	}
	return facts, nil
}

// Options configure Evaluate.
type Options struct {
	// ToolVersion is written into the report.
	ToolVersion string
	// Logger receives progress at debug level; nil discards it.
	Logger logrus.FieldLogger
	// Collect bounds the collectors (workers, per-collector timeout) and
	// configures the sweep.
	Collect CollectOptions
	// Image describes the scanned image, when target is one.
	Image *report.Image
	// Tailoring selects rules and overrides parameters. EvaluateBaselines
	// applies it before engineOpts (so a WithParameters there wins; to
	// rank the tailoring above some of them, pass
	// engine.WithParameters(Tailoring.ParameterValues()) after those) and
	// checks it against the baselines; Evaluate refuses it, since its
	// engine is already built (build it with Tailoring.EngineOptions).
	Tailoring *Tailoring
	// Waivers are applied to the results, and listed in the report.
	// EvaluateBaselines does not evaluate rules under an active run: false
	// waiver; Evaluate, whose engine is already built, evaluates them but
	// drops their results.
	Waivers *Waivers
	// Now is the clock waivers expire by; nil means time.Now. It is read
	// once per evaluation.
	Now func() time.Time
	// Remediation, when set, fixes the failing rules that declare
	// actions (or only plans the fix), then collects and evaluates again:
	// the report gives the status after and, for each rule, the status
	// before and the actions. nil audits.
	Remediation *Remediation
}

func (o Options) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

// Evaluate collects the facts the engine's rules need from target,
// evaluates every rule and builds the report. Waivers naming a rule the
// engine does not have are a *FileError.
func Evaluate(ctx context.Context, eng *engine.Engine, target checks.Target, opts Options) (*report.Report, error) {
	start := time.Now()
	if opts.Tailoring != nil {
		return nil, fmt.Errorf("runner: Evaluate: the engine is already built; build it with Tailoring.EngineOptions, or use EvaluateBaselines")
	}
	w := waiving{now: opts.now()}
	if opts.Waivers != nil {
		if err := opts.Waivers.Check(eng.Rules()); err != nil {
			return nil, err
		}
	}
	names := append(eng.RequiredFacts(), "host")
	facts, err := CollectWith(ctx, target, names, eng.Files(), opts.Collect)
	if err != nil {
		return nil, err
	}
	return finish(ctx, eng, target, facts, inputOf(facts), start, opts, w)
}

// waiving is what finish needs to apply waivers: the time they are judged
// at and the rules not evaluated because of them.
type waiving struct {
	now     time.Time
	skipped []engine.Rule
}

// EvaluateBaselines compiles baselines (as NewEngine does) and evaluates
// them against target like Evaluate, collecting the facts while the
// baselines compile: compilation keeps one core busy, collection mostly
// waits on the file system, and together they take little longer than the
// slower of the two. It returns the engine too, for callers that go on
// to use it.
//
// opts.Tailoring and opts.Waivers are checked against every loaded rule
// before anything is collected: an id, glob or tag that matches no rule, a
// tailoring that keeps no rule, an undeclared parameter or a waiver for an
// unknown rule is a *FileError naming the file and line.
func EvaluateBaselines(ctx context.Context, baselines []*engine.Baseline, target checks.Target, opts Options, engineOpts ...engine.Option) (*report.Report, *engine.Engine, error) {
	start := time.Now()
	log := logger(opts)
	w := waiving{now: opts.now()}
	var all []engine.Rule
	// RecordRules first, to see every rule; the waivers' filter last, to
	// see only the rules every other filter keeps.
	pre := []engine.Option{engine.WithFunctions(Functions()...)}
	if rem := opts.Remediation; rem != nil && rem.Mode != ModeAudit && rem.Mode != "" {
		pre = append(pre, engine.WithRemediation())
	}
	if opts.Tailoring != nil || opts.Waivers != nil {
		pre = append(pre, RecordRules(&all))
	}
	if t := opts.Tailoring; t != nil {
		if err := t.CheckParameters(baselines); err != nil {
			return nil, nil, err
		}
		pre = append(pre, t.EngineOptions()...)
	}
	engineOpts = append(pre, engineOpts...)
	if opts.Waivers != nil {
		engineOpts = append(engineOpts, opts.Waivers.SkipFilter(w.now, &w.skipped))
	}
	loaded, err := engine.Load(ctx, baselines, engineOpts...)
	if err != nil {
		return nil, nil, err
	}
	if opts.Tailoring != nil {
		if err := opts.Tailoring.CheckRules(all); err != nil {
			return nil, nil, err
		}
	}
	if opts.Waivers != nil {
		if err := opts.Waivers.Check(all); err != nil {
			return nil, nil, err
		}
	}
	log.WithField("duration", time.Since(start)).Debug("baselines parsed")
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type collected struct {
		facts *checks.Facts
		input engine.Input
		err   error
	}
	done := make(chan collected, 1)
	go func() {
		names := append(loaded.RequiredFacts(), "host")
		f, err := CollectWith(cctx, target, names, loaded.Files(), opts.Collect)
		log.WithField("duration", time.Since(start)).Debug("facts collected")
		if err != nil {
			done <- collected{err: err}
			return
		}
		// Converting the facts for OPA is work Evaluate would do after
		// compiling; done here, it overlaps compilation too.
		in, err := inputOf(f).Convert()
		done <- collected{f, in, err}
	}()
	eng, err := loaded.Compile(ctx)
	if err != nil {
		cancel()
		<-done
		return nil, nil, err
	}
	log.WithField("duration", time.Since(start)).WithField("rules", len(eng.Rules())).Debug("baselines compiled")
	c := <-done
	if c.err != nil {
		return nil, nil, c.err
	}
	rep, err := finish(ctx, eng, target, c.facts, c.input, start, opts, w)
	return rep, eng, err
}

// inputOf is the engine's input for collected facts.
func inputOf(f *checks.Facts) engine.Input {
	return engine.Input{Facts: f.Input(), Errors: f.Errors()}
}

// finish evaluates the rules against collected facts and builds the
// report.
func finish(ctx context.Context, eng *engine.Engine, target checks.Target, facts *checks.Facts, in engine.Input, start time.Time, opts Options, w waiving) (*report.Report, error) {
	log := logger(opts)
	results, err := eng.Evaluate(ctx, in)
	if err != nil {
		return nil, err
	}
	var waivers []report.Waiver
	if opts.Waivers != nil {
		results, waivers = opts.Waivers.Apply(w.now, results, w.skipped)
	}
	var (
		remSummary *report.Remediation
		actions    map[string][]report.Action
		statusWas  map[string]engine.Status
		remErr     error
	)
	if rem := opts.Remediation; rem != nil && rem.Mode != ModeAudit && rem.Mode != "" {
		if rem.Mode != ModeApply && rem.Mode != ModeAutocorrect {
			return nil, fmt.Errorf("runner: remediation mode %q is not apply or autocorrect", rem.Mode)
		}
		if !eng.Remediates() {
			return nil, fmt.Errorf("runner: remediation needs an engine built with engine.WithRemediation")
		}
		statusWas = map[string]engine.Status{}
		for _, r := range results {
			statusWas[r.Rule.ID] = r.Status
		}
		var after []engine.Result
		after, remSummary, actions, remErr = remediateAndVerify(ctx, eng, target, facts, in, results, opts, rem)
		if after == nil {
			return nil, remErr
		}
		results = after
		if opts.Waivers != nil && !rem.PlanOnly {
			results, waivers = opts.Waivers.Apply(w.now, results, w.skipped)
		}
	}
	collectors := make([]report.Collector, 0, len(facts.Outcomes))
	for _, n := range facts.Names() {
		o := facts.Outcomes[n]
		c := report.Collector{Name: n, Status: report.CollectorOK, DurationMs: o.Duration.Milliseconds()}
		if o.Err != nil {
			c.Status, c.Error = report.CollectorError, o.Err.Error()
			log.WithField("collector", n).WithError(o.Err).Warn("collector failed; its rules are reported as error")
		} else {
			log.WithField("collector", n).WithField("duration", o.Duration).Debug("collected")
		}
		collectors = append(collectors, c)
	}
	meta := report.Meta{
		Tool:       report.Tool{Name: ToolName, Version: opts.ToolVersion},
		Host:       hostOf(facts),
		Root:       target.Root,
		Image:      opts.Image,
		StartTime:  start,
		EndTime:    time.Now(),
		Collectors: collectors,
		Waivers:    waivers,
	}
	for _, b := range eng.Baselines() {
		meta.Baselines = append(meta.Baselines, report.Baseline{Name: b.Name, Version: b.Version, Digest: b.Digest})
	}
	rep := report.New(meta, results)
	if remSummary != nil {
		rep.Remediation = remSummary
		for i := range rep.Rules {
			r := &rep.Rules[i]
			r.StatusBefore = statusWas[r.ID]
			r.Actions = actions[r.ID]
		}
	}
	if remErr != nil {
		return rep, remErr
	}
	log.WithFields(logrus.Fields{
		"status": rep.ComplianceStatus, "pass": rep.Summary.Pass, "fail": rep.Summary.Fail,
		"error": rep.Summary.Error, "not_applicable": rep.Summary.NotApplicable, "waived": rep.Summary.Waived,
	}).Info("evaluated")
	return rep, nil
}

// logger is opts.Logger, or one that discards everything.
func logger(opts Options) logrus.FieldLogger {
	if opts.Logger != nil {
		return opts.Logger
	}
	l := logrus.New()
	l.SetLevel(logrus.PanicLevel)
	return l
}

func hostOf(facts *checks.Facts) report.Host {
	o, ok := facts.Outcomes["host"]
	if !ok || o.Err != nil {
		return report.Host{}
	}
	h, ok := o.Facts.(*checks.HostFacts)
	if !ok {
		return report.Host{}
	}
	return report.Host{
		Hostname:  h.Hostname,
		MachineID: h.MachineID,
		OS: report.OS{
			ID:         h.OS.ID,
			VersionID:  h.OS.VersionID,
			PrettyName: h.OS.PrettyName,
			Family:     h.OS.Family,
		},
	}
}

// NewEngine compiles baselines with gcrun's built-in functions (see
// Functions), which the baselines' rules may call. Use it rather than
// engine.New unless you provide your own functions.
func NewEngine(ctx context.Context, baselines []*engine.Baseline, opts ...engine.Option) (*engine.Engine, error) {
	opts = append([]engine.Option{engine.WithFunctions(Functions()...)}, opts...)
	return engine.New(ctx, baselines, opts...)
}
