// Package cli is gcrun's command line: the cobra commands behind
// cmd/gcrun, kept in a library so that tests run them in-process.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"

	"github.com/mattn/go-isatty"
	"github.com/sirupsen/logrus"
	"github.com/spf13/cobra"
)

// Exit codes, documented in the README.
const (
	ExitCompliant    = 0
	ExitNonCompliant = 1
	ExitUsage        = 2 // usage error or bad input (a bad baseline, root, key or report)
	ExitRuleError    = 3 // some rule could not be evaluated
)

// exitError carries an exit code through cobra.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// usageErr marks err as bad usage or bad input (exit 2).
func usageErr(err error) error { return &exitError{code: ExitUsage, err: err} }

// IO is where a command reads and writes.
type IO struct {
	Stdout io.Writer
	Stderr io.Writer
	// Environ looks up environment variables (os.LookupEnv by default).
	Environ func(string) (string, bool)
}

func (s IO) env(key string) (string, bool) {
	if s.Environ == nil {
		return os.LookupEnv(key)
	}
	return s.Environ(key)
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}

// app holds what every command shares.
type app struct {
	io        IO
	version   string
	logLevel  string
	logFormat string
	log       *logrus.Logger
	// onListen, in tests, learns the address gcrun serve listens on.
	onListen func(net.Addr)
}

// Main runs gcrun with args (without the program name) and returns the
// exit code.
func Main(ctx context.Context, args []string, stdio IO, version string) int {
	a := &app{io: stdio, version: version, log: logrus.New()}
	a.log.SetOutput(stdio.Stderr)
	root := a.rootCommand()
	root.SetArgs(args)
	root.SetOut(stdio.Stdout)
	root.SetErr(stdio.Stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitCompliant
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil && ee.err != errSilent {
			fmt.Fprintf(stdio.Stderr, "gcrun: %v\n", ee.err)
		}
		return ee.code
	}
	// Anything else comes from cobra's own parsing: bad flags, wrong args.
	fmt.Fprintf(stdio.Stderr, "gcrun: %v\n", err)
	fmt.Fprintf(stdio.Stderr, "Run 'gcrun --help' for usage.\n")
	return ExitUsage
}

// errSilent is the error of an exit code that needs no message (the
// report already says it).
var errSilent = errors.New("")

func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "gcrun",
		Short: "Guest-configuration compliance: collect OS facts, evaluate Rego baselines, sign reports",
		Long: `gcrun collects facts from a Linux host (or an offline root such as a mounted
image), evaluates them against Rego baselines and writes a signed JSON
compliance report.

Exit codes: 0 compliant, 1 non-compliant, 2 usage error or bad input,
3 some rule could not be evaluated.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			return a.setupLogging()
		},
	}
	root.PersistentFlags().StringVar(&a.logLevel, "log-level", "warn", "log level: debug, info, warn, error")
	root.PersistentFlags().StringVar(&a.logFormat, "log-format", "text", "log format on stderr: text or json")
	root.AddCommand(a.evaluateCommand(), a.factsCommand(), a.testCommand(), a.checkCommand(), a.bundleCommand(),
		a.keygenCommand(), a.verifyCommand(), a.versionCommand(), a.remediateCommand(), a.rollbackCommand(), a.agentCommand(), a.spoolCommand(), a.serveCommand(), a.reportCommand())
	return root
}

func (a *app) setupLogging() error {
	lvl, err := logrus.ParseLevel(a.logLevel)
	if err != nil {
		return usageErr(fmt.Errorf("--log-level: %w", err))
	}
	a.log.SetLevel(lvl)
	switch a.logFormat {
	case "text":
		_, noColor := a.io.env("NO_COLOR")
		a.log.SetFormatter(&logrus.TextFormatter{
			DisableColors: noColor || !isTerminal(a.io.Stderr),
			FullTimestamp: true,
		})
	case "json":
		a.log.SetFormatter(&logrus.JSONFormatter{})
	default:
		return usageErr(fmt.Errorf("--log-format: %q is not text or json", a.logFormat))
	}
	return nil
}

func (a *app) versionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print gcrun's version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintf(a.io.Stdout, "gcrun %s\n", a.version)
			return err
		},
	}
}
