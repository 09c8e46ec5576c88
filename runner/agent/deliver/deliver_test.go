package deliver

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const (
	testID   = "r-20250301T120000Z-0001"
	testHost = "h-0123456789abcdef"
)

var testEnvelope = []byte(`{
  "payloadType": "application/vnd.gcrun.report+json",
  "payload": "eyJzY2hlbWFWZXJzaW9uIjoiMSJ9",
  "signatures": [{"keyid": "abc", "sig": "c2ln"}]
}
`)

var testNow = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// request is what a test receiver saw of one request.
type request struct {
	Method, Path, ContentType, ContentEncoding, IdempotencyKey, Host string
	Body                                                             []byte
	BodyErr                                                          string
}

// receiver is a TLS test server recording requests.
type receiver struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []request
}

func newReceiver(t *testing.T, respond func(w http.ResponseWriter, r *http.Request)) *receiver {
	t.Helper()
	rc := &receiver{}
	rc.Server = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := request{
			Method: r.Method, Path: r.URL.Path, ContentType: r.Header.Get("Content-Type"),
			ContentEncoding: r.Header.Get("Content-Encoding"), IdempotencyKey: r.Header.Get("Idempotency-Key"),
			Host: r.Header.Get("X-Gcrun-Host"),
		}
		if zr, err := gzip.NewReader(r.Body); err != nil {
			got.BodyErr = err.Error()
		} else if got.Body, err = io.ReadAll(zr); err != nil {
			got.BodyErr = err.Error()
		}
		rc.mu.Lock()
		rc.reqs = append(rc.reqs, got)
		rc.mu.Unlock()
		respond(w, r)
	}))
	t.Cleanup(rc.Close)
	return rc
}

func (rc *receiver) requests() []request {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]request(nil), rc.reqs...)
}

func (rc *receiver) deliverer() *Deliverer {
	return &Deliverer{
		Client: rc.Client(), Server: rc.URL,
		HostID: func() string { return testHost },
		Now:    func() time.Time { return testNow },
	}
}

// ackHandler acknowledges every report with seq.
func ackHandler(seq int64, duplicate bool) func(w http.ResponseWriter, r *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"id": %q, "seq": %d, "duplicate": %v}`, r.Header.Get("Idempotency-Key"), seq, duplicate)
	}
}

func wantRequest(path string) request {
	return request{
		Method: http.MethodPost, Path: path, ContentType: ContentType, ContentEncoding: "gzip",
		IdempotencyKey: testID, Host: testHost, Body: testEnvelope,
	}
}

func TestSendAcked(t *testing.T) {
	rc := newReceiver(t, ackHandler(42, false))
	d := rc.deliverer()
	res, err := d.Send(context.Background(), testID, testEnvelope)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(Result{Outcome: Acked, StoredSeq: 42}, res); diff != "" {
		t.Errorf("Send (-want +got):\n%s", diff)
	}
	if !res.Outcome.Acknowledged() {
		t.Error("Acked is not Acknowledged")
	}
	if diff := cmp.Diff([]request{wantRequest("/v1/reports")}, rc.requests()); diff != "" {
		t.Errorf("request (-want +got):\n%s", diff)
	}

	// A base URL with a trailing slash or a path prefix.
	d.Server = rc.URL + "/"
	if res, err := d.Send(context.Background(), testID, testEnvelope); err != nil || res.Outcome != Acked {
		t.Errorf("Send with a trailing slash = %+v, %v", res, err)
	}
	d.Server = rc.URL + "/gcrun"
	if res, err := d.Send(context.Background(), testID, testEnvelope); err != nil || res.Outcome != Acked {
		t.Errorf("Send with a path prefix = %+v, %v", res, err)
	}
	reqs := rc.requests()
	if reqs[1].Path != "/v1/reports" || reqs[2].Path != "/gcrun/v1/reports" {
		t.Errorf("paths %q, %q; want /v1/reports, /gcrun/v1/reports", reqs[1].Path, reqs[2].Path)
	}
}

func TestSendStatuses(t *testing.T) {
	retryDate := testNow.Add(90 * time.Second).Format(http.TimeFormat)
	pastDate := testNow.Add(-time.Hour).Format(http.TimeFormat)
	bigAck := `{"id": "` + testID + `", "seq": 1, "pad": "` + strings.Repeat("x", MaxResponseBody) + `"}`
	tests := []struct {
		name   string
		status int
		header map[string]string
		body   string
		want   Result
	}{
		{name: "acked", status: 200, body: `{"id": "` + testID + `", "seq": 7, "duplicate": false}`,
			want: Result{Outcome: Acked, StoredSeq: 7}},
		{name: "duplicate", status: 200, body: `{"id": "` + testID + `", "seq": 3, "duplicate": true}`,
			want: Result{Outcome: Duplicate, StoredSeq: 3}},
		{name: "ack of another id", status: 200, body: `{"id": "r-other", "seq": 7, "duplicate": false}`,
			want: Result{Outcome: Retry, Reason: `200 acknowledging report "r-other", not "` + testID + `": not an acknowledgement`}},
		{name: "ack without id", status: 200, body: `{"seq": 7}`,
			want: Result{Outcome: Retry, Reason: "200 without the report id: not an acknowledgement"}},
		{name: "ack without seq", status: 200, body: `{"id": "` + testID + `"}`,
			want: Result{Outcome: Retry, Reason: "200 with store sequence 0: not an acknowledgement"}},
		{name: "ack not JSON", status: 200, body: `OK`,
			want: Result{Outcome: Retry, Reason: "200 with a body that is not an acknowledgement: invalid character 'O' looking for beginning of value"}},
		{name: "ack too large", status: 200, body: bigAck,
			want: Result{Outcome: Retry, Reason: fmt.Sprintf("200 OK: response larger than %d bytes", MaxResponseBody)}},
		{name: "202", status: 202, body: `{"id": "` + testID + `", "seq": 7}`,
			want: Result{Outcome: Retry, Reason: "unexpected 202 Accepted: not an acknowledgement"}},
		{name: "unknown host", status: 401, body: `{"error": "host h-1 is not enrolled", "code": "unknown_host"}`,
			want: Result{Outcome: UnknownHost, Reason: "401 unknown_host: host h-1 is not enrolled"}},
		{name: "401 of a proxy", status: 401, body: `Proxy login required`,
			want: Result{Outcome: Retry, Reason: "401 no_code: Proxy login required"}},
		{name: "revoked", status: 403, body: `{"error": "host revoked", "code": "revoked"}`,
			want: Result{Outcome: Revoked, Reason: "403 revoked: host revoked"}},
		{name: "403 other", status: 403, body: `{"error": "denied by policy", "code": "waf"}`,
			want: Result{Outcome: Retry, Reason: "403 waf: denied by policy"}},
		{name: "bad report", status: 400, body: `{"error": "signature does not verify", "code": "bad_report"}`,
			want: Result{Outcome: Rejected, Reason: "400 bad_report: signature does not verify"}},
		{name: "replay", status: 409, body: `{"error": "sequence 3 not above 9", "code": "replay"}`,
			want: Result{Outcome: Rejected, Reason: "409 replay: sequence 3 not above 9"}},
		{name: "too large", status: 413, body: `{"error": "more than 8388608 bytes", "code": "too_large"}`,
			want: Result{Outcome: Rejected, Reason: "413 too_large: more than 8388608 bytes"}},
		{name: "404 without JSON", status: 404, body: "404 page not found\n",
			want: Result{Outcome: Rejected, Reason: "404 no_code: 404 page not found"}},
		{name: "422 empty", status: 422,
			want: Result{Outcome: Rejected, Reason: "422 no_code: Unprocessable Entity"}},
		{name: "408", status: 408, body: `{"error": "slow", "code": "timeout"}`,
			want: Result{Outcome: Retry, Reason: "408 timeout: slow"}},
		{name: "429 retry-after seconds", status: 429, header: map[string]string{"Retry-After": "7"},
			body: `{"error": "busy", "code": "overloaded"}`,
			want: Result{Outcome: Retry, RetryAfter: 7 * time.Second, Reason: "429 overloaded: busy"}},
		{name: "503 retry-after date", status: 503, header: map[string]string{"Retry-After": retryDate},
			want: Result{Outcome: Retry, RetryAfter: 90 * time.Second, Reason: "503 no_code: Service Unavailable"}},
		{name: "500 retry-after capped", status: 500, header: map[string]string{"Retry-After": "99999"},
			body: `{"error": "db down", "code": "internal"}`,
			want: Result{Outcome: Retry, RetryAfter: time.Hour, Reason: "500 internal: db down"}},
		{name: "502 retry-after garbage", status: 502, header: map[string]string{"Retry-After": "soon"},
			want: Result{Outcome: Retry, Reason: "502 no_code: Bad Gateway"}},
		{name: "503 retry-after in the past", status: 503, header: map[string]string{"Retry-After": pastDate},
			want: Result{Outcome: Retry, Reason: "503 no_code: Service Unavailable"}},
		{name: "error message with control characters", status: 400, body: "{\"error\": \"bad\\u001b[31m report\", \"code\": \"bad_report\"}",
			want: Result{Outcome: Rejected, Reason: "400 bad_report: bad [31m report"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc := newReceiver(t, func(w http.ResponseWriter, r *http.Request) {
				for k, v := range tt.header {
					w.Header().Set(k, v)
				}
				w.WriteHeader(tt.status)
				io.WriteString(w, tt.body)
			})
			res, err := rc.deliverer().Send(context.Background(), testID, testEnvelope)
			if err != nil {
				t.Fatalf("Send: %v", err)
			}
			if diff := cmp.Diff(tt.want, res); diff != "" {
				t.Errorf("Send (-want +got):\n%s", diff)
			}
			if got := len(rc.requests()); got != 1 {
				t.Errorf("%d requests, want 1 (Send makes one attempt)", got)
			}
		})
	}
}

func TestParseRetryAfter(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"0", 0},
		{"-5", 0},
		{"120", 2 * time.Minute},
		{" 30 ", 30 * time.Second},
		{"3600", time.Hour},
		{"3601", time.Hour},
		{"99999999999999999999", 0}, // not an int64, not a date
		{"9223372036854775807", time.Hour},
		{testNow.Add(10 * time.Minute).Format(http.TimeFormat), 10 * time.Minute},
		{testNow.Add(5 * time.Hour).Format(http.TimeFormat), time.Hour},
		{testNow.Add(-time.Minute).Format(http.TimeFormat), 0},
		{"Sat, 01 Mar 2025 12:01:00 GMT", time.Minute},
		{"Saturday, 01-Mar-25 12:02:00 GMT", 2 * time.Minute}, // RFC 850, which HTTP allows
		{"1.5", 0},
		{"tomorrow", 0},
	}
	for _, tt := range tests {
		if got := parseRetryAfter(tt.in, testNow); got != tt.want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// hijack returns a handler that writes raw, then closes the connection.
func hijack(t *testing.T, raw string) func(w http.ResponseWriter, r *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			t.Errorf("hijack: %v", err)
			return
		}
		buf.WriteString(raw)
		buf.Flush()
		conn.Close()
	}
}

func TestSendBodyCut(t *testing.T) {
	ack := `{"id": "` + testID + `", "seq": 5, "duplicate": false}`
	tests := map[string]string{
		// A complete, valid acknowledgement followed by a cut: the response
		// promised more, so it is not an acknowledgement.
		"after a whole ack": fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(ack)+20, ack),
		"mid ack":           fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(ack), ack[:10]),
		"chunked":           "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n{\"id\": \"r-2025",
		"mid headers":       "HTTP/1.1 200 OK\r\nContent-Ty",
		"nothing":           "",
	}
	for name, raw := range tests {
		t.Run(name, func(t *testing.T) {
			rc := newReceiver(t, hijack(t, raw))
			res, err := rc.deliverer().Send(context.Background(), testID, testEnvelope)
			if err != nil {
				t.Fatalf("Send: %v", err)
			}
			if res.Outcome != Retry || res.Outcome.Acknowledged() || res.Reason == "" {
				t.Errorf("Send = %+v, want Retry with a reason", res)
			}
			t.Logf("reason: %s", res.Reason)
		})
	}
}

func TestSendTimeout(t *testing.T) {
	release := make(chan struct{})
	rc := newReceiver(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
		ackHandler(1, false)(w, r)
	})
	defer close(release)
	d := rc.deliverer()
	d.Client.Timeout = 150 * time.Millisecond
	start := time.Now()
	res, err := d.Send(context.Background(), testID, testEnvelope)
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcome != Retry || !strings.Contains(res.Reason, "Timeout") {
		t.Errorf("Send to a slow server = %+v, want Retry with a timeout", res)
	}
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("Send took %v despite the client timeout", elapsed)
	}

	// The context bounds it as well.
	d.Client.Timeout = 0
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	res, err = d.Send(ctx, testID, testEnvelope)
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcome != Retry || !strings.Contains(res.Reason, "deadline exceeded") {
		t.Errorf("Send with an expiring context = %+v, want Retry", res)
	}
}

// selfSignedCert returns a certificate for 127.0.0.1 from a CA of its own
// (not httptest's) and a pool trusting it.
func selfSignedCert(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "other test CA"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: cert}, pool
}

func TestSendWrongServerCertificate(t *testing.T) {
	cert, pool := selfSignedCert(t)
	var mu sync.Mutex
	called := 0
	impostor := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		called++
		mu.Unlock()
		ackHandler(1, false)(w, r)
	}))
	impostor.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	impostor.StartTLS()
	defer impostor.Close()

	// The client trusts another test server's certificate, not this one.
	trusted := httptest.NewTLSServer(http.NotFoundHandler())
	defer trusted.Close()
	d := &Deliverer{Client: trusted.Client(), Server: impostor.URL, HostID: func() string { return testHost }}
	res, err := d.Send(context.Background(), testID, testEnvelope)
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcome != Retry || !strings.Contains(res.Reason, "certificate") {
		t.Errorf("Send to an untrusted server = %+v, want Retry with a certificate error", res)
	}
	mu.Lock()
	if called != 0 {
		t.Errorf("the untrusted server received %d requests", called)
	}
	mu.Unlock()

	// Trusting its CA, the same server acknowledges: the failure above was
	// the certificate's.
	d.Client = &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	if res, err := d.Send(context.Background(), testID, testEnvelope); err != nil || res.Outcome != Acked {
		t.Errorf("Send trusting the server's CA = %+v, %v; want Acked", res, err)
	}
}

// connectProxy is an HTTPS proxy that tunnels CONNECT requests.
type connectProxy struct {
	*httptest.Server
	mu      sync.Mutex
	targets []string
}

func newConnectProxy(t *testing.T) *connectProxy {
	p := &connectProxy{}
	p.Server = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodConnect {
			http.Error(w, "CONNECT only", http.StatusMethodNotAllowed)
			return
		}
		p.mu.Lock()
		p.targets = append(p.targets, r.Host)
		p.mu.Unlock()
		dst, err := net.Dial("tcp", r.Host)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			dst.Close()
			return
		}
		conn.Write([]byte("HTTP/1.1 200 Connection established\r\n\r\n"))
		done := make(chan struct{}, 2)
		go func() { io.Copy(dst, buf); done <- struct{}{} }()
		go func() { io.Copy(conn, dst); done <- struct{}{} }()
		<-done
		conn.Close()
		dst.Close()
	}))
	t.Cleanup(p.Close)
	return p
}

func TestSendThroughProxy(t *testing.T) {
	rc := newReceiver(t, ackHandler(11, true))
	proxy := newConnectProxy(t)
	d := rc.deliverer()
	tr := rc.Client().Transport.(*http.Transport).Clone()
	// https://127.0.0.1:port; its certificate is httptest's, which tr trusts.
	proxyURL, err := url.Parse(proxy.URL)
	if err != nil {
		t.Fatal(err)
	}
	tr.Proxy = http.ProxyURL(proxyURL)
	d.Client = &http.Client{Transport: tr}
	defer tr.CloseIdleConnections()

	res, err := d.Send(context.Background(), testID, testEnvelope)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(Result{Outcome: Duplicate, StoredSeq: 11}, res); diff != "" {
		t.Errorf("Send through a proxy (-want +got):\n%s", diff)
	}
	proxy.mu.Lock()
	targets := append([]string(nil), proxy.targets...)
	proxy.mu.Unlock()
	if want := []string{rc.Listener.Addr().String()}; !cmp.Equal(want, targets) {
		t.Errorf("proxy tunnelled to %v, want %v", targets, want)
	}
	if diff := cmp.Diff([]request{wantRequest("/v1/reports")}, rc.requests()); diff != "" {
		t.Errorf("request through the proxy (-want +got):\n%s", diff)
	}
}

func TestSendRedirectIsNotAnAck(t *testing.T) {
	rc := newReceiver(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/reports" {
			http.Redirect(w, r, "/elsewhere", http.StatusFound)
			return
		}
		// The redirected GET "acknowledges" the id from a stale header.
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"id": %q, "seq": 1, "duplicate": false}`, testID)
	})
	res, err := rc.deliverer().Send(context.Background(), testID, testEnvelope)
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcome != Retry || !strings.Contains(res.Reason, "redirected to GET") {
		t.Errorf("Send answered by a redirect = %+v, want Retry", res)
	}
}

func TestSendTooLarge(t *testing.T) {
	rc := newReceiver(t, ackHandler(1, false))
	d := rc.deliverer()
	// Random bytes do not compress.
	big := make([]byte, 4096)
	if _, err := rand.Read(big); err != nil {
		t.Fatal(err)
	}
	gz, err := compress(big)
	if err != nil {
		t.Fatal(err)
	}
	d.MaxBody = int64(len(gz)) - 1
	res, err := d.Send(context.Background(), testID, big)
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("Send = %v, want ErrTooLarge", err)
	}
	if res.Outcome != Rejected || !strings.Contains(res.Reason, "more than the limit") {
		t.Errorf("Send of a too large report = %+v, want Rejected", res)
	}
	if n := len(rc.requests()); n != 0 {
		t.Errorf("%d requests sent for a too large report", n)
	}
	// Exactly at the limit it goes, whole.
	d.MaxBody = int64(len(gz))
	res, err = d.Send(context.Background(), testID, big)
	if err != nil || res.Outcome != Acked {
		t.Fatalf("Send at the limit = %+v, %v", res, err)
	}
	if got := rc.requests()[0].Body; !bytes.Equal(got, big) {
		t.Errorf("receiver got %d bytes, want the %d sent", len(got), len(big))
	}
	// The default limit is 8 MiB.
	if (&Deliverer{}).maxBody() != 8<<20 {
		t.Errorf("default MaxBody %d", (&Deliverer{}).maxBody())
	}
}

func TestSendRefusesLocally(t *testing.T) {
	rc := newReceiver(t, ackHandler(1, false))
	tests := []struct {
		name    string
		mod     func(d *Deliverer)
		id      string
		want    Outcome
		wantErr string
	}{
		{name: "http server", mod: func(d *Deliverer) { d.Server = strings.Replace(rc.URL, "https://", "http://", 1) }, id: testID, want: Retry, wantErr: "HTTPS only"},
		{name: "no server", mod: func(d *Deliverer) { d.Server = "" }, id: testID, want: Retry, wantErr: "HTTPS only"},
		{name: "no client", mod: func(d *Deliverer) { d.Client = nil }, id: testID, want: Retry, wantErr: "no HTTP client"},
		{name: "empty id", id: "", want: Rejected, wantErr: "empty report id"},
		{name: "id with newline", id: "r-1\r\nX-Evil: 1", want: Rejected, wantErr: "printable ASCII"},
		{name: "long id", id: strings.Repeat("r", 300), want: Rejected, wantErr: "at most 256"},
		{name: "host id with space", mod: func(d *Deliverer) { d.HostID = func() string { return "h 1" } }, id: testID, want: Retry, wantErr: "host id"},
		{name: "not enrolled", mod: func(d *Deliverer) { d.HostID = func() string { return "" } }, id: testID, want: UnknownHost},
		{name: "no host func", mod: func(d *Deliverer) { d.HostID = nil }, id: testID, want: UnknownHost},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := rc.deliverer()
			if tt.mod != nil {
				tt.mod(d)
			}
			res, err := d.Send(context.Background(), tt.id, testEnvelope)
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("Send error = %v, want %q", err, tt.wantErr)
			}
			if res.Outcome != tt.want || res.Reason == "" {
				t.Errorf("Send = %+v, want %v with a reason", res, tt.want)
			}
		})
	}
	if n := len(rc.requests()); n != 0 {
		t.Errorf("%d requests sent, want none", n)
	}
}

func TestOutcomeString(t *testing.T) {
	want := map[Outcome]string{Retry: "retry", Acked: "acked", Duplicate: "duplicate", Rejected: "rejected",
		UnknownHost: "unknown_host", Revoked: "revoked", Outcome(99): "outcome(99)"}
	for o, s := range want {
		if o.String() != s {
			t.Errorf("Outcome(%d).String() = %q, want %q", int(o), o.String(), s)
		}
		if got, want := o.Acknowledged(), o == Acked || o == Duplicate; got != want {
			t.Errorf("%v.Acknowledged() = %v", o, got)
		}
	}
}

// fixed returns a rnd function returning v.
func fixed(v float64) func() float64 { return func() float64 { return v } }

func TestBackoff(t *testing.T) {
	s := time.Second
	tests := []struct {
		attempt  int
		min, max time.Duration
		rnd      float64
		want     time.Duration
	}{
		{0, s, 5 * time.Minute, 0, s},
		{0, s, 5 * time.Minute, 0.99, s},
		{1, s, 5 * time.Minute, 0, s},
		{1, s, 5 * time.Minute, 0.5, 1500 * time.Millisecond},
		{3, s, 5 * time.Minute, 0.5, 4500 * time.Millisecond},
		{3, s, 5 * time.Minute, 1, 8 * s}, // rnd 1 is taken as just below 1
		{20, s, 5 * time.Minute, 0.5, s + (5*time.Minute-s)/2},
		{1000, s, 5 * time.Minute, 0.5, s + (5*time.Minute-s)/2},
		{-3, s, 5 * time.Minute, 0.5, s},
		{2, 0, time.Minute, 0, s},              // min 0 is a second
		{2, 10 * s, s, 0.7, 10 * s},            // max below min is min
		{62, time.Hour, 1 << 62, 0, time.Hour}, // no overflow
	}
	for _, tt := range tests {
		got := Backoff(tt.attempt, tt.min, tt.max, fixed(tt.rnd))
		if d := got - tt.want; d < -time.Microsecond || d > time.Microsecond {
			t.Errorf("Backoff(%d, %v, %v, %v) = %v, want %v", tt.attempt, tt.min, tt.max, tt.rnd, got, tt.want)
		}
	}
	// With real randomness every value is within [min, min(max, min*2^n)].
	for attempt := 0; attempt < 40; attempt++ {
		ceiling := min(5*time.Minute, s<<min(attempt, 30))
		for range 50 {
			if got := Backoff(attempt, s, 5*time.Minute, nil); got < s || got > ceiling {
				t.Fatalf("Backoff(%d) = %v, outside [1s, %v]", attempt, got, ceiling)
			}
		}
	}
}

func TestJitter(t *testing.T) {
	m := 15 * time.Minute
	tests := []struct {
		d    time.Duration
		frac float64
		rnd  float64
		want time.Duration
	}{
		{m, 0.1, 0, m - 90*time.Second},
		{m, 0.1, 0.5, m},
		{m, 0.1, 0.75, m + 45*time.Second},
		{m, 0, 0.9, m},
		{m, -1, 0.9, m},
		{m, 3, 0, 0}, // frac clamped to 1
		{0, 0.1, 0.9, 0},
		{-m, 0.1, 0.9, 0},
	}
	for _, tt := range tests {
		if got := Jitter(tt.d, tt.frac, fixed(tt.rnd)); got != tt.want {
			t.Errorf("Jitter(%v, %v, %v) = %v, want %v", tt.d, tt.frac, tt.rnd, got, tt.want)
		}
	}
	lo, hi := m, m
	for range 2000 {
		got := Jitter(m, 0.1, nil)
		if got < m-90*time.Second || got > m+90*time.Second {
			t.Fatalf("Jitter(15m, 0.1) = %v, outside 15m +- 90s", got)
		}
		lo, hi = min(lo, got), max(hi, got)
	}
	if lo > m-60*time.Second || hi < m+60*time.Second {
		t.Errorf("Jitter(15m, 0.1) over 2000 draws spans only [%v, %v]", lo, hi)
	}
}
