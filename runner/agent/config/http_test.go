package config

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// clearProxyEnv makes the test independent of the caller's environment.
func clearProxyEnv(t *testing.T) {
	for _, k := range []string{"HTTPS_PROXY", "https_proxy", "NO_PROXY", "no_proxy", "HTTP_PROXY", "http_proxy"} {
		t.Setenv(k, "")
	}
}

func writePEM(t *testing.T, name, typ string, der []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// serverCA writes the test server's certificate as a CA file.
func serverCA(t *testing.T, srv *httptest.Server) string {
	return writePEM(t, "ca.pem", "CERTIFICATE", srv.Certificate().Raw)
}

func get(c *http.Client, u string) (string, error) {
	resp, err := c.Get(u)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return string(b), fmt.Errorf("status %d", resp.StatusCode)
	}
	return string(b), err
}

// tlsServer starts an HTTPS test server; cfg (optional) is its TLS
// configuration. Its expected handshake failures are not logged.
func tlsServer(t *testing.T, h http.Handler, cfg *tls.Config) *httptest.Server {
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.TLS = cfg
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

func okServer(t *testing.T) *httptest.Server {
	return tlsServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "ok "+r.URL.Path)
	}), nil)
}

func TestNewHTTPClientVerifiesServer(t *testing.T) {
	clearProxyEnv(t)
	srv := okServer(t)

	c, err := NewHTTPClient(TLSConfig{}, "", 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	_, err = get(c, srv.URL+"/x")
	var ua x509.UnknownAuthorityError
	if !errors.As(err, &ua) {
		t.Fatalf("without the CA: err = %v, want x509.UnknownAuthorityError", err)
	}

	c, err = NewHTTPClient(TLSConfig{CAFile: serverCA(t, srv)}, "", 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseIdleConnections()
	body, err := get(c, srv.URL+"/x")
	if err != nil || body != "ok /x" {
		t.Fatalf("with the CA: %q, %v", body, err)
	}

	// The TLS settings are the fail-closed ones.
	tr := c.Transport.(httpsOnly).t
	if tr.TLSClientConfig.MinVersion != tls.VersionTLS12 || tr.TLSClientConfig.InsecureSkipVerify {
		t.Errorf("TLS config: MinVersion %x InsecureSkipVerify %v", tr.TLSClientConfig.MinVersion, tr.TLSClientConfig.InsecureSkipVerify)
	}
	if c.Timeout != 5*time.Second || tr.ResponseHeaderTimeout != 5*time.Second || tr.TLSHandshakeTimeout != 5*time.Second {
		t.Errorf("timeouts: client %s header %s handshake %s", c.Timeout, tr.ResponseHeaderTimeout, tr.TLSHandshakeTimeout)
	}
}

func TestNewHTTPClientRefusesOldTLS(t *testing.T) {
	clearProxyEnv(t)
	srv := tlsServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}),
		&tls.Config{MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS11})
	c, err := NewHTTPClient(TLSConfig{CAFile: serverCA(t, srv)}, "", 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	_, err = get(c, srv.URL)
	if err == nil || !strings.Contains(err.Error(), "protocol version") {
		t.Fatalf("err = %v, want a protocol version failure", err)
	}
}

func TestNewHTTPClientRefusesPlainHTTP(t *testing.T) {
	clearProxyEnv(t)
	var hits int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits++ }))
	defer srv.Close()
	c, err := NewHTTPClient(TLSConfig{}, "", 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	_, err = get(c, srv.URL)
	if err == nil || !strings.Contains(err.Error(), "only https:// is allowed") || hits != 0 {
		t.Fatalf("err = %v, hits = %d; want a refusal before any request", err, hits)
	}
}

func TestNewHTTPClientCAFileErrors(t *testing.T) {
	clearProxyEnv(t)
	notPEM := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(notPEM, []byte("not a certificate\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	keyOnly := writePEM(t, "key.pem", "PRIVATE KEY", []byte{1, 2, 3})
	for name, tc := range map[string]struct {
		tls  TLSConfig
		want string
	}{
		"no certificate":   {TLSConfig{CAFile: notPEM}, "no PEM certificate found"},
		"key, no cert":     {TLSConfig{CAFile: keyOnly}, "no PEM certificate found"},
		"missing file":     {TLSConfig{CAFile: filepath.Join(t.TempDir(), "none.pem")}, "no such file"},
		"client cert only": {TLSConfig{ClientCert: "/c.pem"}, "client_cert and client_key go together"},
		"client key only":  {TLSConfig{ClientKey: "/c.key"}, "client_cert and client_key go together"},
		"bad client pair":  {TLSConfig{ClientCert: notPEM, ClientKey: notPEM}, "client certificate"},
	} {
		if _, err := NewHTTPClient(tc.tls, "", time.Second); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", name, err, tc.want)
		}
	}
	if _, err := NewHTTPClient(TLSConfig{}, "", 0); err == nil {
		t.Error("timeout 0 accepted")
	}
	if _, err := NewHTTPClient(TLSConfig{}, "ftp://p", time.Second); err == nil {
		t.Error("ftp proxy accepted")
	}
	for _, bad := range []string{"http://[::1", "ftp://p.test", "http://"} {
		t.Setenv("HTTPS_PROXY", bad)
		if _, err := NewHTTPClient(TLSConfig{}, "", time.Second); err == nil || !strings.Contains(err.Error(), fmt.Sprintf("invalid HTTPS_PROXY %q", bad)) {
			t.Errorf("HTTPS_PROXY=%s: err = %v", bad, err)
		}
	}
}

// newClientCert makes a CA and a client certificate it signs; it returns
// the CA pool and the client certificate and key files.
func newClientCert(t *testing.T) (*x509.CertPool, string, string) {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test client CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caCert, err := x509.ParseCertificate(caDER)
	if err != nil {
		t.Fatal(err)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "host-1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, caCert, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(caCert)
	return pool, writePEM(t, "client.pem", "CERTIFICATE", der), writePEM(t, "client.key", "PRIVATE KEY", keyDER)
}

func TestNewHTTPClientMutualTLS(t *testing.T) {
	clearProxyEnv(t)
	pool, certFile, keyFile := newClientCert(t)
	srv := tlsServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, r.TLS.PeerCertificates[0].Subject.CommonName)
	}), &tls.Config{ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: pool})
	ca := serverCA(t, srv)

	c, err := NewHTTPClient(TLSConfig{CAFile: ca}, "", 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if body, err := get(c, srv.URL); err == nil {
		t.Fatalf("without a client certificate: %q, want an error", body)
	}

	c, err = NewHTTPClient(TLSConfig{CAFile: ca, ClientCert: certFile, ClientKey: keyFile}, "", 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseIdleConnections()
	if body, err := get(c, srv.URL); err != nil || body != "host-1" {
		t.Fatalf("with the client certificate: %q, %v", body, err)
	}
}

// connectProxy is an HTTP proxy that tunnels CONNECT requests and counts
// them. It sends example.com to 127.0.0.1 (the test server's certificate
// names example.com).
type connectProxy struct {
	srv   *httptest.Server
	mu    sync.Mutex
	hosts []string
}

func newConnectProxy(t *testing.T) *connectProxy {
	p := &connectProxy{}
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodConnect {
			http.Error(w, "CONNECT only", http.StatusMethodNotAllowed)
			return
		}
		p.mu.Lock()
		p.hosts = append(p.hosts, r.Host)
		p.mu.Unlock()
		host, port, err := net.SplitHostPort(r.Host)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if host == "example.com" {
			host = "127.0.0.1"
		}
		up, err := net.Dial("tcp", net.JoinHostPort(host, port))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			up.Close()
			return
		}
		io.WriteString(conn, "HTTP/1.1 200 Connection established\r\n\r\n")
		go func() {
			io.Copy(up, buf.Reader)
			up.Close()
		}()
		io.Copy(conn, up)
		conn.Close()
	}))
	t.Cleanup(p.srv.Close)
	return p
}

func (p *connectProxy) seen() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.hosts...)
}

// mapExampleCom makes the client's direct connections to example.com go to
// 127.0.0.1, so that a test never leaves the machine.
func mapExampleCom(c *http.Client) {
	tr := c.Transport.(httpsOnly).t
	d := &net.Dialer{Timeout: 5 * time.Second}
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		if host, port, err := net.SplitHostPort(addr); err == nil && host == "example.com" {
			addr = net.JoinHostPort("127.0.0.1", port)
		}
		return d.DialContext(ctx, network, addr)
	}
}

func TestNewHTTPClientProxy(t *testing.T) {
	srv := okServer(t)
	ca := serverCA(t, srv)
	port := srv.Listener.Addr().(*net.TCPAddr).Port
	target := "https://example.com:" + strconv.Itoa(port) + "/p"
	exampleHost := "example.com:" + strconv.Itoa(port)

	t.Run("environment proxy is used", func(t *testing.T) {
		clearProxyEnv(t)
		envP := newConnectProxy(t)
		t.Setenv("HTTPS_PROXY", envP.srv.URL)
		c, err := NewHTTPClient(TLSConfig{CAFile: ca}, "", 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		defer c.CloseIdleConnections()
		mapExampleCom(c)
		if body, err := get(c, target); err != nil || body != "ok /p" {
			t.Fatalf("%q, %v", body, err)
		}
		if diff := cmp.Diff([]string{exampleHost}, envP.seen()); diff != "" {
			t.Errorf("proxy CONNECTs (-want +got):\n%s", diff)
		}
	})
	t.Run("lower-case https_proxy is used", func(t *testing.T) {
		clearProxyEnv(t)
		envP := newConnectProxy(t)
		t.Setenv("https_proxy", envP.srv.URL)
		c, err := NewHTTPClient(TLSConfig{CAFile: ca}, "", 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		defer c.CloseIdleConnections()
		if _, err := get(c, target); err != nil || len(envP.seen()) != 1 {
			t.Fatalf("err %v, CONNECTs %q", err, envP.seen())
		}
	})
	t.Run("explicit proxy wins over HTTPS_PROXY and NO_PROXY", func(t *testing.T) {
		clearProxyEnv(t)
		envP, explicit := newConnectProxy(t), newConnectProxy(t)
		t.Setenv("HTTPS_PROXY", envP.srv.URL)
		t.Setenv("NO_PROXY", "example.com")
		c, err := NewHTTPClient(TLSConfig{CAFile: ca}, explicit.srv.URL, 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		defer c.CloseIdleConnections()
		if body, err := get(c, target); err != nil || body != "ok /p" {
			t.Fatalf("%q, %v", body, err)
		}
		if diff := cmp.Diff([]string{exampleHost}, explicit.seen()); diff != "" {
			t.Errorf("explicit proxy CONNECTs (-want +got):\n%s", diff)
		}
		if got := envP.seen(); len(got) != 0 {
			t.Errorf("environment proxy used: %q", got)
		}
	})
	t.Run("NO_PROXY bypasses the environment proxy", func(t *testing.T) {
		clearProxyEnv(t)
		envP := newConnectProxy(t)
		t.Setenv("HTTPS_PROXY", envP.srv.URL)
		t.Setenv("NO_PROXY", "internal.test, .example.com, example.com")
		c, err := NewHTTPClient(TLSConfig{CAFile: ca}, "", 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		defer c.CloseIdleConnections()
		mapExampleCom(c)
		if body, err := get(c, target); err != nil || body != "ok /p" {
			t.Fatalf("%q, %v", body, err)
		}
		if got := envP.seen(); len(got) != 0 {
			t.Errorf("proxy used despite NO_PROXY: %q", got)
		}
	})
	t.Run("environment is read per client", func(t *testing.T) {
		clearProxyEnv(t)
		first, second := newConnectProxy(t), newConnectProxy(t)
		t.Setenv("HTTPS_PROXY", first.srv.URL)
		c1, err := NewHTTPClient(TLSConfig{CAFile: ca}, "", 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		defer c1.CloseIdleConnections()
		t.Setenv("HTTPS_PROXY", second.srv.URL)
		c2, err := NewHTTPClient(TLSConfig{CAFile: ca}, "", 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		defer c2.CloseIdleConnections()
		if _, err := get(c1, target); err != nil {
			t.Fatal(err)
		}
		if _, err := get(c2, target); err != nil {
			t.Fatal(err)
		}
		if len(first.seen()) != 1 || len(second.seen()) != 1 {
			t.Errorf("CONNECTs: first %q second %q, want one each", first.seen(), second.seen())
		}
	})
	t.Run("loopback is never proxied from the environment", func(t *testing.T) {
		clearProxyEnv(t)
		envP := newConnectProxy(t)
		t.Setenv("HTTPS_PROXY", envP.srv.URL)
		c, err := NewHTTPClient(TLSConfig{CAFile: ca}, "", 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		defer c.CloseIdleConnections()
		if _, err := get(c, srv.URL); err != nil || len(envP.seen()) != 0 {
			t.Fatalf("err %v, CONNECTs %q", err, envP.seen())
		}
	})
}

func TestEnvProxyNoProxy(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	proxy := "http://proxy.test:3128"
	cases := []struct {
		noProxy string
		url     string
		proxied bool
	}{
		{"", "https://a.example.com/", true},
		{"*", "https://a.example.com/", false},
		{"example.com", "https://example.com/", false},
		{"example.com", "https://a.b.example.com/", false},
		{"example.com", "https://notexample.com/", true},
		{".example.com", "https://example.com/", true},
		{".example.com", "https://a.example.com/", false},
		{"*.example.com", "https://example.com/", true},
		{"*.example.com", "https://a.example.com/", false},
		{"EXAMPLE.com", "https://A.Example.COM/", false},
		{"example.com:8443", "https://example.com:8443/", false},
		{"example.com:8443", "https://example.com/", true},
		{"example.com:443", "https://example.com/", false},
		{"10.0.0.0/8", "https://10.1.2.3/", false},
		{"10.0.0.0/8", "https://11.1.2.3/", true},
		{"10.0.0.0/8", "https://ten.example/", true},
		{"192.168.1.5", "https://192.168.1.5:8443/", false},
		{"192.168.1.5:443", "https://192.168.1.5:8443/", true},
		{"fd00::/8", "https://[fd00::1]/", false},
		{"[2001:db8::1]:443", "https://[2001:db8::1]/", false},
		{"a.test, ,b.test", "https://b.test/", false},
		{"a.test", "https://localhost:8443/", false}, // localhost: never proxied
		{"", "https://127.0.0.1/", false},
		{"", "https://[::1]/", false},
	}
	for _, tc := range cases {
		f, err := envProxy(env(map[string]string{"HTTPS_PROXY": proxy, "NO_PROXY": tc.noProxy}))
		if err != nil {
			t.Fatal(err)
		}
		u, _ := url.Parse(tc.url)
		got := f(u)
		if (got != nil) != tc.proxied || (got != nil && got.String() != proxy) {
			t.Errorf("NO_PROXY=%q %s: proxy %v, want proxied=%v", tc.noProxy, tc.url, got, tc.proxied)
		}
	}
	// Precedence and forms of the variables.
	u, _ := url.Parse("https://a.test/")
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{}, ""},
		{map[string]string{"HTTPS_PROXY": "p1:8080"}, "http://p1:8080"},
		{map[string]string{"HTTPS_PROXY": "https://p1", "https_proxy": "http://p2"}, "https://p1"},
		{map[string]string{"https_proxy": "http://p2"}, "http://p2"},
		{map[string]string{"HTTP_PROXY": "http://p3"}, ""}, // only HTTPS_PROXY applies to https
		{map[string]string{"https_proxy": "http://p2", "no_proxy": "a.test"}, ""},
		{map[string]string{"https_proxy": "http://p2", "NO_PROXY": "b.test", "no_proxy": "a.test"}, "http://p2"},
	} {
		f, err := envProxy(env(tc.env))
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		if p := f(u); p != nil {
			got = p.String()
		}
		if got != tc.want {
			t.Errorf("env %v: proxy %q, want %q", tc.env, got, tc.want)
		}
	}
}

func TestNewHTTPClientRedirects(t *testing.T) {
	clearProxyEnv(t)
	var mu sync.Mutex
	hits := 0
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits++
		mu.Unlock()
		switch {
		case r.URL.Path == "/to-http":
			http.Redirect(w, r, "http://"+r.Host+"/plain", http.StatusFound)
		case strings.HasPrefix(r.URL.Path, "/hop/"):
			n, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/hop/"))
			if n == 0 {
				io.WriteString(w, "arrived")
				return
			}
			http.Redirect(w, r, "/hop/"+strconv.Itoa(n-1), http.StatusFound)
		default:
			io.WriteString(w, "ok")
		}
	}))
	defer srv.Close()
	c, err := NewHTTPClient(TLSConfig{CAFile: serverCA(t, srv)}, "", 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseIdleConnections()

	_, err = get(c, srv.URL+"/to-http")
	if err == nil || !strings.Contains(err.Error(), "refusing redirect to non-https URL http://") {
		t.Fatalf("redirect to http: err = %v", err)
	}
	if hits != 1 {
		t.Errorf("hits = %d, want 1 (the redirect target must not be requested)", hits)
	}

	// Five redirects are followed; a sixth is refused.
	hits = 0
	if body, err := get(c, srv.URL+"/hop/5"); err != nil || body != "arrived" {
		t.Fatalf("5 redirects: %q, %v", body, err)
	}
	if hits != 6 {
		t.Errorf("hits = %d, want 6", hits)
	}
	hits = 0
	if _, err := get(c, srv.URL+"/hop/6"); err == nil || !strings.Contains(err.Error(), "stopped after 5 redirects") {
		t.Fatalf("6 redirects: err = %v", err)
	}
	if hits != 6 {
		t.Errorf("hits = %d, want 6", hits)
	}
	// An https redirect on the same server is followed.
	if body, err := get(c, srv.URL+"/hop/1"); err != nil || body != "arrived" {
		t.Fatalf("%q, %v", body, err)
	}
}
