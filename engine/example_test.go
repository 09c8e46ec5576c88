package engine_test

import (
	"context"
	"fmt"
	"testing/fstest"

	"github.com/gcrun/gcrun/engine"
)

// A baseline is a directory of Rego modules; here it lives in memory.
func Example() {
	pack := fstest.MapFS{
		"pack.yaml": {Data: []byte("name: demo\nversion: 1.0.0\n")},
		"root_login.rego": {Data: []byte(`# METADATA
# title: SSH root login is disabled
# description: Administrators log in as themselves.
# custom:
#   id: DEMO-001
#   severity: high
package demo.root_login

deny contains {"code": "root_login", "phrase": sprintf("PermitRootLogin is %q, expected \"no\"", [v]), "expected": "no", "actual": v} if {
	v := input.sshd.config.permitrootlogin
	v != "no"
}
`)},
	}
	ctx := context.Background()
	baseline, err := engine.LoadBaseline(pack, "demo")
	if err != nil {
		panic(err)
	}
	eng, err := engine.New(ctx, []*engine.Baseline{baseline}) // compile once ...
	if err != nil {
		panic(err)
	}
	fmt.Println("collectors needed:", eng.RequiredFacts())

	// ... evaluate against any number of fact documents.
	results, err := eng.Evaluate(ctx, engine.Input{Facts: map[string]any{
		"sshd": map[string]any{"config": map[string]any{"permitrootlogin": "yes"}},
	}})
	if err != nil {
		panic(err)
	}
	for _, r := range results {
		fmt.Println(r.Rule.ID, r.Status)
		for _, reason := range r.Reasons {
			fmt.Println("  ", reason.Code+":", reason.Phrase)
		}
	}
	// Output:
	// collectors needed: [sshd]
	// DEMO-001 fail
	//    root_login: PermitRootLogin is "yes", expected "no"
}
