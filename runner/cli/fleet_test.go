package cli

// System tests of the fleet loop: gcrun agent and gcrun serve, as the
// binary runs them, with faults injected between them, processes killed
// with SIGKILL, and a soak on SQLite and PostgreSQL. Every one ends by
// counting what the receiver's database holds: every report exactly once.

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/gcrun/gcrun/engine"
	"github.com/gcrun/gcrun/internal/oracle"
	"github.com/gcrun/gcrun/report"
	"github.com/gcrun/gcrun/runner"
	"github.com/gcrun/gcrun/runner/agent"
	"github.com/gcrun/gcrun/runner/agent/config"
	"github.com/gcrun/gcrun/runner/agent/deliver"
	"github.com/gcrun/gcrun/runner/agent/identity"
	"github.com/gcrun/gcrun/runner/serve/store"
)

// envMainArgs makes this test binary run cli.Main with the given JSON
// argument list and exit: a real gcrun process that a test can SIGKILL.
const envMainArgs = "GCRUN_TEST_MAIN_ARGS"

func TestMain(m *testing.M) {
	if raw := os.Getenv(envMainArgs); raw != "" {
		var args []string
		if err := json.Unmarshal([]byte(raw), &args); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(99)
		}
		ctx, stop := signalContext()
		code := Main(ctx, args, IO{Stdout: os.Stdout, Stderr: os.Stderr}, "v0.0.0-test")
		stop()
		os.Exit(code)
	}
	os.Exit(m.Run())
}

func signalContext() (context.Context, func()) {
	ctx, cancel := context.WithCancel(context.Background())
	return ctx, cancel
}

// gcrunProcess starts gcrun as a child process.
func gcrunProcess(t *testing.T, logf string, args ...string) *exec.Cmd {
	t.Helper()
	raw, _ := json.Marshal(args)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), envMainArgs+"="+string(raw))
	out, err := os.OpenFile(logf, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		out.Close()
	})
	return cmd
}

// freeAddr is a loopback address with a free port.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// serverCert writes a self-signed certificate for 127.0.0.1.
func serverCert(t *testing.T, dir string) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: "gcrun serve test"},
		NotBefore:    time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:    x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA: true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, _ := x509.MarshalPKCS8PrivateKey(key)
	certFile, keyFile = filepath.Join(dir, "serve.crt"), filepath.Join(dir, "serve.key")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder}), 0o600)
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

// fleet is a receiver, a signed bundle and what an agent needs to use them.
type fleet struct {
	dir       string
	addr      string // serve's listen address
	db        string
	certFile  string
	keyFile   string
	pool      *x509.CertPool
	secret    string
	bundlePub string
	serveArgs []string
}

func newFleet(t *testing.T, db string) *fleet {
	t.Helper()
	dir := t.TempDir()
	f := &fleet{dir: dir, addr: freeAddr(t), secret: filepath.Join(dir, "enroll.secret"), bundlePub: filepath.Join(dir, "bundle.pub")}
	f.certFile, f.keyFile, f.pool = serverCert(t, dir)
	os.WriteFile(f.secret, []byte("fleet-secret-0123456789\n"), 0o600)
	// A tiny signed pack, served by the receiver itself.
	pack := filepath.Join(dir, "pack")
	os.MkdirAll(pack, 0o755)
	os.WriteFile(filepath.Join(pack, "pack.yaml"), []byte("name: tiny\nversion: 1.0.0\ndescription: fleet test pack\n"), 0o644)
	os.WriteFile(filepath.Join(pack, "rule.rego"), []byte("# METADATA\n# title: Always passes\n# description: A test rule.\n# custom:\n#   id: T-001\n#   severity: low\npackage tiny.always\n\ndeny := set()\n"), 0o644)
	pub, priv, _ := report.GenerateKey()
	privPEM, _ := report.MarshalPrivateKeyPEM(priv)
	pubPEM, _ := report.MarshalPublicKeyPEM(pub)
	os.WriteFile(f.bundlePub, pubPEM, 0o644)
	os.MkdirAll(filepath.Join(dir, "bundles"), 0o755)
	var bundle bytes.Buffer
	if _, err := runner.BuildBundle(&bundle, pack, runner.BuildBundleOptions{SigningKey: privPEM}); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "bundles", "tiny.tar.gz"), bundle.Bytes(), 0o644)
	f.db = db
	if f.db == "" {
		f.db = filepath.Join(dir, "gcrun.db")
	}
	f.serveArgs = []string{"serve", "--listen", f.addr, "--tls-cert", f.certFile, "--tls-key", f.keyFile, "--db", f.db,
		"--enroll-secret-file", f.secret, "--bundles", filepath.Join(dir, "bundles"), "--log-level", "info"}
	return f
}

func (f *fleet) url() string { return "https://" + f.addr }

func (f *fleet) client() *http.Client {
	return &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: f.pool}}}
}

// startServe runs gcrun serve as a child process and waits until it answers.
func (f *fleet) startServe(t *testing.T) *exec.Cmd {
	t.Helper()
	cmd := gcrunProcess(t, filepath.Join(f.dir, "serve.log"), f.serveArgs...)
	f.waitHealthy(t)
	return cmd
}

func (f *fleet) waitHealthy(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := f.client().Get(f.url() + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	log, _ := os.ReadFile(filepath.Join(f.dir, "serve.log"))
	t.Fatalf("gcrun serve did not come up:\n%s", log)
}

// agentConfig writes an agent configuration for server (the receiver or a
// proxy in front of it) and returns its path.
func (f *fleet) agentConfig(t *testing.T, name, server string, extra string) string {
	t.Helper()
	ca := filepath.Join(f.dir, "ca.pem")
	certPEM, _ := os.ReadFile(f.certFile)
	os.WriteFile(ca, certPEM, 0o644)
	state := filepath.Join(f.dir, "agent-"+name)
	cfg := fmt.Sprintf(`server: %s
state_dir: %s
root: %s
enrollment_secret_file: %s
tls:
  ca_file: %s
verification_key: %s
assignments:
  - name: tiny
    source: %s/v1/bundles/tiny
    mode: audit
    timeout: 1m
delivery:
  timeout: 2s
  backoff_min: 10ms
  backoff_max: 100ms
%s`, server, state, f.dir, f.secret, ca, f.bundlePub, server, extra)
	p := filepath.Join(f.dir, "agent-"+name+".yaml")
	os.WriteFile(p, []byte(cfg), 0o644)
	return p
}

func (f *fleet) counts(t *testing.T) (hosts, reports, results int64) {
	t.Helper()
	st, err := store.Open(context.Background(), f.db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	h, r, res, err := st.Counts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return h, r, res
}

// storedIDs lists the report ids stored for every host, and fails on a
// duplicate.
func (f *fleet) storedIDs(t *testing.T) map[string]int64 {
	t.Helper()
	st, err := store.Open(context.Background(), f.db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	hosts, err := st.Hosts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, h := range hosts {
		rs, err := st.HostReports(context.Background(), h.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			if _, dup := out[r.ID]; dup {
				t.Errorf("report %s stored twice", r.ID)
			}
			out[r.ID] = r.Sequence
		}
	}
	return out
}

// faultProxy is a TLS reverse proxy in front of the receiver that breaks
// report deliveries in the ways networks do.
type faultProxy struct {
	srv     *httptest.Server
	target  *url.URL
	client  *http.Client
	posts   atomic.Int64
	faults  []string // per report POST, in order: "", "500", "drop" (close before forwarding), "cut" (forward, then cut the answer), "slow" (forward, answer after the agent gave up)
	mu      sync.Mutex
	forward atomic.Int64
}

func newFaultProxy(t *testing.T, f *fleet, faults ...string) *faultProxy {
	t.Helper()
	u, _ := url.Parse(f.url())
	p := &faultProxy{target: u, client: f.client(), faults: faults}
	p.srv = httptest.NewUnstartedServer(http.HandlerFunc(p.serve))
	p.srv.TLS = &tls.Config{}
	cert, err := tls.LoadX509KeyPair(f.certFile, f.keyFile)
	if err != nil {
		t.Fatal(err)
	}
	p.srv.TLS.Certificates = []tls.Certificate{cert}
	p.srv.StartTLS()
	t.Cleanup(p.srv.Close)
	return p
}

func (p *faultProxy) serve(w http.ResponseWriter, r *http.Request) {
	fault := ""
	if r.URL.Path == "/v1/reports" {
		n := int(p.posts.Add(1)) - 1
		if n < len(p.faults) {
			fault = p.faults[n]
		}
	}
	switch fault {
	case "500":
		http.Error(w, `{"error":"injected","code":"internal"}`, 500)
		return
	case "drop":
		hijackClose(w)
		return
	}
	body, _ := io.ReadAll(r.Body)
	req, _ := http.NewRequestWithContext(context.Background(), r.Method, p.target.String()+r.URL.RequestURI(), bytes.NewReader(body))
	req.Header = r.Header.Clone()
	resp, err := p.client.Do(req)
	if err != nil {
		http.Error(w, err.Error(), 502)
		return
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	p.forward.Add(1)
	switch fault {
	case "cut":
		// The receiver committed; the acknowledgement never arrives.
		hijackClose(w)
		return
	case "slow":
		time.Sleep(3 * time.Second) // the agent's timeout is 2s
	}
	for k, v := range resp.Header {
		w.Header()[k] = v
	}
	w.WriteHeader(resp.StatusCode)
	w.Write(out)
}

func hijackClose(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if c, _, err := hj.Hijack(); err == nil {
			c.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

// connectProxy is a forward proxy (CONNECT) that counts tunnels.
func connectProxy(t *testing.T) (*httptest.Server, *atomic.Int64) {
	var tunnels atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodConnect {
			http.Error(w, "CONNECT only", 405)
			return
		}
		dst, err := net.Dial("tcp", r.Host)
		if err != nil {
			http.Error(w, err.Error(), 502)
			return
		}
		tunnels.Add(1)
		c, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			dst.Close()
			return
		}
		// Written on the raw connection: a WriteHeader before Hijack
		// may stay in the handler's buffer.
		if _, err := c.Write([]byte("HTTP/1.1 200 Connection established\r\n\r\n")); err != nil {
			c.Close()
			dst.Close()
			return
		}
		go func() { io.Copy(dst, c); dst.Close() }()
		go func() { io.Copy(c, dst); c.Close() }()
	}))
	t.Cleanup(srv.Close)
	return srv, &tunnels
}

func newAgent(t *testing.T, cfgPath string) *agent.Agent {
	t.Helper()
	cfg, err := config.LoadConfig(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	a, err := agent.New(agent.Options{Config: cfg, ToolVersion: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestFleetFaultsLoseNothing: an agent delivers through a proxy that
// refuses, drops connections, cuts acknowledgements after the receiver
// committed, and answers too late; then through a CONNECT proxy; then to a
// receiver with a certificate it must not trust. Every report the agent
// made is stored exactly once, and nothing is left in its spool.
func TestFleetFaultsLoseNothing(t *testing.T) {
	f := newFleet(t, "")
	f.startServe(t)
	px := newFaultProxy(t, f, "500", "drop", "cut", "", "slow", "", "cut")
	cfgPath := f.agentConfig(t, "a", px.srv.URL, "")
	a := newAgent(t, cfgPath)
	defer a.Close()
	ctx := context.Background()
	if err := a.Enroll(ctx, "fleet-secret-0123456789"); err != nil {
		t.Fatal(err)
	}
	const runs = 5
	for i := 0; i < runs; i++ {
		if _, err := a.RunOnce(ctx, 30*time.Second); err != nil {
			t.Fatalf("run %d: %v", i, err)
		}
	}
	if st := a.Status(); st.Spool.Depth != 0 || st.Sequence != runs {
		t.Fatalf("agent status after the faults: %+v", st)
	}
	ids := f.storedIDs(t)
	if len(ids) != runs {
		t.Fatalf("receiver stored %d reports, want %d: %v", len(ids), runs, ids)
	}
	if px.posts.Load() < int64(runs+len(px.faults)-2) {
		t.Errorf("only %d deliveries went through the proxy: the faults were not all exercised", px.posts.Load())
	}

	// Through a forward proxy named in the configuration.
	fwd, tunnels := connectProxy(t)
	a.Close()
	cfgPath = f.agentConfig(t, "a", f.url(), "proxy: "+fwd.URL+"\n")
	a = newAgent(t, cfgPath)
	if _, err := a.RunOnce(ctx, 30*time.Second); err != nil {
		t.Fatal(err)
	}
	if tunnels.Load() == 0 {
		t.Error("the configured proxy was not used")
	}

	// A receiver whose certificate the agent does not trust: nothing
	// is delivered, nothing is lost; with the right CA it goes through.
	a.Close()
	other := httptest.NewTLSServer(http.NotFoundHandler())
	defer other.Close()
	u, _ := url.Parse(other.URL)
	cfgPath = f.agentConfig(t, "a", "https://"+u.Host, "")
	a = newAgent(t, cfgPath)
	res, _ := a.RunOnce(ctx, 200*time.Millisecond)
	if res.Delivered != 0 || res.Pending != 1 {
		t.Errorf("untrusted receiver: %+v", res)
	}
	a.Close()
	cfgPath = f.agentConfig(t, "a", f.url(), "")
	a = newAgent(t, cfgPath)
	defer a.Close()
	if n, err := a.Drain(ctx); err != nil || n != 1 {
		t.Fatalf("drain to the right receiver: %d, %v", n, err)
	}
	ids = f.storedIDs(t)
	if len(ids) != runs+2 {
		t.Errorf("receiver stored %d reports, want %d", len(ids), runs+2)
	}
	seqs := map[int64]bool{}
	for _, s := range ids {
		seqs[s] = true
	}
	for s := int64(1); s <= runs+2; s++ {
		if !seqs[s] {
			t.Errorf("sequence %d missing from the receiver", s)
		}
	}
}

// TestKillAgentBeforeAcknowledgement: the agent process is SIGKILLed after
// the receiver committed its report and before the acknowledgement reached
// it; the next run delivers the spooled report again, and the receiver
// stores it once.
func TestKillAgentBeforeAcknowledgement(t *testing.T) {
	f := newFleet(t, "")
	f.startServe(t)
	committed := make(chan struct{}, 10)
	release := make(chan struct{})
	defer close(release)
	px := newFaultProxy(t, f)
	px.faults = []string{"hold"}
	inner := px.srv.Config.Handler
	px.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/reports" && px.posts.Load() == 0 {
			px.posts.Add(1)
			body, _ := io.ReadAll(r.Body)
			req, _ := http.NewRequest(r.Method, f.url()+r.URL.RequestURI(), bytes.NewReader(body))
			req.Header = r.Header.Clone()
			resp, err := px.client.Do(req)
			if err == nil {
				resp.Body.Close()
			}
			committed <- struct{}{}
			// The answer never comes: the agent is killed first.
			select {
			case <-release:
			case <-time.After(time.Minute):
			}
			return
		}
		inner.ServeHTTP(w, r)
	})
	cfgPath := f.agentConfig(t, "k", px.srv.URL, "")
	// The delivery timeout must outlast the kill.
	data, _ := os.ReadFile(cfgPath)
	os.WriteFile(cfgPath, bytes.Replace(data, []byte("timeout: 2s"), []byte("timeout: 30s"), 1), 0o644)
	enroll := gcrunProcess(t, filepath.Join(f.dir, "agent.log"), "agent", "enroll", "--config", cfgPath)
	if err := enroll.Wait(); err != nil {
		log, _ := os.ReadFile(filepath.Join(f.dir, "agent.log"))
		t.Fatalf("enroll: %v\n%s", err, log)
	}
	ag := gcrunProcess(t, filepath.Join(f.dir, "agent.log"), "agent", "--once", "--config", cfgPath)
	select {
	case <-committed:
	case <-time.After(60 * time.Second):
		log, _ := os.ReadFile(filepath.Join(f.dir, "agent.log"))
		t.Fatalf("the agent never delivered:\n%s", log)
	}
	if err := ag.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	ag.Wait()
	if ids := f.storedIDs(t); len(ids) != 1 {
		t.Fatalf("receiver has %d reports after the first delivery", len(ids))
	}
	spooled, _ := filepath.Glob(filepath.Join(f.dir, "agent-k", "spool", "*.json.gz"))
	if len(spooled) != 1 {
		t.Fatalf("%d reports spooled after the kill, want 1 (unacknowledged)", len(spooled))
	}
	again := gcrunProcess(t, filepath.Join(f.dir, "agent.log"), "agent", "--once", "--config", cfgPath)
	if err := again.Wait(); err != nil {
		log, _ := os.ReadFile(filepath.Join(f.dir, "agent.log"))
		t.Fatalf("second run: %v\n%s", err, log)
	}
	ids := f.storedIDs(t)
	if len(ids) != 2 {
		t.Fatalf("receiver has %d reports, want 2 (the re-delivered one once, the new one)", len(ids))
	}
	spooled, _ = filepath.Glob(filepath.Join(f.dir, "agent-k", "spool", "*.json.gz"))
	if len(spooled) != 0 {
		t.Errorf("%d reports still spooled", len(spooled))
	}
}

// simHost is a simulated agent: a key, an enrolment, and signed reports.
type simHost struct {
	id   *identity.Identity
	seq  int64
	name string
}

func newSimHost(t testing.TB, f *fleet, c *http.Client, i int) *simHost {
	dir := filepath.Join(f.dir, fmt.Sprintf("sim-%03d", i))
	id, err := identity.LoadOrCreate(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := identity.Enroll(context.Background(), c, f.url(), "fleet-secret-0123456789", id, fmt.Sprintf("sim-%03d", i), ""); err != nil {
		t.Fatal(err)
	}
	return &simHost{id: id, name: fmt.Sprintf("sim-%03d", i)}
}

// next is the host's next signed report (rules statuses vary by sequence).
func (h *simHost) next(t testing.TB, rules int) (string, []byte) {
	h.seq++
	var results []engine.Result
	for i := 0; i < rules; i++ {
		rule := engine.Rule{ID: fmt.Sprintf("SIM-%03d", i), Title: "simulated rule", Severity: engine.SeverityMedium, Baseline: "sim"}
		res := engine.Result{Rule: &rule, Status: engine.StatusPass}
		if (int(h.seq)+i)%7 == 0 {
			res.Status, res.Reasons = engine.StatusFail, []engine.Reason{{Code: "c", Phrase: "simulated failure"}}
		}
		results = append(results, res)
	}
	end := time.Now().UTC()
	rep := report.New(report.Meta{Tool: report.Tool{Name: "gcrun", Version: "test"}, Host: report.Host{Hostname: h.name}, Root: "/",
		Baselines: []report.Baseline{{Name: "sim", Version: "1.0.0", Digest: "sha256:" + strings.Repeat("ab", 32)}},
		StartTime: end.Add(-time.Second), EndTime: end}, results)
	id := fmt.Sprintf("%s-%06d", h.name, h.seq)
	rep.Agent = &report.Agent{HostID: h.id.CurrentHostID(), ReportID: id, Sequence: h.seq, Assignment: "sim", Mode: "audit"}
	payload, err := rep.JSON()
	if err != nil {
		t.Fatal(err)
	}
	env, err := h.id.Sign(payload)
	if err != nil {
		t.Fatal(err)
	}
	return id, env
}

// deliverUntilAcked sends like the agent's drain: until acknowledged.
func deliverUntilAcked(ctx context.Context, d *deliver.Deliverer, id string, env []byte) error {
	for attempt := 0; ; attempt++ {
		res, err := d.Send(ctx, id, env)
		if err == nil && res.Outcome.Acknowledged() {
			return nil
		}
		if res.Outcome == deliver.Rejected || res.Outcome == deliver.Revoked || res.Outcome == deliver.UnknownHost {
			return fmt.Errorf("%s: %v %s %v", id, res.Outcome, res.Reason, err)
		}
		wait := max(deliver.Backoff(attempt, 5*time.Millisecond, 200*time.Millisecond, func() float64 { return 0.5 }), res.RetryAfter)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(min(wait, time.Second)):
		}
	}
}

// soak sends reports from hosts concurrently, each host in sequence
// order, until every one is acknowledged.
func soak(t *testing.T, f *fleet, hosts, perHost, rules int, during func(done *atomic.Int64)) {
	t.Helper()
	c := f.client()
	sims := make([]*simHost, hosts)
	for i := range sims {
		sims[i] = newSimHost(t, f, c, i)
	}
	var done atomic.Int64
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var wg sync.WaitGroup
	errs := make(chan error, hosts)
	for _, h := range sims {
		wg.Add(1)
		go func(h *simHost) {
			defer wg.Done()
			d := &deliver.Deliverer{Client: c, Server: f.url(), HostID: h.id.CurrentHostID}
			for i := 0; i < perHost; i++ {
				id, env := h.next(t, rules)
				if err := deliverUntilAcked(ctx, d, id, env); err != nil {
					errs <- err
					return
				}
				done.Add(1)
			}
		}(h)
	}
	if during != nil {
		during(&done)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if t.Failed() {
		return
	}
	nh, nr, nres := f.counts(t)
	if nh != int64(hosts) || nr != int64(hosts*perHost) || nres != int64(hosts*perHost*rules) {
		t.Errorf("database holds %d hosts, %d reports, %d results; want %d, %d, %d", nh, nr, nres, hosts, hosts*perHost, hosts*perHost*rules)
	}
	if ids := f.storedIDs(t); len(ids) != hosts*perHost {
		t.Errorf("%d distinct reports stored, want %d", len(ids), hosts*perHost)
	}
}

// TestKillReceiverMidTransaction: gcrun serve on SQLite is SIGKILLed while
// hosts deliver, and started again; every report ends up stored exactly
// once.
func TestKillReceiverMidTransaction(t *testing.T) {
	f := newFleet(t, "")
	srv := f.startServe(t)
	soak(t, f, 5, 40, 20, func(done *atomic.Int64) {
		for done.Load() < 60 {
			time.Sleep(5 * time.Millisecond)
		}
		srv.Process.Signal(syscall.SIGKILL)
		srv.Wait()
		time.Sleep(200 * time.Millisecond) // senders see connection refused
		f.startServe(t)
	})
}

// TestSoak: 1,000 reports from 50 simulated hosts through gcrun serve, on
// SQLite and on a real PostgreSQL (GCRUN_TEST_POSTGRES; .ci/run starts one).
func TestSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("soak")
	}
	t.Run("sqlite", func(t *testing.T) {
		f := newFleet(t, "")
		f.startServe(t)
		soak(t, f, 50, 20, 20, nil)
	})
	t.Run("postgres", func(t *testing.T) {
		dsn := os.Getenv("GCRUN_TEST_POSTGRES")
		if dsn == "" {
			oracle.Missing(t, "GCRUN_TEST_POSTGRES is not set (a postgres:// URL of a test database)")
			return
		}
		dsn = freshSchema(t, dsn)
		f := newFleet(t, dsn)
		f.startServe(t)
		soak(t, f, 50, 20, 20, nil)
	})
}

// freshSchema creates a schema of its own for the test and returns the DSN
// that uses it.
func freshSchema(t *testing.T, dsn string) string {
	t.Helper()
	var b [6]byte
	rand.Read(b[:])
	schema := fmt.Sprintf("gcrun_soak_%x", b)
	if out, err := exec.Command("psql", dsn, "-v", "ON_ERROR_STOP=1", "-qc", "CREATE SCHEMA "+schema).CombinedOutput(); err != nil {
		oracle.Missing(t, fmt.Sprintf("psql: %v: %s", err, out))
	}
	t.Cleanup(func() { exec.Command("psql", dsn, "-qc", "DROP SCHEMA "+schema+" CASCADE").Run() })
	u, _ := url.Parse(dsn)
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// TestSpoolExportImport: a host without connectivity exports its spool to
// a file; gcrun serve import ingests it through the verified, idempotent
// path, and importing it again stores nothing twice.
func TestSpoolExportImport(t *testing.T) {
	f := newFleet(t, "")
	srv := f.startServe(t)
	cfgPath := f.agentConfig(t, "x", f.url(), "")
	run(t, nil, "agent", "enroll", "--config", cfgPath).want(t, 0)
	run(t, nil, "agent", "--once", "--config", cfgPath).want(t, 0) // fetches the bundle
	// The receiver goes away; two runs spool their reports.
	srv.Process.Signal(syscall.SIGKILL)
	srv.Wait()
	for range 2 {
		run(t, nil, "agent", "--once", "--deliver-for", "100ms", "--config", cfgPath).want(t, 1, "connection refused")
	}
	st := run(t, nil, "agent", "status", "--format", "json", "--config", cfgPath)
	st.want(t, 0)
	var status agent.Status
	if err := json.Unmarshal([]byte(st.stdout), &status); err != nil {
		t.Fatal(err)
	}
	if status.Spool.Depth != 2 || status.Sequence != 3 || status.ConsecutiveFailures == 0 {
		t.Fatalf("status = %+v", status)
	}
	export := filepath.Join(f.dir, "reports.export")
	run(t, nil, "spool", "export", "--config", cfgPath, "-o", export).want(t, 0)

	imp := run(t, nil, "serve", "import", "--db", f.db, export)
	imp.want(t, 0)
	if !strings.Contains(imp.stdout, "2 stored, 0 duplicate(s), 0 refused") {
		t.Errorf("import: %s", imp.stdout)
	}
	again := run(t, nil, "serve", "import", "--db", f.db, export)
	if !strings.Contains(again.stdout, "0 stored, 2 duplicate(s)") {
		t.Errorf("second import: %s", again.stdout)
	}
	if ids := f.storedIDs(t); len(ids) != 3 {
		t.Errorf("receiver has %d reports, want 3", len(ids))
	}
	// Back online: the spooled copies are acknowledged as duplicates.
	f.startServe(t)
	run(t, nil, "agent", "--once", "--config", cfgPath).want(t, 0)
	if ids := f.storedIDs(t); len(ids) != 4 {
		t.Errorf("receiver has %d reports after reconnecting, want 4", len(ids))
	}
	hosts := run(t, nil, "serve", "hosts", "list", "--db", f.db)
	hosts.want(t, 0)
	if !strings.Contains(hosts.stdout, status.HostID) {
		t.Errorf("hosts list:\n%s", hosts.stdout)
	}
}
