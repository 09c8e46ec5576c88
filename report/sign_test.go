package report

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gcrun/gcrun/internal/oracle"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestPAE(t *testing.T) {
	tests := []struct {
		typ, payload, want string
	}{
		// The example from DSSE's protocol.md.
		{"http://example.com/HelloWorld", "hello world", "DSSEv1 29 http://example.com/HelloWorld 11 hello world"},
		{"", "", "DSSEv1 0  0 "},
		{MediaType, "{}\n", "DSSEv1 33 application/vnd.gcrun.report+json 3 {}\n"},
		// Lengths are in bytes, not characters.
		{"t", "é", "DSSEv1 1 t 2 é"},
	}
	for _, tt := range tests {
		if got := string(PAE(tt.typ, []byte(tt.payload))); got != tt.want {
			t.Errorf("PAE(%q, %q) = %q, want %q", tt.typ, tt.payload, got, tt.want)
		}
	}
}

func signSample(t testing.TB) (payload, envelope []byte) {
	t.Helper()
	payload = sampleJSON(t)
	envelope, err := Sign(payload, testKey)
	if err != nil {
		t.Fatal(err)
	}
	return payload, envelope
}

func TestSignVerifyRoundTrip(t *testing.T) {
	payload, env := signSample(t)
	var e Envelope
	if err := json.Unmarshal(env, &e); err != nil {
		t.Fatal(err)
	}
	wantEnv := Envelope{
		PayloadType: MediaType,
		Payload:     base64.StdEncoding.EncodeToString(payload),
		Signatures:  []Signature{{KeyID: KeyID(testPub()), Sig: e.Signatures[0].Sig}},
	}
	if diff := cmp.Diff(wantEnv, e); diff != "" {
		t.Errorf("envelope (-want +got):\n%s", diff)
	}
	r, got, err := Verify(env, testPub())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, payload) {
		t.Error("Verify did not return the exact signed bytes")
	}
	if diff := cmp.Diff(sampleReport(), r, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("verified report (-want +got):\n%s", diff)
	}
	// ed25519 is deterministic, so the envelope is reproducible.
	golden(t, "report.dsse.json", env)
}

func TestSignDerivesFromSeed(t *testing.T) {
	// A private key whose public half is corrupted still signs correctly.
	bad := append(ed25519.PrivateKey{}, testKey...)
	bad[40] ^= 1
	env, err := Sign(sampleJSON(t), bad)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := Verify(env, testPub()); err != nil {
		t.Fatal(err)
	}
}

func TestSignRefuses(t *testing.T) {
	if _, err := Sign([]byte(`{"schemaVersion":"1.0.0"}`), testKey); !errors.Is(err, ErrInvalidReport) {
		t.Errorf("Sign(invalid report) = %v, want ErrInvalidReport", err)
	}
	if _, err := Sign(sampleJSON(t), testKey[:32]); err == nil {
		t.Error("Sign accepted a 32-byte private key")
	}
}

// envelopeJSON builds an envelope by hand from the generic form of a good
// one, for the tests that need shapes Sign never makes.
func envelopeJSON(t testing.TB, env []byte, f func(m map[string]any)) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(env, &m); err != nil {
		t.Fatal(err)
	}
	f(m)
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sig0(m map[string]any) map[string]any {
	return m["signatures"].([]any)[0].(map[string]any)
}

// signRaw signs payload under payloadType with key, bypassing Sign's
// checks, to make correctly signed envelopes of bad content.
func signRaw(payloadType string, signedType string, payload []byte, key ed25519.PrivateKey) []byte {
	env := Envelope{
		PayloadType: payloadType,
		Payload:     base64.StdEncoding.EncodeToString(payload),
		Signatures: []Signature{{
			KeyID: KeyID(key.Public().(ed25519.PublicKey)),
			Sig:   base64.StdEncoding.EncodeToString(ed25519.Sign(key, PAE(signedType, payload))),
		}},
	}
	out, _ := json.Marshal(env)
	return out
}

var sentinels = []error{
	ErrMalformedEnvelope, ErrPayloadType, ErrUnsigned, ErrMissingKeyID,
	ErrWrongKey, ErrBadSignature, ErrInvalidReport,
}

func TestVerifyRejects(t *testing.T) {
	payload, env := signSample(t)
	otherPub, otherKey, err := GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	otherEnv, err := Sign(payload, otherKey)
	if err != nil {
		t.Fatal(err)
	}
	flipPayload := func(i int) []byte {
		p := append([]byte{}, payload...)
		p[i] ^= 0x01
		return envelopeJSON(t, env, func(m map[string]any) { m["payload"] = base64.StdEncoding.EncodeToString(p) })
	}
	var e Envelope
	if err := json.Unmarshal(env, &e); err != nil {
		t.Fatal(err)
	}
	sig, err := base64.StdEncoding.DecodeString(e.Signatures[0].Sig)
	if err != nil {
		t.Fatal(err)
	}
	withSig := func(s []byte) []byte {
		return envelopeJSON(t, env, func(m map[string]any) { sig0(m)["sig"] = base64.StdEncoding.EncodeToString(s) })
	}
	flippedSig := append([]byte{}, sig...)
	flippedSig[10] ^= 0x80
	inconsistent := edit(t, payload, set("/summary/fail", 0))

	tests := []struct {
		name string
		in   []byte
		pub  ed25519.PublicKey // default testPub()
		want error
	}{
		{"flipped byte in the payload", flipPayload(len(payload) / 2), nil, ErrBadSignature},
		{"flipped byte at the payload's start", flipPayload(0), nil, ErrBadSignature},
		{"flipped byte in the sig", withSig(flippedSig), nil, ErrBadSignature},
		{"truncated sig", withSig(sig[:63]), nil, ErrBadSignature},
		{"long sig", withSig(append(append([]byte{}, sig...), 0)), nil, ErrBadSignature},
		{"sig not base64", envelopeJSON(t, env, func(m map[string]any) { sig0(m)["sig"] = "!!" }), nil, ErrBadSignature},
		{"sig missing", envelopeJSON(t, env, func(m map[string]any) { delete(sig0(m), "sig") }), nil, ErrBadSignature},
		{"sig empty", envelopeJSON(t, env, func(m map[string]any) { sig0(m)["sig"] = "" }), nil, ErrBadSignature},
		{"verified with another key", env, otherPub, ErrWrongKey},
		{"signed by another key", otherEnv, nil, ErrWrongKey},
		{"other key's sig under our keyid", envelopeJSON(t, otherEnv, func(m map[string]any) { sig0(m)["keyid"] = KeyID(testPub()) }), nil, ErrBadSignature},
		{"our sig under another keyid", envelopeJSON(t, env, func(m map[string]any) { sig0(m)["keyid"] = KeyID(otherPub) }), nil, ErrWrongKey},
		{"one of two of our signatures bad", envelopeJSON(t, env, func(m map[string]any) {
			m["signatures"] = append(m["signatures"].([]any), map[string]any{"keyid": KeyID(testPub()), "sig": base64.StdEncoding.EncodeToString(flippedSig)})
		}), nil, ErrBadSignature},
		{"unsigned envelope", envelopeJSON(t, env, func(m map[string]any) { m["signatures"] = []any{} }), nil, ErrUnsigned},
		{"signatures null", envelopeJSON(t, env, func(m map[string]any) { m["signatures"] = nil }), nil, ErrUnsigned},
		{"signatures missing", envelopeJSON(t, env, func(m map[string]any) { delete(m, "signatures") }), nil, ErrUnsigned},
		{"signatures not an array", envelopeJSON(t, env, func(m map[string]any) { m["signatures"] = sig0(m) }), nil, ErrMalformedEnvelope},
		{"signature not an object", envelopeJSON(t, env, func(m map[string]any) { m["signatures"] = []any{"sig"} }), nil, ErrMalformedEnvelope},
		{"keyid not a string", envelopeJSON(t, env, func(m map[string]any) { sig0(m)["keyid"] = 1 }), nil, ErrMalformedEnvelope},
		{"missing keyid", envelopeJSON(t, env, func(m map[string]any) { delete(sig0(m), "keyid") }), nil, ErrMissingKeyID},
		{"empty keyid", envelopeJSON(t, env, func(m map[string]any) { sig0(m)["keyid"] = "" }), nil, ErrMissingKeyID},
		{"null keyid", envelopeJSON(t, env, func(m map[string]any) { sig0(m)["keyid"] = nil }), nil, ErrMissingKeyID},
		{"missing payloadType", envelopeJSON(t, env, func(m map[string]any) { delete(m, "payloadType") }), nil, ErrPayloadType},
		{"null payloadType", envelopeJSON(t, env, func(m map[string]any) { m["payloadType"] = nil }), nil, ErrPayloadType},
		{"wrong payloadType", envelopeJSON(t, env, func(m map[string]any) { m["payloadType"] = "application/json" }), nil, ErrPayloadType},
		{"payloadType in other case", envelopeJSON(t, env, func(m map[string]any) { m["payloadType"] = strings.ToUpper(MediaType) }), nil, ErrPayloadType},
		{"payloadType not a string", envelopeJSON(t, env, func(m map[string]any) { m["payloadType"] = []any{MediaType} }), nil, ErrPayloadType},
		{"member name in other case", envelopeJSON(t, env, func(m map[string]any) { m["PayloadType"] = m["payloadType"]; delete(m, "payloadType") }), nil, ErrPayloadType},
		{"correctly signed under another type", signRaw("application/vnd.other+json", "application/vnd.other+json", payload, testKey), nil, ErrPayloadType},
		{"type changed after signing", signRaw(MediaType, "application/vnd.other+json", payload, testKey), nil, ErrBadSignature},
		{"missing payload", envelopeJSON(t, env, func(m map[string]any) { delete(m, "payload") }), nil, ErrMalformedEnvelope},
		{"payload not a string", envelopeJSON(t, env, func(m map[string]any) { m["payload"] = map[string]any{} }), nil, ErrMalformedEnvelope},
		{"payload not base64", envelopeJSON(t, env, func(m map[string]any) { m["payload"] = "not base64!" }), nil, ErrMalformedEnvelope},
		{"payload unpadded", envelopeJSON(t, env, func(m map[string]any) {
			p := append([]byte{}, payload...)
			for len(p)%3 == 0 { // make sure there is padding to leave out
				p = append(p, ' ')
			}
			m["payload"] = base64.RawStdEncoding.EncodeToString(p)
		}), nil, ErrMalformedEnvelope},
		{"payload with line breaks", envelopeJSON(t, env, func(m map[string]any) {
			p := m["payload"].(string)
			m["payload"] = p[:64] + "\n" + p[64:]
		}), nil, ErrMalformedEnvelope},
		{"duplicate payload member", []byte(strings.Replace(string(env), `"payload":`, `"payload": "e30=", "payload":`, 1)), nil, ErrMalformedEnvelope},
		{"trailing data", append(append([]byte{}, env...), "{}"...), nil, ErrMalformedEnvelope},
		{"garbage", []byte("\x00\x01garbage\xff"), nil, ErrMalformedEnvelope},
		{"truncated", env[:len(env)/2], nil, ErrMalformedEnvelope},
		{"empty file", nil, nil, ErrMalformedEnvelope},
		{"blank file", []byte(" \n"), nil, ErrMalformedEnvelope},
		{"JSON array", []byte(`[]`), nil, ErrMalformedEnvelope},
		{"JSON string", []byte(`"payload"`), nil, ErrMalformedEnvelope},
		{"empty object", []byte(`{}`), nil, ErrMalformedEnvelope},
		{"plain unsigned report", payload, nil, ErrUnsigned},
		{"signed, but not a report", signRaw(MediaType, MediaType, []byte(`{"hello":"world"}`), testKey), nil, ErrInvalidReport},
		{"signed, empty payload", signRaw(MediaType, MediaType, nil, testKey), nil, ErrInvalidReport},
		{"signed, inconsistent report", signRaw(MediaType, MediaType, inconsistent, testKey), nil, ErrInvalidReport},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pub := tt.pub
			if pub == nil {
				pub = testPub()
			}
			r, p, err := Verify(tt.in, pub)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Verify = %v, want %v", err, tt.want)
			}
			for _, s := range sentinels {
				if s != tt.want && errors.Is(err, s) {
					t.Errorf("error %q is also %v; each failure must be distinct", err, s)
				}
			}
			if r != nil || p != nil {
				t.Error("Verify returned a report or payload along with an error")
			}
			if !strings.HasPrefix(err.Error(), tt.want.Error()) && !strings.HasPrefix(err.Error(), "signed payload: ") {
				t.Errorf("error %q should start by saying what is wrong (%q)", err, tt.want)
			}
		})
	}
}

func TestVerifyAccepts(t *testing.T) {
	payload, env := signSample(t)
	_, otherKey, err := GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	otherSig := ed25519.Sign(otherKey, PAE(MediaType, payload))
	tests := []struct {
		name string
		in   []byte
	}{
		{"as signed", env},
		{"compact", envelopeJSON(t, env, func(map[string]any) {})},
		{"unknown members ignored (DSSE)", envelopeJSON(t, env, func(m map[string]any) {
			m["comment"] = "unsigned, ignored"
			sig0(m)["cert"] = nil
		})},
		{"other keys' signatures ignored", envelopeJSON(t, env, func(m map[string]any) {
			m["signatures"] = []any{
				map[string]any{"keyid": KeyID(otherKey.Public().(ed25519.PublicKey)), "sig": base64.StdEncoding.EncodeToString(otherSig)},
				map[string]any{"keyid": "garbage", "sig": "!!"},
				map[string]any{"sig": "anonymous"},
				sig0(m),
			}
		})},
		{"two good signatures of ours", envelopeJSON(t, env, func(m map[string]any) {
			m["signatures"] = []any{sig0(m), sig0(m)}
		})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, p, err := Verify(tt.in, testPub())
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(p, payload) || r == nil {
				t.Error("wrong payload or nil report")
			}
		})
	}
}

func TestVerifyBadPublicKey(t *testing.T) {
	_, env := signSample(t)
	for _, pub := range []ed25519.PublicKey{nil, make([]byte, 31), make([]byte, 64)} {
		if _, _, err := Verify(env, pub); err == nil {
			t.Errorf("Verify with a %d-byte public key succeeded", len(pub))
		}
	}
}

func TestIsEnvelope(t *testing.T) {
	payload, env := signSample(t)
	tests := []struct {
		in   string
		want bool
	}{
		{string(env), true},
		{string(payload), false},
		{`{"payloadType": 1}`, true},
		{`{"signatures": []}`, true},
		{`{"payload": "", "payload": ""}`, true}, // damaged: Verify explains
		{`{}`, false},
		{`[]`, false},
		{``, false},
		{`garbage`, false},
	}
	for _, tt := range tests {
		if got := IsEnvelope([]byte(tt.in)); got != tt.want {
			t.Errorf("IsEnvelope(%.40q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// TestOpenSSLVerifiesOurSignature: the real openssl accepts what Sign
// signs, with a key openssl generated, and rejects a modified PAE.
func TestOpenSSLVerifiesOurSignature(t *testing.T) {
	openssl := oracle.Require(t, "openssl")
	privPath, pubPath := opensslKeys(t, openssl)
	priv, err := ParsePrivateKeyPEM(readFile(t, privPath))
	if err != nil {
		t.Fatal(err)
	}
	payload := sampleJSON(t)
	env, err := Sign(payload, priv)
	if err != nil {
		t.Fatal(err)
	}
	var e Envelope
	if err := json.Unmarshal(env, &e); err != nil {
		t.Fatal(err)
	}
	sig, err := base64.StdEncoding.DecodeString(e.Signatures[0].Sig)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	paePath, sigPath := filepath.Join(dir, "pae.bin"), filepath.Join(dir, "sig.bin")
	writeFile(t, paePath, PAE(e.PayloadType, payload))
	writeFile(t, sigPath, sig)
	run(t, nil, openssl, "pkeyutl", "-verify", "-pubin", "-inkey", pubPath, "-rawin", "-in", paePath, "-sigfile", sigPath)

	tampered := PAE(e.PayloadType, payload)
	tampered[len(tampered)-3] ^= 1
	writeFile(t, paePath, tampered)
	cmd := exec.Command(openssl, "pkeyutl", "-verify", "-pubin", "-inkey", pubPath, "-rawin", "-in", paePath, "-sigfile", sigPath)
	if out, err := cmd.CombinedOutput(); err == nil {
		t.Errorf("openssl verified a tampered PAE:\n%s", out)
	}
}

// TestWeVerifyOpenSSLSignature: Verify accepts an envelope whose signature
// the real openssl made.
func TestWeVerifyOpenSSLSignature(t *testing.T) {
	openssl := oracle.Require(t, "openssl")
	privPath, pubPath := opensslKeys(t, openssl)
	pub, err := ParsePublicKeyPEM(readFile(t, pubPath))
	if err != nil {
		t.Fatal(err)
	}
	payload := sampleJSON(t)
	dir := t.TempDir()
	paePath := filepath.Join(dir, "pae.bin")
	writeFile(t, paePath, PAE(MediaType, payload))
	sig := run(t, nil, openssl, "pkeyutl", "-sign", "-inkey", privPath, "-rawin", "-in", paePath)
	env, _ := json.Marshal(Envelope{
		PayloadType: MediaType,
		Payload:     base64.StdEncoding.EncodeToString(payload),
		Signatures:  []Signature{{KeyID: KeyID(pub), Sig: base64.StdEncoding.EncodeToString(sig)}},
	})
	if _, got, err := Verify(env, pub); err != nil || !bytes.Equal(got, payload) {
		t.Fatalf("Verify(openssl-signed envelope) = %v", err)
	}
}

func writeFile(t testing.TB, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestShellRecipe runs testdata/verify.sh, the recipe README.md quotes, with
// the real bash, jq, base64 and openssl.
func TestShellRecipe(t *testing.T) {
	openssl := oracle.Require(t, "openssl")
	bash := oracle.Require(t, "bash")
	for _, tool := range []string{"jq", "base64", "sha256sum", "wc", "cut", "mktemp"} {
		oracle.Require(t, tool)
	}
	script, err := filepath.Abs("testdata/verify.sh")
	if err != nil {
		t.Fatal(err)
	}
	readme := readFile(t, "README.md")
	if !bytes.Contains(readme, readFile(t, script)) {
		t.Fatal("README.md must quote testdata/verify.sh verbatim")
	}

	privPath, pubPath := opensslKeys(t, openssl)
	_, otherPub := opensslKeys(t, openssl)
	priv, err := ParsePrivateKeyPEM(readFile(t, privPath))
	if err != nil {
		t.Fatal(err)
	}
	payload := sampleJSON(t)
	env, err := Sign(payload, priv)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		writeFile(t, p, data)
		return p
	}
	recipe := func(envPath, pub string) (stdout, stderr string, err error) {
		cmd := exec.Command(bash, script, envPath, pub)
		var o, e bytes.Buffer
		cmd.Stdout, cmd.Stderr = &o, &e
		err = cmd.Run()
		return o.String(), e.String(), err
	}

	t.Run("good", func(t *testing.T) {
		out, stderr, err := recipe(write("good.json", env), pubPath)
		if err != nil {
			t.Fatalf("verify.sh failed: %v\n%s", err, stderr)
		}
		if out != string(payload) {
			t.Errorf("verify.sh printed %d bytes, want the %d-byte payload", len(out), len(payload))
		}
		if !strings.Contains(stderr, "Signature Verified Successfully") {
			t.Errorf("stderr = %q", stderr)
		}
	})

	tamperedPayload := bytes.Replace(payload, []byte(`"NonCompliant"`), []byte(`"Compliant"`), 1)
	bad := []struct {
		name, env, pub, stderr string
	}{
		{"tampered payload", write("tampered.json", envelopeJSON(t, env, func(m map[string]any) {
			m["payload"] = base64.StdEncoding.EncodeToString(tamperedPayload)
		})), pubPath, "BAD SIGNATURE"},
		{"tampered sig", write("badsig.json", envelopeJSON(t, env, func(m map[string]any) {
			s, _ := base64.StdEncoding.DecodeString(sig0(m)["sig"].(string))
			s[5] ^= 1
			sig0(m)["sig"] = base64.StdEncoding.EncodeToString(s)
		})), pubPath, "BAD SIGNATURE"},
		{"other key", write("good2.json", env), otherPub, "no single signature with keyid"},
		{"wrong payloadType", write("type.json", envelopeJSON(t, env, func(m map[string]any) { m["payloadType"] = "application/json" })), pubPath, "payloadType is 'application/json'"},
		{"missing payloadType", write("notype.json", envelopeJSON(t, env, func(m map[string]any) { delete(m, "payloadType") })), pubPath, "no payloadType"},
		{"unsigned", write("unsigned.json", envelopeJSON(t, env, func(m map[string]any) { m["signatures"] = []any{} })), pubPath, "no single signature"},
		{"plain report", write("plain.json", payload), pubPath, "no payloadType"},
		{"missing keyid", write("nokeyid.json", envelopeJSON(t, env, func(m map[string]any) { delete(sig0(m), "keyid") })), pubPath, "no single signature"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			out, stderr, err := recipe(tt.env, tt.pub)
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != 1 {
				t.Fatalf("verify.sh: err = %v, want exit status 1\nstderr: %s", err, stderr)
			}
			if out != "" {
				t.Errorf("verify.sh printed %q on failure", out)
			}
			if !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr = %q, want it to contain %q", stderr, tt.stderr)
			}
		})
	}
}

// FuzzVerify: Verify never panics, and whatever the fuzzer does to a signed
// envelope, anything that verifies carries exactly the signed report: a
// mutation may change the envelope's JSON formatting, never what it vouches
// for.
func FuzzVerify(f *testing.F) {
	payload, env := signSample(f)
	f.Add(env)
	f.Add(envelopeJSON(f, env, func(map[string]any) {}))
	f.Add(payload)
	f.Add([]byte(`{"payloadType":"application/vnd.gcrun.report+json","payload":"e30=","signatures":[{"keyid":"","sig":""}]}`))
	f.Add([]byte(`{"signatures":null}`))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		r, p, err := Verify(data, testPub())
		if err != nil {
			if r != nil || p != nil {
				t.Fatal("results returned with an error")
			}
			return
		}
		if !bytes.Equal(p, payload) {
			t.Fatalf("verified a payload that was never signed:\n%s", p)
		}
		if r == nil || r.Summary != sampleReport().Summary {
			t.Fatal("verified report differs from the signed one")
		}
		_ = IsEnvelope(data)
	})
}

func BenchmarkSign(b *testing.B) {
	data := bigReport(b, 500)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Sign(data, testKey); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	data := bigReport(b, 500)
	env, err := Sign(data, testKey)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(env)))
	for b.Loop() {
		if _, _, err := Verify(env, testPub()); err != nil {
			b.Fatal(err)
		}
	}
}
