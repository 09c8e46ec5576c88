package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/gcrun/gcrun/engine"
	"github.com/gcrun/gcrun/runner"
	"github.com/spf13/cobra"
)

// checkOutput is what gcrun check --format json prints.
type checkOutput struct {
	// Packs are the packs checked, dependencies included, dependencies
	// first (empty when they could not be loaded).
	Packs    []checkPack      `json:"packs"`
	Rules    int              `json:"rules"`
	Skipped  []string         `json:"skipped,omitempty"`
	Findings []engine.Finding `json:"findings"`
	Summary  checkSummary     `json:"summary"`
}

type checkPack struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Origin  string `json:"origin"`
	Digest  string `json:"digest"`
}

type checkSummary struct {
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
}

func (a *app) checkCommand() *cobra.Command {
	var (
		format        string
		failOnWarning bool
	)
	cmd := &cobra.Command{
		Use:   "check PACK...",
		Short: "Lint baseline packs without evaluating any host",
		Long: `Load each pack with the packs it depends on and check, without evaluating
anything: pack.yaml (fields, dependencies, version constraints, skipped
rules and overridden parameters), Rego syntax and compilation in Rego v1,
rule metadata (id, title, description, severity), rule ids unique across
every loaded pack, parameters declared for every rule that reads one, and
builtins outside gcrun's capabilities (network, clock, randomness), which
evaluation refuses too. The Rego tests (*_test.rego) are compiled with the
rules.

Warnings: what OPA's strict mode rejects (unused imports, arguments and
variables), parameters no rule reads, rules no test refers to, an
incomplete pack.yaml.

Findings go to stdout, one per line as FILE:LINE:COL: SEVERITY: MESSAGE [CODE]
(--format text) or as a JSON document (--format json).

Exit codes: 0 no errors (warnings allowed unless --fail-on-warning),
1 warnings with --fail-on-warning, 2 errors or bad usage.`,
		Example: `  gcrun check baselines/linux
  gcrun check ./my-pack --format json
  gcrun check ./my-pack --fail-on-warning      # in CI`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return usageErr(fmt.Errorf("--format: %q is not text or json", format))
			}
			out := checkOutput{Packs: []checkPack{}, Findings: []engine.Finding{}}
			packs, err := runner.LoadPacks(args, a.version)
			var loadErr *engine.LoadError
			switch {
			case errors.As(err, &loadErr):
				out.Findings = loadErr.Findings()
			case err != nil:
				return usageErr(err)
			default:
				for _, b := range packs.Baselines() {
					out.Packs = append(out.Packs, checkPack{Name: b.Name, Version: b.Version, Origin: b.Origin, Digest: b.Digest})
				}
				for id := range packs.Skipped() {
					out.Skipped = append(out.Skipped, id)
				}
				sort.Strings(out.Skipped)
				opts := append([]engine.Option{engine.WithFunctions(runner.Functions()...)}, packs.EngineOptions()...)
				res, err := engine.Check(cmd.Context(), packs.Baselines(), opts...)
				if err != nil {
					return err
				}
				out.Rules = len(res.Rules)
				out.Findings = res.Findings
			}
			for _, f := range out.Findings {
				if f.Severity == engine.FindingError {
					out.Summary.Errors++
				} else {
					out.Summary.Warnings++
				}
			}
			if err := a.printCheck(format, out); err != nil {
				return err
			}
			switch {
			case out.Summary.Errors > 0:
				return usageErr(fmt.Errorf("check: %s", out.Summary))
			case out.Summary.Warnings > 0 && failOnWarning:
				return &exitError{code: ExitNonCompliant, err: fmt.Errorf("check: %s (--fail-on-warning)", out.Summary)}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVarP(&format, "format", "f", "text", "output format: text or json")
	f.BoolVar(&failOnWarning, "fail-on-warning", false, "exit 1 when there are warnings (and no errors)")
	return cmd
}

func (s checkSummary) String() string {
	return fmt.Sprintf("%d %s, %d %s", s.Errors, plural(s.Errors, "error"), s.Warnings, plural(s.Warnings, "warning"))
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

func (a *app) printCheck(format string, out checkOutput) error {
	if format == "json" {
		data, err := json.MarshalIndent(out, "", "  ")
		if err != nil {
			return err
		}
		_, err = a.io.Stdout.Write(append(data, '\n'))
		return err
	}
	var b strings.Builder
	for _, f := range out.Findings {
		b.WriteString(f.String())
		b.WriteByte('\n')
	}
	names := make([]string, len(out.Packs))
	for i, p := range out.Packs {
		names[i] = p.Name + " " + p.Version
	}
	if len(names) > 0 {
		fmt.Fprintf(&b, "%s: %d rules (%d skipped) in %s\n", out.Summary, out.Rules, len(out.Skipped), strings.Join(names, ", "))
	} else {
		fmt.Fprintf(&b, "%s\n", out.Summary)
	}
	_, err := a.io.Stdout.Write([]byte(b.String()))
	return err
}
