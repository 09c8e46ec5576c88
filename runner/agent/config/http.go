package config

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

// TLSConfig names the agent's TLS files (absolute paths; all optional).
type TLSConfig struct {
	// CAFile is a PEM file of extra trusted roots, appended to the
	// system roots.
	CAFile string
	// ClientCert and ClientKey are a PEM client certificate and key for
	// mutual TLS; set both or neither.
	ClientCert string
	ClientKey  string
}

// MaxRedirects is the most redirects the client follows.
const MaxRedirects = 5

// Transport timeouts; each is capped at the client's overall timeout.
const (
	dialTimeout         = 30 * time.Second
	tlsHandshakeTimeout = 10 * time.Second
)

// NewHTTPClient returns the agent's HTTPS client: TLS 1.2 or later with
// certificate verification always on, the system roots plus tls.CAFile,
// an optional client certificate, and https:// only (plain http requests
// and redirects to a non-https URL are refused, as is a 6th redirect).
//
// proxy, when not empty, is used for every request and wins over the
// environment. Otherwise HTTPS_PROXY (or https_proxy) and NO_PROXY (or
// no_proxy) are read now, with Go's ProxyFromEnvironment semantics:
// NO_PROXY lists "*", host names (matching the host and its subdomains),
// ".domain" or "*.domain" (subdomains only), IP addresses and CIDR
// ranges, each optionally with ":port"; localhost and loopback addresses
// never use the environment's proxy.
//
// timeout bounds a whole request (connect, headers and body) and must be
// positive.
func NewHTTPClient(tlsc TLSConfig, proxy string, timeout time.Duration) (*http.Client, error) {
	if timeout <= 0 {
		return nil, fmt.Errorf("http client: timeout must be positive, got %s", timeout)
	}
	cfg, err := clientTLS(tlsc)
	if err != nil {
		return nil, err
	}
	var proxyFunc func(*http.Request) (*url.URL, error)
	if proxy != "" {
		u, err := url.Parse(proxy)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
			return nil, fmt.Errorf("http client: proxy %q: must be an http:// or https:// URL with a host", proxy)
		}
		proxyFunc = http.ProxyURL(u)
	} else {
		env, err := envProxy(os.Getenv)
		if err != nil {
			return nil, fmt.Errorf("http client: %w", err)
		}
		proxyFunc = func(r *http.Request) (*url.URL, error) { return env(r.URL), nil }
	}
	tr := &http.Transport{
		Proxy:                  proxyFunc,
		DialContext:            (&net.Dialer{Timeout: min(dialTimeout, timeout), KeepAlive: 30 * time.Second}).DialContext,
		TLSClientConfig:        cfg,
		TLSHandshakeTimeout:    min(tlsHandshakeTimeout, timeout),
		ResponseHeaderTimeout:  timeout,
		ExpectContinueTimeout:  time.Second,
		IdleConnTimeout:        90 * time.Second,
		MaxIdleConns:           16,
		MaxIdleConnsPerHost:    4,
		MaxResponseHeaderBytes: 1 << 20,
		ForceAttemptHTTP2:      true,
	}
	return &http.Client{
		Transport:     httpsOnly{tr},
		Timeout:       timeout,
		CheckRedirect: checkRedirect,
	}, nil
}

func clientTLS(c TLSConfig) (*tls.Config, error) {
	roots, err := x509.SystemCertPool()
	if err != nil || roots == nil {
		roots = x509.NewCertPool()
	}
	if c.CAFile != "" {
		pem, err := os.ReadFile(c.CAFile)
		if err != nil {
			return nil, fmt.Errorf("tls: ca_file: %w", err)
		}
		if !roots.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("tls: ca_file %s: no PEM certificate found", c.CAFile)
		}
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS12, RootCAs: roots}
	switch {
	case c.ClientCert != "" && c.ClientKey != "":
		cert, err := tls.LoadX509KeyPair(c.ClientCert, c.ClientKey)
		if err != nil {
			return nil, fmt.Errorf("tls: client certificate %s / key %s: %w", c.ClientCert, c.ClientKey, err)
		}
		cfg.Certificates = []tls.Certificate{cert}
	case c.ClientCert != "" || c.ClientKey != "":
		return nil, errors.New("tls: client_cert and client_key go together (set both or neither)")
	}
	return cfg, nil
}

func checkRedirect(req *http.Request, via []*http.Request) error {
	// via holds the requests made so far: len(via) is this redirect's
	// number.
	if len(via) > MaxRedirects {
		return fmt.Errorf("stopped after %d redirects", MaxRedirects)
	}
	if req.URL.Scheme != "https" {
		return fmt.Errorf("refusing redirect to non-https URL %s (TLS is always on)", req.URL.Redacted())
	}
	return nil
}

// httpsOnly refuses any request that is not https.
type httpsOnly struct{ t *http.Transport }

func (h httpsOnly) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Scheme != "https" {
		if r.Body != nil {
			r.Body.Close()
		}
		return nil, fmt.Errorf("refusing %s request to %s: only https:// is allowed (TLS is always on)", r.URL.Scheme, r.URL.Redacted())
	}
	return h.t.RoundTrip(r)
}

// CloseIdleConnections lets http.Client.CloseIdleConnections reach the
// transport.
func (h httpsOnly) CloseIdleConnections() { h.t.CloseIdleConnections() }

// envProxy reads HTTPS_PROXY and NO_PROXY through getenv once and returns
// the proxy for an https request URL (nil: connect directly).
func envProxy(getenv func(string) string) (func(*url.URL) *url.URL, error) {
	first := func(names ...string) string {
		for _, n := range names {
			if v := getenv(n); v != "" {
				return v
			}
		}
		return ""
	}
	raw := first("HTTPS_PROXY", "https_proxy")
	if raw == "" {
		return func(*url.URL) *url.URL { return nil }, nil
	}
	proxy, err := parseEnvProxy(raw)
	if err != nil {
		return nil, err
	}
	np := parseNoProxy(first("NO_PROXY", "no_proxy"))
	return func(u *url.URL) *url.URL {
		if !np.useProxy(u) {
			return nil
		}
		return proxy
	}, nil
}

// parseEnvProxy parses a proxy URL as Go does: a bare host:port means
// http://host:port.
func parseEnvProxy(raw string) (*url.URL, error) {
	full := raw
	if !strings.Contains(raw, "://") {
		full = "http://" + raw
	}
	u, err := url.Parse(full)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "socks5" && u.Scheme != "socks5h") || u.Hostname() == "" {
		return nil, fmt.Errorf("invalid HTTPS_PROXY %q", raw)
	}
	return u, nil
}

type noProxy struct {
	all     bool
	ips     []ipMatch
	cidrs   []*net.IPNet
	domains []domainMatch
}

type ipMatch struct {
	ip   net.IP
	port string
}

type domainMatch struct {
	suffix    string // ".example.com"
	port      string
	matchHost bool // also "example.com" itself
}

func parseNoProxy(s string) noProxy {
	var np noProxy
	for _, p := range strings.Split(s, ",") {
		p = strings.ToLower(strings.TrimSpace(p))
		if p == "" {
			continue
		}
		if p == "*" {
			np.all = true
			continue
		}
		if _, cidr, err := net.ParseCIDR(p); err == nil {
			np.cidrs = append(np.cidrs, cidr)
			continue
		}
		host, port, err := net.SplitHostPort(p)
		if err != nil {
			host, port = p, ""
		}
		host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
		if ip := net.ParseIP(host); ip != nil {
			np.ips = append(np.ips, ipMatch{ip: ip, port: port})
			continue
		}
		if host == "" {
			continue
		}
		host = strings.TrimPrefix(host, "*")
		if host == "" || host == "." {
			continue
		}
		m := domainMatch{suffix: host, port: port}
		if host[0] != '.' {
			m.matchHost = true
			m.suffix = "." + host
		}
		np.domains = append(np.domains, m)
	}
	return np
}

// useProxy says whether a request to u goes through the proxy.
func (np noProxy) useProxy(u *url.URL) bool {
	host := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
	port := u.Port()
	if port == "" {
		port = "443"
		if u.Scheme == "http" {
			port = "80"
		}
	}
	if host == "localhost" {
		return false
	}
	ip := net.ParseIP(host)
	if ip != nil && ip.IsLoopback() {
		return false
	}
	if np.all {
		return false
	}
	if ip != nil {
		for _, m := range np.ips {
			if m.ip.Equal(ip) && (m.port == "" || m.port == port) {
				return false
			}
		}
		for _, c := range np.cidrs {
			if c.Contains(ip) {
				return false
			}
		}
	}
	for _, m := range np.domains {
		if (strings.HasSuffix(host, m.suffix) || (m.matchHost && host == m.suffix[1:])) && (m.port == "" || m.port == port) {
			return false
		}
	}
	return true
}
