package store

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/gcrun/gcrun/report"
)

func BenchmarkPutReportSQLite(b *testing.B)   { benchPutReport(b, newSQLiteDB(b)) }
func BenchmarkPutReportPostgres(b *testing.B) { benchPutReport(b, newPostgresDB(b)) }

// benchPutReport stores realistic reports: the golden non-compliant
// report of the linux baseline (every rule, with reasons) with an agent
// section, signed, one host, a new report id and sequence each time.
func benchPutReport(b *testing.B, db string) {
	data, err := os.ReadFile("../../testdata/golden/noncompliant.json")
	if err != nil {
		b.Fatal(err)
	}
	var rep report.Report
	if err := json.Unmarshal(data, &rep); err != nil {
		b.Fatal(err)
	}
	start := time.Now().UTC()
	rep.StartTime, rep.EndTime = start.Add(-time.Minute), start
	rep.Agent = &report.Agent{HostID: "h-bench", ReportID: "r-0", Sequence: 1, Assignment: "linux", Mode: "audit"}
	k := newKey(b)
	payload, err := rep.JSON()
	if err != nil {
		b.Fatal(err)
	}
	env, err := report.Sign(payload, k.priv)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	s := openDB(b, db)
	enroll(b, s, "h-bench", k)
	b.ReportAllocs()
	b.ResetTimer()
	var n int64
	for b.Loop() {
		n++
		r := rep
		agent := *rep.Agent
		agent.ReportID, agent.Sequence = fmt.Sprintf("r-%d", n), n
		r.Agent, r.EndTime = &agent, start.Add(time.Duration(n)*time.Second)
		if _, dup, err := s.PutReport(ctx, Report{ID: agent.ReportID, HostID: "h-bench", Sequence: n,
			Envelope: env, Report: &r, ReceivedAt: r.EndTime}); err != nil || dup {
			b.Fatalf("PutReport: dup %v, err %v", dup, err)
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "reports/s")
	b.ReportMetric(float64(len(rep.Rules)), "rules/report")
	b.ReportMetric(float64(len(env)), "envelope-bytes")
}
