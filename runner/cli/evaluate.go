package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/gcrun/gcrun/checks"
	"github.com/gcrun/gcrun/engine"
	"github.com/gcrun/gcrun/report"
	"github.com/gcrun/gcrun/runner"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// evalFlags are the flags evaluate and remediate share.
type evalFlags struct {
	root      string
	baselines []string
	format    string
	output    string
	signKey   string
	params    []string
	timeout   time.Duration
	imageTar  string
	sweep     sweepFlags
	tailoring string
	waivers   string
	bundles   []string
	verifyKey string
	insecure  bool
	mode      string
}

func (e *evalFlags) register(f *pflag.FlagSet) {
	f.StringVar(&e.root, "root", "/", "root directory to scan: / for this host, or a mounted image or container rootfs")
	f.StringArrayVar(&e.baselines, "baseline", nil, "baseline directory (repeatable); default: the embedded Linux baseline")
	f.StringVarP(&e.format, "format", "f", "json", "report format: "+strings.Join(report.Formats(), ", "))
	f.StringVarP(&e.output, "output", "o", "", "write the report to this file (atomically) instead of stdout")
	f.StringArrayVar(&e.params, "param", nil, "override a baseline parameter: NAME=VALUE, VALUE as JSON or a plain string (repeatable)")
	f.StringVar(&e.signKey, "sign-key", "", "ed25519 private key (PKCS#8 PEM) to sign the report with; writes a DSSE envelope")
	f.DurationVar(&e.timeout, "collector-timeout", checks.DefaultTimeout, "longest time one collector may take; an overrunning collector's rules report error")
	f.StringVar(&e.imageTar, "image-tar", "", "scan a container image (docker save or OCI layout archive) or a rootfs tarball instead of --root, read-only and without unpacking it")
	f.StringVar(&e.tailoring, "tailoring", "", "tailoring file (YAML): select and exclude rules by id, glob, tag or severity, override parameters (--param wins)")
	f.StringArrayVar(&e.bundles, "bundle", nil, "signed OPA bundle of a pack (gcrun bundle build), instead of --baseline (repeatable); verified with --verification-key")
	f.StringVar(&e.verifyKey, "verification-key", "", "ed25519 public key (PEM) that --bundle must be signed with")
	f.BoolVar(&e.insecure, "insecure-skip-verify", false, "load an unsigned --bundle (never a badly signed one); for testing only")
	f.StringVar(&e.waivers, "waivers", "", "waiver file (YAML): rules reported as waived, with justification and expiry; waived rules never make the host non-compliant")
	e.sweep.register(f)
}

func (a *app) evaluateCommand() *cobra.Command {
	var e evalFlags
	cmd := &cobra.Command{
		Use:   "evaluate",
		Short: "Evaluate baselines against this host (or --root) and write a compliance report",
		Long: `Collect the facts the baselines need, evaluate every rule and write the report
to stdout (or --output). Without --baseline the embedded Linux baseline is used.

--mode apply fixes the failing rules that declare remediation actions, then
collects and evaluates again; the report gives each rule's status before and
after and every action taken. --mode autocorrect does the same on every run,
also for rules an earlier apply run fixed (apply only reports their drift).
Every changed file is journaled under /var/lib/gcrun/journal in the root;
gcrun rollback undoes a run. See docs/remediation.md.

Exit codes: 0 compliant, 1 non-compliant, 2 usage error or bad input,
3 some rule could not be evaluated (error wins over non-compliant).
Waived rules (--waivers) count for neither, even when their real status is
fail or error: the waiver accepts the rule's state until it expires.`,
		Example: `  gcrun evaluate --format text
  gcrun evaluate --root /mnt/image --baseline ./my-pack --output report.json
  gcrun evaluate --image-tar debian.tar --format text      # docker save debian:12 > debian.tar
  gcrun evaluate --sign-key gcrun.key --output report.signed.json
  gcrun evaluate --tailoring site.yaml --waivers waivers.yaml --format text
  gcrun evaluate --mode apply --format text                 # fix, verify, report before/after`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			switch e.mode {
			case runner.ModeAudit, runner.ModeApply, runner.ModeAutocorrect:
			default:
				return usageErr(fmt.Errorf("--mode: %q is not audit, apply or autocorrect", e.mode))
			}
			var rem *runner.Remediation
			if e.mode != runner.ModeAudit {
				rem = &runner.Remediation{Mode: e.mode}
			}
			return a.evaluate(cmd, &e, rem)
		},
	}
	f := cmd.Flags()
	e.register(f)
	f.StringVar(&e.mode, "mode", runner.ModeAudit, "audit (never writes), apply (fix failing rules once) or autocorrect (fix drift on every run)")
	return cmd
}

// evaluate runs an evaluation (with remediation when rem is set) and
// writes the report.
func (a *app) evaluate(cmd *cobra.Command, e *evalFlags, rem *runner.Remediation) error {
	if _, err := report.NewRenderer(e.format, report.RenderOptions{}); err != nil {
		return usageErr(fmt.Errorf("--format: %w", err))
	}
	if e.signKey != "" && e.format != "json" {
		return usageErr(fmt.Errorf("--sign-key signs the JSON report; it cannot be used with --format %s", e.format))
	}
	if rem != nil && e.imageTar != "" {
		return usageErr(fmt.Errorf("--image-tar is read-only: remediation needs a directory root (--root)"))
	}
	var key []byte
	if e.signKey != "" {
		pem, err := os.ReadFile(e.signKey)
		if err != nil {
			return usageErr(fmt.Errorf("--sign-key: %w", err))
		}
		key = pem
	}
	overrides, err := parseParams(e.params)
	if err != nil {
		return usageErr(err)
	}
	packs, err := a.loadPacks(e.baselines, e.bundles, e.verifyKey, e.insecure)
	if err != nil {
		return err
	}
	bs := packs.Baselines()
	target, img, err := a.target(cmd, e.root, e.imageTar)
	if err != nil {
		return err
	}
	bar := a.factsProgress()
	sweep := e.sweep.config()
	if bar != nil {
		sweep.Progress = bar.sweep
	}
	collect := checks.CollectOptions{Timeout: e.timeout}
	if bar != nil {
		collect.Progress = bar.collector
	}
	opts := runner.Options{
		ToolVersion: a.version, Logger: a.log, Image: img, Remediation: rem,
		Collect: runner.CollectOptions{CollectOptions: collect, Sweep: sweep},
	}
	if err := loadTailoringWaivers(&opts, e.tailoring, e.waivers); err != nil {
		return err
	}
	// Parameters: a pack's for its dependencies < the tailoring's < --param.
	rep, eng, err := runner.EvaluateBaselines(cmd.Context(), bs, target, opts,
		append(packs.EngineOptions(), engine.WithParameters(opts.Tailoring.ParameterValues()), engine.WithParameters(overrides))...)
	var loadErr *engine.LoadError
	var fileErr *runner.FileError
	if errors.As(err, &loadErr) || errors.As(err, &fileErr) {
		return usageErr(err)
	}
	if err != nil && rep == nil {
		return err
	}
	if err != nil {
		// Remediation stopped part way; the report (written below) says
		// what was done, and the exit code says it went wrong.
		a.log.WithError(err).Error("remediation incomplete")
	}
	if eng != nil {
		a.log.WithField("rules", len(eng.Rules())).Debug("evaluated")
	}
	if rem != nil && rem.PlanOnly && e.format == "text" {
		return a.emit(e.output, []byte(runner.PlanText(rem.Plan)))
	}
	var out []byte
	if e.signKey != "" {
		priv, perr := report.ParsePrivateKeyPEM(key)
		if perr != nil {
			return usageErr(fmt.Errorf("--sign-key %s: %w", e.signKey, perr))
		}
		payload, jerr := rep.JSON()
		if jerr != nil {
			return jerr
		}
		if out, jerr = report.Sign(payload, priv); jerr != nil {
			return jerr
		}
		out = append(out, '\n')
	} else {
		_, noColor := a.io.env("NO_COLOR")
		color := !noColor && (e.output == "" || e.output == "-") && isTerminal(a.io.Stdout)
		var rerr error
		if out, rerr = report.Render(e.format, rep, report.RenderOptions{Color: color}); rerr != nil {
			return rerr
		}
	}
	if werr := a.emit(e.output, out); werr != nil {
		return werr
	}
	if err != nil {
		return &exitError{code: ExitRuleError, err: errSilent}
	}
	if rem != nil && rem.PlanOnly {
		return nil
	}
	if code := rep.ExitCode(); code != ExitCompliant {
		return &exitError{code: code, err: errSilent}
	}
	return nil
}

// loadPacks loads the packs of --baseline directories or of --bundle
// files (verified first), with their dependencies; a bad pack or bundle
// is bad input.
func (a *app) loadPacks(dirs, bundles []string, verifyKey string, insecure bool) (*runner.Packs, error) {
	if len(bundles) == 0 {
		if verifyKey != "" || insecure {
			return nil, usageErr(fmt.Errorf("--verification-key and --insecure-skip-verify apply to --bundle"))
		}
		packs, err := runner.LoadPacks(dirs, a.version)
		if err != nil {
			return nil, usageErr(err)
		}
		return packs, nil
	}
	if len(dirs) > 0 {
		return nil, usageErr(fmt.Errorf("--baseline and --bundle: evaluate directories or bundles, not both"))
	}
	opts := runner.BundleOptions{InsecureSkipVerify: insecure, Logger: a.log}
	if verifyKey != "" {
		pem, err := os.ReadFile(verifyKey)
		if err != nil {
			return nil, usageErr(fmt.Errorf("--verification-key: %w", err))
		}
		opts.VerificationKey = pem
	}
	var bs []*engine.Baseline
	for _, path := range bundles {
		b, err := runner.LoadBundle(path, opts)
		if err != nil {
			return nil, usageErr(fmt.Errorf("--bundle: %w", err))
		}
		bs = append(bs, b)
	}
	packs, err := runner.LoadBundlePacks(bs, a.version)
	if err != nil {
		return nil, usageErr(err)
	}
	return packs, nil
}

// loadTailoringWaivers reads --tailoring and --waivers into opts; a bad
// file is bad input.
func loadTailoringWaivers(opts *runner.Options, tailoring, waivers string) error {
	if tailoring != "" {
		t, err := runner.LoadTailoring(tailoring)
		if err != nil {
			return usageErr(err)
		}
		opts.Tailoring = t
	}
	if waivers != "" {
		w, err := runner.LoadWaivers(waivers)
		if err != nil {
			return usageErr(err)
		}
		opts.Waivers = w
	}
	return nil
}

// sweepFlags configure the sweep collector (world-writable, unowned,
// SUID/SGID files).
type sweepFlags struct {
	paths, excludes []string
	maxEntries      int
	timeout         time.Duration
}

func (s *sweepFlags) register(f *pflag.FlagSet) {
	f.StringArrayVar(&s.paths, "sweep-path", nil, "path inside the root that the file-system sweep walks (repeatable; default /)")
	f.StringArrayVar(&s.excludes, "sweep-exclude", nil, "path or glob the sweep skips, in addition to /proc, /sys, /dev, /run and pseudo and network mounts (repeatable)")
	f.IntVar(&s.maxEntries, "sweep-max-entries", checks.DefaultSweepMaxEntries, "most entries the sweep examines; the rules report an incomplete sweep when it is reached")
	f.DurationVar(&s.timeout, "sweep-timeout", checks.DefaultSweepTimeout, "longest time the sweep may take; the rules report an incomplete sweep when it is reached")
}

func (s *sweepFlags) config() checks.Sweep {
	return checks.Sweep{Paths: s.paths, ExtraExcludes: s.excludes, MaxEntries: s.maxEntries, Timeout: s.timeout}
}

// target opens what a command scans: the directory --root, or the image
// tarball --image-tar (not both).
func (a *app) target(cmd *cobra.Command, root, imageTar string) (checks.Target, *report.Image, error) {
	if imageTar == "" {
		t, err := runner.NewTarget(root)
		if err != nil {
			return t, nil, usageErr(fmt.Errorf("--root: %w", err))
		}
		return t, nil, nil
	}
	if cmd.Flags().Changed("root") {
		return checks.Target{}, nil, usageErr(fmt.Errorf("--root and --image-tar: scan one or the other"))
	}
	t, img, err := runner.OpenImage(cmd.Context(), imageTar)
	if err != nil {
		return t, nil, usageErr(fmt.Errorf("--image-tar: %w", err))
	}
	a.log.WithFields(map[string]any{"format": img.Format, "reference": img.Reference, "layers": img.Layers}).Debug("image opened")
	return t, img, nil
}

// engine loads and compiles the baselines; a broken baseline is bad input.
func (a *app) engine(cmd *cobra.Command, dirs []string, opts ...engine.Option) (*engine.Engine, error) {
	packs, err := runner.LoadPacks(dirs, a.version)
	if err != nil {
		return nil, usageErr(err)
	}
	eng, err := runner.NewEngine(cmd.Context(), packs.Baselines(), append(packs.EngineOptions(), opts...)...)
	if err != nil {
		return nil, usageErr(err)
	}
	a.log.WithField("rules", len(eng.Rules())).Debug("baselines compiled")
	return eng, nil
}

// parseParams reads --param NAME=VALUE flags. VALUE is JSON when it parses
// as JSON (4, true, ["a","b"]) and a plain string otherwise, as with
// opa's --set.
func parseParams(flags []string) (map[string]any, error) {
	out := map[string]any{}
	for _, f := range flags {
		name, raw, ok := strings.Cut(f, "=")
		if !ok || name == "" {
			return nil, fmt.Errorf("--param %q: want NAME=VALUE", f)
		}
		var v any
		if err := json.Unmarshal([]byte(raw), &v); err != nil {
			v = raw
		}
		out[name] = v
	}
	return out, nil
}
