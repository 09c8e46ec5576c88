package identity

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
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

	"github.com/gcrun/gcrun/report"
	"github.com/google/go-cmp/cmp"
)

func checkMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != want {
		t.Errorf("%s: mode %04o, want %04o", path, got, want)
	}
}

func checkAbsent(t *testing.T, paths ...string) {
	t.Helper()
	for _, p := range paths {
		if _, err := os.Lstat(p); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s exists (%v), want it absent", p, err)
		}
	}
}

// dirFiles lists the names in dir.
func dirFiles(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func readKeyFile(t *testing.T, dir string) ed25519.PrivateKey {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, KeyFile))
	if err != nil {
		t.Fatal(err)
	}
	key, err := report.ParsePrivateKeyPEM(data)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

func TestLoadOrCreate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "var", "lib", "gcrun")
	id, err := LoadOrCreate(dir)
	if err != nil {
		t.Fatal(err)
	}
	checkMode(t, dir, 0o700)
	checkMode(t, filepath.Join(dir, KeyFile), 0o600)
	if diff := cmp.Diff([]string{KeyFile}, dirFiles(t, dir)); diff != "" {
		t.Errorf("state dir files (-want +got):\n%s", diff)
	}
	if !id.Key.Equal(readKeyFile(t, dir)) {
		t.Error("the returned key is not the stored one")
	}
	if id.HostID != "" || id.Server != "" || !id.EnrolledAt.IsZero() || id.Dir() != dir {
		t.Errorf("new identity = %+v, want not enrolled in %s", id, dir)
	}
	// The file is PKCS#8 PEM, as report.MarshalPrivateKeyPEM writes it.
	data, _ := os.ReadFile(filepath.Join(dir, KeyFile))
	want, _ := report.MarshalPrivateKeyPEM(id.Key)
	if !bytes.Equal(data, want) {
		t.Errorf("host.key = %q, want %q", data, want)
	}

	again, err := LoadOrCreate(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !again.Key.Equal(id.Key) {
		t.Error("reloading created a new key")
	}
	if again.KeyID() != report.KeyID(id.Key.Public().(ed25519.PublicKey)) {
		t.Error("KeyID is not report.KeyID of the key")
	}
	if _, err := LoadOrCreate(""); err == nil {
		t.Error("LoadOrCreate(\"\") succeeded")
	}
}

func TestLoadOrCreateRefusesBadKeys(t *testing.T) {
	for _, mode := range []os.FileMode{0o644, 0o640, 0o604, 0o660, 0o700, 0o610} {
		t.Run(fmt.Sprintf("mode %04o", mode), func(t *testing.T) {
			dir := t.TempDir()
			if _, err := LoadOrCreate(dir); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(dir, KeyFile)
			if err := os.Chmod(path, mode); err != nil {
				t.Fatal(err)
			}
			_, err := LoadOrCreate(dir)
			if err == nil || !strings.Contains(err.Error(), "chmod 600 "+path) || !strings.Contains(err.Error(), fmt.Sprintf("mode %04o", mode)) {
				t.Errorf("LoadOrCreate with host.key mode %04o = %v, want an error telling to chmod 600", mode, err)
			}
		})
	}
	for _, mode := range []os.FileMode{0o600, 0o400} {
		dir := t.TempDir()
		if _, err := LoadOrCreate(dir); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(filepath.Join(dir, KeyFile), mode); err != nil {
			t.Fatal(err)
		}
		if _, err := LoadOrCreate(dir); err != nil {
			t.Errorf("mode %04o refused: %v", mode, err)
		}
	}

	t.Run("symlink", func(t *testing.T) {
		dir := t.TempDir()
		other := t.TempDir()
		if _, err := LoadOrCreate(other); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(filepath.Join(other, KeyFile), filepath.Join(dir, KeyFile)); err != nil {
			t.Fatal(err)
		}
		if _, err := LoadOrCreate(dir); err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Errorf("LoadOrCreate with a symlinked key = %v", err)
		}
	})
	t.Run("garbage", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, KeyFile)
		if err := os.WriteFile(path, []byte("not a key\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := LoadOrCreate(dir); err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("LoadOrCreate with a garbage key = %v, want an error naming %s", err, path)
		}
		// The bad key was not replaced.
		if data, _ := os.ReadFile(path); string(data) != "not a key\n" {
			t.Errorf("host.key was overwritten: %q", data)
		}
	})
	t.Run("bad host.json", func(t *testing.T) {
		for name, data := range map[string]string{
			"not JSON":      "{",
			"unknown field": `{"host_id": "h-1", "server": "https://x", "enrolled_at": "2025-03-01T00:00:00Z", "extra": 1}`,
			"empty host id": `{"host_id": "", "server": "https://x"}`,
			"space in id":   `{"host_id": "h 1", "server": "https://x"}`,
		} {
			dir := t.TempDir()
			if _, err := LoadOrCreate(dir); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(dir, HostFile)
			if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
				t.Fatal(err)
			}
			if _, err := LoadOrCreate(dir); err == nil || !strings.Contains(err.Error(), path) {
				t.Errorf("%s: LoadOrCreate = %v, want an error naming %s", name, err, path)
			}
		}
	})
}

func TestLoadOrCreateConcurrent(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	ids := make([]*Identity, 8)
	errs := make([]error, len(ids))
	var wg sync.WaitGroup
	for i := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ids[i], errs[i] = LoadOrCreate(dir)
		}()
	}
	wg.Wait()
	stored := readKeyFile(t, dir)
	for i := range ids {
		if errs[i] != nil {
			t.Fatalf("LoadOrCreate %d: %v", i, errs[i])
		}
		if !ids[i].Key.Equal(stored) {
			t.Errorf("LoadOrCreate %d returned a key that is not the stored one", i)
		}
	}
	if diff := cmp.Diff([]string{KeyFile}, dirFiles(t, dir)); diff != "" {
		t.Errorf("state dir files (-want +got):\n%s", diff)
	}
}

// enrollServer is a TLS receiver for /v1/enroll and /v1/rotate.
type enrollServer struct {
	*httptest.Server
	mu       sync.Mutex
	secret   string
	hostID   string
	pub      ed25519.PublicKey // the host's registered key
	enrolled []enrollRequest
	status   int    // when set, answer with it and code
	code     string //
	rotated  []rotatePayload
	errs     []string
	// rotateAnswer, when set, is the raw body of a successful rotation.
	rotateAnswer string
}

func newEnrollServer(t *testing.T) *enrollServer {
	t.Helper()
	s := &enrollServer{secret: "s3cret", hostID: "h-0123456789abcdef"}
	s.Server = httptest.NewTLSServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *enrollServer) fail(format string, args ...any) {
	s.errs = append(s.errs, fmt.Sprintf(format, args...))
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"error": msg, "code": code})
}

func (s *enrollServer) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.Method != http.MethodPost {
		s.fail("method %s", r.Method)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/json" {
		s.fail("Content-Type %q", ct)
	}
	if s.status != 0 {
		writeError(w, s.status, s.code, "refused by the test")
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		s.fail("reading the body: %v", err)
		return
	}
	switch r.URL.Path {
	case EnrollPath:
		var req enrollRequest
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&req); err != nil {
			writeError(w, 400, "bad_request", err.Error())
			return
		}
		s.enrolled = append(s.enrolled, req)
		if req.Secret != s.secret {
			writeError(w, 401, "bad_secret", "wrong secret")
			return
		}
		pub, err := report.ParsePublicKeyPEM([]byte(req.PublicKey))
		if err != nil {
			writeError(w, 400, "bad_request", err.Error())
			return
		}
		s.pub = pub
		json.NewEncoder(w).Encode(map[string]string{"host_id": s.hostID})
	case RotatePath:
		if h := r.Header.Get("X-Gcrun-Host"); h != s.hostID {
			s.fail("rotate X-Gcrun-Host %q", h)
		}
		p, err := s.verifyRotate(body)
		if err != nil {
			writeError(w, 400, "bad_request", err.Error())
			return
		}
		s.rotated = append(s.rotated, p)
		newPub, err := report.ParsePublicKeyPEM([]byte(p.NewPublicKey))
		if err != nil {
			writeError(w, 400, "bad_request", err.Error())
			return
		}
		s.pub = newPub
		if s.rotateAnswer != "" {
			io.WriteString(w, s.rotateAnswer)
			return
		}
		json.NewEncoder(w).Encode(map[string]string{"host_id": s.hostID})
	default:
		http.NotFound(w, r)
	}
}

// verifyRotate checks a rotation envelope as the receiver must: signed by
// the host's registered key over DSSE's PAE, for this host, recent.
func (s *enrollServer) verifyRotate(body []byte) (rotatePayload, error) {
	var env report.Envelope
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&env); err != nil {
		return rotatePayload{}, err
	}
	if env.PayloadType != RotatePayloadType {
		return rotatePayload{}, fmt.Errorf("payloadType %q", env.PayloadType)
	}
	payload, err := base64.StdEncoding.DecodeString(env.Payload)
	if err != nil {
		return rotatePayload{}, err
	}
	if len(env.Signatures) != 1 {
		return rotatePayload{}, fmt.Errorf("%d signatures", len(env.Signatures))
	}
	sig, err := base64.StdEncoding.DecodeString(env.Signatures[0].Sig)
	if err != nil {
		return rotatePayload{}, err
	}
	if env.Signatures[0].KeyID != report.KeyID(s.pub) {
		return rotatePayload{}, fmt.Errorf("keyid %s, want the registered key's %s", env.Signatures[0].KeyID, report.KeyID(s.pub))
	}
	if !ed25519.Verify(s.pub, report.PAE(env.PayloadType, payload), sig) {
		return rotatePayload{}, errors.New("signature does not verify with the registered key")
	}
	var p rotatePayload
	pdec := json.NewDecoder(bytes.NewReader(payload))
	pdec.DisallowUnknownFields()
	if err := pdec.Decode(&p); err != nil {
		return rotatePayload{}, err
	}
	if p.HostID != s.hostID {
		return rotatePayload{}, fmt.Errorf("host_id %q", p.HostID)
	}
	ts, err := time.Parse(time.RFC3339, p.Time)
	if err != nil {
		return rotatePayload{}, err
	}
	if d := time.Since(ts); d < -time.Minute || d > time.Minute {
		return rotatePayload{}, fmt.Errorf("time %s is not now", p.Time)
	}
	return p, nil
}

func (s *enrollServer) checkNoErrors(t *testing.T) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range s.errs {
		t.Errorf("server: %s", e)
	}
}

func TestEnroll(t *testing.T) {
	srv := newEnrollServer(t)
	dir := t.TempDir()
	id, err := LoadOrCreate(dir)
	if err != nil {
		t.Fatal(err)
	}
	before := time.Now().UTC()
	if err := Enroll(context.Background(), srv.Client(), srv.URL+"/", "s3cret", id, "web-1", "0123abcd"); err != nil {
		t.Fatal(err)
	}
	srv.checkNoErrors(t)
	pubPEM, _ := report.MarshalPublicKeyPEM(id.PublicKey())
	want := []enrollRequest{{Secret: "s3cret", PublicKey: string(pubPEM), Hostname: "web-1", MachineID: "0123abcd"}}
	if diff := cmp.Diff(want, srv.enrolled); diff != "" {
		t.Errorf("enrol request (-want +got):\n%s", diff)
	}
	if !srv.pub.Equal(id.PublicKey()) {
		t.Error("the server registered another key than the host's")
	}
	if id.HostID != srv.hostID || id.CurrentHostID() != srv.hostID || id.Server != srv.URL || id.CurrentServer() != srv.URL {
		t.Errorf("identity after Enroll: host %q server %q, want %q %q", id.HostID, id.Server, srv.hostID, srv.URL)
	}
	if id.EnrolledAt.Before(before.Add(-time.Second)) || id.EnrolledAt.After(time.Now().Add(time.Second)) {
		t.Errorf("EnrolledAt %v is not now", id.EnrolledAt)
	}
	hostPath := filepath.Join(dir, HostFile)
	checkMode(t, hostPath, 0o600)
	var names map[string]any
	data, err := os.ReadFile(hostPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &names); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]any{"host_id": srv.hostID, "server": srv.URL, "enrolled_at": id.EnrolledAt.Format(time.RFC3339Nano)}, names); diff != "" {
		t.Errorf("host.json (-want +got):\n%s", diff)
	}
	again, err := LoadOrCreate(dir)
	if err != nil {
		t.Fatal(err)
	}
	if again.HostID != id.HostID || again.Server != id.Server || !again.EnrolledAt.Equal(id.EnrolledAt) || !again.Key.Equal(id.Key) {
		t.Errorf("reloaded identity %+v differs from %+v", again, id)
	}
	if diff := cmp.Diff([]string{HostFile, KeyFile}, dirFiles(t, dir)); diff != "" {
		t.Errorf("state dir files (-want +got):\n%s", diff)
	}
}

func TestEnrollErrors(t *testing.T) {
	srv := newEnrollServer(t)
	untrusted := &http.Client{Transport: &http.Transport{}}
	tests := []struct {
		name   string
		client *http.Client
		server string
		secret string
		status int
		code   string
		is     error
		want   string
	}{
		{name: "bad secret", secret: "wrong", is: ErrBadSecret},
		{name: "revoked", secret: "s3cret", status: 403, code: "revoked", is: ErrRevoked},
		{name: "server error", secret: "s3cret", status: 500, code: "internal", want: "500 Internal Server Error internal: refused by the test"},
		{name: "malformed", secret: "s3cret", status: 400, code: "bad_request", want: "400 Bad Request"},
		{name: "http server", server: "http://127.0.0.1:1", secret: "s3cret", want: "HTTPS only"},
		{name: "no secret", secret: "", want: "no enrolment secret"},
		{name: "untrusted certificate", client: untrusted, secret: "s3cret", want: "certificate"},
		{name: "no client", client: (*http.Client)(nil), secret: "s3cret", want: "no HTTP client"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv.mu.Lock()
			srv.status, srv.code = tt.status, tt.code
			srv.mu.Unlock()
			dir := t.TempDir()
			id, err := LoadOrCreate(dir)
			if err != nil {
				t.Fatal(err)
			}
			c, server := srv.Client(), srv.URL
			if tt.client != nil || tt.name == "no client" {
				c = tt.client
			}
			if tt.server != "" {
				server = tt.server
			}
			err = Enroll(context.Background(), c, server, tt.secret, id, "web-1", "m")
			if err == nil {
				t.Fatal("Enroll succeeded")
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("Enroll = %v, want %v", err, tt.is)
			}
			if tt.want != "" && !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Enroll = %v, want an error containing %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "s3cret") {
				t.Errorf("the error shows the secret: %v", err)
			}
			if id.HostID != "" {
				t.Errorf("HostID %q set by a failed enrolment", id.HostID)
			}
			checkAbsent(t, filepath.Join(dir, HostFile))
		})
	}
	// An identity not loaded from a directory cannot be enrolled.
	if err := Enroll(context.Background(), srv.Client(), srv.URL, "s3cret", &Identity{}, "h", "m"); err == nil {
		t.Error("Enroll of a bare Identity succeeded")
	}
}

func TestEnrollBadAnswers(t *testing.T) {
	for name, body := range map[string]string{
		"empty host id": `{"host_id": ""}`,
		"no host id":    `{}`,
		"not JSON":      `ok`,
		"id with space": `{"host_id": "h 1"}`,
	} {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				io.WriteString(w, body)
			}))
			defer srv.Close()
			dir := t.TempDir()
			id, err := LoadOrCreate(dir)
			if err != nil {
				t.Fatal(err)
			}
			if err := Enroll(context.Background(), srv.Client(), srv.URL, "s", id, "h", "m"); err == nil {
				t.Error("Enroll accepted the answer")
			}
			checkAbsent(t, filepath.Join(dir, HostFile))
		})
	}
}

// enrolled returns an identity enrolled with srv.
func enrolled(t *testing.T, srv *enrollServer) (*Identity, string) {
	t.Helper()
	dir := t.TempDir()
	id, err := LoadOrCreate(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := Enroll(context.Background(), srv.Client(), srv.URL, "s3cret", id, "web-1", "m"); err != nil {
		t.Fatal(err)
	}
	return id, dir
}

// sampleReport is a valid report's JSON.
func sampleReport(t *testing.T) []byte {
	t.Helper()
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	r := report.New(report.Meta{
		Tool:      report.Tool{Name: "gcrun", Version: "0.0.0-test"},
		Host:      report.Host{Hostname: "web-1", OS: report.OS{ID: "debian"}},
		Root:      "/",
		StartTime: now, EndTime: now.Add(time.Second),
	}, nil)
	data, err := r.JSON()
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestRotate(t *testing.T) {
	srv := newEnrollServer(t)
	id, dir := enrolled(t, srv)
	oldPub := id.PublicKey()
	if err := Rotate(context.Background(), srv.Client(), srv.URL, id); err != nil {
		t.Fatal(err)
	}
	srv.checkNoErrors(t)
	newPub := id.PublicKey()
	if newPub.Equal(oldPub) {
		t.Fatal("Rotate kept the old key")
	}
	if !srv.pub.Equal(newPub) {
		t.Error("the server's key is not the identity's new key")
	}
	if !readKeyFile(t, dir).Equal(id.Key) {
		t.Error("host.key does not hold the new key")
	}
	checkMode(t, filepath.Join(dir, KeyFile), 0o600)
	if diff := cmp.Diff([]string{HostFile, KeyFile}, dirFiles(t, dir)); diff != "" {
		t.Errorf("state dir files after Rotate (-want +got):\n%s", diff)
	}
	if id.HostID != srv.hostID {
		t.Errorf("HostID %q after Rotate", id.HostID)
	}
	reloaded, err := LoadOrCreate(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !reloaded.Key.Equal(id.Key) || reloaded.HostID != srv.hostID {
		t.Error("reloading after Rotate gives another identity")
	}

	// Reports are now signed by the new key, and only by it.
	env, err := id.Sign(sampleReport(t))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := report.Verify(env, newPub); err != nil {
		t.Errorf("report signed after rotation does not verify with the new key: %v", err)
	}
	if _, _, err := report.Verify(env, oldPub); !errors.Is(err, report.ErrWrongKey) {
		t.Errorf("Verify with the old key = %v, want ErrWrongKey", err)
	}

	// A second rotation is signed by the key the first one installed (the
	// server checks it against its registered key).
	if err := Rotate(context.Background(), srv.Client(), srv.URL, id); err != nil {
		t.Fatal(err)
	}
	srv.checkNoErrors(t)
	if len(srv.rotated) != 2 {
		t.Errorf("%d rotations reached the server, want 2", len(srv.rotated))
	}
}

func TestRotateAnyOKInstallsKey(t *testing.T) {
	// Once the receiver answered 200 it expects the new key, whatever the
	// body says: keeping the old key would lock the host out.
	srv := newEnrollServer(t)
	srv.rotateAnswer = "done"
	id, dir := enrolled(t, srv)
	if err := Rotate(context.Background(), srv.Client(), srv.URL, id); err != nil {
		t.Fatal(err)
	}
	if !srv.pub.Equal(id.PublicKey()) || !readKeyFile(t, dir).Equal(id.Key) {
		t.Error("the new key is not installed after a 200")
	}
}

func TestRotateCutAnswerInstallsKey(t *testing.T) {
	// A 200 whose body is cut off: the receiver switched keys all the same.
	srv := newEnrollServer(t)
	id, dir := enrolled(t, srv)
	srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != RotatePath {
			srv.serve(w, r)
			return
		}
		rec := httptest.NewRecorder()
		srv.serve(rec, r)
		if rec.Code != http.StatusOK {
			t.Errorf("rotation refused: %d %s", rec.Code, rec.Body)
			return
		}
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"host_")
		buf.Flush()
		conn.Close()
	})
	if err := Rotate(context.Background(), srv.Client(), srv.URL, id); err != nil {
		t.Fatal(err)
	}
	if !srv.pub.Equal(id.PublicKey()) || !readKeyFile(t, dir).Equal(id.Key) {
		t.Error("the new key is not installed after a cut 200")
	}

	// Enrolment, which needs the body's host id, fails on a cut answer.
	srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, buf, _ := w.(http.Hijacker).Hijack()
		buf.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"host_id\": \"h-1\"}")
		buf.Flush()
		conn.Close()
	})
	fresh, err := LoadOrCreate(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := Enroll(context.Background(), srv.Client(), srv.URL, "s3cret", fresh, "h", "m"); err == nil || !strings.Contains(err.Error(), "reading the response") {
		t.Errorf("Enroll with a cut answer = %v, want a read error", err)
	}
	if fresh.HostID != "" {
		t.Error("a cut enrolment answer set the host id")
	}
}

func TestRotateLeftoverNewKey(t *testing.T) {
	// A rotation that crashed before the receiver answered leaves
	// host.key.new; it neither disturbs loading nor the next rotation.
	srv := newEnrollServer(t)
	id, dir := enrolled(t, srv)
	if err := os.WriteFile(filepath.Join(dir, NewKeyFile), []byte("stale"), 0o600); err != nil {
		t.Fatal(err)
	}
	again, err := LoadOrCreate(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !again.Key.Equal(id.Key) {
		t.Error("a leftover host.key.new was loaded")
	}
	if err := Rotate(context.Background(), srv.Client(), srv.URL, again); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{HostFile, KeyFile}, dirFiles(t, dir)); diff != "" {
		t.Errorf("state dir files (-want +got):\n%s", diff)
	}
}

func TestRotateFailureKeepsKey(t *testing.T) {
	tests := []struct {
		name   string
		status int
		code   string
		mod    func(srv *enrollServer)
		server func(srv *enrollServer) string
		is     error
		want   string
	}{
		{name: "revoked", status: 403, code: "revoked", is: ErrRevoked},
		{name: "unknown host", status: 401, code: "unknown_host", is: ErrUnknownHost},
		{name: "server error", status: 503, code: "overloaded", want: "503"},
		// The server registered another key: the signature does not verify.
		{name: "signature refused", mod: func(srv *enrollServer) {
			pub, _, _ := ed25519.GenerateKey(nil)
			srv.pub = pub
		}, want: "400 Bad Request bad_request: keyid"},
		{name: "payload for another host", mod: func(srv *enrollServer) { srv.hostID = "h-other" }, want: "400 Bad Request bad_request: host_id"},
		{name: "connection refused", server: func(srv *enrollServer) string {
			u := srv.URL
			srv.Close()
			return u
		}, want: "connect"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newEnrollServer(t)
			id, dir := enrolled(t, srv)
			oldKey := id.Key
			oldFile, err := os.ReadFile(filepath.Join(dir, KeyFile))
			if err != nil {
				t.Fatal(err)
			}
			srv.mu.Lock()
			srv.status, srv.code = tt.status, tt.code
			if tt.mod != nil {
				tt.mod(srv)
			}
			srv.mu.Unlock()
			server := srv.URL
			if tt.server != nil {
				server = tt.server(srv)
			}
			err = Rotate(context.Background(), srv.Client(), server, id)
			if err == nil {
				t.Fatal("Rotate succeeded")
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("Rotate = %v, want %v", err, tt.is)
			}
			if tt.want != "" && !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Rotate = %v, want an error containing %q", err, tt.want)
			}
			if !id.Key.Equal(oldKey) {
				t.Error("a failed rotation changed the key in memory")
			}
			if data, _ := os.ReadFile(filepath.Join(dir, KeyFile)); !bytes.Equal(data, oldFile) {
				t.Error("a failed rotation changed host.key")
			}
			if diff := cmp.Diff([]string{HostFile, KeyFile}, dirFiles(t, dir)); diff != "" {
				t.Errorf("state dir files after a failed Rotate (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRotateNeedsEnrolment(t *testing.T) {
	srv := newEnrollServer(t)
	id, err := LoadOrCreate(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := Rotate(context.Background(), srv.Client(), srv.URL, id); !errors.Is(err, ErrNotEnrolled) {
		t.Errorf("Rotate before enrolment = %v, want ErrNotEnrolled", err)
	}
	id.HostID = srv.hostID
	if err := Rotate(context.Background(), srv.Client(), "http://"+strings.TrimPrefix(srv.URL, "https://"), id); err == nil || !strings.Contains(err.Error(), "HTTPS only") {
		t.Errorf("Rotate over http = %v, want an HTTPS-only error", err)
	}
	if len(srv.rotated) != 0 {
		t.Error("a refused rotation reached the server")
	}
}

func TestSignEnvelopeShape(t *testing.T) {
	_, key, err := report.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	payload := sampleReport(t)
	// With report.MediaType, signEnvelope must produce exactly report.Sign's
	// bytes: the rotation envelope has the report envelope's shape.
	ours, err := signEnvelope(report.MediaType, payload, key)
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := report.Sign(payload, key)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(ours, theirs) {
		t.Errorf("signEnvelope = %s\nreport.Sign = %s", ours, theirs)
	}
}

func TestSign(t *testing.T) {
	id, err := LoadOrCreate(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	payload := sampleReport(t)
	for name, sign := range map[string]func([]byte) ([]byte, error){"Sign": id.Sign, "Signer": id.Signer()} {
		env, err := sign(payload)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		_, got, err := report.Verify(env, id.PublicKey())
		if err != nil {
			t.Fatalf("%s: Verify: %v", name, err)
		}
		if !bytes.Equal(got, payload) {
			t.Errorf("%s: verified payload differs", name)
		}
	}
	if _, err := id.Sign([]byte(`{"not": "a report"}`)); err == nil {
		t.Error("Sign signed something that is not a report")
	}
}
