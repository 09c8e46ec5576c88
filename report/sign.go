package report

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Envelope is a DSSE envelope (https://github.com/secure-systems-lab/dsse,
// envelope.md) holding a signed report. Verify does not decode into this
// type: it parses envelopes more strictly than encoding/json would (exact,
// case-sensitive member names, no duplicates).
type Envelope struct {
	// PayloadType is MediaType. It is signed along with the payload.
	PayloadType string `json:"payloadType"`
	// Payload is the report's JSON, standard base64 with padding.
	Payload string `json:"payload"`
	// Signatures holds one signature per signing key.
	Signatures []Signature `json:"signatures"`
}

// Signature is one signature in an Envelope.
type Signature struct {
	// KeyID is KeyID of the signer's public key. DSSE makes it optional; we
	// require it, and use it only to pick which signatures to check.
	KeyID string `json:"keyid"`
	// Sig is the 64-byte ed25519 signature of PAE(payloadType, payload),
	// standard base64 with padding.
	Sig string `json:"sig"`
}

// Errors returned by Verify, each wrapped with detail; test with errors.Is.
// A correctly signed payload that is not a valid report yields an error
// wrapping ErrInvalidReport.
var (
	// ErrMalformedEnvelope: empty input, not JSON, not a DSSE envelope,
	// wrong member types, duplicate members, or a payload that is not
	// standard base64.
	ErrMalformedEnvelope = errors.New("malformed signed report")
	// ErrPayloadType: payloadType missing or not MediaType.
	ErrPayloadType = errors.New("wrong payload type")
	// ErrUnsigned: no signatures at all, or a plain report where a signed
	// one was required.
	ErrUnsigned = errors.New("report is not signed")
	// ErrMissingKeyID: no signature is ours and some have no keyid, so we
	// cannot tell whose they are.
	ErrMissingKeyID = errors.New("signature has no keyid")
	// ErrWrongKey: signed, but not by the given key.
	ErrWrongKey = errors.New("report is not signed by this key")
	// ErrBadSignature: a signature claiming to be by the given key is not
	// base64, has the wrong length, or does not match the payload.
	ErrBadSignature = errors.New("bad signature")
)

// PAE is DSSE's pre-authentication encoding (protocol.md), the bytes that
// are actually signed:
//
//	"DSSEv1" SP LEN(payloadType) SP payloadType SP LEN(payload) SP payload
//
// where LEN is the length in bytes as ASCII decimal and SP a space. Signing
// the type and both lengths means neither the payload type nor the
// payload/type boundary can be changed without breaking the signature.
func PAE(payloadType string, payload []byte) []byte {
	b := make([]byte, 0, len("DSSEv1")+len(payloadType)+len(payload)+24)
	b = append(b, "DSSEv1 "...)
	b = strconv.AppendInt(b, int64(len(payloadType)), 10)
	b = append(b, ' ')
	b = append(b, payloadType...)
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(len(payload)), 10)
	b = append(b, ' ')
	return append(b, payload...)
}

// Sign signs payload, a report's JSON, with key and returns the DSSE
// envelope as indented JSON: payloadType MediaType, one signature with keyid
// KeyID(key's public half).
//
// The payload is validated first: signing an invalid report would produce
// an envelope that Verify rejects, and a signature should vouch only for
// something a reader can use. The exact bytes are signed, so sign what you
// will publish (Report.JSON) and publish the envelope.
func Sign(payload []byte, key ed25519.PrivateKey) ([]byte, error) {
	if len(key) != ed25519.PrivateKeySize {
		return nil, fmt.Errorf("sign: ed25519 private key is %d bytes, want %d", len(key), ed25519.PrivateKeySize)
	}
	if err := Validate(payload); err != nil {
		return nil, fmt.Errorf("sign: refusing to sign: %w", err)
	}
	// Derive the key from its seed: a PrivateKey is seed||public, and a
	// corrupted public half would give a key ID and signatures that no one
	// can verify.
	key = ed25519.NewKeyFromSeed(key.Seed())
	sig := ed25519.Sign(key, PAE(MediaType, payload))
	env := Envelope{
		PayloadType: MediaType,
		Payload:     base64.StdEncoding.EncodeToString(payload),
		Signatures: []Signature{{
			KeyID: KeyID(key.Public().(ed25519.PublicKey)),
			Sig:   base64.StdEncoding.EncodeToString(sig),
		}},
	}
	out, err := json.MarshalIndent(env, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	return append(out, '\n'), nil
}

// Verify checks that envelope is a DSSE envelope holding a gcrun report
// signed by pub, and returns the report and its exact JSON bytes.
//
// It fails closed: anything it does not positively recognise is an error,
// and no missing or malformed field can lead to a skipped check. In order:
// the envelope must be a JSON object with payloadType MediaType, a standard
// base64 payload, and at least one signature; signatures with another keyid
// are ignored, but at least one must have keyid KeyID(pub), and every one
// that does must be a valid ed25519 signature of PAE(payloadType, payload);
// finally the payload must pass Validate. Unknown envelope members are
// ignored, as DSSE requires (they are not signed, so they cannot matter).
//
// Only the returned bytes and report are authenticated. Never read anything
// else out of the envelope, and never use the results when err != nil (they
// are nil then).
func Verify(envelope []byte, pub ed25519.PublicKey) (*Report, []byte, error) {
	if len(pub) != ed25519.PublicKeySize {
		return nil, nil, fmt.Errorf("verify: ed25519 public key is %d bytes, want %d", len(pub), ed25519.PublicKeySize)
	}
	env, err := parseEnvelope(envelope)
	if err != nil {
		return nil, nil, err
	}
	want := KeyID(pub)
	pae := PAE(env.payloadType, env.payload)
	var ours, anonymous int
	var others []string
	for i, s := range env.signatures {
		switch s.keyID {
		case "":
			anonymous++
			continue
		case want:
		default:
			others = append(others, s.keyID)
			continue
		}
		ours++
		if !s.hasSig {
			return nil, nil, fmt.Errorf("%w: signature %d (keyid %s) has no sig", ErrBadSignature, i, want)
		}
		sig, err := decodeBase64(s.sig)
		if err != nil {
			return nil, nil, fmt.Errorf("%w: signature %d (keyid %s): sig is not standard base64: %v", ErrBadSignature, i, want, err)
		}
		if len(sig) != ed25519.SignatureSize {
			return nil, nil, fmt.Errorf("%w: signature %d (keyid %s) is %d bytes, want %d", ErrBadSignature, i, want, len(sig), ed25519.SignatureSize)
		}
		if !ed25519.Verify(pub, pae, sig) {
			return nil, nil, fmt.Errorf("%w: signature %d (keyid %s) does not match the payload: the report was modified or the signature is not by this key", ErrBadSignature, i, want)
		}
	}
	if ours == 0 {
		if len(others) == 0 {
			return nil, nil, fmt.Errorf("%w: %d signature(s) without keyid; want one with keyid %s", ErrMissingKeyID, anonymous, want)
		}
		return nil, nil, fmt.Errorf("%w: want keyid %s, found %s", ErrWrongKey, want, quoteList(others, 3))
	}
	r, err := parse(env.payload)
	if err != nil {
		return nil, nil, fmt.Errorf("signed payload: %w", err)
	}
	return r, env.payload, nil
}

// IsEnvelope reports whether data looks like a DSSE envelope rather than a
// plain report: a JSON object with any of the members payloadType, payload
// or signatures. It lets a tool that accepts either pick the code path; a
// damaged envelope still counts as one, so that Verify gets to explain what
// is wrong. It is not a security check: a tool that requires a signature
// must call Verify whatever IsEnvelope says.
func IsEnvelope(data []byte) bool {
	m, err := jsonObject(data, true)
	if err != nil {
		return false
	}
	return hasEnvelopeMember(m)
}

func hasEnvelopeMember(m map[string]json.RawMessage) bool {
	for _, k := range []string{"payloadType", "payload", "signatures"} {
		if _, ok := m[k]; ok {
			return true
		}
	}
	return false
}

// envelope is a parsed, not yet verified envelope.
type envelope struct {
	payloadType string
	payload     []byte
	signatures  []signature
}

type signature struct {
	keyID  string
	sig    string
	hasSig bool
}

// parseEnvelope checks the envelope's structure and decodes it. It checks
// no signature; its errors are ErrMalformedEnvelope, ErrPayloadType and
// ErrUnsigned.
func parseEnvelope(data []byte) (*envelope, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("%w: empty input", ErrMalformedEnvelope)
	}
	m, err := jsonObject(data, false)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformedEnvelope, err)
	}
	if !hasEnvelopeMember(m) {
		if _, ok := m["schemaVersion"]; ok {
			return nil, fmt.Errorf("%w: this is a plain report, not a DSSE envelope", ErrUnsigned)
		}
		return nil, fmt.Errorf("%w: not a DSSE envelope (no payloadType, payload or signatures)", ErrMalformedEnvelope)
	}

	var env envelope
	pt, ok, err := stringMember(m, "payloadType")
	switch {
	case err != nil:
		return nil, fmt.Errorf("%w: %v", ErrPayloadType, err)
	case !ok:
		return nil, fmt.Errorf("%w: missing payloadType, want %q", ErrPayloadType, MediaType)
	case pt != MediaType:
		return nil, fmt.Errorf("%w: payloadType %q, want %q", ErrPayloadType, pt, MediaType)
	}
	env.payloadType = pt

	p, ok, err := stringMember(m, "payload")
	switch {
	case err != nil:
		return nil, fmt.Errorf("%w: %v", ErrMalformedEnvelope, err)
	case !ok:
		return nil, fmt.Errorf("%w: missing payload", ErrMalformedEnvelope)
	}
	if env.payload, err = decodeBase64(p); err != nil {
		return nil, fmt.Errorf("%w: payload is not standard base64: %v", ErrMalformedEnvelope, err)
	}

	raw, ok := m["signatures"]
	if !ok || isNull(raw) {
		return nil, fmt.Errorf("%w: the envelope has no signatures", ErrUnsigned)
	}
	var list []json.RawMessage
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, fmt.Errorf("%w: signatures is not an array", ErrMalformedEnvelope)
	}
	if len(list) == 0 {
		return nil, fmt.Errorf("%w: the envelope's signature list is empty", ErrUnsigned)
	}
	for i, item := range list {
		sm, err := jsonObject(item, false)
		if err != nil {
			return nil, fmt.Errorf("%w: signature %d: %v", ErrMalformedEnvelope, i, err)
		}
		var s signature
		if s.keyID, _, err = stringMember(sm, "keyid"); err != nil {
			return nil, fmt.Errorf("%w: signature %d: %v", ErrMalformedEnvelope, i, err)
		}
		if s.sig, s.hasSig, err = stringMember(sm, "sig"); err != nil {
			return nil, fmt.Errorf("%w: signature %d: %v", ErrMalformedEnvelope, i, err)
		}
		env.signatures = append(env.signatures, s)
	}
	return &env, nil
}

// jsonObject decodes data, which must be exactly one JSON object, into its
// members. Unlike encoding/json's struct decoding, member names are matched
// exactly (not case-insensitively), and duplicates are an error unless
// allowDup: two "payload" members would leave it to the parser which one is
// verified and which one a reader like jq sees.
func jsonObject(data []byte, allowDup bool) (map[string]json.RawMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("empty input")
		}
		return nil, fmt.Errorf("not JSON: %v", err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, fmt.Errorf("want a JSON object, got %s", tokenKind(tok))
	}
	members := map[string]json.RawMessage{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("not JSON: %v", err)
		}
		name, ok := tok.(string)
		if !ok {
			return nil, fmt.Errorf("not JSON: object key is %s", tokenKind(tok))
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, fmt.Errorf("not JSON: %v", err)
		}
		if _, dup := members[name]; dup && !allowDup {
			return nil, fmt.Errorf("duplicate member %q", name)
		}
		members[name] = raw
	}
	if _, err := dec.Token(); err != nil {
		return nil, fmt.Errorf("not JSON: %v", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("trailing data after the JSON object")
	}
	return members, nil
}

func tokenKind(tok json.Token) string {
	switch t := tok.(type) {
	case json.Delim:
		if t == '[' {
			return "an array"
		}
		return fmt.Sprintf("%q", string(t))
	case string:
		return "a string"
	case float64, json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", tok)
}

// stringMember returns member name of m as a string. A missing or null
// member is (_, false, nil), as DSSE says unset equals empty; any other
// non-string is an error.
func stringMember(m map[string]json.RawMessage, name string) (string, bool, error) {
	raw, ok := m[name]
	if !ok || isNull(raw) {
		return "", false, nil
	}
	if !bytes.HasPrefix(bytes.TrimSpace(raw), []byte(`"`)) {
		return "", false, fmt.Errorf("%s is not a string", name)
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", false, fmt.Errorf("%s: %v", name, err)
	}
	return s, true, nil
}

func isNull(raw json.RawMessage) bool {
	return string(bytes.TrimSpace(raw)) == "null"
}

// decodeBase64 decodes standard, padded base64 and nothing else. DSSE also
// allows URL-safe base64; we accept only what Sign writes, so that Verify
// and the shell recipe in README.md (base64 -d) agree on every envelope.
// The canonical-form check rejects the line breaks Go's decoder would
// otherwise skip, so that each payload has exactly one encoding.
func decodeBase64(s string) ([]byte, error) {
	b, err := base64.StdEncoding.Strict().DecodeString(s)
	if err != nil {
		return nil, err
	}
	if base64.StdEncoding.EncodeToString(b) != s {
		return nil, errors.New("not in canonical form (contains line breaks)")
	}
	return b, nil
}

// quoteList quotes up to max strings for an error message; keyids come from
// the envelope, so they are quoted rather than trusted to be printable.
func quoteList(list []string, max int) string {
	var q []string
	for i, s := range list {
		if i == max {
			q = append(q, fmt.Sprintf("and %d more", len(list)-max))
			break
		}
		if len(s) > 80 {
			s = s[:80] + "..."
		}
		q = append(q, strconv.Quote(s))
	}
	return strings.Join(q, ", ")
}

// Parse reads a plain (unsigned) report, validated against the schema.
func Parse(data []byte) (*Report, error) { return parse(data) }

// ParseUnverified reads the report inside a DSSE envelope WITHOUT checking
// its signature, for showing a signed report to a person who did not give
// a key. Nothing it returns is authenticated; anything that decides on the
// report's content must use Verify.
func ParseUnverified(envelope []byte) (*Report, error) {
	env, err := parseEnvelope(envelope)
	if err != nil {
		return nil, err
	}
	if env.payloadType != MediaType {
		return nil, fmt.Errorf("%w: payloadType %q, want %q", ErrMalformedEnvelope, env.payloadType, MediaType)
	}
	return parse(env.payload)
}
