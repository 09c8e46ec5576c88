package runner_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing/fstest"

	"github.com/gcrun/gcrun/engine"
	"github.com/gcrun/gcrun/runner"
)

// Evaluate a baseline against an offline root: here a directory holding
// only an sshd_config.
func ExampleEvaluate() {
	ctx := context.Background()
	root, _ := os.MkdirTemp("", "root")
	defer os.RemoveAll(root)
	_ = os.MkdirAll(filepath.Join(root, "etc/ssh"), 0o755)
	_ = os.WriteFile(filepath.Join(root, "etc/ssh/sshd_config"), []byte("PermitRootLogin yes\n"), 0o600)

	pack := fstest.MapFS{"root.rego": {Data: []byte(`# METADATA
# title: SSH root login is disabled
# description: Administrators log in as themselves.
# custom:
#   id: EX-001
#   severity: high
package example.root_login

deny contains {"code": "root_login", "phrase": sprintf("PermitRootLogin is %q", [v])} if {
	v := input.sshd.config.permitrootlogin
	v != "no"
}
`)}}
	baseline, err := engine.LoadBaseline(pack, "example")
	if err != nil {
		panic(err)
	}
	eng, err := engine.New(ctx, []*engine.Baseline{baseline})
	if err != nil {
		panic(err)
	}
	target, err := runner.NewTarget(root)
	if err != nil {
		panic(err)
	}
	rep, err := runner.Evaluate(ctx, eng, target, runner.Options{ToolVersion: "example"})
	if err != nil {
		panic(err)
	}
	for _, r := range rep.Rules {
		fmt.Println(r.ID, r.Status, r.Reasons[0].Phrase)
	}
	fmt.Println(rep.ComplianceStatus, "exit code", rep.ExitCode())
	// Output:
	// EX-001 fail PermitRootLogin is "yes"
	// NonCompliant exit code 1
}
