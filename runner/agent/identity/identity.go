// Package identity keeps the agent's host identity: its ed25519 key, which
// signs every report, and the host id the receiver gave it at enrolment.
//
// State directory files:
//
//	host.key   PKCS#8 PEM private key, mode 0600, created at first start
//	host.json  {"host_id", "server", "enrolled_at"}, mode 0600, written at enrolment
//
// The key never leaves the host: enrolment sends its public half with the
// enrolment secret (POST /v1/enroll), and rotation (POST /v1/rotate) sends
// the new public key in an envelope signed by the current key.
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
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
	"unicode"

	"github.com/gcrun/gcrun/report"
)

// File names in the state directory.
const (
	KeyFile  = "host.key"
	HostFile = "host.json"
	// OldKeyFile holds the previous key while a rotation installs the new
	// one; NewKeyFile the new key while the receiver is asked to accept it.
	OldKeyFile = "host.key.old"
	NewKeyFile = "host.key.new"
)

// Protocol constants.
const (
	EnrollPath = "/v1/enroll"
	RotatePath = "/v1/rotate"
	// RotatePayloadType is the DSSE payload type of a rotation request.
	RotatePayloadType = "application/vnd.gcrun.rotate+json"
	// maxResponseBody bounds how much of a response is read.
	maxResponseBody = 64 << 10
	// maxHostID bounds a host id from the receiver.
	maxHostID = 128
)

var (
	// ErrBadSecret: the receiver refused the enrolment secret (401 bad_secret).
	ErrBadSecret = errors.New("enrolment refused: wrong enrolment secret")
	// ErrRevoked: the receiver has revoked this host (403 revoked).
	ErrRevoked = errors.New("this host is revoked at the receiver")
	// ErrUnknownHost: the receiver does not know this host (401
	// unknown_host); enrol again.
	ErrUnknownHost = errors.New("the receiver does not know this host")
	// ErrNotEnrolled: an operation needs a host id and there is none.
	ErrNotEnrolled = errors.New("this host is not enrolled")
)

// Identity is the host's key and enrolment. Enroll and Rotate change it;
// when other goroutines use it at the same time, read it through the
// methods (Sign, PublicKey, CurrentHostID, CurrentServer), which lock.
type Identity struct {
	// Key is the host's private key.
	Key ed25519.PrivateKey
	// HostID is the receiver's id for this host; "" until enrolled.
	HostID string
	// Server is the receiver it enrolled with.
	Server string
	// EnrolledAt is when it enrolled.
	EnrolledAt time.Time

	dir string // the state directory
	mu  sync.RWMutex
}

// hostFile is host.json.
type hostFile struct {
	HostID     string    `json:"host_id"`
	Server     string    `json:"server"`
	EnrolledAt time.Time `json:"enrolled_at"`
}

// LoadOrCreate loads the identity in stateDir, creating the directory
// (0700) and the key (host.key, 0600) at first start. An existing key with
// a mode wider than 0600 (any bit beyond owner read and write) is an error:
// the fix is in the message. host.json is read when present.
func LoadOrCreate(stateDir string) (*Identity, error) {
	if stateDir == "" {
		return nil, errors.New("identity: no state directory")
	}
	if err := os.MkdirAll(stateDir, 0o700); err != nil {
		return nil, fmt.Errorf("identity: %w", err)
	}
	keyPath := filepath.Join(stateDir, KeyFile)
	key, err := readKey(keyPath)
	if errors.Is(err, fs.ErrNotExist) {
		key, err = createKey(keyPath)
	}
	if err != nil {
		return nil, err
	}
	id := &Identity{Key: key, dir: stateDir}
	hostPath := filepath.Join(stateDir, HostFile)
	data, err := os.ReadFile(hostPath)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return id, nil
	case err != nil:
		return nil, fmt.Errorf("identity: %w", err)
	}
	var h hostFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&h); err != nil {
		return nil, fmt.Errorf("identity: %s: %v (remove it and enrol again with `gcrun agent enroll`)", hostPath, err)
	}
	if err := checkHostID(h.HostID); err != nil {
		return nil, fmt.Errorf("identity: %s: host_id: %v", hostPath, err)
	}
	id.HostID, id.Server, id.EnrolledAt = h.HostID, h.Server, h.EnrolledAt
	return id, nil
}

// readKey reads and parses the key file at path, refusing one that is not
// a regular file or that group or others may access.
func readKey(path string) (ed25519.PrivateKey, error) {
	fi, err := os.Lstat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		return nil, fmt.Errorf("identity: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("identity: %s: not a regular file (%s); the host key must be a plain file", path, fi.Mode().Type())
	}
	if perm := fi.Mode().Perm(); perm&^0o600 != 0 {
		return nil, fmt.Errorf("identity: %s: mode %04o lets others read the host's private key; want 0600: run `chmod 600 %s` "+
			"(and, if others could read it, remove it and enrol again)", path, perm, path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("identity: %w", err)
	}
	key, err := report.ParsePrivateKeyPEM(data)
	if err != nil {
		return nil, fmt.Errorf("identity: %s: %w", path, err)
	}
	return key, nil
}

// createKey generates a key and installs it at path only if path does not
// exist (a hard link of a complete, fsync'd temporary file: another agent
// starting at the same time either wins, and its key is used, or loses).
func createKey(path string) (ed25519.PrivateKey, error) {
	_, key, err := report.GenerateKey()
	if err != nil {
		return nil, fmt.Errorf("identity: %w", err)
	}
	data, err := report.MarshalPrivateKeyPEM(key)
	if err != nil {
		return nil, fmt.Errorf("identity: %w", err)
	}
	tmp, err := writeTemp(path, data)
	if err != nil {
		return nil, fmt.Errorf("identity: %w", err)
	}
	defer os.Remove(tmp)
	if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return readKey(path)
		}
		return nil, fmt.Errorf("identity: creating %s: %w", path, err)
	}
	if err := syncDir(filepath.Dir(path)); err != nil {
		return nil, fmt.Errorf("identity: %w", err)
	}
	return key, nil
}

// Dir returns the state directory the identity was loaded from.
func (id *Identity) Dir() string { return id.dir }

// PublicKey returns the public half of the current key.
func (id *Identity) PublicKey() ed25519.PublicKey {
	id.mu.RLock()
	defer id.mu.RUnlock()
	return id.Key.Public().(ed25519.PublicKey)
}

// KeyID returns report.KeyID of the current key.
func (id *Identity) KeyID() string { return report.KeyID(id.PublicKey()) }

// CurrentHostID returns the host id ("" when not enrolled).
func (id *Identity) CurrentHostID() string {
	id.mu.RLock()
	defer id.mu.RUnlock()
	return id.HostID
}

// CurrentServer returns the server the host enrolled with.
func (id *Identity) CurrentServer() string {
	id.mu.RLock()
	defer id.mu.RUnlock()
	return id.Server
}

// Sign signs a report's JSON with the current key: report.Sign.
func (id *Identity) Sign(payload []byte) ([]byte, error) {
	id.mu.RLock()
	key := id.Key
	id.mu.RUnlock()
	return report.Sign(payload, key)
}

// Signer returns Sign as a function value.
func (id *Identity) Signer() func(payload []byte) ([]byte, error) { return id.Sign }

// enrollRequest is POST /v1/enroll's body.
type enrollRequest struct {
	Secret    string `json:"secret"`
	PublicKey string `json:"public_key"`
	Hostname  string `json:"hostname"`
	MachineID string `json:"machine_id"`
}

// Enroll registers the host's public key with the receiver at server using
// the enrolment secret, and saves the host id it returns to host.json
// (atomically, 0600). A wrong secret is ErrBadSecret, a revoked host
// ErrRevoked; on any error the identity is unchanged.
func Enroll(ctx context.Context, c *http.Client, server, secret string, id *Identity, hostname, machineID string) error {
	if id == nil || id.dir == "" {
		return errors.New("enroll: the identity was not loaded from a state directory (LoadOrCreate)")
	}
	if secret == "" {
		return errors.New("enroll: no enrolment secret")
	}
	pub, err := report.MarshalPublicKeyPEM(id.PublicKey())
	if err != nil {
		return fmt.Errorf("enroll: %w", err)
	}
	body, err := json.Marshal(enrollRequest{Secret: secret, PublicKey: string(pub), Hostname: hostname, MachineID: machineID})
	if err != nil {
		return fmt.Errorf("enroll: %w", err)
	}
	server, answer, err := post(ctx, c, server, EnrollPath, body, "", false)
	if err != nil {
		return fmt.Errorf("enroll: %w", err)
	}
	var ok struct {
		HostID string `json:"host_id"`
	}
	if err := json.Unmarshal(answer, &ok); err != nil {
		return fmt.Errorf("enroll: %s%s: 200 with a body that is not JSON: %v", server, EnrollPath, err)
	}
	hostID := ok.HostID
	if err := checkHostID(hostID); err != nil {
		return fmt.Errorf("enroll: %s%s: host_id in the answer: %v", server, EnrollPath, err)
	}
	now := time.Now().UTC()
	h := hostFile{HostID: hostID, Server: server, EnrolledAt: now}
	data, err := json.MarshalIndent(h, "", "  ")
	if err != nil {
		return fmt.Errorf("enroll: %w", err)
	}
	id.mu.Lock()
	defer id.mu.Unlock()
	if err := writeFileAtomic(filepath.Join(id.dir, HostFile), append(data, '\n'), 0o600); err != nil {
		return fmt.Errorf("enroll: saving the host id %s: %w", hostID, err)
	}
	id.HostID, id.Server, id.EnrolledAt = hostID, server, now
	return nil
}

// rotatePayload is the signed payload of POST /v1/rotate.
type rotatePayload struct {
	HostID       string `json:"host_id"`
	NewPublicKey string `json:"new_public_key"`
	Time         string `json:"time"`
}

// Rotate replaces the host key: it generates a new key, saves it as
// host.key.new, asks the receiver to accept it (POST /v1/rotate, a DSSE
// envelope signed by the current key) and, once the receiver said yes,
// installs it as host.key (the old key kept as host.key.old until the new
// file is in place, then removed). On any error before the receiver's 200
// the current key stays in use and host.key.new is removed.
func Rotate(ctx context.Context, c *http.Client, server string, id *Identity) error {
	if id == nil || id.dir == "" {
		return errors.New("rotate: the identity was not loaded from a state directory (LoadOrCreate)")
	}
	id.mu.Lock()
	defer id.mu.Unlock()
	if id.HostID == "" {
		return fmt.Errorf("rotate: %w", ErrNotEnrolled)
	}
	newPub, newKey, err := report.GenerateKey()
	if err != nil {
		return fmt.Errorf("rotate: %w", err)
	}
	newPEM, err := report.MarshalPrivateKeyPEM(newKey)
	if err != nil {
		return fmt.Errorf("rotate: %w", err)
	}
	newPubPEM, err := report.MarshalPublicKeyPEM(newPub)
	if err != nil {
		return fmt.Errorf("rotate: %w", err)
	}
	payload, err := json.Marshal(rotatePayload{HostID: id.HostID, NewPublicKey: string(newPubPEM), Time: time.Now().UTC().Format(time.RFC3339)})
	if err != nil {
		return fmt.Errorf("rotate: %w", err)
	}
	env, err := signEnvelope(RotatePayloadType, payload, id.Key)
	if err != nil {
		return fmt.Errorf("rotate: %w", err)
	}

	// Keep the new key on disk before the receiver learns of it, so that
	// it is not lost if the agent stops between the receiver's yes and
	// the installation below.
	keyPath := filepath.Join(id.dir, KeyFile)
	newPath := filepath.Join(id.dir, NewKeyFile)
	if err := writeFileAtomic(newPath, newPEM, 0o600); err != nil {
		return fmt.Errorf("rotate: %w", err)
	}
	// Any 200 means the receiver switched to the new key, whatever its body
	// says: from here on only the new key is of use.
	if _, _, err := post(ctx, c, server, RotatePath, env, id.HostID, true); err != nil {
		os.Remove(newPath)
		syncDir(id.dir)
		return fmt.Errorf("rotate: %w (the current key stays in use)", err)
	}

	// The receiver now expects the new key.
	oldPEM, err := os.ReadFile(keyPath)
	if err != nil {
		return fmt.Errorf("rotate: the receiver accepted the new key but reading the old one failed: %w; the new key is in %s", err, newPath)
	}
	oldPath := filepath.Join(id.dir, OldKeyFile)
	if err := writeFileAtomic(oldPath, oldPEM, 0o600); err != nil {
		return fmt.Errorf("rotate: the receiver accepted the new key but saving the old one failed: %w; the new key is in %s", err, newPath)
	}
	if err := os.Rename(newPath, keyPath); err != nil {
		return fmt.Errorf("rotate: the receiver accepted the new key but installing it failed: %w; the new key is in %s", err, newPath)
	}
	if err := syncDir(id.dir); err != nil {
		return fmt.Errorf("rotate: %w", err)
	}
	id.Key = newKey
	if err := os.Remove(oldPath); err != nil {
		return fmt.Errorf("rotate: the new key is installed, but removing %s failed: %w", oldPath, err)
	}
	return syncDir(id.dir)
}

// signEnvelope returns a DSSE envelope of payload signed with key, shaped
// exactly like report.Sign's (indented JSON, one signature with keyid).
func signEnvelope(payloadType string, payload []byte, key ed25519.PrivateKey) ([]byte, error) {
	if len(key) != ed25519.PrivateKeySize {
		return nil, fmt.Errorf("ed25519 private key is %d bytes, want %d", len(key), ed25519.PrivateKeySize)
	}
	key = ed25519.NewKeyFromSeed(key.Seed())
	sig := ed25519.Sign(key, report.PAE(payloadType, payload))
	env := report.Envelope{
		PayloadType: payloadType,
		Payload:     base64.StdEncoding.EncodeToString(payload),
		Signatures: []report.Signature{{
			KeyID: report.KeyID(key.Public().(ed25519.PublicKey)),
			Sig:   base64.StdEncoding.EncodeToString(sig),
		}},
	}
	out, err := json.MarshalIndent(env, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}

// post POSTs body (JSON) to server+path and returns the normalised server
// URL and the body of a 200 answer; any other answer is an error
// (ErrBadSecret, ErrRevoked, ErrUnknownHost for their codes). hostID, when
// set, is sent as X-Gcrun-Host. With statusOnly a 200 succeeds even if its
// body is cut or too large (the status says the receiver acted on it).
func post(ctx context.Context, c *http.Client, server, path string, body []byte, hostID string, statusOnly bool) (string, []byte, error) {
	if c == nil {
		return "", nil, errors.New("no HTTP client")
	}
	base, err := checkServer(server)
	if err != nil {
		return "", nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+path, bytes.NewReader(body))
	if err != nil {
		return "", nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if hostID != "" {
		req.Header.Set("X-Gcrun-Host", hostID)
	}
	resp, err := c.Do(req)
	if err != nil {
		return "", nil, err
	}
	defer resp.Body.Close()
	if resp.Request != nil && (resp.Request.Method != http.MethodPost || resp.Request.URL.Scheme != "https") {
		return "", nil, fmt.Errorf("redirected to %s %s", resp.Request.Method, resp.Request.URL.Redacted())
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBody+1))
	if err != nil {
		if resp.StatusCode == http.StatusOK && statusOnly {
			return base, nil, nil
		}
		return "", nil, fmt.Errorf("%s%s: %s: reading the response: %w", base, path, resp.Status, err)
	}
	var e struct {
		Error string `json:"error"`
		Code  string `json:"code"`
	}
	if resp.StatusCode != http.StatusOK {
		_ = json.Unmarshal(data, &e)
		msg := printable(e.Error, 300)
		if msg == "" && e.Code == "" {
			msg = printable(string(data), 200)
		}
		switch {
		case resp.StatusCode == http.StatusUnauthorized && e.Code == "bad_secret":
			return "", nil, fmt.Errorf("%w (%s: %s)", ErrBadSecret, base, msg)
		case resp.StatusCode == http.StatusUnauthorized && e.Code == "unknown_host":
			return "", nil, fmt.Errorf("%w (%s: %s)", ErrUnknownHost, base, msg)
		case resp.StatusCode == http.StatusForbidden && e.Code == "revoked":
			return "", nil, fmt.Errorf("%w (%s: %s)", ErrRevoked, base, msg)
		}
		return "", nil, fmt.Errorf("%s%s: %s %s: %s", base, path, resp.Status, printable(e.Code, 64), msg)
	}
	if len(data) > maxResponseBody && !statusOnly {
		return "", nil, fmt.Errorf("%s%s: response larger than %d bytes", base, path, maxResponseBody)
	}
	return base, data, nil
}

// checkServer wants an https URL and returns it without a trailing slash.
func checkServer(server string) (string, error) {
	u, err := url.Parse(server)
	if err != nil {
		return "", fmt.Errorf("server %q: %w", server, err)
	}
	if u.Scheme != "https" || u.Host == "" {
		return "", fmt.Errorf("server %q: want an https:// URL (HTTPS only)", server)
	}
	return strings.TrimRight(server, "/"), nil
}

// checkHostID accepts a non-empty id of printable ASCII without spaces (it
// travels in a header) of at most maxHostID bytes.
func checkHostID(s string) error {
	if s == "" {
		return errors.New("empty")
	}
	if len(s) > maxHostID {
		return fmt.Errorf("%d bytes, at most %d", len(s), maxHostID)
	}
	for _, c := range []byte(s) {
		if c <= ' ' || c >= 0x7f {
			return fmt.Errorf("%q: only printable ASCII without spaces is allowed", s)
		}
	}
	return nil
}

// writeTemp writes data to a new fsync'd temporary file (0600) beside path
// and returns its name.
func writeTemp(path string, data []byte) (string, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return "", err
	}
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := tmp.Chmod(0o600); err != nil {
		return "", err
	}
	if _, err := tmp.Write(data); err != nil {
		return "", err
	}
	if err := tmp.Sync(); err != nil {
		return "", err
	}
	if err := tmp.Close(); err != nil {
		return "", err
	}
	ok = true
	return tmp.Name(), nil
}

// writeFileAtomic writes data to path through a temporary file in the same
// directory: written, fsync'd, renamed over path, and the directory fsync'd.
func writeFileAtomic(path string, data []byte, perm os.FileMode) error {
	tmp, err := writeTemp(path, data)
	if err != nil {
		return err
	}
	defer os.Remove(tmp) // a no-op once renamed
	if perm != 0o600 {
		if err := os.Chmod(tmp, perm); err != nil {
			return err
		}
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	return syncDir(filepath.Dir(path))
}

// syncDir makes renames in dir durable. File systems that cannot fsync a
// directory report EINVAL, which is not an error here.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) {
		return err
	}
	return nil
}

// printable keeps the printable runes of s, at most n of them.
func printable(s string, n int) string {
	var b strings.Builder
	count := 0
	for _, r := range strings.TrimSpace(s) {
		if count == n {
			b.WriteString("...")
			break
		}
		if !unicode.IsPrint(r) {
			r = ' '
		}
		b.WriteRune(r)
		count++
	}
	return b.String()
}
