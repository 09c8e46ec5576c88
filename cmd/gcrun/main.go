// Command gcrun is a guest-configuration compliance engine: it collects
// facts from a Linux host, evaluates Rego baselines and writes signed
// compliance reports. Run `gcrun --help`.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/gcrun/gcrun/runner/cli"
)

// version is set at build time: -ldflags "-X main.version=v1.2.3".
// Without it, a binary built by `go install github.com/gcrun/gcrun/cmd/gcrun@v1.2.3`
// knows its version from the module's build information.
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], cli.IO{Stdout: os.Stdout, Stderr: os.Stderr}, toolVersion(version))
	stop()
	os.Exit(code)
}

// toolVersion is the -X version, or else the module version recorded by
// go install, or "dev" for a build from a work tree.
func toolVersion(stamped string) string {
	if stamped != "dev" {
		return stamped
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return stamped
}
