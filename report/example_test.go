package report_test

import (
	"fmt"
	"time"

	"github.com/gcrun/gcrun/engine/result"
	"github.com/gcrun/gcrun/report"
)

// Sign a report and verify it as a receiver would.
func ExampleSign() {
	rule := &result.Rule{ID: "EX-001", Title: "An example rule", Severity: result.SeverityLow, Baseline: "example"}
	rep := report.New(report.Meta{
		Tool:      report.Tool{Name: "gcrun", Version: "example"},
		Host:      report.Host{Hostname: "web-1"},
		Root:      "/",
		Baselines: []report.Baseline{{Name: "example", Version: "1.0.0", Digest: "sha256:" + fmt.Sprintf("%064x", 0)}},
		StartTime: time.Unix(0, 0),
		EndTime:   time.Unix(1, 0),
	}, []result.Result{{Rule: rule, Status: result.StatusPass}})

	pub, priv, err := report.GenerateKey()
	if err != nil {
		panic(err)
	}
	payload, err := rep.JSON()
	if err != nil {
		panic(err)
	}
	envelope, err := report.Sign(payload, priv)
	if err != nil {
		panic(err)
	}
	verified, _, err := report.Verify(envelope, pub)
	if err != nil {
		panic(err)
	}
	fmt.Println(verified.Host.Hostname, verified.ComplianceStatus)

	// Another key, or any changed byte, fails.
	other, _, _ := report.GenerateKey()
	_, _, err = report.Verify(envelope, other)
	fmt.Println(err != nil)
	// Output:
	// web-1 Compliant
	// true
}
