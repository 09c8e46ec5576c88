// Command embed shows gcrun as a library: collect facts, evaluate the
// embedded Linux baseline, build a report and sign it, in a few lines.
//
//	go run ./examples/embed --root /
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/gcrun/gcrun/engine"
	"github.com/gcrun/gcrun/report"
	"github.com/gcrun/gcrun/runner"
)

func main() {
	root := flag.String("root", "/", "root directory to scan")
	flag.Parse()
	if err := run(context.Background(), *root, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "embed:", err)
		os.Exit(2)
	}
}

func run(ctx context.Context, root string, out io.Writer) error {
	// Compile the baseline once; an engine evaluates any number of hosts.
	baseline, err := runner.DefaultBaseline()
	if err != nil {
		return err
	}
	eng, err := runner.NewEngine(ctx, []*engine.Baseline{baseline})
	if err != nil {
		return err
	}

	// Collect the facts the rules need from the root and evaluate them.
	target, err := runner.NewTarget(root)
	if err != nil {
		return err
	}
	rep, err := runner.Evaluate(ctx, eng, target, runner.Options{ToolVersion: "embed-example"})
	if err != nil {
		return err
	}

	// Sign the report and check the signature, as a receiver would.
	pub, priv, err := report.GenerateKey()
	if err != nil {
		return err
	}
	payload, err := rep.JSON()
	if err != nil {
		return err
	}
	envelope, err := report.Sign(payload, priv)
	if err != nil {
		return err
	}
	verified, _, err := report.Verify(envelope, pub)
	if err != nil {
		return err
	}

	fmt.Fprintf(out, "%s: %s (%d pass, %d fail, %d not applicable, %d error); signed by %s\n",
		verified.Host.Hostname, verified.ComplianceStatus, verified.Summary.Pass, verified.Summary.Fail,
		verified.Summary.NotApplicable, verified.Summary.Error, report.KeyID(pub))
	return nil
}
