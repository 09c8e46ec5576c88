package bundles

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gcrun/gcrun/engine"
	"github.com/gcrun/gcrun/report"
	"github.com/gcrun/gcrun/runner"
	"github.com/google/go-cmp/cmp"
	"github.com/sirupsen/logrus"
	logtest "github.com/sirupsen/logrus/hooks/test"
)

// testKey is a bundle signing key pair, PEM-encoded.
type testKey struct{ priv, pub []byte }

func newKey(t *testing.T) testKey {
	t.Helper()
	pub, priv, err := report.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	privPEM, err := report.MarshalPrivateKeyPEM(priv)
	if err != nil {
		t.Fatal(err)
	}
	pubPEM, err := report.MarshalPublicKeyPEM(pub)
	if err != nil {
		t.Fatal(err)
	}
	return testKey{priv: privPEM, pub: pubPEM}
}

const ruleText = `# METADATA
# title: Nothing is wrong
# description: A rule for the bundle fetcher tests.
# custom:
#   id: TINY-001
#   severity: low
package gcrun.tiny.check

evidence := {"checked": true}

deny contains reason if {
	input.facts.never == true
	reason := {"code": "never", "phrase": "never happens"}
}
`

// writePack writes a tiny pack of the given version to dir.
func writePack(t *testing.T, dir, version string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(dir, "rules"), 0o755); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"pack.yaml":        "name: tiny\nversion: " + version + "\ndescription: Tiny pack\n",
		"rules/check.rego": ruleText,
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// buildBundle builds a bundle of the tiny pack at version, signed with key
// (unsigned when key is nil).
func buildBundle(t *testing.T, version string, key *testKey) []byte {
	t.Helper()
	dir := t.TempDir()
	writePack(t, dir, version)
	var opts runner.BuildBundleOptions
	if key != nil {
		opts.SigningKey = key.priv
	}
	var buf bytes.Buffer
	if _, err := runner.BuildBundle(&buf, dir, opts); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// tamper rewrites a bundle with one .rego file changed and everything else
// (the signatures included) as it was.
func tamper(t *testing.T, data []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	var out bytes.Buffer
	zw := gzip.NewWriter(&out)
	tw := tar.NewWriter(zw)
	changed := false
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(h.Name, ".rego") && !changed {
			body = bytes.Replace(body, []byte(`input.facts.never == true`), []byte(`input.facts.never == false`), 1)
			changed = true
		}
		h.Size = int64(len(body))
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(body); err != nil {
			t.Fatal(err)
		}
	}
	if !changed {
		t.Fatal("tamper: no .rego file in the bundle")
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func digest(data []byte) string {
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:])
}

func etagOf(data []byte) string {
	sum := sha256.Sum256(data)
	return `"` + hex.EncodeToString(sum[:8]) + `"`
}

// bundleServer serves one bundle at /v1/bundles/tiny with an ETag (unless
// noETag) and 304 on a matching If-None-Match; status, when set, is sent
// instead. It records the If-None-Match header of every request.
type bundleServer struct {
	*httptest.Server
	mu          sync.Mutex
	body        []byte
	noETag      bool
	status      int
	chunked     bool
	inm         []string
	requests    int
	encodingHdr []string
}

func newBundleServer(t *testing.T, body []byte) *bundleServer {
	t.Helper()
	s := &bundleServer{body: body}
	s.Server = httptest.NewTLSServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *bundleServer) set(body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.body, s.status = body, 0
}

func (s *bundleServer) setStatus(status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.status = status
}

func (s *bundleServer) lastINM() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.inm[len(s.inm)-1]
}

func (s *bundleServer) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	body, status, noETag, chunked := s.body, s.status, s.noETag, s.chunked
	s.inm = append(s.inm, r.Header.Get("If-None-Match"))
	s.encodingHdr = append(s.encodingHdr, r.Header.Get("Accept-Encoding"))
	s.requests++
	s.mu.Unlock()
	if r.URL.Path != "/v1/bundles/tiny" {
		http.NotFound(w, r)
		return
	}
	if status != 0 {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		fmt.Fprintf(w, `{"error": "the server is unwell", "code": "internal"}`)
		return
	}
	if !noETag {
		etag := etagOf(body)
		w.Header().Set("ETag", etag)
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	w.Header().Set("Content-Type", "application/gzip")
	if chunked {
		// Flushing before the end makes the response chunked: no
		// Content-Length to refuse early.
		half := len(body) / 2
		w.Write(body[:half])
		w.(http.Flusher).Flush()
		w.Write(body[half:])
		return
	}
	w.Header().Set("Content-Length", fmt.Sprint(len(body)))
	w.Write(body)
}

func (s *bundleServer) url() string { return s.URL + "/v1/bundles/tiny" }

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newFetcher(t *testing.T, client *http.Client, key testKey) (*Fetcher, *clock) {
	t.Helper()
	c := &clock{t: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)}
	return &Fetcher{Client: client, Dir: filepath.Join(t.TempDir(), "bundles"), VerificationKey: key.pub, Now: c.now}, c
}

func readMetaFile(t *testing.T, f *Fetcher, assignment string) meta {
	t.Helper()
	m, err := readMeta(filepath.Join(f.Dir, assignment, MetaFile))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// checkNoTemps fails if a temporary file is left in the assignment's
// directory.
func checkNoTemps(t *testing.T, f *Fetcher, assignment string) {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(f.Dir, assignment))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != BundleFile && e.Name() != MetaFile {
			t.Errorf("unexpected file %s left in the assignment directory", e.Name())
		}
	}
}

func checkMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != want {
		t.Errorf("%s: mode %o, want %o", path, got, want)
	}
}

// summary is what tests compare of a Bundle (Baseline is checked apart).
type summary struct {
	Assignment, Source, Path, Revision, ETag string
	FetchedAt                                time.Time
	Changed                                  bool
}

func summarize(b Bundle) summary {
	return summary{b.Assignment, b.Source, b.Path, b.Revision, b.ETag, b.FetchedAt, b.Changed}
}

func TestFetchFirstThenNotModified(t *testing.T) {
	key := newKey(t)
	v1 := buildBundle(t, "1.0.0", &key)
	srv := newBundleServer(t, v1)
	f, clk := newFetcher(t, srv.Client(), key)
	t0 := clk.now()

	b, err := f.Fetch(context.Background(), "linux", srv.url())
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(f.Dir, "linux", BundleFile)
	want := summary{"linux", srv.url(), path, digest(v1), etagOf(v1), t0, true}
	if diff := cmp.Diff(want, summarize(b)); diff != "" {
		t.Errorf("first Fetch (-want +got):\n%s", diff)
	}
	if b.Baseline == nil || b.Baseline.Name != "tiny" || b.Baseline.Version != "1.0.0" {
		t.Errorf("Baseline = %+v, want the tiny pack 1.0.0", b.Baseline)
	}
	if srv.inm[0] != "" {
		t.Errorf("first request carried If-None-Match %q", srv.inm[0])
	}
	if srv.encodingHdr[0] != "identity" {
		t.Errorf("Accept-Encoding = %q, want identity (the revision is the digest of the served bytes)", srv.encodingHdr[0])
	}
	stored, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(stored, v1) {
		t.Error("stored bundle differs from the served one")
	}
	checkMode(t, path, 0o600)
	checkMode(t, filepath.Join(f.Dir, "linux", MetaFile), 0o600)
	checkMode(t, filepath.Join(f.Dir, "linux"), 0o700)
	wantMeta := meta{Kind: KindBundle, Source: srv.url(), ETag: etagOf(v1), Revision: digest(v1), FetchedAt: t0, VerifiedAt: t0}
	if diff := cmp.Diff(wantMeta, readMetaFile(t, f, "linux")); diff != "" {
		t.Errorf("meta.json (-want +got):\n%s", diff)
	}
	// meta.json uses the documented names.
	raw, err := os.ReadFile(filepath.Join(f.Dir, "linux", MetaFile))
	if err != nil {
		t.Fatal(err)
	}
	var names map[string]any
	if err := json.Unmarshal(raw, &names); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"kind", "source", "etag", "revision", "fetched_at", "verified_at"} {
		if _, ok := names[k]; !ok {
			t.Errorf("meta.json has no %q: %s", k, raw)
		}
	}

	clk.advance(time.Hour)
	t1 := clk.now()
	b, err = f.Fetch(context.Background(), "linux", srv.url())
	if err != nil {
		t.Fatal(err)
	}
	if got := srv.lastINM(); got != etagOf(v1) {
		t.Errorf("second request If-None-Match = %q, want %q", got, etagOf(v1))
	}
	want.FetchedAt, want.Changed = t1, false
	if diff := cmp.Diff(want, summarize(b)); diff != "" {
		t.Errorf("Fetch after 304 (-want +got):\n%s", diff)
	}
	wantMeta.FetchedAt = t1 // verified_at stays: nothing new was verified
	if diff := cmp.Diff(wantMeta, readMetaFile(t, f, "linux")); diff != "" {
		t.Errorf("meta.json after 304 (-want +got):\n%s", diff)
	}
	// A restart (a new Fetcher on the same directory) sees the same.
	f2 := &Fetcher{Client: srv.Client(), Dir: f.Dir, VerificationKey: key.pub, Now: clk.now}
	lg, err := f2.LastGood("linux")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, summarize(lg)); diff != "" {
		t.Errorf("LastGood (-want +got):\n%s", diff)
	}
	checkNoTemps(t, f, "linux")
}

func TestFetchChanged(t *testing.T) {
	key := newKey(t)
	v1 := buildBundle(t, "1.0.0", &key)
	v2 := buildBundle(t, "1.1.0", &key)
	srv := newBundleServer(t, v1)
	f, clk := newFetcher(t, srv.Client(), key)
	if _, err := f.Fetch(context.Background(), "linux", srv.url()); err != nil {
		t.Fatal(err)
	}
	srv.set(v2)
	clk.advance(time.Minute)
	b, err := f.Fetch(context.Background(), "linux", srv.url())
	if err != nil {
		t.Fatal(err)
	}
	if got := srv.lastINM(); got != etagOf(v1) {
		t.Errorf("If-None-Match = %q, want the stored %q", got, etagOf(v1))
	}
	want := summary{"linux", srv.url(), filepath.Join(f.Dir, "linux", BundleFile), digest(v2), etagOf(v2), clk.now(), true}
	if diff := cmp.Diff(want, summarize(b)); diff != "" {
		t.Errorf("Fetch of a changed bundle (-want +got):\n%s", diff)
	}
	if b.Baseline.Version != "1.1.0" {
		t.Errorf("Baseline version %s, want 1.1.0", b.Baseline.Version)
	}
	// The same bytes again without an ETag: a 200, unchanged.
	srv.mu.Lock()
	srv.noETag = true
	srv.mu.Unlock()
	if _, err := f.Fetch(context.Background(), "linux", srv.url()); err != nil {
		t.Fatal(err)
	}
	b, err = f.Fetch(context.Background(), "linux", srv.url())
	if err != nil {
		t.Fatal(err)
	}
	if got := srv.lastINM(); got != "" {
		t.Errorf("If-None-Match %q sent though the source gave no ETag", got)
	}
	if b.Changed || b.Revision != digest(v2) || b.ETag != "" {
		t.Errorf("refetch without ETag: Changed %v, Revision %s, ETag %q; want unchanged %s without ETag", b.Changed, b.Revision, b.ETag, digest(v2))
	}
	checkNoTemps(t, f, "linux")
}

func TestFetchRefusedKeepsLastGood(t *testing.T) {
	key := newKey(t)
	other := newKey(t)
	good := buildBundle(t, "1.0.0", &key)
	tests := []struct {
		name    string
		body    []byte
		chunked bool
		maxSize int64
		reason  string
	}{
		{name: "unsigned", body: buildBundle(t, "2.0.0", nil), reason: "not signed"},
		{name: "tampered", body: tamper(t, buildBundle(t, "2.0.0", &key)), reason: "verification failed"},
		{name: "wrong key", body: buildBundle(t, "2.0.0", &other), reason: "not by the verification key"},
		{name: "oversized by Content-Length", body: buildBundle(t, "2.0.0", &key), maxSize: int64(len(good)) + 10, reason: "oversized: Content-Length"},
		{name: "oversized chunked", body: buildBundle(t, "2.0.0", &key), chunked: true, maxSize: int64(len(good)) + 10, reason: "oversized: more than the limit"},
		{name: "not a bundle", body: []byte("<html>maintenance</html>"), reason: "not a gzipped tar"},
		{name: "empty", body: []byte{}, reason: "not a gzipped tar"},
	}
	// The oversized bundles must really be over the limit.
	padded := buildBundle(t, "2.0.0-with-a-much-longer-version-string-to-grow-it", &key)
	tests[3].body, tests[4].body = padded, padded
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.maxSize != 0 && int64(len(tt.body)) <= tt.maxSize {
				t.Fatalf("test bundle of %d bytes is not over the limit %d", len(tt.body), tt.maxSize)
			}
			srv := newBundleServer(t, good)
			f, clk := newFetcher(t, srv.Client(), key)
			f.MaxSize = tt.maxSize
			logger, hook := logtest.NewNullLogger()
			f.Logger = logger
			first, err := f.Fetch(context.Background(), "linux", srv.url())
			if err != nil {
				t.Fatal(err)
			}
			srv.set(tt.body)
			srv.mu.Lock()
			srv.chunked = tt.chunked
			srv.mu.Unlock()
			clk.advance(time.Hour)
			_, err = f.Fetch(context.Background(), "linux", srv.url())
			if !errors.Is(err, ErrRefused) {
				t.Fatalf("Fetch = %v, want ErrRefused", err)
			}
			if !strings.Contains(err.Error(), tt.reason) || strings.Contains(err.Error(), ".tmp-") {
				t.Errorf("error %q does not say %q, or names the temporary file", err, tt.reason)
			}
			if e := hook.LastEntry(); e == nil || e.Level != logrus.WarnLevel {
				t.Errorf("refusal not logged as a warning: %+v", e)
			}
			lg, err := f.LastGood("linux")
			if err != nil {
				t.Fatal(err)
			}
			first.Changed = false // LastGood never says changed
			if diff := cmp.Diff(summarize(first), summarize(lg)); diff != "" {
				t.Errorf("LastGood after a refusal (-want +got):\n%s", diff)
			}
			stored, err := os.ReadFile(lg.Path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(stored, good) {
				t.Error("the stored bundle was changed by a refused fetch")
			}
			checkNoTemps(t, f, "linux")
		})
	}
}

func TestFetchRefusedWithoutLastGood(t *testing.T) {
	key := newKey(t)
	srv := newBundleServer(t, buildBundle(t, "1.0.0", nil))
	f, _ := newFetcher(t, srv.Client(), key)
	if _, err := f.Fetch(context.Background(), "linux", srv.url()); !errors.Is(err, ErrRefused) {
		t.Fatalf("Fetch of an unsigned bundle = %v, want ErrRefused", err)
	}
	if _, err := f.LastGood("linux"); !errors.Is(err, ErrNoBundle) {
		t.Errorf("LastGood = %v, want ErrNoBundle", err)
	}
}

func TestFetchFailuresKeepLastGood(t *testing.T) {
	key := newKey(t)
	good := buildBundle(t, "1.0.0", &key)
	srv := newBundleServer(t, good)
	f, _ := newFetcher(t, srv.Client(), key)
	first, err := f.Fetch(context.Background(), "linux", srv.url())
	if err != nil {
		t.Fatal(err)
	}
	first.Changed = false
	check := func(what string) {
		t.Helper()
		lg, err := f.LastGood("linux")
		if err != nil {
			t.Fatalf("%s: LastGood: %v", what, err)
		}
		if diff := cmp.Diff(summarize(first), summarize(lg)); diff != "" {
			t.Errorf("%s: LastGood (-want +got):\n%s", what, diff)
		}
	}

	srv.setStatus(http.StatusInternalServerError)
	_, err = f.Fetch(context.Background(), "linux", srv.url())
	if err == nil || errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), "500") || !strings.Contains(err.Error(), "the server is unwell") {
		t.Errorf("Fetch from a failing server = %v, want a 500 error quoting the server, not a refusal", err)
	}
	check("500")

	srv.setStatus(http.StatusNotFound)
	if _, err := f.Fetch(context.Background(), "linux", srv.url()); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("Fetch of a missing bundle = %v, want a 404 error", err)
	}
	check("404")

	url := srv.url()
	srv.Close()
	_, err = f.Fetch(context.Background(), "linux", url)
	if err == nil || errors.Is(err, ErrRefused) {
		t.Errorf("Fetch from a closed server = %v, want a network error", err)
	}
	check("connection refused")

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := f.Fetch(ctx, "linux", url); !errors.Is(err, context.Canceled) {
		t.Errorf("Fetch with a cancelled context = %v, want context.Canceled", err)
	}
	check("cancelled")
	checkNoTemps(t, f, "linux")
}

func TestFetchUntrustedServer(t *testing.T) {
	key := newKey(t)
	srv := newBundleServer(t, buildBundle(t, "1.0.0", &key))
	// A client that does not trust the test server's certificate.
	f, _ := newFetcher(t, &http.Client{Transport: &http.Transport{}}, key)
	_, err := f.Fetch(context.Background(), "linux", srv.url())
	if err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("Fetch from an untrusted server = %v, want a certificate error", err)
	}
	if _, err := f.LastGood("linux"); !errors.Is(err, ErrNoBundle) {
		t.Errorf("LastGood = %v, want ErrNoBundle", err)
	}
}

func TestFetchRedirectToHTTPRefused(t *testing.T) {
	key := newKey(t)
	body := buildBundle(t, "1.0.0", &key)
	// The plain HTTP server is the redirect target whose use is refused.
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(body) }))
	defer plain.Close()
	tlsSrv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, plain.URL+"/bundle.tar.gz", http.StatusFound)
	}))
	defer tlsSrv.Close()
	f, _ := newFetcher(t, tlsSrv.Client(), key)
	_, err := f.Fetch(context.Background(), "linux", tlsSrv.URL+"/b")
	if err == nil || !strings.Contains(err.Error(), "HTTPS only") {
		t.Errorf("Fetch redirected to http:// = %v, want an HTTPS-only error", err)
	}
	if _, err := f.LastGood("linux"); !errors.Is(err, ErrNoBundle) {
		t.Errorf("LastGood = %v, want ErrNoBundle", err)
	}
}

func TestLastGoodTamperedOnDisk(t *testing.T) {
	key := newKey(t)
	good := buildBundle(t, "1.0.0", &key)
	srv := newBundleServer(t, good)
	f, _ := newFetcher(t, srv.Client(), key)
	b, err := f.Fetch(context.Background(), "linux", srv.url())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(b.Path, tamper(t, good), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := f.LastGood("linux"); !errors.Is(err, ErrRefused) {
		t.Fatalf("LastGood of a tampered file = %v, want ErrRefused", err)
	}
	// The next fetch does not trust the stored ETag: it fetches the bundle
	// again unconditionally and repairs the store.
	b, err = f.Fetch(context.Background(), "linux", srv.url())
	if err != nil {
		t.Fatal(err)
	}
	if got := srv.lastINM(); got != "" {
		t.Errorf("If-None-Match %q sent for a stored bundle that does not verify", got)
	}
	if !b.Changed || b.Revision != digest(good) {
		t.Errorf("repairing fetch: Changed %v Revision %s, want changed %s", b.Changed, b.Revision, digest(good))
	}
	if _, err := f.LastGood("linux"); err != nil {
		t.Errorf("LastGood after the repair: %v", err)
	}

	// A stored file that is no longer there: no bundle.
	if err := os.Remove(b.Path); err != nil {
		t.Fatal(err)
	}
	if _, err := f.LastGood("linux"); !errors.Is(err, ErrNoBundle) {
		t.Errorf("LastGood without the file = %v, want ErrNoBundle", err)
	}
}

func TestLastGoodMetaOutOfStep(t *testing.T) {
	// A crash between renaming the new bundle and writing meta.json leaves
	// a good bundle with the previous bundle's meta: the bundle is used, but
	// its ETag is not trusted.
	key := newKey(t)
	v1 := buildBundle(t, "1.0.0", &key)
	v2 := buildBundle(t, "2.0.0", &key)
	srv := newBundleServer(t, v1)
	f, _ := newFetcher(t, srv.Client(), key)
	b, err := f.Fetch(context.Background(), "linux", srv.url())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(b.Path, v2, 0o600); err != nil {
		t.Fatal(err)
	}
	lg, err := f.LastGood("linux")
	if err != nil {
		t.Fatal(err)
	}
	want := summary{"linux", srv.url(), b.Path, digest(v2), "", time.Time{}, false}
	if diff := cmp.Diff(want, summarize(lg)); diff != "" {
		t.Errorf("LastGood (-want +got):\n%s", diff)
	}
	b, err = f.Fetch(context.Background(), "linux", srv.url())
	if err != nil {
		t.Fatal(err)
	}
	if got := srv.lastINM(); got != "" {
		t.Errorf("If-None-Match %q sent with an ETag of another bundle", got)
	}
	if !b.Changed || b.Revision != digest(v1) {
		t.Errorf("Fetch: Changed %v Revision %s, want changed back to %s", b.Changed, b.Revision, digest(v1))
	}
}

func TestFetchOtherSourceIsUnconditional(t *testing.T) {
	key := newKey(t)
	body := buildBundle(t, "1.0.0", &key)
	srv := newBundleServer(t, body)
	f, _ := newFetcher(t, srv.Client(), key)
	if _, err := f.Fetch(context.Background(), "linux", srv.url()); err != nil {
		t.Fatal(err)
	}
	// The same server under another URL (the configured source changed):
	// the stored ETag is not the new source's to compare.
	b, err := f.Fetch(context.Background(), "linux", srv.url()+"?v=2")
	if err != nil {
		t.Fatal(err)
	}
	if got := srv.lastINM(); got != "" {
		t.Errorf("If-None-Match %q sent to a different source", got)
	}
	if b.Changed || b.Source != srv.url()+"?v=2" {
		t.Errorf("Fetch: Changed %v Source %s; want unchanged bytes from the new source", b.Changed, b.Source)
	}
}

func TestFetchLocalDirectory(t *testing.T) {
	dir := t.TempDir()
	writePack(t, dir, "1.0.0")
	// No verification key needed for a directory: it is trusted local
	// configuration.
	f := &Fetcher{Dir: filepath.Join(t.TempDir(), "bundles")}
	b, err := f.Fetch(context.Background(), "local", dir)
	if err != nil {
		t.Fatal(err)
	}
	base, err := engine.LoadBaselineDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(base.Digest, "sha256:") {
		t.Fatalf("baseline digest %q", base.Digest)
	}
	if b.Path != dir || b.Revision != base.Digest || !b.Changed || b.ETag != "" {
		t.Errorf("first Fetch = %+v, want Path %s Revision %s changed", summarize(b), dir, base.Digest)
	}
	b, err = f.Fetch(context.Background(), "local", dir)
	if err != nil {
		t.Fatal(err)
	}
	if b.Changed || b.Revision != base.Digest {
		t.Errorf("second Fetch: Changed %v Revision %s, want unchanged %s", b.Changed, b.Revision, base.Digest)
	}
	if err := os.WriteFile(filepath.Join(dir, "rules", "extra.rego"), []byte("package gcrun.tiny.extra\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err = f.Fetch(context.Background(), "local", dir)
	if err != nil {
		t.Fatal(err)
	}
	if !b.Changed || b.Revision == base.Digest {
		t.Errorf("Fetch after an edit: Changed %v Revision %s, want a new revision", b.Changed, b.Revision)
	}
	if m := readMetaFile(t, f, "local"); m.Kind != KindDirectory || m.Revision != b.Revision || m.Source != dir {
		t.Errorf("meta.json = %+v", m)
	}
	// A directory has no stored copy.
	if _, err := f.LastGood("local"); err == nil {
		t.Error("LastGood without a verification key succeeded")
	}
	f.VerificationKey = newKey(t).pub
	if _, err := f.LastGood("local"); !errors.Is(err, ErrNoBundle) {
		t.Errorf("LastGood of a directory assignment = %v, want ErrNoBundle", err)
	}
	// A broken pack is an error.
	if err := os.WriteFile(filepath.Join(dir, "pack.yaml"), []byte("name: [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Fetch(context.Background(), "local", dir); err == nil || !strings.Contains(err.Error(), "pack.yaml") {
		t.Errorf("Fetch of a broken pack = %v, want an error naming pack.yaml", err)
	}
}

func TestFetchLocalFile(t *testing.T) {
	key := newKey(t)
	v1 := buildBundle(t, "1.0.0", &key)
	dir := t.TempDir()
	path := filepath.Join(dir, "linux.tar.gz")
	if err := os.WriteFile(path, v1, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, source := range []string{path, "file://" + path} {
		t.Run(source, func(t *testing.T) {
			f, clk := newFetcher(t, nil, key)
			b, err := f.Fetch(context.Background(), "linux", source)
			if err != nil {
				t.Fatal(err)
			}
			stored := filepath.Join(f.Dir, "linux", BundleFile)
			want := summary{"linux", source, stored, digest(v1), "", clk.now(), true}
			if diff := cmp.Diff(want, summarize(b)); diff != "" {
				t.Errorf("Fetch (-want +got):\n%s", diff)
			}
			b, err = f.Fetch(context.Background(), "linux", source)
			if err != nil {
				t.Fatal(err)
			}
			if b.Changed {
				t.Error("second Fetch of the same file says changed")
			}
		})
	}

	// A bad file is refused like a download, and the stored copy stays.
	f, _ := newFetcher(t, nil, key)
	if _, err := f.Fetch(context.Background(), "linux", path); err != nil {
		t.Fatal(err)
	}
	for name, bad := range map[string][]byte{
		"unsigned": buildBundle(t, "2.0.0", nil),
		"tampered": tamper(t, v1),
	} {
		if err := os.WriteFile(path, bad, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := f.Fetch(context.Background(), "linux", path); !errors.Is(err, ErrRefused) {
			t.Errorf("%s: Fetch = %v, want ErrRefused", name, err)
		}
		lg, err := f.LastGood("linux")
		if err != nil || lg.Revision != digest(v1) {
			t.Errorf("%s: LastGood = %s, %v; want %s", name, lg.Revision, err, digest(v1))
		}
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Fetch(context.Background(), "linux", path); err == nil || errors.Is(err, ErrRefused) {
		t.Errorf("Fetch of a missing file = %v, want a plain error", err)
	}
	if _, err := f.LastGood("linux"); err != nil {
		t.Errorf("LastGood after a missing file: %v", err)
	}
}

func TestFetchBadConfiguration(t *testing.T) {
	key := newKey(t)
	dir := t.TempDir()
	f, _ := newFetcher(t, http.DefaultClient, key)
	tests := []struct {
		assignment, source, want string
	}{
		{"linux", "http://gcrun.example/v1/bundles/linux", "HTTPS only"},
		{"linux", "ftp://gcrun.example/linux.tar.gz", "HTTPS only"},
		{"linux", "relative/pack", "absolute path"},
		{"linux", "", "no bundle source"},
		{"linux", "https:///no-host", "no host"},
		{"linux", "file://other-host/x.tar.gz", "local file"},
		{"linux", "file://" + dir, "bundle file"},
		{"linux", filepath.Join(dir, "missing.tar.gz"), "no such file"},
		{"../escape", dir, "assignment name"},
		{"", dir, "assignment name"},
		{".hidden", dir, "assignment name"},
		{"a/b", dir, "assignment name"},
	}
	for _, tt := range tests {
		_, err := f.Fetch(context.Background(), tt.assignment, tt.source)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Fetch(%q, %q) = %v, want an error containing %q", tt.assignment, tt.source, err, tt.want)
		}
	}
	if _, err := f.LastGood("../x"); err == nil {
		t.Error("LastGood accepted a path as assignment name")
	}

	// Bundle sources need a usable verification key.
	path := filepath.Join(dir, "b.tar.gz")
	if err := os.WriteFile(path, buildBundle(t, "1.0.0", &key), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, k := range map[string][]byte{"none": nil, "garbage": []byte("not a key"), "private": key.priv} {
		f.VerificationKey = k
		if _, err := f.Fetch(context.Background(), "linux", path); err == nil || !strings.Contains(err.Error(), "verification key") {
			t.Errorf("key %s: Fetch = %v, want a verification key error", name, err)
		}
	}
}

func TestStale(t *testing.T) {
	c := &clock{t: time.Date(2025, 3, 15, 0, 0, 0, 0, time.UTC)}
	f := &Fetcher{Now: c.now}
	ttl := 336 * time.Hour
	tests := []struct {
		fetched time.Time
		ttl     time.Duration
		want    bool
	}{
		{c.t.Add(-time.Hour), ttl, false},
		{c.t.Add(-ttl), ttl, false},
		{c.t.Add(-ttl - time.Second), ttl, true},
		{time.Time{}, ttl, true},
		{c.t.Add(-1000 * time.Hour), 0, false},
	}
	for _, tt := range tests {
		if got := f.Stale(Bundle{FetchedAt: tt.fetched}, tt.ttl); got != tt.want {
			t.Errorf("Stale(fetched %v, ttl %v) = %v, want %v", tt.fetched, tt.ttl, got, tt.want)
		}
	}
}

func TestFetchConcurrent(t *testing.T) {
	key := newKey(t)
	body := buildBundle(t, "1.0.0", &key)
	srv := newBundleServer(t, body)
	f, _ := newFetcher(t, srv.Client(), key)
	var wg sync.WaitGroup
	errs := make([]error, 6)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = f.Fetch(context.Background(), []string{"a", "b"}[i%2], srv.url())
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("Fetch %d: %v", i, err)
		}
	}
	for _, a := range []string{"a", "b"} {
		lg, err := f.LastGood(a)
		if err != nil || lg.Revision != digest(body) {
			t.Errorf("LastGood(%s) = %s, %v", a, lg.Revision, err)
		}
		checkNoTemps(t, f, a)
	}
}

func TestFetchRepairsDamagedState(t *testing.T) {
	key := newKey(t)
	body := buildBundle(t, "1.0.0", &key)
	srv := newBundleServer(t, body)
	f, _ := newFetcher(t, srv.Client(), key)
	b, err := f.Fetch(context.Background(), "linux", srv.url())
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(f.Dir, "linux")
	// A crash left a temporary file, and meta.json is damaged.
	leftover := filepath.Join(dir, "."+BundleFile+".tmp-12345")
	if err := os.WriteFile(leftover, []byte("partial"), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string]string{"not JSON": "{", "unknown kind": `{"kind": "zip", "source": "x"}`} {
		if err := os.WriteFile(filepath.Join(dir, MetaFile), []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := f.LastGood("linux")
		if err == nil || errors.Is(err, ErrNoBundle) || !strings.Contains(err.Error(), MetaFile) {
			t.Errorf("%s: LastGood = %v, want an error naming %s", name, err, MetaFile)
		}
		got, err := f.Fetch(context.Background(), "linux", srv.url())
		if err != nil {
			t.Fatalf("%s: Fetch: %v", name, err)
		}
		if got.Revision != b.Revision || srv.lastINM() != "" {
			t.Errorf("%s: Fetch = %s (If-None-Match %q), want an unconditional fetch of %s", name, got.Revision, srv.lastINM(), b.Revision)
		}
		if m := readMetaFile(t, f, "linux"); m.Revision != b.Revision || m.Kind != KindBundle {
			t.Errorf("%s: meta.json not repaired: %+v", name, m)
		}
	}
	checkNoTemps(t, f, "linux")
}
