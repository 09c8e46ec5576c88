package serve

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gcrun/gcrun/engine/result"
	"github.com/gcrun/gcrun/report"
	"github.com/gcrun/gcrun/runner/serve/store"
	"github.com/sirupsen/logrus"
	"github.com/sirupsen/logrus/hooks/test"
)

// t0 is the tests' "now".
var t0 = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

const testSecret = "s3cret-enrolment-token"

// clock is a settable clock for Options.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// env is a server under test behind a real TLS listener.
type env struct {
	t      testing.TB
	srv    *Server
	st     store.Store
	ts     *httptest.Server
	clock  *clock
	logs   *test.Hook
	client *http.Client
}

func newEnv(t testing.TB, st store.Store, edit func(*Options)) *env {
	t.Helper()
	c := &clock{t: t0}
	logger, hook := test.NewNullLogger()
	logger.SetLevel(logrus.DebugLevel)
	opts := Options{
		Store:        st,
		EnrollSecret: testSecret,
		Now:          c.Now,
		Logger:       logger,
	}
	if edit != nil {
		edit(&opts)
	}
	srv, err := NewServer(opts)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewTLSServer(srv.Handler())
	t.Cleanup(ts.Close)
	return &env{t: t, srv: srv, st: st, ts: ts, clock: c, logs: hook, client: ts.Client()}
}

// host is an enrolled test host.
type host struct {
	id   string
	pub  ed25519.PublicKey
	key  ed25519.PrivateKey
	name string
	seq  int64
}

func newKey(t testing.TB) (ed25519.PublicKey, ed25519.PrivateKey) {
	t.Helper()
	pub, key, err := report.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return pub, key
}

func pemOf(t testing.TB, pub ed25519.PublicKey) string {
	t.Helper()
	b, err := report.MarshalPublicKeyPEM(pub)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// enroll enrols a new host through the API.
func (e *env) enroll(name string) *host {
	e.t.Helper()
	pub, key := newKey(e.t)
	status, body := e.do("POST", "/v1/enroll", nil, mustJSON(e.t, EnrollRequest{
		Secret: testSecret, PublicKey: pemOf(e.t, pub), Hostname: name, MachineID: "mid-" + name,
	}))
	if status != http.StatusOK {
		e.t.Fatalf("enroll %s: %d %s", name, status, body)
	}
	var resp EnrollResponse
	if err := json.Unmarshal(body, &resp); err != nil {
		e.t.Fatal(err)
	}
	if resp.HostID != HostID(pub) {
		e.t.Fatalf("enroll: host id %q, want %q", resp.HostID, HostID(pub))
	}
	return &host{id: resp.HostID, pub: pub, key: key, name: name}
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// do sends a request and returns the status and body.
func (e *env) do(method, path string, hdr http.Header, body []byte) (int, []byte) {
	e.t.Helper()
	resp := e.doResp(method, path, hdr, body)
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		e.t.Fatal(err)
	}
	return resp.StatusCode, b
}

func (e *env) doResp(method, path string, hdr http.Header, body []byte) *http.Response {
	e.t.Helper()
	req, err := http.NewRequest(method, e.ts.URL+path, bytes.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	resp, err := e.client.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp
}

// rule is a test rule with its status.
type rule struct {
	id, severity string
	status       result.Status
	baseline     string // "linux" when empty
}

var defaultRules = []rule{
	{id: "GCL-SSH-001", severity: "high", status: result.StatusPass},
	{id: "GCL-SSH-002", severity: "medium", status: result.StatusFail},
	{id: "GCL-PKG-001", severity: "critical", status: result.StatusPass},
	{id: "GCL-PKG-002", severity: "low", status: result.StatusNotApplicable},
}

// reportSpec describes a report to build.
type reportSpec struct {
	hostID, reportID string
	seq              int64
	end              time.Time
	rules            []rule
	noAgent          bool
	assignment       string
}

// buildReport returns the report's JSON.
func buildReport(t testing.TB, sp reportSpec) []byte {
	t.Helper()
	rules := sp.rules
	if rules == nil {
		rules = defaultRules
	}
	var results []result.Result
	for _, r := range rules {
		res := result.Result{
			Rule:   &result.Rule{ID: r.id, Title: "Title of " + r.id, Severity: result.Severity(r.severity), Baseline: cmpOr2(r.baseline, "linux")},
			Status: r.status,
		}
		if r.status == result.StatusError {
			res.Error = "collector failed"
		}
		results = append(results, res)
	}
	rep := report.New(report.Meta{
		Tool: report.Tool{Name: "gcrun", Version: "test"},
		Host: report.Host{Hostname: "h", MachineID: "m", OS: report.OS{ID: "debian", VersionID: "12", Family: "debian"}},
		Root: "/",
		Baselines: []report.Baseline{{Name: "linux", Version: "1.0.0",
			Digest: "sha256:" + strings.Repeat("ab", 32)}},
		StartTime:  sp.end.Add(-time.Minute),
		EndTime:    sp.end,
		Collectors: []report.Collector{{Name: "ssh", Status: report.CollectorOK}},
	}, results)
	if !sp.noAgent {
		rep.Agent = &report.Agent{
			HostID: sp.hostID, ReportID: sp.reportID, Sequence: sp.seq,
			Assignment: cmpOr2(sp.assignment, "linux"), Mode: "audit",
		}
	}
	b, err := rep.JSON()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func cmpOr2(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func sign(t testing.TB, payload []byte, key ed25519.PrivateKey) []byte {
	t.Helper()
	env, err := report.Sign(payload, key)
	if err != nil {
		t.Fatal(err)
	}
	return env
}

// next returns a signed report of h with the next sequence number, ending
// at end.
func (h *host) next(t testing.TB, end time.Time, rules []rule) (id string, envelope []byte) {
	t.Helper()
	h.seq++
	id = fmt.Sprintf("r-%s-%d", h.id, h.seq)
	return id, sign(t, buildReport(t, reportSpec{hostID: h.id, reportID: id, seq: h.seq, end: end, rules: rules}), h.key)
}

func gz(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func ingestHeaders(hostID, reportID string) http.Header {
	h := http.Header{}
	h.Set("Content-Type", EnvelopeMediaType)
	h.Set("Content-Encoding", "gzip")
	if hostID != "" {
		h.Set("X-Gcrun-Host", hostID)
	}
	if reportID != "" {
		h.Set("Idempotency-Key", reportID)
	}
	return h
}

// deliver POSTs an envelope the way the agent does.
func (e *env) deliver(hostID, reportID string, envelope []byte) (int, []byte) {
	e.t.Helper()
	return e.do("POST", "/v1/reports", ingestHeaders(hostID, reportID), gz(e.t, envelope))
}

func decodeAck(t testing.TB, body []byte) Ack {
	t.Helper()
	var a Ack
	if err := json.Unmarshal(body, &a); err != nil {
		t.Fatalf("ack %s: %v", body, err)
	}
	return a
}

func errCode(t testing.TB, body []byte) string {
	t.Helper()
	var e errorBody
	if err := json.Unmarshal(body, &e); err != nil {
		t.Fatalf("error body %q: %v", body, err)
	}
	return e.Code
}

func reportCount(t testing.TB, st store.Store) int64 {
	t.Helper()
	_, n, _, err := st.Counts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// hostStoreRecord is h as the store keeps it.
func hostStoreRecord(h *host, hostname string) store.Host {
	return store.Host{
		ID: h.id, PublicKey: []byte(h.pub), KeyID: report.KeyID(h.pub),
		Hostname: hostname, EnrolledAt: t0,
	}
}
