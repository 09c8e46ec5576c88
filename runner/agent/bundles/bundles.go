// Package bundles fetches, verifies and keeps the policy bundles of the
// agent's assignments (gcrun agent).
//
// Each assignment has a source: an https URL serving a signed bundle (gcrun
// serve's GET /v1/bundles/{name}, or any HTTPS server with ETags), a local
// signed bundle file (an absolute path ending in .tar.gz, or a file:// URL),
// or a local pack directory. Bundles from a URL or a file are verified with
// the fleet's verification key before they are used, and the last one that
// verified is kept on disk:
//
//	<Dir>/<assignment>/bundle.tar.gz   the last good bundle, byte for byte
//	<Dir>/<assignment>/meta.json       {source, etag, revision, fetched_at, verified_at, kind}
//
// Everything fails closed: a bundle that is unsigned, signed by another
// key, tampered with, larger than MaxSize or not a bundle at all is refused
// (ErrRefused) and the last good bundle stays in place and active; so it
// does when the source cannot be reached. A pack directory is trusted local
// configuration: it is loaded (so that a broken pack is an error) but not
// verified, and nothing is copied.
package bundles

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/gcrun/gcrun/internal/atomicfile"
	"hash"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"time"
	"unicode"

	"github.com/gcrun/gcrun/engine"
	"github.com/gcrun/gcrun/report"
	"github.com/gcrun/gcrun/runner"
	"github.com/sirupsen/logrus"
)

// DefaultMaxSize bounds a bundle when Fetcher.MaxSize is 0: runner's own
// limit, so that every bundle this package accepts also loads.
const DefaultMaxSize = runner.MaxBundleSize

// File names inside an assignment's directory.
const (
	BundleFile = "bundle.tar.gz"
	MetaFile   = "meta.json"
)

// Kinds of stored state (meta.json's kind).
const (
	// KindBundle: a verified bundle from a URL or a local bundle file,
	// stored as bundle.tar.gz.
	KindBundle = "bundle"
	// KindDirectory: a local pack directory, used in place.
	KindDirectory = "directory"
)

// maxErrorBody bounds how much of an error response is read (and quoted).
const maxErrorBody = 64 << 10

var (
	// ErrRefused: the bundle was fetched but is not acceptable (unsigned,
	// wrong key, tampered, oversized, not a bundle). The error wraps it with
	// the reason; the last good bundle is kept.
	ErrRefused = errors.New("bundle refused")
	// ErrNoBundle: the assignment has no stored good bundle.
	ErrNoBundle = errors.New("no good bundle stored")
)

// assignmentName is what an assignment name may look like: it names a
// directory under Dir.
var assignmentName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`)

// Fetcher fetches and verifies bundles. Its methods may be called from
// several goroutines; calls for the same assignment are serialised.
type Fetcher struct {
	// Client makes the HTTPS requests (runner/agent/config.NewHTTPClient:
	// TLS verification on, proxy and timeouts configured).
	Client *http.Client
	// Dir holds one directory per assignment (state_dir/bundles).
	Dir string
	// VerificationKey is the ed25519 public key (SPKI PEM) every bundle
	// from a URL or a file must be signed with. Required for those sources.
	VerificationKey []byte
	// MaxSize bounds a bundle in bytes; 0 means DefaultMaxSize.
	MaxSize int64
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger receives refusals and changes; nil discards them.
	Logger logrus.FieldLogger

	locks sync.Map // assignment -> *sync.Mutex
}

// Bundle is a bundle ready for evaluation.
type Bundle struct {
	// Assignment is the assignment's name; Source where the bundle came
	// from (the URL, file or directory configured).
	Assignment string
	Source     string
	// Path is the verified bundle file to load (the stored copy,
	// <Dir>/<assignment>/bundle.tar.gz), or the pack directory for a
	// directory source.
	Path string
	// Revision is "sha256:" and the hex SHA-256 of the bundle file's bytes;
	// for a pack directory, the baseline digest of its files
	// (engine.Baseline.Digest).
	Revision string
	// ETag is the source's entity tag for the stored bundle ("" when the
	// source sent none or is local).
	ETag string
	// FetchedAt is when the source last confirmed the bundle (a 200 or a
	// 304, or a successful local load).
	FetchedAt time.Time
	// Changed is true when Revision differs from the previous good bundle's
	// (or there was none).
	Changed bool
	// Baseline is the pack as loaded (and, for a bundle, verified) by
	// Fetch or LastGood, ready for evaluation without loading Path again.
	Baseline *engine.Baseline
}

// meta is meta.json.
type meta struct {
	Kind       string    `json:"kind"`
	Source     string    `json:"source"`
	ETag       string    `json:"etag,omitempty"`
	Revision   string    `json:"revision"`
	FetchedAt  time.Time `json:"fetched_at"`
	VerifiedAt time.Time `json:"verified_at,omitzero"`
}

// Fetch brings the assignment's bundle up to date from source and returns
// the bundle to use.
//
// From an https URL it sends a conditional GET (If-None-Match with the
// stored ETag, when the stored bundle came from the same source and still
// verifies). 304 returns the stored bundle (FetchedAt now, persisted). 200
// reads at most MaxSize bytes into a temporary file, verifies it with
// runner.LoadBundle and only then replaces the stored bundle and meta.json
// (each fsync'd, renamed, and the directory fsync'd). A refused bundle is an
// error wrapping ErrRefused; another status, or a network error, is an error
// too (the caller backs off); either way the stored bundle is untouched and
// LastGood still returns it.
//
// An absolute path (or file:// URL) of a bundle file is read and verified
// exactly like a download, without an ETag. A pack directory is loaded in
// place, unverified (trusted local configuration).
func (f *Fetcher) Fetch(ctx context.Context, assignment, source string) (Bundle, error) {
	if err := checkAssignment(assignment); err != nil {
		return Bundle{}, err
	}
	unlock := f.lock(assignment)
	defer unlock()

	kind, loc, err := parseSource(source)
	if err != nil {
		return Bundle{}, fmt.Errorf("assignment %s: %w", assignment, err)
	}
	if kind == sourceDir {
		return f.fetchDir(assignment, source, loc)
	}
	if err := f.checkKey(); err != nil {
		return Bundle{}, fmt.Errorf("assignment %s: %w", assignment, err)
	}
	dir := f.assignmentDir(assignment)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return Bundle{}, fmt.Errorf("assignment %s: %w", assignment, err)
	}
	removeTemps(dir)
	prev, prevErr := f.lastGood(assignment)
	if prevErr != nil && !errors.Is(prevErr, ErrNoBundle) {
		f.logger().WithFields(logrus.Fields{"assignment": assignment}).
			WithError(prevErr).Warn("stored bundle refused; fetching it again")
	}
	var have *Bundle
	if prevErr == nil {
		have = &prev
	}
	if kind == sourceFile {
		return f.fetchFile(assignment, source, loc, have)
	}
	return f.fetchURL(ctx, assignment, source, have)
}

// LastGood returns the assignment's stored bundle after verifying it again
// (a stored file that was changed on disk is refused: ErrRefused). It
// returns an error wrapping ErrNoBundle when none is stored, or when the
// assignment's last source was a pack directory (which has no stored copy).
func (f *Fetcher) LastGood(assignment string) (Bundle, error) {
	if err := checkAssignment(assignment); err != nil {
		return Bundle{}, err
	}
	if err := f.checkKey(); err != nil {
		return Bundle{}, fmt.Errorf("assignment %s: %w", assignment, err)
	}
	unlock := f.lock(assignment)
	defer unlock()
	return f.lastGood(assignment)
}

// Stale reports whether the source has not confirmed b for longer than ttl
// (the policy may be outdated). A ttl of 0 or less never goes stale.
func (f *Fetcher) Stale(b Bundle, ttl time.Duration) bool {
	if ttl <= 0 {
		return false
	}
	return f.now().Sub(b.FetchedAt) > ttl
}

func (f *Fetcher) lastGood(assignment string) (Bundle, error) {
	dir := f.assignmentDir(assignment)
	m, err := readMeta(filepath.Join(dir, MetaFile))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return Bundle{}, fmt.Errorf("assignment %s: %w", assignment, ErrNoBundle)
	case err != nil:
		return Bundle{}, fmt.Errorf("assignment %s: %w", assignment, err)
	}
	if m.Kind == KindDirectory {
		return Bundle{}, fmt.Errorf("assignment %s: %w (its source %s is a pack directory, used in place)", assignment, ErrNoBundle, m.Source)
	}
	path := filepath.Join(dir, BundleFile)
	sum, err := fileDigest(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Bundle{}, fmt.Errorf("assignment %s: %w", assignment, ErrNoBundle)
	} else if err != nil {
		return Bundle{}, fmt.Errorf("assignment %s: %w", assignment, err)
	}
	base, err := f.verify(path)
	if err != nil {
		return Bundle{}, fmt.Errorf("assignment %s: stored %s: %w: %v", assignment, path, ErrRefused, err)
	}
	b := Bundle{
		Assignment: assignment, Source: m.Source, Path: path, Revision: sum,
		ETag: m.ETag, FetchedAt: m.FetchedAt, Baseline: base,
	}
	if m.Revision != sum {
		// The bundle was replaced but meta.json was not (a crash between the
		// two renames): the ETag and time belong to another bundle. The file
		// verified, so use it, but fetch it unconditionally next time.
		b.ETag, b.FetchedAt = "", time.Time{}
	}
	return b, nil
}

// fetchURL fetches source (https) for assignment.
func (f *Fetcher) fetchURL(ctx context.Context, assignment, source string, have *Bundle) (Bundle, error) {
	log := f.logger().WithFields(logrus.Fields{"assignment": assignment, "source": source})
	if f.Client == nil {
		return Bundle{}, fmt.Errorf("assignment %s: no HTTP client", assignment)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, source, nil)
	if err != nil {
		return Bundle{}, fmt.Errorf("assignment %s: %w", assignment, err)
	}
	// The bundle is a .tar.gz: keep the transport from asking for (and
	// transparently undoing) a Content-Encoding, so that the revision is
	// the digest of the bytes the source serves.
	req.Header.Set("Accept-Encoding", "identity")
	conditional := have != nil && have.Source == source && have.ETag != ""
	if conditional {
		req.Header.Set("If-None-Match", have.ETag)
	}
	resp, err := f.Client.Do(req)
	if err != nil {
		return Bundle{}, fmt.Errorf("assignment %s: fetching %s: %w", assignment, source, err)
	}
	defer resp.Body.Close()
	if resp.Request != nil && resp.Request.URL.Scheme != "https" {
		return Bundle{}, fmt.Errorf("assignment %s: fetching %s: redirected to %s: HTTPS only", assignment, source, resp.Request.URL.Redacted())
	}
	switch resp.StatusCode {
	case http.StatusNotModified:
		if !conditional {
			return Bundle{}, fmt.Errorf("assignment %s: fetching %s: 304 Not Modified to an unconditional request", assignment, source)
		}
		now := f.now()
		m := meta{Kind: KindBundle, Source: source, ETag: have.ETag, Revision: have.Revision, FetchedAt: now.UTC()}
		if old, err := readMeta(filepath.Join(f.assignmentDir(assignment), MetaFile)); err == nil {
			m.VerifiedAt = old.VerifiedAt
		}
		if err := writeMeta(f.assignmentDir(assignment), m); err != nil {
			return Bundle{}, fmt.Errorf("assignment %s: %w", assignment, err)
		}
		b := *have
		b.FetchedAt, b.Changed = now, false
		log.WithField("revision", b.Revision).Debug("bundle not modified")
		return b, nil
	case http.StatusOK:
	default:
		return Bundle{}, fmt.Errorf("assignment %s: fetching %s: %s%s", assignment, source, resp.Status, errorBody(resp.Body))
	}
	limit := f.maxSize()
	if resp.ContentLength > limit {
		err := fmt.Errorf("assignment %s: %s: %w: oversized: Content-Length %d bytes, more than the limit of %d",
			assignment, source, ErrRefused, resp.ContentLength, limit)
		log.WithError(err).Warn("bundle refused; keeping the last good one")
		return Bundle{}, err
	}
	return f.install(assignment, source, resp.Body, resp.Header.Get("ETag"), have, log)
}

// fetchFile reads and verifies the local bundle file path.
func (f *Fetcher) fetchFile(assignment, source, path string, have *Bundle) (Bundle, error) {
	log := f.logger().WithFields(logrus.Fields{"assignment": assignment, "source": source})
	file, err := os.Open(path)
	if err != nil {
		return Bundle{}, fmt.Errorf("assignment %s: %w", assignment, err)
	}
	defer file.Close()
	fi, err := file.Stat()
	if err != nil {
		return Bundle{}, fmt.Errorf("assignment %s: %w", assignment, err)
	}
	if !fi.Mode().IsRegular() {
		return Bundle{}, fmt.Errorf("assignment %s: %s: %w: not a regular file", assignment, path, ErrRefused)
	}
	return f.install(assignment, source, file, "", have, log)
}

// install reads a bundle from r (at most MaxSize bytes) into a temporary
// file, verifies it and moves it into place with its meta.json.
func (f *Fetcher) install(assignment, source string, r io.Reader, etag string, have *Bundle, log logrus.FieldLogger) (Bundle, error) {
	dir := f.assignmentDir(assignment)
	refuse := func(reason error) (Bundle, error) {
		err := fmt.Errorf("assignment %s: %s: %w: %v", assignment, source, ErrRefused, reason)
		log.WithError(err).Warn("bundle refused; keeping the last good one")
		return Bundle{}, err
	}
	tmp, err := os.CreateTemp(dir, "."+BundleFile+".tmp-*")
	if err != nil {
		return Bundle{}, fmt.Errorf("assignment %s: %w", assignment, err)
	}
	tmpName := tmp.Name()
	defer os.Remove(tmpName) // a no-op once renamed
	limit := f.maxSize()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), io.LimitReader(r, limit+1))
	if err != nil {
		tmp.Close()
		return Bundle{}, fmt.Errorf("assignment %s: reading %s: %w", assignment, source, err)
	}
	if n > limit {
		tmp.Close()
		return refuse(fmt.Errorf("oversized: more than the limit of %d bytes", limit))
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return Bundle{}, fmt.Errorf("assignment %s: %w", assignment, err)
	}
	if err := tmp.Close(); err != nil {
		return Bundle{}, fmt.Errorf("assignment %s: %w", assignment, err)
	}
	base, err := f.verify(tmpName)
	if err != nil {
		// Name the source, not the temporary file, in the reason.
		return refuse(errors.New(strings.TrimPrefix(err.Error(), "bundle "+tmpName+": ")))
	}
	revision := digestString(h)
	now := f.now()
	final := filepath.Join(dir, BundleFile)
	if err := os.Rename(tmpName, final); err != nil {
		return Bundle{}, fmt.Errorf("assignment %s: %w", assignment, err)
	}
	if err := syncDir(dir); err != nil {
		return Bundle{}, fmt.Errorf("assignment %s: %w", assignment, err)
	}
	m := meta{Kind: KindBundle, Source: source, ETag: etag, Revision: revision, FetchedAt: now.UTC(), VerifiedAt: now.UTC()}
	if err := writeMeta(dir, m); err != nil {
		return Bundle{}, fmt.Errorf("assignment %s: %w", assignment, err)
	}
	b := Bundle{
		Assignment: assignment, Source: source, Path: final, Revision: revision, ETag: etag,
		FetchedAt: now, Changed: have == nil || have.Revision != revision, Baseline: base,
	}
	if b.Changed {
		log.WithField("revision", revision).Info("new bundle verified and installed")
	}
	return b, nil
}

// fetchDir loads the pack directory dir in place.
func (f *Fetcher) fetchDir(assignment, source, dir string) (Bundle, error) {
	base, err := engine.LoadBaselineDir(dir)
	if err != nil {
		return Bundle{}, fmt.Errorf("assignment %s: %w", assignment, err)
	}
	adir := f.assignmentDir(assignment)
	if err := os.MkdirAll(adir, 0o700); err != nil {
		return Bundle{}, fmt.Errorf("assignment %s: %w", assignment, err)
	}
	old, err := readMeta(filepath.Join(adir, MetaFile))
	changed := err != nil || old.Kind != KindDirectory || old.Revision != base.Digest
	now := f.now()
	m := meta{Kind: KindDirectory, Source: source, Revision: base.Digest, FetchedAt: now.UTC()}
	if err := writeMeta(adir, m); err != nil {
		return Bundle{}, fmt.Errorf("assignment %s: %w", assignment, err)
	}
	if changed {
		f.logger().WithFields(logrus.Fields{"assignment": assignment, "source": source, "revision": base.Digest}).
			Info("pack directory loaded")
	}
	return Bundle{
		Assignment: assignment, Source: source, Path: dir, Revision: base.Digest,
		FetchedAt: now, Changed: changed, Baseline: base,
	}, nil
}

// verify loads the bundle file at path, verifying its signature.
func (f *Fetcher) verify(path string) (*engine.Baseline, error) {
	return runner.LoadBundle(path, runner.BundleOptions{VerificationKey: f.VerificationKey, Logger: f.Logger})
}

func (f *Fetcher) checkKey() error {
	if len(f.VerificationKey) == 0 {
		return errors.New("no bundle verification key configured (verification_key): bundles are only used when signed by it")
	}
	if _, err := report.ParsePublicKeyPEM(f.VerificationKey); err != nil {
		return fmt.Errorf("bundle verification key: %w", err)
	}
	return nil
}

func (f *Fetcher) lock(assignment string) func() {
	v, _ := f.locks.LoadOrStore(assignment, new(sync.Mutex))
	mu := v.(*sync.Mutex)
	mu.Lock()
	return mu.Unlock
}

func (f *Fetcher) assignmentDir(assignment string) string {
	return filepath.Join(f.Dir, assignment)
}

func (f *Fetcher) maxSize() int64 {
	if f.MaxSize > 0 {
		return f.MaxSize
	}
	return DefaultMaxSize
}

func (f *Fetcher) now() time.Time {
	if f.Now != nil {
		return f.Now()
	}
	return time.Now()
}

func (f *Fetcher) logger() logrus.FieldLogger {
	if f.Logger != nil {
		return f.Logger
	}
	l := logrus.New()
	l.SetOutput(io.Discard)
	return l
}

func checkAssignment(name string) error {
	if !assignmentName.MatchString(name) {
		return fmt.Errorf("assignment name %q: want letters, digits, '.', '_' and '-', starting with a letter or digit (it names a directory)", name)
	}
	return nil
}

type sourceKind int

const (
	sourceURL sourceKind = iota
	sourceFile
	sourceDir
)

// parseSource classifies source: an https URL, a bundle file (absolute path
// or file:// URL) or a pack directory (absolute path). It returns the URL or
// the local path.
func parseSource(source string) (sourceKind, string, error) {
	if source == "" {
		return 0, "", errors.New("no bundle source")
	}
	local := source
	switch {
	case strings.HasPrefix(source, "https://"):
		u, err := url.Parse(source)
		if err != nil {
			return 0, "", fmt.Errorf("bundle source: %w", err)
		}
		if u.Host == "" {
			return 0, "", fmt.Errorf("bundle source %s: no host", source)
		}
		return sourceURL, source, nil
	case strings.HasPrefix(source, "file://"):
		u, err := url.Parse(source)
		if err != nil {
			return 0, "", fmt.Errorf("bundle source: %w", err)
		}
		if u.Host != "" && u.Host != "localhost" {
			return 0, "", fmt.Errorf("bundle source %s: a file URL must name a local file (file:///path)", source)
		}
		local = u.Path
	case strings.Contains(source, "://"):
		return 0, "", fmt.Errorf("bundle source %s: only https:// URLs, file:// URLs and absolute paths are allowed (HTTPS only)", source)
	}
	if !filepath.IsAbs(local) {
		return 0, "", fmt.Errorf("bundle source %s: a local source must be an absolute path", source)
	}
	fi, err := os.Stat(local)
	if err != nil {
		return 0, "", fmt.Errorf("bundle source: %w", err)
	}
	if fi.IsDir() {
		if strings.HasPrefix(source, "file://") {
			return 0, "", fmt.Errorf("bundle source %s: a file URL must name a bundle file; give a pack directory as a plain path", source)
		}
		return sourceDir, local, nil
	}
	return sourceFile, local, nil
}

// readMeta reads meta.json; a missing file wraps fs.ErrNotExist.
func readMeta(path string) (meta, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return meta{}, err
	}
	var m meta
	if err := json.Unmarshal(data, &m); err != nil {
		return meta{}, fmt.Errorf("%s: %w", path, err)
	}
	switch m.Kind {
	case KindBundle, KindDirectory:
	default:
		return meta{}, fmt.Errorf("%s: kind %q, want %q or %q", path, m.Kind, KindBundle, KindDirectory)
	}
	return m, nil
}

func writeMeta(dir string, m meta) error {
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(filepath.Join(dir, MetaFile), append(data, '\n'), 0o600)
}

// fileDigest returns "sha256:<hex>" of the file at path.
func fileDigest(path string) (string, error) {
	file, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer file.Close()
	h := sha256.New()
	if _, err := io.Copy(h, file); err != nil {
		return "", err
	}
	return digestString(h), nil
}

func digestString(h hash.Hash) string {
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
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

// removeTemps removes temporary files a crash left in dir.
func removeTemps(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") && strings.Contains(e.Name(), ".tmp-") && e.Type().IsRegular() {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// errorBody returns ": " and a printable excerpt of an error response's
// body, or "".
func errorBody(r io.Reader) string {
	data, _ := io.ReadAll(io.LimitReader(r, maxErrorBody))
	var e struct {
		Error string `json:"error"`
		Code  string `json:"code"`
	}
	if json.Unmarshal(data, &e) == nil && (e.Error != "" || e.Code != "") {
		return ": " + printable(e.Code+": "+e.Error, 200)
	}
	if s := printable(string(data), 200); s != "" {
		return ": " + s
	}
	return ""
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
