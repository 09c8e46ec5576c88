// Command gcrun is a guest-configuration compliance engine: it collects
// facts from a Linux host, evaluates Rego baselines and writes signed
// compliance reports. Run `gcrun --help`.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/gcrun/gcrun/runner/cli"
)

// version is set at build time: -ldflags "-X main.version=v1.2.3".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], cli.IO{Stdout: os.Stdout, Stderr: os.Stderr}, version)
	stop()
	os.Exit(code)
}
