package report

import (
	"bytes"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gcrun/gcrun/internal/oracle"
	"github.com/google/go-cmp/cmp"
)

func mustPEM(t testing.TB, typ string, der []byte) []byte {
	t.Helper()
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}

func mustMarshal(t testing.TB, f func() ([]byte, error)) []byte {
	t.Helper()
	b, err := f()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestKeyRoundTrip(t *testing.T) {
	pub, priv, err := GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	privPEM := mustMarshal(t, func() ([]byte, error) { return MarshalPrivateKeyPEM(priv) })
	pubPEM := mustMarshal(t, func() ([]byte, error) { return MarshalPublicKeyPEM(pub) })
	if !bytes.HasPrefix(privPEM, []byte("-----BEGIN PRIVATE KEY-----\n")) {
		t.Errorf("private PEM starts %q", privPEM[:30])
	}
	if !bytes.HasPrefix(pubPEM, []byte("-----BEGIN PUBLIC KEY-----\n")) {
		t.Errorf("public PEM starts %q", pubPEM[:30])
	}
	priv2, err := ParsePrivateKeyPEM(privPEM)
	if err != nil {
		t.Fatal(err)
	}
	pub2, err := ParsePublicKeyPEM(pubPEM)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(priv, priv2); diff != "" {
		t.Errorf("private key round trip (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(pub, pub2); diff != "" {
		t.Errorf("public key round trip (-want +got):\n%s", diff)
	}
	// CRLF line endings and surrounding whitespace are fine.
	crlf := "\r\n\r\n" + strings.ReplaceAll(string(pubPEM), "\n", "\r\n") + "\r\n\r\n"
	if got, err := ParsePublicKeyPEM([]byte(crlf)); err != nil || !got.Equal(pub) {
		t.Errorf("CRLF public key: %v", err)
	}
}

func TestKeyID(t *testing.T) {
	pub := testPub()
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(der)
	if got, want := KeyID(pub), hex.EncodeToString(sum[:]); got != want {
		t.Errorf("KeyID = %s, want sha256(SPKI DER) = %s", got, want)
	}
	// A fixed vector, computed independently with
	//   openssl pkey -inform DER -in seed7.der -pubout -outform DER | sha256sum
	// where seed7.der is the PKCS#8 key with the seed of 32 bytes of 7.
	if got, want := KeyID(pub), "324be2dea8bc44461b0233e51fa48902ed6b1cc671e7739af2551e0bfe68f54e"; got != want {
		t.Errorf("KeyID = %s, want %s", got, want)
	}
	for _, bad := range []ed25519.PublicKey{nil, make([]byte, 31), make([]byte, 33)} {
		if id := KeyID(bad); id != "" {
			t.Errorf("KeyID(%d bytes) = %q, want empty", len(bad), id)
		}
	}
}

func TestMarshalRejectsBadKeys(t *testing.T) {
	if _, err := MarshalPrivateKeyPEM(make([]byte, 32)); err == nil {
		t.Error("MarshalPrivateKeyPEM accepted a 32-byte private key")
	}
	if _, err := MarshalPublicKeyPEM(make([]byte, 64)); err == nil {
		t.Error("MarshalPublicKeyPEM accepted a 64-byte public key")
	}
}

func TestParseKeyErrors(t *testing.T) {
	pub := testPub()
	pubPEM := mustMarshal(t, func() ([]byte, error) { return MarshalPublicKeyPEM(pub) })
	privPEM := mustMarshal(t, func() ([]byte, error) { return MarshalPrivateKeyPEM(testKey) })

	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	xKey, err := ecdh.X25519().GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	pkcs8 := func(k any) []byte {
		der, err := x509.MarshalPKCS8PrivateKey(k)
		if err != nil {
			t.Fatal(err)
		}
		return mustPEM(t, "PRIVATE KEY", der)
	}
	spki := func(k any) []byte {
		der, err := x509.MarshalPKIXPublicKey(k)
		if err != nil {
			t.Fatal(err)
		}
		return mustPEM(t, "PUBLIC KEY", der)
	}
	withHeaders := pem.EncodeToMemory(&pem.Block{
		Type: "PRIVATE KEY", Headers: map[string]string{"Proc-Type": "4,ENCRYPTED"},
		Bytes: func() []byte { b, _ := pem.Decode(privPEM); return b.Bytes }(),
	})

	tests := []struct {
		name    string
		private bool
		in      []byte
		want    string
	}{
		{"empty private", true, nil, "parse private key: empty input"},
		{"blank public", false, []byte(" \n\t\n"), "parse public key: empty input"},
		{"not PEM", true, []byte("hello"), "parse private key: not PEM"},
		{"raw key bytes", false, []byte(pub), "not PEM"},
		{"truncated PEM", false, pubPEM[:len(pubPEM)-10], "not PEM"},
		{"public where private expected", true, pubPEM, "PEM type PUBLIC KEY, want PRIVATE KEY (this is a public key"},
		{"private where public expected", false, privPEM, "PEM type PRIVATE KEY, want PUBLIC KEY (this is a private key"},
		{"RSA PKCS#8", true, pkcs8(rsaKey), "parse private key: not an ed25519 key (got RSA)"},
		{"RSA SPKI", false, spki(&rsaKey.PublicKey), "parse public key: not an ed25519 key (got RSA)"},
		{"RSA PKCS#1", true, mustPEM(t, "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(rsaKey)), "PEM type RSA PRIVATE KEY, want PRIVATE KEY (a PKCS#1 RSA key"},
		{"ECDSA PKCS#8", true, pkcs8(ecKey), "not an ed25519 key (got ECDSA P-256)"},
		{"ECDSA SPKI", false, spki(&ecKey.PublicKey), "not an ed25519 key (got ECDSA P-256)"},
		{"X25519 PKCS#8", true, pkcs8(xKey), "not an ed25519 key (got X25519)"},
		{"X25519 SPKI", false, spki(xKey.PublicKey()), "not an ed25519 key (got X25519)"},
		{"encrypted PKCS#8", true, mustPEM(t, "ENCRYPTED PRIVATE KEY", []byte{0x30, 0}), "encrypted keys are not supported"},
		{"OpenSSH key", true, mustPEM(t, "OPENSSH PRIVATE KEY", []byte("openssh-key-v1")), "an OpenSSH key"},
		{"certificate", false, mustPEM(t, "CERTIFICATE", []byte{0x30, 0}), "PEM type CERTIFICATE, want PUBLIC KEY (a certificate"},
		{"legacy headers", true, withHeaders, "has headers"},
		{"trailing garbage", false, append(append([]byte{}, pubPEM...), "junk"...), "trailing data after the PEM block"},
		{"two blocks", true, append(append([]byte{}, privPEM...), pubPEM...), "trailing data after the PEM block (another PUBLIC KEY block)"},
		{"leading garbage", false, append([]byte("key:\n"), pubPEM...), "unexpected data before the PEM block"},
		{"garbage DER private", true, mustPEM(t, "PRIVATE KEY", []byte("nonsense")), "parse private key: invalid PKCS#8 data: "},
		{"garbage DER public", false, mustPEM(t, "PUBLIC KEY", []byte("nonsense")), "parse public key: invalid SubjectPublicKeyInfo data: "},
		{"empty DER", false, mustPEM(t, "PUBLIC KEY", nil), "parse public key: invalid SubjectPublicKeyInfo data: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			if tt.private {
				var k ed25519.PrivateKey
				k, err = ParsePrivateKeyPEM(tt.in)
				if k != nil {
					t.Error("got a key along with the error")
				}
			} else {
				var k ed25519.PublicKey
				k, err = ParsePublicKeyPEM(tt.in)
				if k != nil {
					t.Error("got a key along with the error")
				}
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

// run runs a command and returns its stdout, failing the test on error.
func run(t testing.TB, stdin []byte, name string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Stdin = bytes.NewReader(stdin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.Bytes())
	}
	return out
}

// opensslKeys makes a key pair with the real openssl and returns the paths
// of the PEM files.
func opensslKeys(t *testing.T, openssl string) (privPath, pubPath string) {
	t.Helper()
	dir := t.TempDir()
	privPath, pubPath = filepath.Join(dir, "priv.pem"), filepath.Join(dir, "pub.pem")
	run(t, nil, openssl, "genpkey", "-algorithm", "ed25519", "-out", privPath)
	run(t, nil, openssl, "pkey", "-in", privPath, "-pubout", "-out", pubPath)
	return privPath, pubPath
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestOpenSSLKeys checks our PEM encodings against the real openssl, both
// ways, and the documented way of computing a key ID with stock tools.
func TestOpenSSLKeys(t *testing.T) {
	openssl := oracle.Require(t, "openssl")
	bash := oracle.Require(t, "bash")
	oracle.Require(t, "sha256sum")
	privPath, pubPath := opensslKeys(t, openssl)
	privPEM, pubPEM := readFile(t, privPath), readFile(t, pubPath)

	priv, err := ParsePrivateKeyPEM(privPEM)
	if err != nil {
		t.Fatalf("parse openssl private key: %v", err)
	}
	pub, err := ParsePublicKeyPEM(pubPEM)
	if err != nil {
		t.Fatalf("parse openssl public key: %v", err)
	}
	if !pub.Equal(priv.Public()) {
		t.Fatal("openssl's public key is not the public half of its private key")
	}
	// Our encoding is byte for byte openssl's.
	if diff := cmp.Diff(string(privPEM), string(mustMarshal(t, func() ([]byte, error) { return MarshalPrivateKeyPEM(priv) }))); diff != "" {
		t.Errorf("MarshalPrivateKeyPEM differs from openssl genpkey (-openssl +ours):\n%s", diff)
	}
	ourPub := mustMarshal(t, func() ([]byte, error) { return MarshalPublicKeyPEM(pub) })
	if diff := cmp.Diff(string(pubPEM), string(ourPub)); diff != "" {
		t.Errorf("MarshalPublicKeyPEM differs from openssl pkey -pubout (-openssl +ours):\n%s", diff)
	}
	// openssl reads our private key and derives the same public key.
	_, ours, err := GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	oursPath := filepath.Join(t.TempDir(), "ours.pem")
	if err := os.WriteFile(oursPath, mustMarshal(t, func() ([]byte, error) { return MarshalPrivateKeyPEM(ours) }), 0o600); err != nil {
		t.Fatal(err)
	}
	got := run(t, nil, openssl, "pkey", "-in", oursPath, "-pubout")
	want := mustMarshal(t, func() ([]byte, error) { return MarshalPublicKeyPEM(ours.Public().(ed25519.PublicKey)) })
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("openssl pkey -pubout of our private key (-ours +openssl):\n%s", diff)
	}
	// KeyID's godoc recipe.
	out := run(t, nil, bash, "-c", `set -o pipefail; openssl pkey -pubin -in "$1" -outform DER | sha256sum | cut -d' ' -f1`, "bash", pubPath)
	if got, want := strings.TrimSpace(string(out)), KeyID(pub); got != want {
		t.Errorf("openssl ... | sha256sum = %s, KeyID = %s", got, want)
	}
}

func FuzzParsePublicKeyPEM(f *testing.F) {
	pubPEM, _ := MarshalPublicKeyPEM(testPub())
	privPEM, _ := MarshalPrivateKeyPEM(testKey)
	f.Add(pubPEM)
	f.Add(privPEM)
	f.Add([]byte("-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----\n"))
	f.Add([]byte("-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		pub, err := ParsePublicKeyPEM(data)
		if err != nil {
			if pub != nil {
				t.Fatal("key returned with an error")
			}
			return
		}
		if len(pub) != ed25519.PublicKeySize {
			t.Fatalf("parsed a %d-byte public key", len(pub))
		}
		again, err := MarshalPublicKeyPEM(pub)
		if err != nil {
			t.Fatal(err)
		}
		back, err := ParsePublicKeyPEM(again)
		if err != nil || !back.Equal(pub) {
			t.Fatalf("re-encoded key does not round-trip: %v", err)
		}
		if KeyID(pub) == "" {
			t.Fatal("no key ID for a parsed key")
		}
	})
}

func FuzzParsePrivateKeyPEM(f *testing.F) {
	pubPEM, _ := MarshalPublicKeyPEM(testPub())
	privPEM, _ := MarshalPrivateKeyPEM(testKey)
	f.Add(privPEM)
	f.Add(pubPEM)
	f.Add([]byte("-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		priv, err := ParsePrivateKeyPEM(data)
		if err != nil {
			return
		}
		if len(priv) != ed25519.PrivateKeySize {
			t.Fatalf("parsed a %d-byte private key", len(priv))
		}
		// A parsed key must sign verifiably.
		msg := []byte("m")
		if !ed25519.Verify(priv.Public().(ed25519.PublicKey), msg, ed25519.Sign(priv, msg)) {
			t.Fatal("parsed private key does not make verifiable signatures")
		}
	})
}

// TestOpenSSLOtherKeyTypes feeds keys of other types, made by the real
// openssl, to the parsers: each must be refused with a message naming the
// type.
func TestOpenSSLOtherKeyTypes(t *testing.T) {
	openssl := oracle.Require(t, "openssl")
	dir := t.TempDir()
	for _, tt := range []struct {
		genpkey []string
		want    string
	}{
		{[]string{"-algorithm", "ed448"}, "got Ed448"},
		{[]string{"-algorithm", "x25519"}, "got X25519"},
		{[]string{"-algorithm", "x448"}, "got X448"},
		{[]string{"-algorithm", "rsa", "-pkeyopt", "rsa_keygen_bits:2048"}, "got RSA"},
		{[]string{"-algorithm", "ec", "-pkeyopt", "ec_paramgen_curve:P-384"}, "got ECDSA P-384"},
	} {
		t.Run(tt.genpkey[1], func(t *testing.T) {
			priv := filepath.Join(dir, tt.genpkey[1]+".pem")
			run(t, nil, openssl, append([]string{"genpkey", "-out", priv}, tt.genpkey...)...)
			pub := run(t, nil, openssl, "pkey", "-in", priv, "-pubout")
			if _, err := ParsePrivateKeyPEM(readFile(t, priv)); err == nil || !strings.Contains(err.Error(), "not an ed25519 key ("+tt.want+")") {
				t.Errorf("private: %v, want %q", err, tt.want)
			}
			if _, err := ParsePublicKeyPEM(pub); err == nil || !strings.Contains(err.Error(), "not an ed25519 key ("+tt.want+")") {
				t.Errorf("public: %v, want %q", err, tt.want)
			}
		})
	}
}
