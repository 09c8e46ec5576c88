package agent

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gcrun/gcrun/engine"
	"github.com/gcrun/gcrun/report"
	"github.com/gcrun/gcrun/runner"
	"github.com/gcrun/gcrun/runner/agent/bundles"
	"github.com/gcrun/gcrun/runner/agent/config"
)

// receiver is a fake gcrun serve: it enrols, serves one bundle, and
// stores reports by id after verifying them against the enrolled key.
type receiver struct {
	mu       sync.Mutex
	bundle   []byte
	keys     map[string]ed25519.PublicKey // host id -> key
	stored   map[string]*report.Report
	posts    int
	failNext int // answer this many report POSTs with 503
	unknown  bool
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	switch {
	case r.URL.Path == "/v1/bundles/linux":
		w.Write(rc.bundle)
	case r.URL.Path == "/v1/enroll":
		var req struct {
			Secret    string `json:"secret"`
			PublicKey string `json:"public_key"`
		}
		body, _ := io.ReadAll(r.Body)
		json.Unmarshal(body, &req)
		if req.Secret != "s3cret" {
			w.WriteHeader(401)
			fmt.Fprint(w, `{"error":"bad secret","code":"bad_secret"}`)
			return
		}
		pub, err := report.ParsePublicKeyPEM([]byte(req.PublicKey))
		if err != nil {
			w.WriteHeader(400)
			return
		}
		id := "h-" + strings.TrimPrefix(report.KeyID(pub), "sha256:")[:12]
		rc.keys[id] = pub
		rc.unknown = false
		fmt.Fprintf(w, `{"host_id":%q}`, id)
	case r.URL.Path == "/v1/reports":
		rc.posts++
		if rc.failNext > 0 {
			rc.failNext--
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(503)
			return
		}
		host := r.Header.Get("X-Gcrun-Host")
		pub, ok := rc.keys[host]
		if !ok || rc.unknown {
			w.WriteHeader(401)
			fmt.Fprint(w, `{"error":"unknown host","code":"unknown_host"}`)
			return
		}
		zr, err := gzip.NewReader(r.Body)
		if err != nil {
			w.WriteHeader(400)
			return
		}
		env, _ := io.ReadAll(zr)
		rep, _, err := report.Verify(env, pub)
		if err != nil || rep.Agent == nil || rep.Agent.ReportID != r.Header.Get("Idempotency-Key") {
			w.WriteHeader(400)
			fmt.Fprintf(w, `{"error":%q,"code":"bad_report"}`, fmt.Sprint(err))
			return
		}
		dup := rc.stored[rep.Agent.ReportID] != nil
		rc.stored[rep.Agent.ReportID] = rep
		fmt.Fprintf(w, `{"id":%q,"seq":%d,"duplicate":%v}`, rep.Agent.ReportID, len(rc.stored), dup)
	default:
		w.WriteHeader(404)
	}
}

type fixture struct {
	rc     *receiver
	srv    *httptest.Server
	cfg    *config.Config
	clock  time.Time
	report func(ctx context.Context) (*report.Report, error)
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	dir := t.TempDir()
	pack := filepath.Join(dir, "pack")
	os.MkdirAll(pack, 0o755)
	os.WriteFile(filepath.Join(pack, "pack.yaml"), []byte("name: tiny\nversion: 1.0.0\ndescription: test pack\n"), 0o644)
	os.WriteFile(filepath.Join(pack, "rule.rego"), []byte(`# METADATA
# title: Always passes
# description: A test rule.
# custom:
#   id: T-001
#   severity: low
package tiny.always

deny := set()
`), 0o644)
	pub, priv, err := report.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	privPEM, _ := report.MarshalPrivateKeyPEM(priv)
	pubPEM, _ := report.MarshalPublicKeyPEM(pub)
	var bundle bytes.Buffer
	if _, err := runner.BuildBundle(&bundle, pack, runner.BuildBundleOptions{SigningKey: privPEM}); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "bundle.pub"), pubPEM, 0o644)
	os.WriteFile(filepath.Join(dir, "secret"), []byte("s3cret\n"), 0o600)

	rc := &receiver{bundle: bundle.Bytes(), keys: map[string]ed25519.PublicKey{}, stored: map[string]*report.Report{}}
	srv := httptest.NewTLSServer(rc)
	t.Cleanup(srv.Close)
	ca := filepath.Join(dir, "ca.pem")
	os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o644)

	yaml := fmt.Sprintf(`server: %s
state_dir: %s
root: %s
enrollment_secret_file: %s
tls:
  ca_file: %s
verification_key: %s
assignments:
  - name: linux
    source: %s/v1/bundles/linux
    mode: audit
    timeout: 2s
delivery:
  backoff_min: 1ms
  backoff_max: 5ms
`, srv.URL, filepath.Join(dir, "state"), dir, filepath.Join(dir, "secret"), ca, filepath.Join(dir, "bundle.pub"), srv.URL)
	cfg, err := config.Parse("agent.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{rc: rc, srv: srv, cfg: cfg, clock: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)}
}

func (f *fixture) agent(t *testing.T, eval EvaluateFunc) *Agent {
	t.Helper()
	a, err := New(Options{Config: f.cfg, ToolVersion: "test", Now: func() time.Time { return f.clock }, Rand: func() float64 { return 0.5 }, Evaluate: eval,
		Sleep: func(ctx context.Context, d time.Duration) error { return ctx.Err() }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

func fakeEval(status engine.Status) EvaluateFunc {
	return func(ctx context.Context, as config.Assignment, b bundles.Bundle) (*report.Report, error) {
		rule := engine.Rule{ID: "T-001", Title: "t", Severity: engine.SeverityLow, Baseline: "tiny"}
		res := engine.Result{Rule: &rule, Status: status}
		if status == engine.StatusFail {
			res.Reasons = []engine.Reason{{Code: "c", Phrase: "p"}}
		}
		return report.New(report.Meta{Tool: report.Tool{Name: "gcrun", Version: "test"}, Root: "/", StartTime: time.Now(), EndTime: time.Now()}, []engine.Result{res}), nil
	}
}

func TestEnrolEvaluateDeliver(t *testing.T) {
	f := newFixture(t)
	a := f.agent(t, nil) // the real evaluation of the bundle
	if err := a.Enroll(context.Background(), "wrong"); err == nil {
		t.Fatal("enrolled with a wrong secret")
	}
	if err := a.Enroll(context.Background(), "s3cret"); err != nil {
		t.Fatal(err)
	}
	res, err := a.RunOnce(context.Background(), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if res.Evaluated != 1 || res.Delivered != 1 || res.Pending != 0 {
		t.Fatalf("cycle = %+v", res)
	}
	if len(f.rc.stored) != 1 {
		t.Fatalf("receiver has %d reports", len(f.rc.stored))
	}
	for _, rep := range f.rc.stored {
		ag := rep.Agent
		if ag.HostID != a.HostID() || ag.Sequence != 1 || ag.Assignment != "linux" || ag.Mode != "audit" || ag.Bundle == nil || ag.Bundle.Stale || !strings.HasPrefix(ag.Bundle.Revision, "sha256:") {
			t.Errorf("agent section = %+v %+v", ag, ag.Bundle)
		}
		if rep.Summary.Total != 1 || rep.Summary.Pass != 1 {
			t.Errorf("the bundle's one rule was not evaluated: %+v", rep.Summary)
		}
	}
	st := a.Status()
	if st.Sequence != 1 || st.LastDelivery.IsZero() || st.Spool.Depth != 0 {
		t.Errorf("status = %+v", st)
	}
}

// TestOutageKeepsReportsSpooled: while the receiver fails, reports stay in
// the spool (none lost); once it answers, each is stored exactly once, in
// order, and the sequence survives a restart of the agent.
func TestOutageKeepsReportsSpooled(t *testing.T) {
	f := newFixture(t)
	a := f.agent(t, fakeEval(engine.StatusPass))
	if err := a.Enroll(context.Background(), "s3cret"); err != nil {
		t.Fatal(err)
	}
	f.rc.failNext = 1000
	for i := 0; i < 3; i++ {
		res, err := a.RunOnce(context.Background(), 20*time.Millisecond)
		if err != nil {
			t.Fatal(err)
		}
		if res.Pending != i+1 {
			t.Fatalf("run %d: %d pending, want %d", i, res.Pending, i+1)
		}
		f.clock = f.clock.Add(15 * time.Minute)
	}
	if len(f.rc.stored) != 0 || f.rc.posts == 0 {
		t.Fatalf("stored %d, posts %d", len(f.rc.stored), f.rc.posts)
	}
	a.Close()

	// A new process: the spool and the sequence are still there.
	f.rc.failNext = 2 // two more failures, then success
	b := f.agent(t, fakeEval(engine.StatusPass))
	n, err := b.Drain(context.Background())
	if err != nil || n != 3 {
		t.Fatalf("drain = %d, %v", n, err)
	}
	res, err := b.RunOnce(context.Background(), time.Second)
	if err != nil || res.Delivered != 1 {
		t.Fatalf("run after restart = %+v, %v", res, err)
	}
	var seqs []int64
	for _, rep := range f.rc.stored {
		seqs = append(seqs, rep.Agent.Sequence)
	}
	if len(seqs) != 4 {
		t.Fatalf("stored %d reports, want 4", len(seqs))
	}
	seen := map[int64]bool{}
	for _, s := range seqs {
		seen[s] = true
	}
	for s := int64(1); s <= 4; s++ {
		if !seen[s] {
			t.Errorf("sequence %d missing: %v", s, seqs)
		}
	}
}

// TestStuckPackYieldsErrors: an evaluation that never returns is cut off
// at the assignment's timeout; its rules are reported as errors.
func TestStuckPackYieldsErrors(t *testing.T) {
	f := newFixture(t)
	f.cfg.Assignments[0].Timeout = 100 * time.Millisecond
	block := make(chan struct{})
	defer close(block)
	a := f.agent(t, func(ctx context.Context, as config.Assignment, b bundles.Bundle) (*report.Report, error) {
		<-block // ignores ctx, like a wedged collector
		return nil, nil
	})
	if err := a.Enroll(context.Background(), "s3cret"); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	res, err := a.RunOnce(context.Background(), 2*time.Second)
	if err != nil || res.Delivered != 1 {
		t.Fatalf("cycle = %+v, %v", res, err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("stuck pack held the agent for %s", d)
	}
	for _, rep := range f.rc.stored {
		if rep.ComplianceStatus != report.NonCompliant || rep.Summary.Error != 1 || rep.Rules[0].ID != "T-001" || !strings.Contains(rep.Rules[0].Error, "did not finish within 100ms") {
			t.Errorf("stuck pack report: %s %+v %+v", rep.ComplianceStatus, rep.Summary, rep.Rules)
		}
	}
}

// TestUnknownHostReenrols: a receiver that lost the host answers
// unknown_host; the agent enrols again and delivers.
func TestUnknownHostReenrols(t *testing.T) {
	f := newFixture(t)
	a := f.agent(t, fakeEval(engine.StatusFail))
	if err := a.Enroll(context.Background(), "s3cret"); err != nil {
		t.Fatal(err)
	}
	f.rc.unknown = true
	res, err := a.RunOnce(context.Background(), 2*time.Second)
	if err != nil || res.Delivered != 1 || len(f.rc.stored) != 1 {
		t.Fatalf("cycle = %+v, %v; stored %d", res, err, len(f.rc.stored))
	}
}

// TestStaleBundle: when the source has not confirmed the bundle for
// longer than the TTL, the last good bundle is still evaluated and the
// report says the policy is stale.
func TestStaleBundle(t *testing.T) {
	f := newFixture(t)
	a := f.agent(t, fakeEval(engine.StatusPass))
	if err := a.Enroll(context.Background(), "s3cret"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.RunOnce(context.Background(), time.Second); err != nil {
		t.Fatal(err)
	}
	f.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/bundles/linux" {
			w.WriteHeader(503)
			return
		}
		f.rc.ServeHTTP(w, r)
	})
	f.clock = f.clock.Add(15 * 24 * time.Hour)
	a.Close()
	b := f.agent(t, fakeEval(engine.StatusPass)) // a restarted agent: only the last good bundle
	res, err := b.RunOnce(context.Background(), time.Second)
	if err == nil || !strings.Contains(err.Error(), "fetch") {
		t.Errorf("a failed fetch must be reported: %v", err)
	}
	if res.Delivered != 1 {
		t.Fatalf("cycle = %+v", res)
	}
	stale := 0
	for _, rep := range f.rc.stored {
		if rep.Agent.Bundle.Stale {
			stale++
		}
	}
	if stale != 1 {
		t.Errorf("%d stale reports, want 1 (the one after the TTL)", stale)
	}
	if st := b.Status(); len(st.Stale) != 1 {
		t.Errorf("status stale = %v", st.Stale)
	}
}

// BenchmarkAgentAtRest: the agent's live heap between runs, after a
// cycle that fetched, evaluated, signed, spooled and delivered. The engine
// is built per run and dropped, so an idle agent holds only its state.
func BenchmarkAgentAtRest(b *testing.B) {
	linux, err := filepath.Abs("../../baselines/linux")
	if err != nil {
		b.Fatal(err)
	}
	b.Run("tiny-bundle", func(b *testing.B) { benchAtRest(b, "") })
	b.Run("default-baseline", func(b *testing.B) { benchAtRest(b, linux) })
}

func benchAtRest(b *testing.B, source string) {
	var heap, sys uint64
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		f := newFixture(b)
		if source != "" {
			f.cfg.Assignments[0].Source = source
		}
		a, err := New(Options{Config: f.cfg, ToolVersion: "test"})
		if err != nil {
			b.Fatal(err)
		}
		if err := a.Enroll(context.Background(), "s3cret"); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := a.RunOnce(context.Background(), 5*time.Second); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		runtime.GC()
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		heap, sys = ms.HeapInuse, ms.Sys
		a.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(heap)/(1<<20), "heap-MiB")
	b.ReportMetric(float64(sys)/(1<<20), "sys-MiB")
}

// TestRunFlushesOnShutdown: Run evaluates on start; when its context ends
// (SIGTERM) with a report still undelivered because the receiver was
// failing, delivery keeps trying for the grace period and the report
// arrives.
func TestRunFlushesOnShutdown(t *testing.T) {
	f := newFixture(t)
	f.cfg.Delivery.ShutdownGrace = 10 * time.Second
	a, err := New(Options{Config: f.cfg, ToolVersion: "test", Evaluate: fakeEval(engine.StatusPass)})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if err := a.Enroll(context.Background(), "s3cret"); err != nil {
		t.Fatal(err)
	}
	f.rc.mu.Lock()
	f.rc.failNext = 3
	f.rc.mu.Unlock()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	// Wait until the first report is spooled, then "SIGTERM".
	deadline := time.Now().Add(10 * time.Second)
	for a.Status().Sequence == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Run did not return after the grace period")
	}
	f.rc.mu.Lock()
	defer f.rc.mu.Unlock()
	if len(f.rc.stored) != 1 || f.rc.posts < 4 {
		t.Errorf("after shutdown: %d stored, %d posts; want the report delivered after 3 failures", len(f.rc.stored), f.rc.posts)
	}
	if st := a.Status(); st.Spool.Depth != 0 {
		t.Errorf("spool depth %d after the flush", st.Spool.Depth)
	}
}

// TestRefusedBundleIsReported: a tampered bundle from the source is
// refused, the last good one stays in use, and the next report (only
// that one) says what was refused.
func TestRefusedBundleIsReported(t *testing.T) {
	f := newFixture(t)
	a := f.agent(t, fakeEval(engine.StatusPass))
	if err := a.Enroll(context.Background(), "s3cret"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.RunOnce(context.Background(), time.Second); err != nil {
		t.Fatal(err)
	}
	f.rc.mu.Lock()
	good := f.rc.bundle
	bad := append([]byte(nil), good...)
	bad[len(bad)/2] ^= 0xff
	f.rc.bundle = bad
	f.rc.mu.Unlock()
	if _, err := a.RunOnce(context.Background(), time.Second); err == nil || !strings.Contains(err.Error(), "refused") {
		t.Errorf("a tampered bundle must be refused and reported: %v", err)
	}
	if _, err := a.RunOnce(context.Background(), time.Second); err == nil {
		t.Error("the source still offers the tampered bundle")
	}
	var refused []int64
	revisions := map[string]bool{}
	for _, rep := range f.rc.stored {
		revisions[rep.Agent.Bundle.Revision] = true
		if rep.Agent.Bundle.Refused != "" {
			refused = append(refused, rep.Agent.Sequence)
		}
	}
	if len(revisions) != 1 {
		t.Errorf("reports came from %d bundle revisions; the tampered one must never be used", len(revisions))
	}
	if len(refused) != 2 {
		t.Errorf("refusals recorded in reports %v; want one per refused fetch (reports 2 and 3)", refused)
	}
	if st := a.Status(); st.Bundles["linux"].LastError == "" {
		t.Error("status does not show the failed fetch")
	}
}
