package runner

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/gcrun/gcrun/engine"
	"github.com/gcrun/gcrun/internal/fixture"
	"github.com/gcrun/gcrun/report"
	"github.com/google/go-cmp/cmp"
	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/bundle"
	"github.com/open-policy-agent/opa/v1/compile"
	"github.com/sirupsen/logrus"
	logtest "github.com/sirupsen/logrus/hooks/test"
)

const bundlePack = "testdata/bundle/pack"

// bundleKey is a signing key pair for tests, PEM-encoded as gcrun keygen
// writes them.
type bundleKey struct {
	priv    ed25519.PrivateKey
	pub     ed25519.PublicKey
	privPEM []byte
	pubPEM  []byte
	id      string
}

func newBundleKey(t testing.TB) bundleKey {
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
	return bundleKey{priv: priv, pub: pub, privPEM: privPEM, pubPEM: pubPEM, id: report.KeyID(pub)}
}

// buildBundle builds the pack in dir, signed with key unless it is nil.
func buildBundle(t testing.TB, dir string, key *bundleKey) ([]byte, *BundleInfo) {
	t.Helper()
	var opts BuildBundleOptions
	if key != nil {
		opts.SigningKey = key.privPEM
	}
	var buf bytes.Buffer
	info, err := BuildBundle(&buf, dir, opts)
	if err != nil {
		t.Fatalf("BuildBundle(%s): %v", dir, err)
	}
	return buf.Bytes(), info
}

// writeBundle writes data to a file in a temporary directory.
func writeBundle(t testing.TB, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "pack.tar.gz")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

type tarEntry struct {
	hdr  tar.Header
	data []byte
}

func untar(t testing.TB, data []byte) []tarEntry {
	t.Helper()
	gz, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	var out []tarEntry
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, tarEntry{hdr: *h, data: b})
	}
}

func retar(t testing.TB, entries []tarEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, e := range entries {
		h := e.hdr
		if h.Typeflag == tar.TypeReg {
			h.Size = int64(len(e.data))
		}
		if err := tw.WriteHeader(&h); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(e.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func regularEntry(name string, data []byte) tarEntry {
	return tarEntry{hdr: tar.Header{Name: name, Mode: 0o600, Typeflag: tar.TypeReg, Size: int64(len(data))}, data: data}
}

// entryNames lists the names in a bundle.
func entryNames(entries []tarEntry) []string {
	var out []string
	for _, e := range entries {
		out = append(out, e.hdr.Name)
	}
	sort.Strings(out)
	return out
}

// mapEntry applies f to the entry named name.
func mapEntry(t testing.TB, entries []tarEntry, name string, f func([]byte) []byte) []tarEntry {
	t.Helper()
	out := append([]tarEntry(nil), entries...)
	for i, e := range out {
		if e.hdr.Name == name {
			out[i].data = f(e.data)
			return out
		}
	}
	t.Fatalf("no %s in bundle", name)
	return nil
}

func dropEntry(entries []tarEntry, name string) []tarEntry {
	var out []tarEntry
	for _, e := range entries {
		if e.hdr.Name != name {
			out = append(out, e)
		}
	}
	return out
}

var b64 = base64.RawURLEncoding

// token returns the one JWT of a bundle's .signatures.json, decoded.
func token(t testing.TB, entries []tarEntry) (header, payload map[string]any) {
	t.Helper()
	for _, e := range entries {
		if e.hdr.Name != "/.signatures.json" {
			continue
		}
		var sc bundle.SignaturesConfig
		if err := json.Unmarshal(e.data, &sc); err != nil {
			t.Fatal(err)
		}
		parts := strings.Split(sc.Signatures[0], ".")
		for i, dst := range []*map[string]any{&header, &payload} {
			raw, err := b64.DecodeString(parts[i])
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(raw, dst); err != nil {
				t.Fatal(err)
			}
		}
		return header, payload
	}
	t.Fatal("no .signatures.json")
	return nil, nil
}

// makeJWT encodes header and payload and signs them with sign.
func makeJWT(t testing.TB, header, payload map[string]any, sign func([]byte) []byte) string {
	t.Helper()
	h, err := json.Marshal(header)
	if err != nil {
		t.Fatal(err)
	}
	p, err := json.Marshal(payload)
	if err != nil {
		t.Fatal(err)
	}
	input := b64.EncodeToString(h) + "." + b64.EncodeToString(p)
	return input + "." + b64.EncodeToString(sign([]byte(input)))
}

func signaturesJSON(t testing.TB, sc any) []byte {
	t.Helper()
	b, err := json.Marshal(sc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// resign reads a bundle with OPA's reader, lets mutate change it and signs
// it again with key, as a signer holding the trusted key would.
func resign(t testing.TB, data []byte, key bundleKey, mutate func(*bundle.Bundle)) []byte {
	t.Helper()
	b, err := bundle.NewReader(bytes.NewReader(data)).WithSkipBundleVerification(true).Read()
	if err != nil {
		t.Fatal(err)
	}
	mutate(&b)
	b.Signatures = bundle.SignaturesConfig{}
	if err := b.GenerateSignature(bundle.NewSigningConfig(string(key.privPEM), "EdDSA", ""), key.id, false); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := bundle.NewWriter(&buf).Write(b); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// packFiles reads the files a bundle of dir must hold, from disk: its
// pack.yaml and .rego files (fixtures and dot-directories aside).
func packFiles(t testing.TB, dir string) fstest.MapFS {
	t.Helper()
	out := fstest.MapFS{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel == "fixtures" || (rel != "." && strings.HasPrefix(d.Name(), ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if rel == "pack.yaml" || strings.HasSuffix(rel, ".rego") {
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			out[rel] = &fstest.MapFile{Data: data, Mode: 0o644}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestBundleRoundTrip(t *testing.T) {
	key := newBundleKey(t)
	data, built := buildBundle(t, bundlePack, &key)
	want := packFiles(t, bundlePack)
	wantBase, err := engine.LoadBaseline(want, "want")
	if err != nil {
		t.Fatal(err)
	}
	wantInfo := &BundleInfo{
		Name: "bundled", Version: "1.2.0", Revision: "bundled@1.2.0",
		Digest: wantBase.Digest,
		Roots: []string{
			"gcrun/bundled/lib/sshd", "gcrun/bundled/max_auth_tries",
			"gcrun/bundled/root_login", "gcrun/bundled/root_login_test",
		},
		Files:    []string{"lib/sshd.rego", "rules/max_auth_tries.rego", "rules/root_login.rego", "rules/root_login_test.rego"},
		KeyID:    key.id,
		Verified: true,
	}
	builtWant := *wantInfo
	builtWant.Verified = false
	if d := cmp.Diff(&builtWant, built); d != "" {
		t.Errorf("BuildBundle info (-want +got):\n%s", d)
	}

	// The layout is opa build's: paths from /, the manifest, the
	// signatures, empty data; README.md is not bundled.
	entries := untar(t, data)
	if d := cmp.Diff([]string{
		"/.manifest", "/.signatures.json", "/data.json", "/lib/sshd.rego",
		"/rules/max_auth_tries.rego", "/rules/root_login.rego", "/rules/root_login_test.rego",
	}, entryNames(entries)); d != "" {
		t.Errorf("bundle files (-want +got):\n%s", d)
	}
	hdr, _ := token(t, entries)
	if d := cmp.Diff(map[string]any{"alg": "EdDSA", "kid": key.id, "typ": "JWT"}, hdr); d != "" {
		t.Errorf("JWT header (-want +got):\n%s", d)
	}

	p := writeBundle(t, data)
	info, base, err := ReadBundle(p, BundleOptions{VerificationKey: key.pubPEM})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(wantInfo, info); d != "" {
		t.Errorf("ReadBundle info (-want +got):\n%s", d)
	}
	// The loaded pack has exactly the directory's pack.yaml and Rego, byte
	// for byte, and the same manifest as the directory.
	got := map[string]string{}
	for _, f := range base.Files() {
		b, _ := base.ReadFile(f)
		got[f] = string(b)
	}
	wantFiles := map[string]string{}
	for f, mf := range want {
		wantFiles[f] = string(mf.Data)
	}
	if d := cmp.Diff(wantFiles, got); d != "" {
		t.Errorf("loaded files (-want +got):\n%s", d)
	}
	dir, err := engine.LoadBaselineDir(bundlePack)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(dir.Parameters, base.Parameters); d != "" {
		t.Errorf("parameters (-dir +bundle):\n%s", d)
	}
	if base.Name != dir.Name || base.Version != dir.Version || base.Description != dir.Description {
		t.Errorf("bundle pack %s %s %q, directory %s %s %q", base.Name, base.Version, base.Description, dir.Name, dir.Version, dir.Description)
	}
	if base.Origin != p {
		t.Errorf("origin %q, want the bundle's path %q", base.Origin, p)
	}

	// The same files tarred by hand (tar -C DIR -czf FILE .) are refused
	// with a reason: OPA's verifier does not match ./NAME to NAME.
	dotted := []tarEntry{{hdr: tar.Header{Name: "./", Typeflag: tar.TypeDir, Mode: 0o755}}}
	for _, e := range entries {
		e.hdr.Name = "." + e.hdr.Name
		dotted = append(dotted, e)
	}
	if _, _, err := ReadBundle(writeBundle(t, retar(t, dotted)), BundleOptions{VerificationKey: key.pubPEM}); err == nil ||
		!strings.Contains(err.Error(), `": not a clean relative path (opa build writes /NAME)`) {
		t.Errorf("bundle with ./ names: %v", err)
	}

	// LoadBundle is ReadBundle's baseline; building is reproducible.
	b2, err := LoadBundle(p, BundleOptions{VerificationKey: key.pubPEM})
	if err != nil {
		t.Fatal(err)
	}
	if b2.Digest != base.Digest {
		t.Errorf("LoadBundle digest %s, ReadBundle %s", b2.Digest, base.Digest)
	}
	again, _ := buildBundle(t, bundlePack, &key)
	if !bytes.Equal(again, data) {
		t.Error("building the same pack with the same key twice gave different bytes")
	}
}

// TestBundleReadByOPA reads gcrun's bundle with OPA's own bundle reader,
// verifying the signature as OPA does.
func TestBundleReadByOPA(t *testing.T) {
	key := newBundleKey(t)
	data, _ := buildBundle(t, bundlePack, &key)
	vc := func(k bundleKey) *bundle.VerificationConfig {
		return bundle.NewVerificationConfig(map[string]*bundle.KeyConfig{
			key.id: {Key: string(k.pubPEM), Algorithm: "EdDSA"},
		}, "", "", nil)
	}
	b, err := bundle.NewReader(bytes.NewReader(data)).WithBundleVerificationConfig(vc(key)).Read()
	if err != nil {
		t.Fatalf("OPA refuses gcrun's bundle: %v", err)
	}
	want := packFiles(t, bundlePack)
	got := map[string]string{}
	for _, m := range b.Modules {
		got[m.Path] = string(m.Raw)
	}
	wantMods := map[string]string{}
	for f, mf := range want {
		if strings.HasSuffix(f, ".rego") {
			wantMods["/"+f] = string(mf.Data)
		}
	}
	if d := cmp.Diff(wantMods, got); d != "" {
		t.Errorf("OPA's modules (-want +got):\n%s", d)
	}
	if b.Manifest.Revision != "bundled@1.2.0" || b.Manifest.RegoVersion == nil || *b.Manifest.RegoVersion != 1 {
		t.Errorf("manifest revision %q, rego_version %v", b.Manifest.Revision, b.Manifest.RegoVersion)
	}
	meta, _ := b.Manifest.Metadata["gcrun"].(map[string]any)
	if meta["pack.yaml"] != string(want["pack.yaml"].Data) {
		t.Errorf("metadata.gcrun[pack.yaml] = %v, want the pack's pack.yaml", meta["pack.yaml"])
	}

	// OPA refuses it under another key, and a changed byte.
	other := newBundleKey(t)
	if _, err := bundle.NewReader(bytes.NewReader(data)).WithBundleVerificationConfig(vc(other)).Read(); err == nil ||
		!strings.Contains(err.Error(), "failed to verify JWT signature") {
		t.Errorf("OPA with another key: %v, want a signature failure", err)
	}
	tampered := retar(t, mapEntry(t, untar(t, data), "/lib/sshd.rego", func(b []byte) []byte {
		return bytes.Replace(b, []byte(`== true`), []byte(`!= true`), 1)
	}))
	if _, err := bundle.NewReader(bytes.NewReader(tampered)).WithBundleVerificationConfig(vc(key)).Read(); err == nil ||
		!strings.Contains(err.Error(), "lib/sshd.rego: digest mismatch") {
		t.Errorf("OPA with a tampered file: %v, want a digest mismatch", err)
	}
}

// TestBundleFromOPABuild checks that `opa build -b` of a pack directory
// holding gcrun's .manifest, signed with --signing-alg EdDSA (OPA's
// compiler, which is what opa build runs), gives a bundle with the same
// files as gcrun's, and that gcrun loads it.
func TestBundleFromOPABuild(t *testing.T) {
	key := newBundleKey(t)
	ours, _ := buildBundle(t, bundlePack, &key)
	dir := copyPack(t)
	for _, e := range untar(t, ours) {
		if e.hdr.Name == "/.manifest" {
			writeFile(t, filepath.Join(dir, ".manifest"), string(e.data))
		}
	}
	var out bytes.Buffer
	c := compile.New().
		WithFS(os.DirFS(dir)).
		WithPaths(".").
		WithAsBundle(true).
		WithRegoVersion(ast.RegoV1).
		WithBundleSigningConfig(bundle.NewSigningConfig(string(key.privPEM), "EdDSA", "")).
		WithBundleVerificationKeyID(key.id).
		WithOutput(&out)
	if err := c.Build(context.Background()); err != nil {
		t.Fatalf("opa build: %v", err)
	}
	contents := func(data []byte) map[string]string {
		out := map[string]string{}
		for _, e := range untar(t, data) {
			if e.hdr.Name != "/.signatures.json" {
				out[e.hdr.Name] = string(e.data)
			}
		}
		return out
	}
	theirs := out.Bytes()
	if d := cmp.Diff(contents(ours), contents(theirs)); d != "" {
		t.Errorf("gcrun's bundle and opa build's differ (-gcrun +opa):\n%s", d)
	}
	info, _, err := ReadBundle(writeBundle(t, theirs), BundleOptions{VerificationKey: key.pubPEM})
	if err != nil {
		t.Fatalf("gcrun refuses opa build's bundle: %v", err)
	}
	if !info.Verified || info.KeyID != key.id {
		t.Errorf("opa build's bundle: verified %v by %s, want verified by %s", info.Verified, info.KeyID, key.id)
	}
}

func TestBundleTampering(t *testing.T) {
	key := newBundleKey(t)
	other := newBundleKey(t)
	good, _ := buildBundle(t, bundlePack, &key)
	entries := untar(t, good)
	byOther, _ := buildBundle(t, bundlePack, &other)
	_, payload := token(t, entries)
	header := map[string]any{"alg": "EdDSA", "kid": key.id, "typ": "JWT"}
	edSign := func(k bundleKey) func([]byte) []byte {
		return func(b []byte) []byte { return ed25519.Sign(k.priv, b) }
	}
	withToken := func(tok ...string) []byte {
		return retar(t, mapEntry(t, entries, "/.signatures.json", func([]byte) []byte {
			return signaturesJSON(t, map[string]any{"signatures": tok})
		}))
	}
	with := func(m map[string]any, k string, v any) map[string]any {
		out := map[string]any{}
		for kk, vv := range m {
			out[kk] = vv
		}
		if v == nil {
			delete(out, k)
		} else {
			out[k] = v
		}
		return out
	}
	files := payload["files"].([]any)
	md5Files := make([]any, len(files))
	for i, f := range files {
		md5Files[i] = with(f.(map[string]any), "algorithm", "MD5")
	}
	goodToken := makeJWT(t, header, payload, edSign(key))

	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"unsigned", retar(t, dropEntry(entries, "/.signatures.json")), "not signed (no .signatures.json)"},
		{"other key", byOther, "signed by key " + other.id + ", not by the verification key " + key.id},
		{"tampered rule", retar(t, mapEntry(t, entries, "/rules/root_login.rego", func(b []byte) []byte {
			return bytes.Replace(b, []byte(`value != "no"`), []byte(`value == "no"`), 1)
		})), "verification failed: rules/root_login.rego: digest mismatch"},
		{"tampered pack.yaml in the manifest", retar(t, mapEntry(t, entries, "/.manifest", func(b []byte) []byte {
			return bytes.Replace(b, []byte(`default: 4`), []byte(`default: 40`), 1)
		})), "verification failed: .manifest: digest mismatch"},
		{"tampered data", retar(t, mapEntry(t, entries, "/data.json", func([]byte) []byte {
			return []byte(`{"gcrun": {"params": {"bundled_max_auth_tries": 99}}}`)
		})), "verification failed: data.json: digest mismatch"},
		{"extra file", retar(t, append(append([]tarEntry(nil), entries...),
			regularEntry("/rules/extra.rego", []byte("package gcrun.bundled.extra\n")))),
			"verification failed: file rules/extra.rego not included in bundle signature"},
		{"missing file", retar(t, dropEntry(entries, "/lib/sshd.rego")),
			"verification failed: file(s) [lib/sshd.rego] specified in bundle signatures but not found in the target bundle"},
		{"HS256 with the public key as secret", withToken(makeJWT(t, with(header, "alg", "HS256"), payload, func(b []byte) []byte {
			m := hmac.New(sha256.New, key.pubPEM)
			m.Write(b)
			return m.Sum(nil)
		})), `signature algorithm "HS256", expected EdDSA`},
		{"alg none", withToken(makeJWT(t, with(header, "alg", "none"), payload, func([]byte) []byte { return nil })),
			`signature algorithm "none", expected EdDSA`},
		{"no kid (GHSA-g2pf-6v5v-qcc8)", withToken(makeJWT(t, with(header, "kid", nil), with(payload, "keyid", key.id), edSign(key))),
			"the signature names no key (no kid in the JWT header)"},
		{"kid of the key, signed by another", withToken(makeJWT(t, header, payload, edSign(other))),
			"verification failed: failed to verify JWT signature"},
		{"two signatures", withToken(goodToken, goodToken), "2 signatures, expected exactly one"},
		{"no signatures", withToken(), "0 signatures, expected exactly one"},
		{"plugin", retar(t, mapEntry(t, entries, "/.signatures.json", func([]byte) []byte {
			return signaturesJSON(t, map[string]any{"signatures": []string{goodToken}, "plugin": "custom"})
		})), `signing plugin "custom"`},
		{"unknown field in .signatures.json", retar(t, mapEntry(t, entries, "/.signatures.json", func([]byte) []byte {
			return signaturesJSON(t, map[string]any{"signatures": []string{goodToken}, "exclude": []string{"*"}})
		})), `.signatures.json: json: unknown field "exclude"`},
		{"not a JWT", withToken("abc.def"), "not a compact JWT (2 parts, expected 3)"},
		{"scope", withToken(makeJWT(t, header, with(payload, "scope", "write"), edSign(key))), `signature scope "write"`},
		{"no files", withToken(makeJWT(t, header, with(payload, "files", []any{}), edSign(key))), "the signature lists no files"},
		{"MD5 hashes", withToken(makeJWT(t, header, with(payload, "files", md5Files), edSign(key))), `hashed with "MD5", expected SHA-256`},
		{"file listed twice", withToken(makeJWT(t, header, with(payload, "files", append(append([]any{}, files...), files[0])), edSign(key))),
			"listed twice"},
		{"symlink", retar(t, append(append([]tarEntry(nil), entries...),
			tarEntry{hdr: tar.Header{Name: "/rules/link.rego", Typeflag: tar.TypeSymlink, Linkname: "/etc/passwd"}})),
			"rules/link.rego: not a regular file"},
		{"escaping path", retar(t, append(append([]tarEntry(nil), entries...), regularEntry("/../evil.rego", []byte("package x\n")))),
			`"/../evil.rego": not a clean relative path`},
		{"unclean path", retar(t, append(append([]tarEntry(nil), entries...), regularEntry("/rules/./x.rego", []byte("package x\n")))),
			`"/rules/./x.rego": not a clean relative path`},
		{"duplicate file", retar(t, append(append([]tarEntry(nil), entries...), regularEntry("rules/root_login.rego", []byte("package x\n")))),
			"rules/root_login.rego: more than one file of that name"},
		{"unexpected file", retar(t, append(append([]tarEntry(nil), entries...), regularEntry("/notes.txt", []byte("hi")))),
			"notes.txt: unexpected file"},
		{"wasm", retar(t, append(append([]tarEntry(nil), entries...), regularEntry("/policy.wasm", []byte("\x00asm")))),
			"policy.wasm: unexpected file"},
		{"no manifest", retar(t, dropEntry(entries, "/.manifest")), "no .manifest: not a gcrun bundle"},
		{"not gzip", []byte("hello"), "not a gzipped tar"},
		{"data after the archive", append(append([]byte(nil), good...), "trailing"...), "corrupt gzip stream: "},
		{"data, signed", resign(t, good, key, func(b *bundle.Bundle) {
			b.Data = map[string]any{"gcrun": map[string]any{"bundled": map[string]any{"lib": map[string]any{"sshd": map[string]any{"installed": false}}}}}
		}), "data.json: gcrun bundles carry no data"},
		{"no metadata, signed", resign(t, good, key, func(b *bundle.Bundle) { b.Manifest.Metadata = nil }),
			".manifest: no metadata.gcrun: not a gcrun bundle"},
		{"newer format, signed", resign(t, good, key, func(b *bundle.Bundle) {
			b.Manifest.Metadata["gcrun"].(map[string]any)["format"] = 2
		}), "metadata.gcrun: format 2; this gcrun reads format 1"},
		{"unknown metadata field, signed", resign(t, good, key, func(b *bundle.Bundle) {
			b.Manifest.Metadata["gcrun"].(map[string]any)["depends_bundled"] = true
		}), `metadata.gcrun: json: unknown field "depends_bundled"`},
		{"name differs from pack.yaml, signed", resign(t, good, key, func(b *bundle.Bundle) {
			b.Manifest.Metadata["gcrun"].(map[string]any)["name"] = "linux"
		}), `metadata.gcrun.name is "linux", but the bundle's files give "bundled"`},
		{"digest differs, signed", resign(t, good, key, func(b *bundle.Bundle) {
			b.Manifest.Metadata["gcrun"].(map[string]any)["digest"] = "sha256:00"
		}), `metadata.gcrun.digest is "sha256:00"`},
		{"Rego v0, signed", resign(t, good, key, func(b *bundle.Bundle) { b.Manifest.SetRegoVersion(ast.RegoV0) }),
			".manifest: rego_version 0: gcrun bundles are Rego v1"},
		{"Rego v0, unsigned change", retar(t, mapEntry(t, entries, "/.manifest", func(b []byte) []byte {
			return bytes.Replace(b, []byte(`"rego_version":1`), []byte(`"rego_version":0`), 1)
		})), ".manifest: rego_version 0: gcrun bundles are Rego v1"},
		{"file Rego versions, signed", resign(t, good, key, func(b *bundle.Bundle) {
			b.Manifest.FileRegoVersions = map[string]int{"rules/*.rego": 0}
		}), ".manifest: file_rego_versions: gcrun bundles are Rego v1 throughout"},
		{"unparsable Rego, signed", resign(t, good, key, func(b *bundle.Bundle) {
			b.Modules[0].Raw = []byte("package gcrun.bundled.lib.sshd\n\ninstalled if {\n")
		}), "lib/sshd.rego:4: rego_parse_error: unexpected eof token"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := writeBundle(t, tc.data)
			b, err := LoadBundle(p, BundleOptions{VerificationKey: key.pubPEM})
			if err == nil {
				t.Fatalf("loaded %s %s, want an error containing %q", b.Name, b.Version, tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), p) {
				t.Errorf("error %q\nwant it to name %s and contain %q", err, p, tc.want)
			}
		})
	}
}

func TestBundleUnsigned(t *testing.T) {
	key := newBundleKey(t)
	unsigned := writeBundle(t, first(buildBundle(t, bundlePack, nil)))
	signed := writeBundle(t, first(buildBundle(t, bundlePack, &key)))

	load := func(p string, opts BundleOptions) (*BundleInfo, []string, error) {
		log, hook := logtest.NewNullLogger()
		opts.Logger = log
		info, _, err := ReadBundle(p, opts)
		var warnings []string
		for _, e := range hook.AllEntries() {
			if e.Level != logrus.WarnLevel {
				t.Errorf("log at %s: %s", e.Level, e.Message)
			}
			warnings = append(warnings, e.Message)
		}
		return info, warnings, err
	}

	_, _, err := load(unsigned, BundleOptions{VerificationKey: key.pubPEM})
	if err == nil || !strings.Contains(err.Error(), "not signed (no .signatures.json)") {
		t.Errorf("unsigned bundle with a key: %v, want refused as unsigned", err)
	}
	for _, p := range []string{signed, unsigned} {
		if _, _, err := load(p, BundleOptions{}); err == nil || !strings.Contains(err.Error(), "no verification key") {
			t.Errorf("%s without key or --insecure-skip-verify: %v, want an error asking for a key", p, err)
		}
	}

	for _, tc := range []struct {
		name    string
		path    string
		opts    BundleOptions
		want    *BundleInfo
		warning string
	}{
		{"unsigned, insecure, with key", unsigned, BundleOptions{VerificationKey: key.pubPEM, InsecureSkipVerify: true},
			&BundleInfo{}, "bundle " + unsigned + ": not signed; loading it unverified because of --insecure-skip-verify"},
		{"unsigned, insecure, no key", unsigned, BundleOptions{InsecureSkipVerify: true},
			&BundleInfo{}, "bundle " + unsigned + ": not signed; loading it unverified because of --insecure-skip-verify"},
		{"signed, insecure, no key", signed, BundleOptions{InsecureSkipVerify: true},
			&BundleInfo{KeyID: key.id}, "bundle " + signed + ": signature NOT verified (--insecure-skip-verify without --verification-key)"},
		// A signature that is there is verified whenever a key is given.
		{"signed, insecure, with key", signed, BundleOptions{VerificationKey: key.pubPEM, InsecureSkipVerify: true},
			&BundleInfo{KeyID: key.id, Verified: true}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			info, warnings, err := load(tc.path, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			got := &BundleInfo{KeyID: info.KeyID, Verified: info.Verified}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("signer (-want +got):\n%s", d)
			}
			var want []string
			if tc.warning != "" {
				want = []string{tc.warning}
			}
			if d := cmp.Diff(want, warnings); d != "" {
				t.Errorf("warnings (-want +got):\n%s", d)
			}
			if info.Name != "bundled" || len(info.Files) != 4 {
				t.Errorf("loaded %s with %v", info.Name, info.Files)
			}
		})
	}

	// --insecure-skip-verify with a key does not excuse a bad signature.
	other := newBundleKey(t)
	_, _, err = load(signed, BundleOptions{VerificationKey: other.pubPEM, InsecureSkipVerify: true})
	if err == nil || !strings.Contains(err.Error(), "not by the verification key") {
		t.Errorf("signed by another key, insecure with a key: %v, want refused", err)
	}
	// A bad key is the key's error.
	_, _, err = load(signed, BundleOptions{VerificationKey: key.privPEM})
	if err == nil || !strings.HasPrefix(err.Error(), "verification key: ") {
		t.Errorf("private key as verification key: %v, want a verification key error", err)
	}
}

func first[A, B any](a A, _ B) A { return a }

func TestBundleLimits(t *testing.T) {
	key := newBundleKey(t)
	data, _ := buildBundle(t, bundlePack, &key)
	opts := BundleOptions{VerificationKey: key.pubPEM}
	// The real bundle has 7 files and a few KiB.
	if _, _, err := readBundle("b", data, opts, bundleLimits{size: 1 << 20, files: 7}); err != nil {
		t.Fatalf("at the limits: %v", err)
	}
	if _, _, err := readBundle("b", data, opts, bundleLimits{size: 1 << 20, files: 6}); err == nil ||
		err.Error() != "bundle b: more than 6 files" {
		t.Errorf("over the file count: %v", err)
	}
	if _, _, err := readBundle("b", data, opts, bundleLimits{size: 4096, files: 100}); err == nil ||
		err.Error() != "bundle b: larger than 4096 bytes uncompressed" {
		t.Errorf("over the size: %v", err)
	}
	// A small archive of a large file (a gzip bomb) stops at the limit.
	bomb := retar(t, []tarEntry{regularEntry("/.manifest", []byte("{}")), regularEntry("/big.rego", make([]byte, 8<<20))})
	if len(bomb) > 64<<10 {
		t.Fatalf("bomb is %d bytes", len(bomb))
	}
	if _, _, err := readBundle("b", bomb, opts, bundleLimits{size: 1 << 20, files: 100}); err == nil ||
		err.Error() != "bundle b: larger than 1048576 bytes uncompressed" {
		t.Errorf("gzip bomb: %v", err)
	}
	// The file itself is bounded before it is read.
	p := writeBundle(t, data)
	if _, err := readBundleFile(p, bundleLimits{size: int64(len(data) - 1)}); err == nil ||
		!strings.Contains(err.Error(), "larger than") {
		t.Errorf("file over the size: %v", err)
	}
	if _, err := readBundleFile(filepath.Dir(p), defaultBundleLimits()); err == nil ||
		!strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("directory as bundle: %v", err)
	}
	if _, err := LoadBundle(filepath.Join(t.TempDir(), "missing.tar.gz"), opts); err == nil ||
		!strings.Contains(err.Error(), "missing.tar.gz: no such file") {
		t.Errorf("missing bundle: %v", err)
	}
}

// copyPack copies the test pack to a temporary directory for changes.
func copyPack(t *testing.T) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(bundlePack, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(bundlePack, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func writeFile(t *testing.T, p, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestBundleBuild(t *testing.T) {
	key := newBundleKey(t)

	t.Run("builtin dependency", func(t *testing.T) {
		dir := copyPack(t)
		yml := "name: bundled\nversion: 1.2.0\ndepends:\n  - name: linux\n    builtin: true\n    version: \">=0.3.0\"\n"
		writeFile(t, filepath.Join(dir, "pack.yaml"), yml)
		data, _ := buildBundle(t, dir, &key)
		b, err := LoadBundle(writeBundle(t, data), BundleOptions{VerificationKey: key.pubPEM})
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := b.ReadFile("pack.yaml"); string(got) != yml {
			t.Errorf("pack.yaml in the bundle:\n%s\nwant:\n%s", got, yml)
		}
	})

	t.Run("fixtures and dot-directories are not bundled", func(t *testing.T) {
		dir := copyPack(t)
		writeFile(t, filepath.Join(dir, "fixtures/host/root/etc/policy.rego"), "not rego at all")
		writeFile(t, filepath.Join(dir, "fixtures/host/expected.yaml"), "rules: {}\n")
		writeFile(t, filepath.Join(dir, ".git/hooks/x.rego"), "not rego at all")
		writeFile(t, filepath.Join(dir, "rules/nested/fixtures/extra.rego"), "package gcrun.bundled.nested\n")
		_, info := buildBundle(t, dir, &key)
		want := []string{"lib/sshd.rego", "rules/max_auth_tries.rego", "rules/nested/fixtures/extra.rego", "rules/root_login.rego", "rules/root_login_test.rego"}
		if d := cmp.Diff(want, info.Files); d != "" {
			t.Errorf("files (-want +got):\n%s", d)
		}
		if d := cmp.Diff([]string{
			"gcrun/bundled/lib/sshd", "gcrun/bundled/max_auth_tries", "gcrun/bundled/nested",
			"gcrun/bundled/root_login", "gcrun/bundled/root_login_test",
		}, info.Roots); d != "" {
			t.Errorf("roots (-want +got):\n%s", d)
		}
	})

	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, dir string) string // returns the pack to build
		opts  BuildBundleOptions
		want  string
	}{
		{"path dependency", func(t *testing.T, dir string) string {
			writeFile(t, filepath.Join(dir, "pack.yaml"),
				"name: acme\nversion: 1.0.0\ndepends:\n  - name: linux\n    builtin: true\n  - name: base\n    path: ../base\n")
			return dir
		}, BuildBundleOptions{}, `/pack.yaml:7: dependency "base" is a path dependency (path: ../base): a bundle carries one pack`},
		{"no pack.yaml", func(t *testing.T, dir string) string {
			os.Remove(filepath.Join(dir, "pack.yaml"))
			return dir
		}, BuildBundleOptions{}, ": no pack.yaml: a bundle needs the pack's name and version"},
		{"no version", func(t *testing.T, dir string) string {
			writeFile(t, filepath.Join(dir, "pack.yaml"), "# acme\nname: acme\n")
			return dir
		}, BuildBundleOptions{}, "/pack.yaml:2: no version: a bundle needs the pack's name and version"},
		{"bad YAML", func(t *testing.T, dir string) string {
			writeFile(t, filepath.Join(dir, "pack.yaml"), "name: acme\nversion: 1.0.0\n\tparameters: []\n")
			return dir
		}, BuildBundleOptions{}, "/pack.yaml:2: "},
		{"Rego syntax error", func(t *testing.T, dir string) string {
			writeFile(t, filepath.Join(dir, "rules/broken.rego"), "package gcrun.bundled.broken\n\nallow if {\n")
			return dir
		}, BuildBundleOptions{}, "/rules/broken.rego:4: rego_parse_error: unexpected eof token"},
		{"symlinked rule", func(t *testing.T, dir string) string {
			if err := os.Symlink("root_login.rego", filepath.Join(dir, "rules/link.rego")); err != nil {
				t.Fatal(err)
			}
			return dir
		}, BuildBundleOptions{}, ": rules/link.rego: not a regular file"},
		{"no rules", func(t *testing.T, dir string) string {
			d := t.TempDir()
			writeFile(t, filepath.Join(d, "pack.yaml"), "name: empty\nversion: 1.0.0\n")
			return d
		}, BuildBundleOptions{}, ": no .rego files"},
		{"not a directory", func(t *testing.T, dir string) string {
			return filepath.Join(dir, "pack.yaml")
		}, BuildBundleOptions{}, "pack.yaml: not a directory"},
		{"missing", func(t *testing.T, dir string) string {
			return filepath.Join(dir, "nothing")
		}, BuildBundleOptions{}, "nothing: no such file or directory"},
		{"public key to sign", func(t *testing.T, dir string) string { return dir },
			BuildBundleOptions{SigningKey: key.pubPEM}, "signing key: "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := tc.setup(t, copyPack(t))
			var buf bytes.Buffer
			_, err := BuildBundle(&buf, dir, tc.opts)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("BuildBundle: %v\nwant an error containing %q", err, tc.want)
			}
			if buf.Len() != 0 {
				t.Errorf("wrote %d bytes despite the error", buf.Len())
			}
		})
	}
}

// TestBundleEvaluate evaluates the pack from its directory and from its
// bundle against the fixture hosts: the results must be the same.
func TestBundleEvaluate(t *testing.T) {
	key := newBundleKey(t)
	bundlePath := writeBundle(t, first(buildBundle(t, bundlePack, &key)))
	fromBundle, err := LoadBundle(bundlePath, BundleOptions{VerificationKey: key.pubPEM})
	if err != nil {
		t.Fatal(err)
	}
	fromDir, err := engine.LoadBaselineDir(bundlePack)
	if err != nil {
		t.Fatal(err)
	}
	evaluate := func(b *engine.Baseline, root string, opts ...engine.Option) map[string]report.RuleResult {
		t.Helper()
		ctx := context.Background()
		eng, err := NewEngine(ctx, []*engine.Baseline{b}, opts...)
		if err != nil {
			t.Fatal(err)
		}
		target, err := NewTarget(root)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := Evaluate(ctx, eng, target, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Baselines) != 1 || rep.Baselines[0].Name != "bundled" || rep.Baselines[0].Version != "1.2.0" || rep.Baselines[0].Digest != b.Digest {
			t.Errorf("report baselines %+v, want bundled 1.2.0 %s", rep.Baselines, b.Digest)
		}
		out := map[string]report.RuleResult{}
		for _, r := range rep.Rules {
			r.DurationMs = 0
			out[r.ID] = r
		}
		return out
	}
	for _, tc := range []struct {
		host string
		opts []engine.Option
		want map[string]engine.Status
	}{
		{"compliant", nil, map[string]engine.Status{"BND-001": engine.StatusPass, "BND-002": engine.StatusPass}},
		{"noncompliant", nil, map[string]engine.Status{"BND-001": engine.StatusFail, "BND-002": engine.StatusFail}},
		// MaxAuthTries 3 fails once the parameter is 2.
		{"compliant", []engine.Option{engine.WithParameters(map[string]any{"bundled_max_auth_tries": 2})},
			map[string]engine.Status{"BND-001": engine.StatusPass, "BND-002": engine.StatusFail}},
	} {
		root := fixture.Materialize(t, "../testdata/hosts/"+tc.host)
		dir := evaluate(fromDir, root, tc.opts...)
		bun := evaluate(fromBundle, root, tc.opts...)
		if d := cmp.Diff(dir, bun); d != "" {
			t.Errorf("%s: results differ (-directory +bundle):\n%s", tc.host, d)
		}
		got := map[string]engine.Status{}
		for id, o := range bun {
			got[id] = o.Status
		}
		if d := cmp.Diff(tc.want, got); d != "" {
			t.Errorf("%s: statuses (-want +got):\n%s", tc.host, d)
		}
	}
}

// FuzzReadBundle feeds arbitrary bytes to the bundle reader: it must never
// panic, and whatever it accepts as verified must be the pack that was
// signed, byte for byte.
func FuzzReadBundle(f *testing.F) {
	key := newBundleKey(f)
	signed, info := buildBundle(f, bundlePack, &key)
	unsigned, _ := buildBundle(f, bundlePack, nil)
	f.Add(signed)
	f.Add(unsigned)
	f.Add(retar(f, []tarEntry{regularEntry("/.manifest", []byte(`{"metadata":{"gcrun":{}}}`))}))
	limits := bundleLimits{size: 1 << 20, files: 64}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, base, err := readBundle("fuzz", data, BundleOptions{VerificationKey: key.pubPEM}, limits)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "bundle fuzz: ") {
				t.Fatalf("error does not name the bundle: %v", err)
			}
			return
		}
		if !got.Verified || got.KeyID != key.id || base.Digest != info.Digest {
			t.Fatalf("accepted a bundle that is not the signed pack: %+v", got)
		}
	})
}

// TestBundleLinuxBaseline bundles the built-in baseline and evaluates the
// bundle against the fixture hosts: same results as the embedded pack.
func TestBundleLinuxBaseline(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles the whole baseline twice")
	}
	key := newBundleKey(t)
	data, info := buildBundle(t, "../baselines/linux", &key)
	fromBundle, err := LoadBundle(writeBundle(t, data), BundleOptions{VerificationKey: key.pubPEM})
	if err != nil {
		t.Fatal(err)
	}
	builtin, err := DefaultBaseline()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("baselines/linux as a bundle: %d bytes, %d Rego files, %d roots", len(data), len(info.Files), len(info.Roots))
	if fromBundle.Name != "linux" || fromBundle.Version != builtin.Version || len(info.Files) < 400 {
		t.Fatalf("bundle of baselines/linux: %s %s with %d Rego files", fromBundle.Name, fromBundle.Version, len(info.Files))
	}
	ctx := context.Background()
	for _, host := range []string{"compliant", "noncompliant"} {
		target, err := NewTarget(fixture.Materialize(t, "../testdata/hosts/"+host))
		if err != nil {
			t.Fatal(err)
		}
		results := func(b *engine.Baseline) map[string]report.RuleResult {
			rep, _, err := EvaluateBaselines(ctx, []*engine.Baseline{b}, target, Options{})
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]report.RuleResult{}
			for _, r := range rep.Rules {
				r.DurationMs = 0
				out[r.ID] = r
			}
			return out
		}
		want, got := results(builtin), results(fromBundle)
		if len(want) < 200 {
			t.Fatalf("%s: %d rules", host, len(want))
		}
		// The sweep's evidence records how long it took.
		timing := cmp.FilterPath(func(p cmp.Path) bool {
			mi, ok := p.Last().(cmp.MapIndex)
			return ok && mi.Key().String() == "duration_ms"
		}, cmp.Ignore())
		if d := cmp.Diff(want, got, timing); d != "" {
			t.Errorf("%s: results (-builtin +bundle):\n%s", host, d)
		}
	}
}
