package checks

import (
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"strconv"
	"strings"

	"github.com/spf13/afero"
)

// Facts about sshd beyond what `sshd -T` prints: Debian's DebianBanner
// keyword, the Diffie-Hellman groups of the moduli file and the sizes of
// the host keys. They are filled in whenever sshd_config exists.

// sshdModuliMaxSize bounds the moduli file. Debian's is about 570 KiB; a
// locally generated one may be larger, so the limit is that of databases.
const sshdModuliMaxSize = MaxDatabaseSize

// SSHDModuli describes the moduli(5) file, the Diffie-Hellman groups sshd
// offers for the diffie-hellman-group-exchange-* key exchanges.
type SSHDModuli struct {
	// Path is the file sshd reads (ModuliFile, /etc/ssh/moduli by default).
	Path string `json:"path"`
	// Exists is false when the file is missing: sshd then uses its
	// built-in groups (dh.c dh_new_group_fallback: RFC 3526 groups 14, 16
	// and 18, 2048 bits and more).
	Exists bool `json:"exists"`
	// Count is the number of moduli (lines that are not comments).
	Count int `json:"count"`
	// MinBits is the size in bits of the smallest modulus: the file's Size
	// field plus one, as sshd computes it (dh.c parse_prime: "The whole
	// group is one bit larger"). 0 when there is no modulus.
	MinBits int `json:"min_bits"`
	// Sizes counts the moduli by the file's own Size field, which is the
	// size in bits minus one: "2047" counts the 2048-bit moduli.
	Sizes map[string]int `json:"sizes"`
}

// SSHDHostKey is one HostKey of the effective configuration, described
// from its public key file. The private key is never read, and no key
// material enters the facts.
type SSHDHostKey struct {
	// Path is the HostKey as sshd -T prints it (the private key).
	Path string `json:"path"`
	// PublicKey is the public key file read: Path + ".pub".
	PublicKey string `json:"public_key"`
	// Exists is false when PublicKey is missing; Type and Bits are then
	// empty.
	Exists bool `json:"exists"`
	// Type is the key type the key blob names (ssh-rsa, ssh-ed25519,
	// ecdsa-sha2-nistp256, ...).
	Type string `json:"type"`
	// Bits is the key size as ssh-keygen -l reports it: the modulus
	// length for ssh-rsa, 256 for ssh-ed25519, the curve size for ECDSA;
	// 0 for other types.
	Bits int `json:"bits"`
}

// sshdExtra fills DebianBanner, Moduli and HostKeys from the parsed
// configuration and the files it names.
func (p *sshdParser) sshdExtra(f *SSHDFacts) error {
	// DebianBanner is global-only and first-wins, so the global scope
	// holds its value; sshd's default is yes.
	f.DebianBanner = "yes"
	if v, ok := p.global.values["debianbanner"].(string); ok {
		f.DebianBanner = v
		f.Sources["debianbanner"] = p.global.sources["debianbanner"]
	}

	moduliPath, _ := f.Config["modulifile"].(string)
	if moduliPath == "" {
		moduliPath = sshdDefaults["modulifile"].(string)
	}
	m, err := sshdReadModuli(p.fs, moduliPath)
	if err != nil {
		return err
	}
	f.Moduli = m

	keys, _ := f.Config["hostkey"].([]string)
	f.HostKeys = make([]SSHDHostKey, 0, len(keys))
	for _, k := range keys {
		if err := p.ctx.Err(); err != nil {
			return err
		}
		hk, err := sshdReadHostKey(p.fs, k)
		if err != nil {
			return err
		}
		f.HostKeys = append(f.HostKeys, hk)
	}
	return nil
}

// sshdReadModuli reads a moduli(5) file: comment lines start with "#",
// every other non-blank line is "time type tests tries size generator
// modulus" (decimal, hexadecimal generator and modulus). sshd skips a line
// it cannot parse with a log message; here it is an error naming
// file:line, since such a file is broken.
func sshdReadModuli(fsys afero.Fs, name string) (*SSHDModuli, error) {
	m := &SSHDModuli{Path: name, Sizes: map[string]int{}}
	data, err := ReadFile(fsys, name, sshdModuliMaxSize)
	if errors.Is(err, fs.ErrNotExist) {
		return m, nil
	}
	if err != nil {
		return nil, sshdFileError(name, err)
	}
	m.Exists = true
	text := string(data)
	for n := 1; text != ""; n++ {
		raw, rest, _ := strings.Cut(text, "\n")
		text = rest
		line := strings.TrimSpace(raw)
		if line == "" || line[0] == '#' {
			continue
		}
		size, err := sshdParseModulus(line)
		if err != nil {
			return nil, &SSHDConfigError{File: name, Line: n, Msg: "bad modulus line: " + err.Error()}
		}
		m.Count++
		m.Sizes[strconv.Itoa(size)]++
		if bits := size + 1; m.MinBits == 0 || bits < m.MinBits {
			m.MinBits = bits
		}
	}
	return m, nil
}

// sshdParseModulus checks one moduli(5) line and returns its Size field.
func sshdParseModulus(line string) (int, error) {
	f := strings.Fields(line)
	if len(f) != 7 {
		return 0, fmt.Errorf("%d fields, want 7 (time type tests tries size generator modulus)", len(f))
	}
	for i, name := range []string{"time", "type", "tests", "tries"} {
		if _, err := strconv.ParseUint(f[i], 10, 64); err != nil {
			return 0, fmt.Errorf("%s %q is not a number", name, f[i])
		}
	}
	size, err := strconv.Atoi(f[4])
	if err != nil || size <= 0 || size > 64*1024 {
		return 0, fmt.Errorf("size %q is not a number from 1 to 65536", f[4])
	}
	if _, ok := new(big.Int).SetString(f[5], 16); !ok {
		return 0, fmt.Errorf("generator %q is not hexadecimal", f[5])
	}
	mod, ok := new(big.Int).SetString(f[6], 16)
	if !ok || mod.Sign() <= 0 {
		return 0, errors.New("modulus is not hexadecimal")
	}
	// sshd rejects a prime whose length disagrees with Size+1.
	if mod.BitLen() != size+1 {
		return 0, fmt.Errorf("modulus has %d bits, size %d says %d", mod.BitLen(), size, size+1)
	}
	return size, nil
}

// sshdReadHostKey describes the host key at path from its public key file.
func sshdReadHostKey(fsys afero.Fs, key string) (SSHDHostKey, error) {
	hk := SSHDHostKey{Path: key, PublicKey: key + ".pub"}
	data, err := ReadFile(fsys, hk.PublicKey, MaxConfigSize)
	if errors.Is(err, fs.ErrNotExist) {
		return hk, nil
	}
	if err != nil {
		return hk, sshdFileError(hk.PublicKey, err)
	}
	typ, bits, err := sshdParsePublicKey(data)
	if err != nil {
		return hk, &SSHDConfigError{File: hk.PublicKey, Msg: "bad public key: " + err.Error()}
	}
	hk.Exists, hk.Type, hk.Bits = true, typ, bits
	return hk, nil
}

// sshdParsePublicKey reads an OpenSSH public key file ("type base64
// [comment]", the first line that is not blank or a comment) and returns
// the key type and size. Errors never quote the key.
func sshdParsePublicKey(data []byte) (string, int, error) {
	var fields []string
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line != "" && line[0] != '#' {
			fields = strings.Fields(line)
			break
		}
	}
	if len(fields) < 2 {
		return "", 0, errors.New("no \"type base64-key\" line")
	}
	blob, err := base64.StdEncoding.DecodeString(fields[1])
	if err != nil {
		return "", 0, errors.New("key is not valid base64")
	}
	r := &sshWire{b: blob}
	typ := string(r.str())
	if r.err != nil {
		return "", 0, r.err
	}
	if typ != fields[0] {
		return "", 0, fmt.Errorf("type %q does not match the key's type %q", fields[0], typ)
	}
	bits := 0
	switch {
	case typ == "ssh-rsa":
		e, n := r.mpint(), r.mpint()
		if r.err == nil && (e.Sign() <= 0 || n.Sign() <= 0) {
			r.err = errors.New("RSA exponent or modulus is not positive")
		}
		if r.err == nil {
			bits = n.BitLen()
		}
	case typ == "ssh-ed25519":
		if k := r.str(); r.err == nil && len(k) != 32 {
			r.err = fmt.Errorf("ed25519 key is %d bytes, want 32", len(k))
		}
		bits = 256
	case strings.HasPrefix(typ, "ecdsa-sha2-"):
		curve := string(r.str())
		if q := r.str(); r.err == nil && len(q) == 0 {
			r.err = errors.New("empty ECDSA point")
		}
		if r.err == nil && curve != strings.TrimPrefix(typ, "ecdsa-sha2-") {
			r.err = fmt.Errorf("curve %q does not match type %q", curve, typ)
		}
		switch curve {
		case "nistp256":
			bits = 256
		case "nistp384":
			bits = 384
		case "nistp521":
			bits = 521
		default:
			if r.err == nil {
				r.err = fmt.Errorf("unknown ECDSA curve %q", curve)
			}
		}
	default:
		return typ, 0, nil
	}
	if r.err != nil {
		return "", 0, r.err
	}
	if len(r.b) != 0 {
		return "", 0, fmt.Errorf("%d bytes after the %s key", len(r.b), typ)
	}
	return typ, bits, nil
}

// sshWire reads the SSH wire encoding (RFC 4251 section 5); after the
// first error every read returns zero values.
type sshWire struct {
	b   []byte
	err error
}

func (r *sshWire) str() []byte {
	if r.err != nil {
		return nil
	}
	if len(r.b) < 4 {
		r.err = errors.New("truncated key")
		return nil
	}
	n := binary.BigEndian.Uint32(r.b)
	if uint64(n) > uint64(len(r.b)-4) {
		r.err = errors.New("truncated key")
		return nil
	}
	s := r.b[4 : 4+n]
	r.b = r.b[4+n:]
	return s
}

// mpint reads a non-negative mpint; negative numbers are an error.
func (r *sshWire) mpint() *big.Int {
	s := r.str()
	if r.err != nil {
		return new(big.Int)
	}
	if len(s) > 0 && s[0]&0x80 != 0 {
		r.err = errors.New("negative mpint")
		return new(big.Int)
	}
	if len(s) > 1 && s[0] == 0 && s[1]&0x80 == 0 {
		r.err = errors.New("mpint has an unnecessary leading zero")
		return new(big.Int)
	}
	return new(big.Int).SetBytes(s)
}
