package report

import (
	"bytes"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
)

// PEM block types. They are the ones OpenSSL writes, so keys move freely
// between gcrun and openssl(1).
const (
	pemPrivateKey = "PRIVATE KEY" // PKCS#8, `openssl genpkey -algorithm ed25519`
	pemPublicKey  = "PUBLIC KEY"  // SubjectPublicKeyInfo, `openssl pkey -pubout`
)

// GenerateKey returns a new ed25519 key pair from crypto/rand.
func GenerateKey() (ed25519.PublicKey, ed25519.PrivateKey, error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, nil, fmt.Errorf("generate ed25519 key: %w", err)
	}
	return pub, priv, nil
}

// MarshalPrivateKeyPEM encodes key as an unencrypted PKCS#8 "PRIVATE KEY"
// PEM block, byte for byte what `openssl genpkey -algorithm ed25519` writes.
// Only the seed is stored; the public half is derived again when parsing.
func MarshalPrivateKeyPEM(key ed25519.PrivateKey) ([]byte, error) {
	if len(key) != ed25519.PrivateKeySize {
		return nil, fmt.Errorf("ed25519 private key is %d bytes, want %d", len(key), ed25519.PrivateKeySize)
	}
	der, err := x509.MarshalPKCS8PrivateKey(ed25519.NewKeyFromSeed(key.Seed()))
	if err != nil {
		return nil, fmt.Errorf("marshal private key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: pemPrivateKey, Bytes: der}), nil
}

// MarshalPublicKeyPEM encodes pub as a SubjectPublicKeyInfo "PUBLIC KEY" PEM
// block, byte for byte what `openssl pkey -pubout` writes.
func MarshalPublicKeyPEM(pub ed25519.PublicKey) ([]byte, error) {
	der, err := spki(pub)
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: pemPublicKey, Bytes: der}), nil
}

func spki(pub ed25519.PublicKey) ([]byte, error) {
	if len(pub) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("ed25519 public key is %d bytes, want %d", len(pub), ed25519.PublicKeySize)
	}
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, fmt.Errorf("marshal public key: %w", err)
	}
	return der, nil
}

// ParsePrivateKeyPEM parses an ed25519 private key from a PKCS#8 "PRIVATE
// KEY" PEM block, as written by MarshalPrivateKeyPEM or `openssl genpkey
// -algorithm ed25519`. The data must hold exactly one PEM block (surrounding
// whitespace aside): a second block or stray text suggests the wrong file,
// and guessing which block was meant is how keys get mixed up. Encrypted
// keys are rejected with a hint.
func ParsePrivateKeyPEM(data []byte) (ed25519.PrivateKey, error) {
	block, err := decodeSinglePEM(data)
	if err != nil {
		return nil, fmt.Errorf("parse private key: %w", err)
	}
	if block.Type != pemPrivateKey {
		return nil, fmt.Errorf("parse private key: %s", wrongPEMType(block.Type, pemPrivateKey))
	}
	if len(block.Headers) > 0 {
		return nil, errors.New("parse private key: PEM block has headers (an encrypted legacy key?); want an unencrypted PKCS#8 key")
	}
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		if alg := otherAlgorithm(block.Bytes, true); alg != "" {
			return nil, fmt.Errorf("parse private key: not an ed25519 key (got %s)", alg)
		}
		return nil, fmt.Errorf("parse private key: invalid PKCS#8 data: %w", err)
	}
	priv, ok := key.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("parse private key: not an ed25519 key (got %s)", algorithmName(key))
	}
	return priv, nil
}

// ParsePublicKeyPEM parses an ed25519 public key from a SubjectPublicKeyInfo
// "PUBLIC KEY" PEM block, as written by MarshalPublicKeyPEM or `openssl pkey
// -pubout`. Like ParsePrivateKeyPEM it wants exactly one PEM block.
func ParsePublicKeyPEM(data []byte) (ed25519.PublicKey, error) {
	block, err := decodeSinglePEM(data)
	if err != nil {
		return nil, fmt.Errorf("parse public key: %w", err)
	}
	if block.Type != pemPublicKey {
		return nil, fmt.Errorf("parse public key: %s", wrongPEMType(block.Type, pemPublicKey))
	}
	if len(block.Headers) > 0 {
		return nil, errors.New("parse public key: PEM block has headers; want a plain PUBLIC KEY block")
	}
	key, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		if alg := otherAlgorithm(block.Bytes, false); alg != "" {
			return nil, fmt.Errorf("parse public key: not an ed25519 key (got %s)", alg)
		}
		return nil, fmt.Errorf("parse public key: invalid SubjectPublicKeyInfo data: %w", err)
	}
	pub, ok := key.(ed25519.PublicKey)
	if !ok {
		return nil, fmt.Errorf("parse public key: not an ed25519 key (got %s)", algorithmName(key))
	}
	return pub, nil
}

// KeyID identifies pub in signature envelopes: the lowercase hex SHA-256 of
// the key's SubjectPublicKeyInfo DER encoding, i.e. of the bytes inside the
// "PUBLIC KEY" PEM block. Hashing the standard encoding rather than the raw
// 32 bytes means anyone can recompute it from a PEM file with stock tools:
//
//	openssl pkey -pubin -in pub.pem -outform DER | sha256sum
//
// KeyID returns "" for a value that is not a 32-byte ed25519 key, which no
// real key ID equals.
func KeyID(pub ed25519.PublicKey) string {
	der, err := spki(pub)
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(der)
	return hex.EncodeToString(sum[:])
}

// decodeSinglePEM decodes the one PEM block in data, rejecting anything but
// whitespace around it.
func decodeSinglePEM(data []byte) (*pem.Block, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errors.New("empty input, want a PEM block")
	}
	block, rest := pem.Decode(data)
	if block == nil {
		return nil, errors.New("not PEM (no -----BEGIN ...----- block found)")
	}
	// pem.Decode silently skips text before the block; we do not.
	if i := bytes.Index(data, []byte("-----BEGIN")); i > 0 && len(bytes.TrimSpace(data[:i])) > 0 {
		return nil, errors.New("unexpected data before the PEM block")
	}
	if len(bytes.TrimSpace(rest)) > 0 {
		if next, _ := pem.Decode(rest); next != nil {
			return nil, fmt.Errorf("trailing data after the PEM block (another %s block); want exactly one", next.Type)
		}
		return nil, errors.New("trailing data after the PEM block")
	}
	return block, nil
}

// wrongPEMType explains a PEM block of the wrong type, pointing out the
// common mix-ups: a public key where the private one belongs and vice versa,
// encrypted keys, and key formats other than PKCS#8/SPKI.
func wrongPEMType(got, want string) string {
	msg := fmt.Sprintf("PEM type %s, want %s", got, want)
	switch {
	case want == pemPrivateKey && got == pemPublicKey:
		return msg + " (this is a public key; signing needs the private key)"
	case want == pemPublicKey && got == pemPrivateKey:
		return msg + " (this is a private key; verification needs only the public key, `openssl pkey -in key.pem -pubout`)"
	case got == "ENCRYPTED PRIVATE KEY":
		return msg + " (encrypted keys are not supported; decrypt with `openssl pkey -in key.pem -out plain.pem`)"
	case got == "OPENSSH PRIVATE KEY":
		return msg + " (an OpenSSH key; want a PKCS#8 key from `openssl genpkey -algorithm ed25519`)"
	case got == "RSA PRIVATE KEY" || got == "RSA PUBLIC KEY":
		return msg + " (a PKCS#1 RSA key, not ed25519)"
	case got == "EC PRIVATE KEY":
		return msg + " (a SEC 1 ECDSA key, not ed25519)"
	case got == "CERTIFICATE":
		return msg + " (a certificate, not a bare key)"
	}
	return msg
}

// otherAlgorithms are OpenSSL key types crypto/x509 does not parse, by OID,
// so that `openssl genpkey -algorithm ed448` (an easy slip) gets a clear
// message rather than "unknown algorithm: 1.3.101.113".
var otherAlgorithms = map[string]string{
	"1.3.101.110": "X25519",
	"1.3.101.111": "X448",
	"1.3.101.113": "Ed448",
}

// otherAlgorithm returns the name of the key type in a PKCS#8 (private) or
// SubjectPublicKeyInfo DER encoding if it is one of otherAlgorithms, else "".
// It is consulted only after crypto/x509 failed, to explain why.
func otherAlgorithm(der []byte, private bool) string {
	var alg pkix.AlgorithmIdentifier
	if private {
		var k struct {
			Version    int
			Algorithm  pkix.AlgorithmIdentifier
			PrivateKey []byte
		}
		if _, err := asn1.Unmarshal(der, &k); err != nil {
			return ""
		}
		alg = k.Algorithm
	} else {
		var k struct {
			Algorithm pkix.AlgorithmIdentifier
			PublicKey asn1.BitString
		}
		if _, err := asn1.Unmarshal(der, &k); err != nil {
			return ""
		}
		alg = k.Algorithm
	}
	return otherAlgorithms[alg.Algorithm.String()]
}

// algorithmName names the kind of key x509 returned, for error messages.
func algorithmName(key any) string {
	switch k := key.(type) {
	case *rsa.PrivateKey, *rsa.PublicKey:
		return "RSA"
	case *ecdsa.PrivateKey:
		return "ECDSA " + k.Curve.Params().Name
	case *ecdsa.PublicKey:
		return "ECDSA " + k.Curve.Params().Name
	case *ecdh.PrivateKey:
		return ecdhName(k.Curve())
	case *ecdh.PublicKey:
		return ecdhName(k.Curve())
	}
	return fmt.Sprintf("%T", key)
}

func ecdhName(c ecdh.Curve) string {
	if c == ecdh.X25519() {
		return "X25519"
	}
	return fmt.Sprintf("ECDH %v", c)
}
