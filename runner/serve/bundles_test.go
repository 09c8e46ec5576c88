package serve

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

func TestBundles(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, "bundles")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	content := []byte("pretend this is a signed bundle\x00\x01\x02")
	write := func(name string, b []byte) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("linux.tar.gz", content)
	write("v1.2-test_x.tar.gz", []byte("other"))
	if err := os.WriteFile(filepath.Join(base, "secret.tar.gz"), []byte("outside"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(base, "secret.tar.gz"), filepath.Join(dir, "escape.tar.gz")); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "adir.tar.gz"), 0o755); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, newFakeStore(), func(o *Options) { o.BundlesDir = dir })

	etagOf := func(b []byte) string {
		sum := sha256.Sum256(b)
		return `"sha256-` + hex.EncodeToString(sum[:]) + `"`
	}
	get := func(path string, hdr http.Header) (*http.Response, []byte) {
		t.Helper()
		resp := e.doResp("GET", path, hdr, nil)
		defer resp.Body.Close()
		var buf bytes.Buffer
		if _, err := buf.ReadFrom(resp.Body); err != nil {
			t.Fatal(err)
		}
		return resp, buf.Bytes()
	}

	resp, body := get("/v1/bundles/linux", nil)
	if resp.StatusCode != 200 || !bytes.Equal(body, content) {
		t.Fatalf("GET: %d %q", resp.StatusCode, body)
	}
	if got, want := resp.Header.Get("ETag"), etagOf(content); got != want {
		t.Errorf("ETag %s, want %s", got, want)
	}
	if got := resp.Header.Get("Content-Length"); got != strconv.Itoa(len(content)) {
		t.Errorf("Content-Length %q", got)
	}
	if got := resp.Header.Get("Content-Type"); got != "application/gzip" {
		t.Errorf("Content-Type %q", got)
	}
	if resp, body := get("/v1/bundles/v1.2-test_x", nil); resp.StatusCode != 200 || string(body) != "other" {
		t.Errorf("dotted name: %d %q", resp.StatusCode, body)
	}

	for _, inm := range []string{etagOf(content), `"x", ` + etagOf(content), "W/" + etagOf(content), "*"} {
		resp, body := get("/v1/bundles/linux", http.Header{"If-None-Match": {inm}})
		if resp.StatusCode != 304 || len(body) != 0 {
			t.Errorf("If-None-Match %s: %d, %d bytes; want 304", inm, resp.StatusCode, len(body))
		}
		if resp.Header.Get("ETag") != etagOf(content) {
			t.Errorf("304 without the ETag")
		}
	}
	if resp, _ := get("/v1/bundles/linux", http.Header{"If-None-Match": {`"stale"`}}); resp.StatusCode != 200 {
		t.Errorf("stale If-None-Match: %d, want 200", resp.StatusCode)
	}

	// A new bundle (same size, same mtime even) gets a new ETag.
	newContent := bytes.ToUpper(content)
	fi, _ := os.Stat(filepath.Join(dir, "linux.tar.gz"))
	tmp := filepath.Join(dir, "linux.tmp")
	if err := os.WriteFile(tmp, newContent, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(tmp, time.Time{}, fi.ModTime()); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, "linux.tar.gz")); err != nil {
		t.Fatal(err)
	}
	resp, body = get("/v1/bundles/linux", http.Header{"If-None-Match": {etagOf(content)}})
	if resp.StatusCode != 200 || !bytes.Equal(body, newContent) || resp.Header.Get("ETag") != etagOf(newContent) {
		t.Errorf("after replacing the bundle: %d %q %s", resp.StatusCode, body, resp.Header.Get("ETag"))
	}

	for _, path := range []string{
		"/v1/bundles/missing",
		"/v1/bundles/escape",  // symlink out of the directory
		"/v1/bundles/adir",    // not a regular file
		"/v1/bundles/Linux",   // upper case is not a bundle name
		"/v1/bundles/.hidden", // leading dot
		"/v1/bundles/..%2fsecret",
		"/v1/bundles/..%2Fbundles%2Flinux",
		"/v1/bundles/%2e%2e",
		"/v1/bundles/linux.tar.gz%00",
		"/v1/bundles/a%5cb",
	} {
		resp, body := get(path, nil)
		if resp.StatusCode != 404 {
			t.Errorf("%s: %d %q, want 404", path, resp.StatusCode, body)
		}
		if bytes.Contains(body, []byte("outside")) {
			t.Errorf("%s served a file outside the directory", path)
		}
	}
	// ServeMux cleans paths with dot segments by redirecting; the
	// redirect stays inside /v1/bundles/ or leaves it for a 404.
	e.client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	if resp, body := get("/v1/bundles/../../etc/passwd", nil); resp.StatusCode == 200 {
		t.Errorf("dot segments: 200 %q", body)
	}

	t.Run("no bundles dir", func(t *testing.T) {
		e := newEnv(t, newFakeStore(), nil)
		resp := e.doResp("GET", "/v1/bundles/linux", nil, nil)
		resp.Body.Close()
		if resp.StatusCode != 404 {
			t.Errorf("%d, want 404", resp.StatusCode)
		}
	})
}

func TestNewServerOptions(t *testing.T) {
	if _, err := NewServer(Options{}); err == nil {
		t.Error("no store: no error")
	}
	if _, err := NewServer(Options{Store: newFakeStore(), BundlesDir: filepath.Join(t.TempDir(), "missing")}); err == nil {
		t.Error("missing bundles dir: no error")
	}
	if _, err := NewServer(Options{Store: newFakeStore(), MaxInflight: -1}); err == nil {
		t.Error("negative limit: no error")
	}
}
