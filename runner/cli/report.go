package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/gcrun/gcrun/report"
	"github.com/spf13/cobra"
)

// maxReportFile bounds a report read from disk.
const maxReportFile = 256 << 20

func (a *app) reportCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Render, compare and summarise reports",
	}
	cmd.AddCommand(a.reportRenderCommand(), a.reportDiffCommand(), a.reportSummarizeCommand())
	return cmd
}

// readReport reads a plain or signed report. With a key, the report must
// be signed by it (fail closed: a plain report is refused). Without one, a
// signed report is read without checking its signature, and a warning
// says so.
func (a *app) readReport(path, keyPath string) (*report.Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, usageErr(err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxReportFile+1))
	if err != nil {
		return nil, usageErr(fmt.Errorf("%s: %w", path, err))
	}
	if len(data) > maxReportFile {
		return nil, usageErr(fmt.Errorf("%s: larger than %d bytes", path, maxReportFile))
	}
	signed := report.IsEnvelope(data)
	switch {
	case keyPath != "":
		pem, err := os.ReadFile(keyPath)
		if err != nil {
			return nil, usageErr(fmt.Errorf("--key: %w", err))
		}
		pub, err := report.ParsePublicKeyPEM(pem)
		if err != nil {
			return nil, usageErr(fmt.Errorf("--key %s: %w", keyPath, err))
		}
		if !signed {
			return nil, usageErr(fmt.Errorf("%s: not signed, but --key requires a signature", path))
		}
		r, _, err := report.Verify(data, pub)
		if err != nil {
			return nil, usageErr(fmt.Errorf("%s: %w", path, err))
		}
		return r, nil
	case signed:
		a.log.WithField("file", path).Warn("signed report read WITHOUT verifying its signature; give --key to verify it")
		r, err := report.ParseUnverified(data)
		if err != nil {
			return nil, usageErr(fmt.Errorf("%s: %w", path, err))
		}
		return r, nil
	default:
		r, err := report.Parse(data)
		if err != nil {
			return nil, usageErr(fmt.Errorf("%s: %w", path, err))
		}
		return r, nil
	}
}

func (a *app) colorFor(output string) bool {
	_, noColor := a.io.env("NO_COLOR")
	return !noColor && (output == "" || output == "-") && isTerminal(a.io.Stdout)
}

func (a *app) reportRenderCommand() *cobra.Command {
	var format, output, key string
	cmd := &cobra.Command{
		Use:   "render REPORT",
		Short: "Render a report (plain or signed) as text, json, junit, sarif, html or prometheus",
		Long: `Render a report written by gcrun evaluate in another format. A signed report
(a DSSE envelope) is verified when --key is given and refused if the
signature does not hold; without --key it is rendered unverified, with a
warning on stderr. --output writes the file atomically (for node_exporter's
textfile collector, --format prometheus --output /var/lib/node_exporter/gcrun.prom).

Exit codes: 0 rendered, 2 unreadable or unverifiable report, bad flags.`,
		Example: `  gcrun report render --format html --output report.html report.json
  gcrun report render --format sarif --key gcrun.pub report.signed.json > gcrun.sarif
  gcrun report render --format prometheus --output /var/lib/node_exporter/gcrun.prom report.json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := report.NewRenderer(format, report.RenderOptions{}); err != nil {
				return usageErr(fmt.Errorf("--format: %w", err))
			}
			r, err := a.readReport(args[0], key)
			if err != nil {
				return err
			}
			out, err := report.Render(format, r, report.RenderOptions{Color: a.colorFor(output)})
			if err != nil {
				return err
			}
			return a.emit(output, out)
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "text", "output format: "+strings.Join(report.Formats(), ", "))
	cmd.Flags().StringVarP(&output, "output", "o", "", "write to this file (atomically) instead of stdout")
	cmd.Flags().StringVar(&key, "key", "", "ed25519 public key (PEM): the report must be signed by it")
	return cmd
}

func (a *app) reportDiffCommand() *cobra.Command {
	var format, output, key string
	cmd := &cobra.Command{
		Use:   "diff OLD NEW",
		Short: "List the rules that newly fail, were fixed, or whose evidence changed between two reports",
		Long: `Compare two reports of the same host (drift): rules that newly fail or error,
rules that were fixed, rules whose evidence or reasons changed, rules added
or removed; warnings when the reports are of different hosts or baselines.

Exit codes: 0 compliance did not get worse, 1 it got worse (a rule newly
fails or errors, or the host became NonCompliant), 2 bad input.`,
		Example: `  gcrun report diff yesterday.json today.json
  gcrun report diff --format json --key gcrun.pub old.signed.json new.signed.json`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return usageErr(fmt.Errorf("--format: %q is not text or json", format))
			}
			old, err := a.readReport(args[0], key)
			if err != nil {
				return err
			}
			cur, err := a.readReport(args[1], key)
			if err != nil {
				return err
			}
			d := report.Diff(old, cur)
			var buf bytes.Buffer
			if format == "json" {
				err = report.WriteDriftJSON(&buf, d)
			} else {
				err = report.WriteDriftText(&buf, d, report.TextOptions{Color: a.colorFor(output)})
			}
			if err != nil {
				return err
			}
			if err := a.emit(output, buf.Bytes()); err != nil {
				return err
			}
			if d.Worse() {
				return &exitError{code: 1, err: errSilent}
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "text", "text or json")
	cmd.Flags().StringVarP(&output, "output", "o", "", "write to this file (atomically) instead of stdout")
	cmd.Flags().StringVar(&key, "key", "", "ed25519 public key (PEM): both reports must be signed by it")
	return cmd
}

func (a *app) reportSummarizeCommand() *cobra.Command {
	var (
		format, output string
		keys           []string
		top            int
	)
	cmd := &cobra.Command{
		Use:   "summarize PATH...",
		Short: "Summarise a fleet: per-rule failure rates across hosts, a score per host, the worst hosts and rules",
		Long: `Read reports (files, or directories searched recursively for *.json; plain or
signed) and summarise them: for each rule how many hosts fail it and what
share of the hosts where it applies; for each host a score (pass / (pass +
fail + error)); the worst hosts and rules. When a host has several reports,
the latest counts. With --key (a PEM file, or a directory of host keys,
repeatable) every report must be signed by one of the keys: unsigned and
badly signed reports are listed as problems and not counted.

Exit codes: 0 every input was read (and verified), 3 some were not (they are
listed under problems; the summary covers the rest), 2 bad flags.`,
		Example: `  gcrun report summarize /srv/reports
  gcrun report summarize --key keys/ --format html --output fleet.html /srv/reports`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" && format != "html" {
				return usageErr(fmt.Errorf("--format: %q is not text, json or html", format))
			}
			opts := report.SummaryOptions{Top: top, Progress: a.progress("reading reports")}
			if len(keys) > 0 {
				ring, err := report.LoadKeyRing(keys...)
				if err != nil {
					return usageErr(fmt.Errorf("--key: %w", err))
				}
				opts.Keys = ring
			}
			s, err := report.Summarize(cmd.Context(), args, opts)
			if err != nil {
				return usageErr(err)
			}
			var buf bytes.Buffer
			switch format {
			case "json":
				err = report.WriteSummaryJSON(&buf, s)
			case "html":
				err = report.WriteSummaryHTML(&buf, s)
			default:
				err = report.WriteSummaryText(&buf, s, report.TextOptions{Color: a.colorFor(output)})
			}
			if err != nil {
				return err
			}
			if err := a.emit(output, buf.Bytes()); err != nil {
				return err
			}
			if len(s.Problems) > 0 {
				return &exitError{code: ExitRuleError, err: fmt.Errorf("%d input(s) could not be used; see problems", len(s.Problems))}
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "text", "text, json or html")
	cmd.Flags().StringVarP(&output, "output", "o", "", "write to this file (atomically) instead of stdout")
	cmd.Flags().StringArrayVar(&keys, "key", nil, "ed25519 public key (PEM) or directory of host keys (*.pem) that reports must be signed by (repeatable)")
	cmd.Flags().IntVar(&top, "top", report.DefaultSummaryTop, "length of the worst hosts and worst rules lists")
	return cmd
}
