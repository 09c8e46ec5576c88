package serve

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/gcrun/gcrun/report"
	"github.com/gcrun/gcrun/runner/serve/store"
	"github.com/sirupsen/logrus"
)

// EnrollRequest is the body of POST /v1/enroll.
type EnrollRequest struct {
	Secret    string `json:"secret"`
	PublicKey string `json:"public_key"`
	Hostname  string `json:"hostname"`
	MachineID string `json:"machine_id"`
}

// EnrollResponse is the answer to an enrolment and to a key rotation.
type EnrollResponse struct {
	HostID string `json:"host_id"`
}

// RotateRequest is the payload of the DSSE envelope (payloadType
// RotateMediaType) POSTed to /v1/rotate, signed with the host's current key.
type RotateRequest struct {
	HostID       string `json:"host_id"`
	NewPublicKey string `json:"new_public_key"`
	// Time is when the request was made (RFC 3339); it must be within
	// MaxClockSkew of the server's clock.
	Time time.Time `json:"time"`
}

// HostID is the host id the server gives the key pub: "h-" and the first
// 16 hex digits of report.KeyID(pub). It is stable per key; a host keeps
// its id when it rotates its key.
func HostID(pub ed25519.PublicKey) string {
	id := report.KeyID(pub)
	if len(id) < 16 {
		return ""
	}
	return "h-" + id[:16]
}

// handleEnroll is POST /v1/enroll.
func (s *Server) handleEnroll(w http.ResponseWriter, r *http.Request) {
	resp, ref := s.enroll(w, r)
	if ref != nil {
		s.refuseEnroll(w, r, "enrolment", resp.HostID, ref)
		return
	}
	s.metrics.enrolled.Add(1)
	s.log.WithFields(logrus.Fields{"host": resp.HostID, "remote": r.RemoteAddr}).Info("host enrolled")
	writeJSON(w, http.StatusOK, resp)
}

func (s *Server) refuseEnroll(w http.ResponseWriter, r *http.Request, what, hostID string, ref *refusal) {
	s.metrics.refuseEnroll(ref.code)
	entry := s.log.WithFields(logrus.Fields{"host": logValue(hostID), "code": ref.code, "status": ref.status, "remote": r.RemoteAddr})
	switch ref.code {
	case codeUnavailable:
	case codeBadSecret, codeBadSignature, codeRevoked, codeKeyInUse, codeReplay:
		entry.Warnf("%s refused: %s", what, ref.msg)
	default:
		entry.Infof("%s refused: %s", what, ref.msg)
	}
	writeRefusal(w, ref)
}

func (s *Server) enroll(w http.ResponseWriter, r *http.Request) (EnrollResponse, *refusal) {
	if !s.enrollOn {
		return EnrollResponse{}, refuse(http.StatusForbidden, codeEnrollDisabled, "enrolment is disabled on this server")
	}
	body, ref := readSmallBody(w, r, maxSmallBody)
	if ref != nil {
		return EnrollResponse{}, ref
	}
	var req EnrollRequest
	if err := decodeStrict(body, &req, "secret", "public_key", "hostname", "machine_id"); err != nil {
		return EnrollResponse{}, refuse(http.StatusBadRequest, codeBadRequest, "malformed enrolment request: %v", err)
	}
	// Compare digests: ConstantTimeCompare is constant-time only for
	// equal lengths, and the secret's length is a secret too.
	got := sha256.Sum256([]byte(req.Secret))
	if subtle.ConstantTimeCompare(got[:], s.enrollHash[:]) != 1 {
		return EnrollResponse{}, refuse(http.StatusUnauthorized, codeBadSecret, "wrong enrolment secret")
	}
	pub, err := report.ParsePublicKeyPEM([]byte(req.PublicKey))
	if err != nil {
		return EnrollResponse{}, refuse(http.StatusBadRequest, codeBadRequest, "public_key: %v", err)
	}
	if err := checkText("hostname", req.Hostname, 255); err != nil {
		return EnrollResponse{}, refuse(http.StatusBadRequest, codeBadRequest, "%v", err)
	}
	if err := checkText("machine_id", req.MachineID, 128); err != nil {
		return EnrollResponse{}, refuse(http.StatusBadRequest, codeBadRequest, "%v", err)
	}
	id := HostID(pub)
	h, err := s.store.EnrollHost(r.Context(), store.Host{
		ID:         id,
		PublicKey:  []byte(pub),
		KeyID:      report.KeyID(pub),
		Hostname:   req.Hostname,
		MachineID:  req.MachineID,
		EnrolledAt: s.now().UTC(),
	})
	switch {
	case errors.Is(err, store.ErrRevoked):
		return EnrollResponse{HostID: id}, refuse(http.StatusForbidden, codeRevoked, "this key's host is revoked")
	case errors.Is(err, store.ErrKeyInUse):
		return EnrollResponse{HostID: id}, refuse(http.StatusConflict, codeKeyInUse, "the key or host id is in use by another host")
	case err != nil:
		return EnrollResponse{HostID: id}, s.storeFailure(r.Context(), "enroll", err, logrus.Fields{"host": id})
	}
	// A host that rotated its key keeps the id of its first key: answer
	// with the stored one.
	return EnrollResponse{HostID: h.ID}, nil
}

// handleRotate is POST /v1/rotate.
func (s *Server) handleRotate(w http.ResponseWriter, r *http.Request) {
	hostID, ref := s.rotate(w, r)
	if ref != nil {
		s.refuseEnroll(w, r, "key rotation", hostID, ref)
		return
	}
	s.metrics.rotated.Add(1)
	s.log.WithFields(logrus.Fields{"host": hostID, "remote": r.RemoteAddr}).Info("host key rotated")
	writeJSON(w, http.StatusOK, EnrollResponse{HostID: hostID})
}

func (s *Server) rotate(w http.ResponseWriter, r *http.Request) (string, *refusal) {
	ctx := r.Context()
	body, ref := readSmallBody(w, r, maxSmallBody)
	if ref != nil {
		return "", ref
	}
	env, err := parseDSSE(body)
	if err != nil {
		return "", refuse(http.StatusBadRequest, codeBadRequest, "malformed rotation envelope: %v", err)
	}
	if env.payloadType != RotateMediaType {
		return "", refuse(http.StatusBadRequest, codeBadRequest, "payloadType %q, want %q", logValue(env.payloadType), RotateMediaType)
	}
	// Only the host id is read before the signature is checked: it says
	// whose key must have signed.
	var req RotateRequest
	if err := decodeStrict(env.payload, &req, "host_id", "new_public_key", "time"); err != nil {
		return "", refuse(http.StatusBadRequest, codeBadRequest, "malformed rotation request: %v", err)
	}
	if !validID(req.HostID) {
		return "", refuse(http.StatusBadRequest, codeBadRequest, "malformed host_id")
	}
	host, err := s.store.Host(ctx, req.HostID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return req.HostID, refuse(http.StatusUnauthorized, codeUnknownHost, "host %q is not enrolled", req.HostID)
	case err != nil:
		return req.HostID, s.storeFailure(ctx, "rotate: host lookup", err, logrus.Fields{"host": req.HostID})
	case host.RevokedAt != nil:
		return req.HostID, refuse(http.StatusForbidden, codeRevoked, "host %q is revoked", req.HostID)
	}
	if err := env.verify(ed25519.PublicKey(host.PublicKey)); err != nil {
		return host.ID, refuse(http.StatusBadRequest, codeBadSignature, "rotation request is not signed by the host's current key: %v", err)
	}
	if d := s.now().Sub(req.Time); d > MaxClockSkew || d < -MaxClockSkew {
		return host.ID, refuse(http.StatusConflict, codeReplay, "rotation request time %s is more than %s from the server's clock", req.Time.UTC().Format(time.RFC3339), MaxClockSkew)
	}
	pub, err := report.ParsePublicKeyPEM([]byte(req.NewPublicKey))
	if err != nil {
		return host.ID, refuse(http.StatusBadRequest, codeBadRequest, "new_public_key: %v", err)
	}
	if bytes.Equal(pub, host.PublicKey) {
		return host.ID, nil // already rotated (a retried request)
	}
	switch err := s.store.RotateKey(ctx, host.ID, []byte(pub), report.KeyID(pub)); {
	case errors.Is(err, store.ErrKeyInUse):
		return host.ID, refuse(http.StatusConflict, codeKeyInUse, "the new key belongs to another host")
	case errors.Is(err, store.ErrRevoked):
		return host.ID, refuse(http.StatusForbidden, codeRevoked, "host %q is revoked", host.ID)
	case errors.Is(err, store.ErrNotFound):
		return host.ID, refuse(http.StatusUnauthorized, codeUnknownHost, "host %q is not enrolled", host.ID)
	case err != nil:
		return host.ID, s.storeFailure(ctx, "rotate", err, logrus.Fields{"host": host.ID})
	}
	return host.ID, nil
}

// checkText checks a host-supplied display string: valid UTF-8, no control
// characters, at most max bytes.
func checkText(name, s string, max int) error {
	if len(s) > max {
		return fmt.Errorf("%s is %d bytes, at most %d allowed", name, len(s), max)
	}
	if !utf8.ValidString(s) || sanitize(s) != s {
		return fmt.Errorf("%s has control characters or invalid UTF-8", name)
	}
	return nil
}

// decodeStrict decodes one JSON object into v: members named exactly as
// in names (encoding/json alone would match them case-insensitively), no
// duplicates, no trailing data.
func decodeStrict(data []byte, v any, names ...string) error {
	m, err := jsonObject(data)
	if err != nil {
		return err
	}
	for name := range m {
		if !slices.Contains(names, name) {
			return fmt.Errorf("unknown member %q", logValue(name))
		}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("trailing data after the JSON object")
	}
	return nil
}

// dsse is a parsed, unverified DSSE envelope.
type dsse struct {
	payloadType string
	payload     []byte
	sigs        []dsseSig
}

type dsseSig struct{ keyID, sig string }

// parseDSSE parses a DSSE envelope as strictly as report.Verify does:
// exact member names, no duplicates, standard canonical base64, at least
// one signature.
func parseDSSE(data []byte) (*dsse, error) {
	m, err := jsonObject(data)
	if err != nil {
		return nil, err
	}
	var env dsse
	var payload string
	if err := stringField(m, "payloadType", &env.payloadType); err != nil {
		return nil, err
	}
	if err := stringField(m, "payload", &payload); err != nil {
		return nil, err
	}
	if env.payload, err = decodeBase64(payload); err != nil {
		return nil, fmt.Errorf("payload: %v", err)
	}
	var list []json.RawMessage
	if raw, ok := m["signatures"]; !ok || json.Unmarshal(raw, &list) != nil || len(list) == 0 {
		return nil, errors.New("no signatures")
	}
	for i, item := range list {
		sm, err := jsonObject(item)
		if err != nil {
			return nil, fmt.Errorf("signature %d: %v", i, err)
		}
		var sg dsseSig
		if err := stringField(sm, "keyid", &sg.keyID); err != nil {
			return nil, fmt.Errorf("signature %d: %v", i, err)
		}
		if err := stringField(sm, "sig", &sg.sig); err != nil {
			return nil, fmt.Errorf("signature %d: %v", i, err)
		}
		env.sigs = append(env.sigs, sg)
	}
	return &env, nil
}

// verify checks the envelope like report.Verify: at least one signature
// has keyid KeyID(pub), and every one that does is a valid signature of
// PAE(payloadType, payload).
func (e *dsse) verify(pub ed25519.PublicKey) error {
	want := report.KeyID(pub)
	if want == "" {
		return errors.New("the host's stored key is not an ed25519 key")
	}
	pae := report.PAE(e.payloadType, e.payload)
	ours := 0
	for i, sg := range e.sigs {
		if sg.keyID != want {
			continue
		}
		ours++
		sig, err := decodeBase64(sg.sig)
		if err != nil || len(sig) != ed25519.SignatureSize {
			return fmt.Errorf("signature %d is malformed", i)
		}
		if !ed25519.Verify(pub, pae, sig) {
			return fmt.Errorf("signature %d does not match the payload", i)
		}
	}
	if ours == 0 {
		return fmt.Errorf("no signature with keyid %s", want)
	}
	return nil
}

// SignRotation returns the DSSE envelope of req signed with key, for
// POST /v1/rotate (the agent's side; also used by tests).
func SignRotation(req RotateRequest, key ed25519.PrivateKey) ([]byte, error) {
	if len(key) != ed25519.PrivateKeySize {
		return nil, errors.New("sign rotation: not an ed25519 private key")
	}
	req.Time = req.Time.UTC()
	payload, err := json.Marshal(req)
	if err != nil {
		return nil, fmt.Errorf("sign rotation: %w", err)
	}
	pub := key.Public().(ed25519.PublicKey)
	env := report.Envelope{
		PayloadType: RotateMediaType,
		Payload:     base64.StdEncoding.EncodeToString(payload),
		Signatures: []report.Signature{{
			KeyID: report.KeyID(pub),
			Sig:   base64.StdEncoding.EncodeToString(ed25519.Sign(key, report.PAE(RotateMediaType, payload))),
		}},
	}
	return json.Marshal(env)
}

func stringField(m map[string]json.RawMessage, name string, dst *string) error {
	raw, ok := m[name]
	if !ok {
		return fmt.Errorf("missing %s", name)
	}
	if !bytes.HasPrefix(bytes.TrimSpace(raw), []byte(`"`)) || json.Unmarshal(raw, dst) != nil {
		return fmt.Errorf("%s is not a string", name)
	}
	return nil
}

func decodeBase64(s string) ([]byte, error) {
	b, err := base64.StdEncoding.Strict().DecodeString(s)
	if err != nil {
		return nil, err
	}
	if base64.StdEncoding.EncodeToString(b) != s {
		return nil, errors.New("base64 not in canonical form")
	}
	return b, nil
}

// jsonObject decodes data, exactly one JSON object, into its members,
// refusing duplicate member names (which parsers resolve differently).
func jsonObject(data []byte) (map[string]json.RawMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return nil, fmt.Errorf("not JSON: %v", err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, errors.New("not a JSON object")
	}
	m := map[string]json.RawMessage{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("not JSON: %v", err)
		}
		name, _ := tok.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, fmt.Errorf("not JSON: %v", err)
		}
		if _, dup := m[name]; dup {
			return nil, fmt.Errorf("duplicate member %q", logValue(name))
		}
		m[name] = raw
	}
	if _, err := dec.Token(); err != nil {
		return nil, fmt.Errorf("not JSON: %v", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("trailing data after the JSON object")
	}
	return m, nil
}
