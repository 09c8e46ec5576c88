package cli

import (
	"bytes"
	"fmt"
	"math/big"
	"regexp"

	"github.com/gcrun/gcrun/runner"
	"github.com/gcrun/gcrun/runner/packtest"
	"github.com/spf13/cobra"
)

func (a *app) testCommand() *cobra.Command {
	var (
		run         string
		verbose     bool
		coverage    bool
		coverageMin string
		format      string
		output      string
		tailoring   string
	)
	cmd := &cobra.Command{
		Use:   "test PACK...",
		Short: "Run a baseline pack's Rego unit tests and fixture tests",
		Long: `Run every Rego unit test of each pack (rules test_* in *_test.rego files, with
the capabilities, parameters and builtins of evaluation) and every fixture test
(fixtures/NAME/root evaluated as an offline root, with the modes and owners of
fixtures/NAME/attrs.txt, compared with fixtures/NAME/expected.yaml).
See docs/testing-packs.md.

Exit codes: 0 every test passed, 1 some test failed or coverage is below
--coverage-min, 2 usage error or a broken pack (syntax error, bad pack.yaml,
bad fixture: each problem with file:line).`,
		Example: `  gcrun test baselines/linux
  gcrun test ./my-pack --run 'ssh|hardened' -v
  gcrun test ./my-pack --coverage --coverage-min 90
  gcrun test ./my-pack --format junit --output test-results.xml`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, packs []string) error {
			var opts packtest.Options
			opts.ToolVersion = a.version
			if tailoring != "" {
				t, err := runner.LoadTailoring(tailoring)
				if err != nil {
					return usageErr(err)
				}
				opts.EngineOptions = t.EngineOptions()
			}
			if run != "" {
				re, err := regexp.Compile(run)
				if err != nil {
					return usageErr(fmt.Errorf("--run: %w", err))
				}
				opts.Run = re
			}
			var min *big.Rat
			if cmd.Flags().Changed("coverage-min") {
				m, err := packtest.ParsePercent(coverageMin)
				if err != nil {
					return usageErr(fmt.Errorf("--coverage-min: %w", err))
				}
				min = m
				coverage = true
			}
			opts.Coverage = coverage
			write, err := reportWriter(format, verbose)
			if err != nil {
				return usageErr(err)
			}
			rep := &packtest.Report{CoverageMin: min}
			for _, dir := range packs {
				res, err := packtest.Run(cmd.Context(), dir, opts)
				if err != nil {
					if ctxErr := cmd.Context().Err(); ctxErr != nil {
						return ctxErr
					}
					// Said on stderr whatever the format, so that a CI log
					// shows it even when the report goes to a file.
					fmt.Fprintf(a.io.Stderr, "gcrun: test %s: %v\n", dir, err)
				}
				rep.Packs = append(rep.Packs, packtest.PackReport{Dir: dir, Result: res, Err: err})
			}
			var buf bytes.Buffer
			if err := write(rep, &buf); err != nil {
				return err
			}
			if err := a.emit(output, buf.Bytes()); err != nil {
				return err
			}
			switch rep.Status() {
			case packtest.PackError:
				return &exitError{code: ExitUsage, err: errSilent}
			case packtest.PackFail:
				return &exitError{code: ExitNonCompliant, err: errSilent}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&run, "run", "", "run only the Rego tests (data.PACKAGE.test_NAME) and fixtures whose name matches this regular expression")
	f.BoolVarP(&verbose, "verbose", "v", false, "list every test with its time (text format), and the lines coverage missed")
	f.BoolVar(&coverage, "coverage", false, "report which lines of each rule and library package the Rego tests evaluate")
	f.StringVar(&coverageMin, "coverage-min", "", "fail when a pack's total coverage is below this percentage (compared exactly; implies --coverage)")
	f.StringVarP(&format, "format", "f", "text", "report format: text, json or junit")
	f.StringVarP(&output, "output", "o", "", "write the report to this file (atomically) instead of stdout")
	f.StringVar(&tailoring, "tailoring", "", "tailoring file (YAML): the fixtures are evaluated with its rule selection and parameters")
	return cmd
}

// reportWriter chooses the writer of --format.
func reportWriter(format string, verbose bool) (func(*packtest.Report, *bytes.Buffer) error, error) {
	switch format {
	case "text":
		return func(r *packtest.Report, b *bytes.Buffer) error { return r.WriteText(b, verbose) }, nil
	case "json":
		return func(r *packtest.Report, b *bytes.Buffer) error { return r.WriteJSON(b) }, nil
	case "junit":
		return func(r *packtest.Report, b *bytes.Buffer) error { return r.WriteJUnit(b) }, nil
	}
	return nil, fmt.Errorf("--format: %q is not text, json or junit", format)
}
