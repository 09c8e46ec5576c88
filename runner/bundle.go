package runner

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
	"testing/fstest"

	"github.com/gcrun/gcrun/engine"
	"github.com/gcrun/gcrun/report"
	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/bundle"
	"github.com/sirupsen/logrus"
	"gopkg.in/yaml.v3"
)

// Bundles are OPA bundles (the layout `opa build` writes, read by OPA's own
// bundle package): a gzipped tar of
//
//	/.manifest          revision, roots, rego_version 1, and metadata.gcrun
//	/.signatures.json   one JWT, EdDSA over the SHA-256 of every other file
//	/data.json          {} (gcrun packs carry no data)
//	/**/*.rego          the pack's rules, libraries and Rego tests
//
// metadata.gcrun holds the pack's pack.yaml byte for byte, so that the
// signature (which covers .manifest) covers it too. See docs/bundles.md.
const (
	// MaxBundleSize bounds a bundle: its compressed file and its
	// uncompressed tar stream.
	MaxBundleSize = 64 << 20
	// MaxBundleFiles bounds the number of files in a bundle.
	MaxBundleFiles = 10000
	// BundleSigningAlgorithm is the JWS algorithm of bundle signatures:
	// ed25519, the keys of `gcrun keygen`. OPA signs and verifies it
	// (`opa build --signing-alg EdDSA`, `opa run --signing-alg EdDSA`).
	BundleSigningAlgorithm = "EdDSA"
	// bundleFormat is the version of metadata.gcrun this gcrun writes
	// and the only one it reads.
	bundleFormat = 1
	// bundleHashAlgorithm is the only file hash gcrun accepts in a
	// signature (the one OPA writes).
	bundleHashAlgorithm = "SHA-256"
)

// bundleLimits bound what readBundle accepts; tests shrink them.
type bundleLimits struct {
	size  int64 // compressed file and uncompressed tar stream, in bytes
	files int
}

func defaultBundleLimits() bundleLimits {
	return bundleLimits{size: MaxBundleSize, files: MaxBundleFiles}
}

// BundleOptions configure LoadBundle and ReadBundle.
type BundleOptions struct {
	// VerificationKey is the ed25519 public key (SPKI PEM, as written by
	// `gcrun keygen`) the bundle must be signed with. A bundle's
	// signature is verified whenever a key is given.
	VerificationKey []byte
	// InsecureSkipVerify loads a bundle that cannot be verified: an
	// unsigned bundle, or any bundle when no VerificationKey is given.
	// Each such load logs a warning.
	InsecureSkipVerify bool
	// Logger receives the warnings; nil discards them.
	Logger logrus.FieldLogger
}

// BuildBundleOptions configure BuildBundle.
type BuildBundleOptions struct {
	// SigningKey is the ed25519 private key (PKCS#8 PEM, as written by
	// `gcrun keygen`) that signs the bundle; nil writes an unsigned
	// bundle.
	SigningKey []byte
}

// BundleInfo describes a bundle that was built or read.
type BundleInfo struct {
	// Name and Version are the pack's, from its pack.yaml.
	Name    string `json:"name"`
	Version string `json:"version"`
	// Revision is the manifest's revision, "NAME@VERSION" for bundles
	// gcrun builds.
	Revision string `json:"revision"`
	// Digest is the engine's digest of the pack's files as loaded from
	// the bundle (pack.yaml and the .rego files): the baseline digest in
	// reports of evaluations of this bundle.
	Digest string `json:"digest"`
	// Roots are the manifest's roots: the packages of the .rego files.
	Roots []string `json:"roots"`
	// Files are the bundle's .rego files, relative to the pack, sorted.
	Files []string `json:"files"`
	// KeyID names the key of the signature (report.KeyID: the SHA-256 of
	// its SPKI encoding); "" when the bundle is unsigned. Unless Verified,
	// it is only what the signature claims.
	KeyID string `json:"key_id,omitempty"`
	// Verified is true when the signature was verified with the
	// verification key.
	Verified bool `json:"verified"`
}

// bundleMeta is metadata.gcrun in a bundle's manifest.
type bundleMeta struct {
	Format   int    `json:"format"`
	Name     string `json:"name"`
	Version  string `json:"version"`
	Digest   string `json:"digest"`
	PackYAML string `json:"pack.yaml"`
}

// BuildBundle writes the pack in directory dir to w as an OPA bundle,
// signed when opts.SigningKey is set. The pack needs a pack.yaml with a
// name and a version; a path dependency is refused (a bundle carries one
// pack), a builtin one is kept in pack.yaml and not bundled. Every .rego
// file of the pack goes into the bundle, tests included as `opa build`
// does, except those under fixtures/ and dot-directories; other files
// (fixtures, READMEs) do not. The output is reproducible: the same pack
// and key give the same bytes.
func BuildBundle(w io.Writer, dir string, opts BuildBundleOptions) (*BundleInfo, error) {
	var priv ed25519.PrivateKey
	if opts.SigningKey != nil {
		k, err := report.ParsePrivateKeyPEM(opts.SigningKey)
		if err != nil {
			return nil, fmt.Errorf("signing key: %w", err)
		}
		priv = k
	}
	origin := strings.TrimSuffix(dir, "/")
	if fi, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("pack %w", err)
	} else if !fi.IsDir() {
		return nil, fmt.Errorf("pack %s: not a directory", origin)
	}
	packYAML, sources, err := readPackSources(dir, origin, defaultBundleLimits())
	if err != nil {
		return nil, err
	}
	files := fstest.MapFS{engine.PackFile: {Data: packYAML, Mode: 0o644}}
	var modules []bundle.ModuleFile
	var packages []string
	for _, src := range sources {
		mod, err := ast.ParseModuleWithOpts(origin+"/"+src.path, string(src.data), ast.ParserOptions{RegoVersion: ast.RegoV1})
		if err != nil {
			return nil, err
		}
		root, err := packageRoot(mod.Package.Path)
		if err != nil {
			return nil, fmt.Errorf("%s/%s: %w", origin, src.path, err)
		}
		packages = append(packages, root)
		modules = append(modules, bundle.ModuleFile{URL: "/" + src.path, Path: "/" + src.path, RelativePath: src.path, Raw: src.data, Parsed: mod})
		files[src.path] = &fstest.MapFile{Data: src.data, Mode: 0o644}
	}
	// Load what the bundle will hold as LoadBundle will, for the digest
	// and the name and version (defaults applied as for the directory).
	packed, err := engine.LoadBaseline(files, origin)
	if err != nil {
		return nil, err
	}
	if err := checkBundlePackYAML(origin+"/"+engine.PackFile, packYAML); err != nil {
		return nil, err
	}
	meta := bundleMeta{Format: bundleFormat, Name: packed.Name, Version: packed.Version, Digest: packed.Digest, PackYAML: string(packYAML)}
	metaMap, err := toJSONMap(meta)
	if err != nil {
		return nil, err
	}
	roots := minimalRoots(packages)
	b := bundle.Bundle{
		Data:    map[string]any{},
		Modules: modules,
		Manifest: bundle.Manifest{
			Revision: packed.Name + "@" + packed.Version,
			Roots:    &roots,
			Metadata: map[string]any{"gcrun": metaMap},
		},
	}
	b.Manifest.SetRegoVersion(ast.RegoV1)
	info := &BundleInfo{
		Name: packed.Name, Version: packed.Version, Revision: b.Manifest.Revision,
		Digest: packed.Digest, Roots: roots,
	}
	for _, m := range modules {
		info.Files = append(info.Files, m.RelativePath)
	}
	if priv != nil {
		// Hand OPA the key in its canonical PEM form: OPA's signer reads a
		// string that does not start with "-----BEGIN" as a file name.
		pemKey, err := report.MarshalPrivateKeyPEM(priv)
		if err != nil {
			return nil, fmt.Errorf("signing key: %w", err)
		}
		info.KeyID = report.KeyID(priv.Public().(ed25519.PublicKey))
		sc := bundle.NewSigningConfig(string(pemKey), BundleSigningAlgorithm, "")
		if err := b.GenerateSignature(sc, info.KeyID, false); err != nil {
			return nil, fmt.Errorf("pack %s: signing: %w", origin, err)
		}
	}
	var out bytes.Buffer
	if err := bundle.NewWriter(&out).Write(b); err != nil {
		return nil, fmt.Errorf("pack %s: writing the bundle: %w", origin, err)
	}
	// Refuse to write a bundle that LoadBundle would refuse.
	if out.Len() > MaxBundleSize {
		return nil, fmt.Errorf("pack %s: the bundle would be larger than %d bytes", origin, MaxBundleSize)
	}
	if _, err := scanBundle(out.Bytes(), defaultBundleLimits()); err != nil {
		return nil, fmt.Errorf("pack %s: the bundle would be refused: %w", origin, err)
	}
	if _, err := w.Write(out.Bytes()); err != nil {
		return nil, err
	}
	return info, nil
}

// packSource is one .rego file of a pack.
type packSource struct {
	path string // relative to the pack, with "/"
	data []byte
}

// readPackSources reads the pack.yaml and the .rego files of the pack in
// dir, sorted by path, within limits. It skips the fixtures directory
// (fixture roots are hosts' files, not the pack's rules) and directories
// whose name starts with "." (.git); a .rego file that is not a regular
// file (a symbolic link) is an error, as it is for the engine.
func readPackSources(dir, origin string, limits bundleLimits) ([]byte, []packSource, error) {
	fsys := os.DirFS(dir)
	var total int64
	read := func(p string, d fs.DirEntry) ([]byte, error) {
		if !d.Type().IsRegular() {
			return nil, fmt.Errorf("%s: not a regular file", p)
		}
		fi, err := d.Info()
		if err != nil {
			return nil, err
		}
		if total += fi.Size(); total > limits.size {
			return nil, fmt.Errorf("more than %d bytes of pack.yaml and Rego, more than a bundle may hold", limits.size)
		}
		return fs.ReadFile(fsys, p)
	}
	var packYAML []byte
	var sources []packSource
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != "." && (strings.HasPrefix(d.Name(), ".") || p == "fixtures") {
				return fs.SkipDir
			}
			return nil
		}
		switch {
		case p == engine.PackFile:
			data, err := read(p, d)
			if err != nil {
				return err
			}
			packYAML = data
		case strings.HasSuffix(p, bundle.RegoExt):
			if len(sources) >= limits.files-3 {
				return fmt.Errorf("more than %d .rego files, more than a bundle may hold", limits.files-3)
			}
			data, err := read(p, d)
			if err != nil {
				return err
			}
			sources = append(sources, packSource{path: p, data: data})
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("pack %s: %w", origin, err)
	}
	if packYAML == nil {
		return nil, nil, fmt.Errorf("pack %s: no %s: a bundle needs the pack's name and version", origin, engine.PackFile)
	}
	if len(sources) == 0 {
		return nil, nil, fmt.Errorf("pack %s: no .rego files", origin)
	}
	return packYAML, sources, nil
}

// checkBundlePackYAML checks what a bundle needs of pack.yaml: a name, a
// version, and no dependency on a path (which the bundle would not carry).
// The pack loader checks the rest.
func checkBundlePackYAML(file string, data []byte) error {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return fmt.Errorf("%s:1: a bundle needs a pack.yaml with name and version", file)
	}
	top := doc.Content[0]
	for _, key := range []string{"name", "version"} {
		if v := mappingValue(top, key); v == nil || v.Kind != yaml.ScalarNode || v.Value == "" {
			return fmt.Errorf("%s:%d: no %s: a bundle needs the pack's name and version", file, top.Line, key)
		}
	}
	deps := mappingValue(top, "depends")
	if deps == nil || deps.Kind != yaml.SequenceNode {
		return nil
	}
	for _, d := range deps.Content {
		p := mappingValue(d, "path")
		if p == nil {
			continue
		}
		name := ""
		if n := mappingValue(d, "name"); n != nil {
			name = n.Value
		}
		return fmt.Errorf("%s:%d: dependency %q is a path dependency (path: %s): a bundle carries one pack; "+
			"bundle %q separately and load both, or depend on a builtin pack", file, p.Line, name, p.Value, name)
	}
	return nil
}

// mappingValue returns the value of key in mapping node m, or nil.
func mappingValue(m *yaml.Node, key string) *yaml.Node {
	if m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// packageRoot turns a package path (data.gcrun.acme.x) into a bundle root
// (gcrun/acme/x).
func packageRoot(ref ast.Ref) (string, error) {
	parts := make([]string, 0, len(ref))
	for _, t := range ref[1:] {
		s, ok := t.Value.(ast.String)
		if !ok {
			return "", fmt.Errorf("package %v: not a path of strings", ref)
		}
		parts = append(parts, string(s))
	}
	return strings.Join(parts, "/"), nil
}

// minimalRoots sorts roots and drops every root inside another one.
func minimalRoots(roots []string) []string {
	sorted := append([]string(nil), roots...)
	// Shorter first, so that a root is kept before the roots inside it.
	sort.Slice(sorted, func(i, j int) bool {
		if len(sorted[i]) != len(sorted[j]) {
			return len(sorted[i]) < len(sorted[j])
		}
		return sorted[i] < sorted[j]
	})
	out := []string{}
	for _, r := range sorted {
		if !bundle.RootPathsContain(out, r) {
			out = append(out, r)
		}
	}
	sort.Strings(out)
	return out
}

// toJSONMap turns v into the map OPA keeps manifest metadata as.
func toJSONMap(v any) (map[string]any, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, err
	}
	return m, nil
}

// LoadBundle loads the pack in the OPA bundle at path (as BuildBundle
// writes it) after verifying its signature with opts.VerificationKey. It
// fails closed: an unsigned bundle, a signature by another key or with
// another algorithm, a changed, missing or extra file, a file that is not
// part of a gcrun bundle, or a bundle over MaxBundleSize or
// MaxBundleFiles is an error. With opts.InsecureSkipVerify an unsigned
// bundle (or, without a key, any bundle) loads unverified, with a warning.
func LoadBundle(path string, opts BundleOptions) (*engine.Baseline, error) {
	_, b, err := ReadBundle(path, opts)
	return b, err
}

// ReadBundle is LoadBundle, and also describes the bundle.
func ReadBundle(path string, opts BundleOptions) (*BundleInfo, *engine.Baseline, error) {
	data, err := readBundleFile(path, defaultBundleLimits())
	if err != nil {
		return nil, nil, err
	}
	return readBundle(path, data, opts, defaultBundleLimits())
}

// readBundleFile reads a regular file of at most limits.size bytes.
func readBundleFile(name string, limits bundleLimits) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("bundle %s: %w", name, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("bundle %s: %w", name, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("bundle %s: not a regular file", name)
	}
	data, err := io.ReadAll(io.LimitReader(f, limits.size+1))
	if err != nil {
		return nil, fmt.Errorf("bundle %s: %w", name, err)
	}
	if int64(len(data)) > limits.size {
		return nil, fmt.Errorf("bundle %s: larger than %d bytes", name, limits.size)
	}
	return data, nil
}

// readBundle verifies and loads the bundle data, read from file name.
func readBundle(name string, data []byte, opts BundleOptions, limits bundleLimits) (*BundleInfo, *engine.Baseline, error) {
	log := opts.Logger
	if log == nil {
		log = logger(Options{})
	}
	fail := func(format string, args ...any) (*BundleInfo, *engine.Baseline, error) {
		return nil, nil, fmt.Errorf("bundle %s: %s", name, fmt.Sprintf(format, args...))
	}
	var pub ed25519.PublicKey
	if opts.VerificationKey != nil {
		k, err := report.ParsePublicKeyPEM(opts.VerificationKey)
		if err != nil {
			return nil, nil, fmt.Errorf("verification key: %w", err)
		}
		pub = k
	} else if !opts.InsecureSkipVerify {
		return fail("no verification key: give the public key the bundle is signed with (--verification-key), " +
			"or --insecure-skip-verify to load it unverified")
	}

	entries, err := scanBundle(data, limits)
	if err != nil {
		return fail("%v", err)
	}
	sigs, signed := entries[".signatures.json"]
	info := &BundleInfo{}
	verify := pub != nil && (signed || !opts.InsecureSkipVerify)
	var vc *bundle.VerificationConfig
	var warning string // logged once the bundle has loaded
	switch {
	case verify && !signed:
		return fail("not signed (no .signatures.json); sign it with `gcrun bundle build --signing-key`, " +
			"or give --insecure-skip-verify to load it unverified")
	case verify:
		kid, err := checkBundleSignatures(sigs, pub)
		if err != nil {
			return fail("%v", err)
		}
		pemKey, err := report.MarshalPublicKeyPEM(pub)
		if err != nil {
			return nil, nil, fmt.Errorf("verification key: %w", err)
		}
		// No KeyID in the config: OPA takes the key named by the JWT's
		// kid, and only ours is known.
		vc = bundle.NewVerificationConfig(map[string]*bundle.KeyConfig{
			kid: {Key: string(pemKey), Algorithm: BundleSigningAlgorithm},
		}, "", "", nil)
		info.KeyID, info.Verified = kid, true
	case signed:
		warning = "signature NOT verified (--insecure-skip-verify without --verification-key)"
	default:
		warning = "not signed; loading it unverified because of --insecure-skip-verify"
	}

	// Refuse what OPA would read as another Rego version before it parses
	// anything; the verified manifest is checked again below.
	var raw bundle.Manifest
	if err := json.Unmarshal(entries[".manifest"], &raw); err != nil {
		return fail(".manifest: %v", err)
	}
	if err := checkBundleManifest(raw); err != nil {
		return fail("%v", err)
	}

	r := bundle.NewReader(bytes.NewReader(data)).
		WithRegoVersion(ast.RegoV1).
		WithSizeLimitBytes(limits.size + 1)
	if vc != nil {
		r = r.WithBundleVerificationConfig(vc)
	} else {
		r = r.WithSkipBundleVerification(true)
	}
	b, err := r.Read()
	if err != nil {
		var parse ast.Errors
		if verify && !errors.As(err, &parse) {
			return fail("verification failed: %v", err)
		}
		return fail("%v", err)
	}
	if !verify && signed {
		if kid, err := bundleSignatureKeyID(sigs); err == nil {
			info.KeyID = kid
		}
	}

	m := b.Manifest
	if err := checkBundleManifest(m); err != nil {
		return fail("%v", err)
	}
	if len(b.Data) != 0 {
		return fail("data.json: gcrun bundles carry no data (rules read parameters from pack.yaml)")
	}
	gm, ok := m.Metadata["gcrun"]
	if !ok {
		return fail(".manifest: no metadata.gcrun: not a gcrun bundle (build it with `gcrun bundle build`)")
	}
	meta, err := decodeBundleMeta(gm)
	if err != nil {
		return fail(".manifest: metadata.gcrun: %v", err)
	}

	files := fstest.MapFS{engine.PackFile: {Data: []byte(meta.PackYAML), Mode: 0o644}}
	for _, mod := range b.Modules {
		p := strings.TrimPrefix(mod.Path, "/")
		if p == engine.PackFile {
			return fail("%s: clashes with the pack's pack.yaml", p)
		}
		files[p] = &fstest.MapFile{Data: mod.Raw, Mode: 0o644}
		info.Files = append(info.Files, p)
	}
	sort.Strings(info.Files)
	base, err := engine.LoadBaseline(files, name)
	if err != nil {
		return nil, nil, err
	}
	for _, c := range []struct{ what, meta, pack string }{
		{"name", meta.Name, base.Name},
		{"version", meta.Version, base.Version},
		{"digest", meta.Digest, base.Digest},
	} {
		if c.meta != c.pack {
			return fail(".manifest: metadata.gcrun.%s is %q, but the bundle's files give %q", c.what, c.meta, c.pack)
		}
	}
	info.Name, info.Version, info.Revision, info.Digest = base.Name, base.Version, m.Revision, base.Digest
	if m.Roots != nil {
		info.Roots = append([]string{}, *m.Roots...)
	}
	if warning != "" {
		log.Warnf("bundle %s: %s", name, warning)
	}
	return info, base, nil
}

// checkBundleManifest refuses manifests that make OPA read the Rego
// otherwise than as Rego v1, or that refer to Wasm.
func checkBundleManifest(m bundle.Manifest) error {
	if m.RegoVersion != nil && *m.RegoVersion != 1 {
		return fmt.Errorf(".manifest: rego_version %d: gcrun bundles are Rego v1", *m.RegoVersion)
	}
	if len(m.FileRegoVersions) != 0 {
		return errors.New(".manifest: file_rego_versions: gcrun bundles are Rego v1 throughout")
	}
	if len(m.WasmResolvers) != 0 {
		return errors.New(".manifest: wasm: gcrun bundles hold no Wasm")
	}
	return nil
}

// scanBundle reads the gzipped tar in data within limits and returns its
// files by name (without the leading "/"). It refuses what a gcrun bundle
// never holds, which OPA's reader would skip or accept silently: links
// and other special files, unclean or escaping paths, duplicate names,
// and files other than .manifest, .signatures.json, data.json and .rego.
func scanBundle(data []byte, limits bundleLimits) (map[string][]byte, error) {
	gz, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("not a gzipped tar: %w", err)
	}
	stream := &io.LimitedReader{R: gz, N: limits.size + 1}
	tr := tar.NewReader(stream)
	files := map[string][]byte{}
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if stream.N <= 0 {
				return nil, fmt.Errorf("larger than %d bytes uncompressed", limits.size)
			}
			return nil, fmt.Errorf("not a gzipped tar: %w", err)
		}
		name := strings.TrimPrefix(h.Name, "/")
		if name == "" || path.Clean(name) != strings.TrimSuffix(name, "/") || name == ".." || strings.HasPrefix(name, "../") {
			// OPA's verifier would not match ./NAME to the signature's NAME.
			return nil, fmt.Errorf("%q: not a clean relative path (opa build writes /NAME)", h.Name)
		}
		switch h.Typeflag {
		case tar.TypeDir:
			continue
		case tar.TypeReg:
		default:
			return nil, fmt.Errorf("%s: not a regular file (tar type %q)", name, h.Typeflag)
		}
		if !bundleFileAllowed(name) {
			return nil, fmt.Errorf("%s: unexpected file: a gcrun bundle holds only .manifest, .signatures.json, data.json and .rego files", name)
		}
		if _, dup := files[name]; dup {
			return nil, fmt.Errorf("%s: more than one file of that name", name)
		}
		if len(files) >= limits.files {
			return nil, fmt.Errorf("more than %d files", limits.files)
		}
		if h.Size > limits.size {
			return nil, fmt.Errorf("larger than %d bytes uncompressed", limits.size)
		}
		content, err := io.ReadAll(tr)
		if err != nil {
			if stream.N <= 0 {
				return nil, fmt.Errorf("larger than %d bytes uncompressed", limits.size)
			}
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		files[name] = content
	}
	// Read to the end, so that gzip checks its checksum and length (tar
	// stops at its end marker) and nothing hides after the archive.
	if _, err := io.Copy(io.Discard, stream); err != nil {
		return nil, fmt.Errorf("corrupt gzip stream: %w", err)
	}
	if stream.N <= 0 {
		return nil, fmt.Errorf("larger than %d bytes uncompressed", limits.size)
	}
	if _, ok := files[".manifest"]; !ok {
		return nil, errors.New("no .manifest: not a gcrun bundle (build it with `gcrun bundle build`)")
	}
	return files, nil
}

// bundleFileAllowed says whether a gcrun bundle may hold a file name.
func bundleFileAllowed(name string) bool {
	switch name {
	case ".manifest", ".signatures.json", "data.json":
		return true
	}
	return strings.HasSuffix(name, bundle.RegoExt) && !strings.HasPrefix(path.Base(name), ".")
}

// jwtHeader is the part of a bundle JWT's header gcrun checks.
type jwtHeader struct {
	Alg string `json:"alg"`
	Kid string `json:"kid"`
}

// checkBundleSignatures checks the fields of .signatures.json that OPA's
// verifier takes from configuration or leaves unchecked, so that every
// missing or unexpected field fails closed with its own message: exactly
// one JWT, no signing plugin, algorithm EdDSA, a kid naming the
// verification key, SHA-256 file hashes, no scope. It returns the kid;
// OPA's reader then checks the signature itself and every file's hash.
func checkBundleSignatures(data []byte, pub ed25519.PublicKey) (string, error) {
	var sc struct {
		Signatures []string `json:"signatures"`
		Plugin     string   `json:"plugin"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&sc); err != nil {
		return "", fmt.Errorf(".signatures.json: %w", err)
	}
	// OPA's default signer writes plugin "_default".
	if sc.Plugin != "" && sc.Plugin != "_default" {
		return "", fmt.Errorf(".signatures.json: signing plugin %q: gcrun verifies only OPA's default signatures", sc.Plugin)
	}
	if len(sc.Signatures) != 1 {
		return "", fmt.Errorf(".signatures.json: %d signatures, expected exactly one", len(sc.Signatures))
	}
	hdr, payload, err := splitBundleJWT(sc.Signatures[0])
	if err != nil {
		return "", err
	}
	var h jwtHeader
	if err := json.Unmarshal(hdr, &h); err != nil {
		return "", fmt.Errorf(".signatures.json: JWT header: %w", err)
	}
	if h.Alg != BundleSigningAlgorithm {
		return "", fmt.Errorf(".signatures.json: signature algorithm %q, expected %s (ed25519)", h.Alg, BundleSigningAlgorithm)
	}
	want := report.KeyID(pub)
	if h.Kid == "" {
		return "", errors.New(".signatures.json: the signature names no key (no kid in the JWT header)")
	}
	if h.Kid != want {
		return "", fmt.Errorf(".signatures.json: signed by key %s, not by the verification key %s", h.Kid, want)
	}
	var ds bundle.DecodedSignature
	if err := json.Unmarshal(payload, &ds); err != nil {
		return "", fmt.Errorf(".signatures.json: JWT payload: %w", err)
	}
	if ds.Scope != "" {
		return "", fmt.Errorf(".signatures.json: signature scope %q; gcrun bundles have none", ds.Scope)
	}
	if len(ds.Files) == 0 {
		return "", errors.New(".signatures.json: the signature lists no files")
	}
	seen := map[string]bool{}
	for _, f := range ds.Files {
		if f.Algorithm != bundleHashAlgorithm {
			return "", fmt.Errorf(".signatures.json: %s hashed with %q, expected %s", f.Name, f.Algorithm, bundleHashAlgorithm)
		}
		if seen[f.Name] {
			return "", fmt.Errorf(".signatures.json: %s listed twice", f.Name)
		}
		seen[f.Name] = true
	}
	return h.Kid, nil
}

// bundleSignatureKeyID returns the kid of an unverified signature, to say
// who claims to have signed a bundle loaded with --insecure-skip-verify.
func bundleSignatureKeyID(data []byte) (string, error) {
	var sc bundle.SignaturesConfig
	if err := json.Unmarshal(data, &sc); err != nil {
		return "", err
	}
	if len(sc.Signatures) != 1 {
		return "", errors.New("not one signature")
	}
	hdr, _, err := splitBundleJWT(sc.Signatures[0])
	if err != nil {
		return "", err
	}
	var h jwtHeader
	if err := json.Unmarshal(hdr, &h); err != nil {
		return "", err
	}
	return h.Kid, nil
}

// splitBundleJWT decodes the header and payload of a compact JWS.
func splitBundleJWT(token string) (header, payload []byte, err error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, nil, fmt.Errorf(".signatures.json: not a compact JWT (%d parts, expected 3)", len(parts))
	}
	if header, err = base64.RawURLEncoding.DecodeString(parts[0]); err != nil {
		return nil, nil, fmt.Errorf(".signatures.json: JWT header: %w", err)
	}
	if payload, err = base64.RawURLEncoding.DecodeString(parts[1]); err != nil {
		return nil, nil, fmt.Errorf(".signatures.json: JWT payload: %w", err)
	}
	return header, payload, nil
}

// decodeBundleMeta decodes metadata.gcrun strictly.
func decodeBundleMeta(raw any) (*bundleMeta, error) {
	data, err := json.Marshal(raw)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var m bundleMeta
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	if m.Format != bundleFormat {
		return nil, fmt.Errorf("format %d; this gcrun reads format %d (a newer gcrun built it?)", m.Format, bundleFormat)
	}
	if m.PackYAML == "" {
		return nil, errors.New("no pack.yaml")
	}
	return &m, nil
}
