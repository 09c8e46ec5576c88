// Command regofmt formats Rego v1 files in place, as `opa fmt -w` does,
// for developers without the opa binary: go run ./internal/regofmt FILE...
package main

import (
	"fmt"
	"os"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/format"
)

func main() {
	status := 0
	for _, name := range os.Args[1:] {
		if err := formatFile(name); err != nil {
			fmt.Fprintln(os.Stderr, err)
			status = 1
		}
	}
	os.Exit(status)
}

func formatFile(name string) error {
	src, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	out, err := format.SourceWithOpts(name, src, format.Opts{RegoVersion: ast.RegoV1})
	if err != nil {
		return err
	}
	if string(out) == string(src) {
		return nil
	}
	return os.WriteFile(name, out, 0o644)
}
