// Package image reads a container image or a rootfs tarball as a read-only
// afero.Fs, without unpacking it to disk.
//
// Open detects the format from the content: a `docker save` archive
// (manifest.json), an OCI image layout archive (oci-layout, index.json,
// blobs/), or a plain rootfs tarball; any of them may be gzip- or
// zstd-compressed. Image layers are applied in order with their whiteouts
// and opaque directories, and the flattened tree is indexed in memory with
// every entry's metadata. The content of regular files is kept only when
// WithRetain says so (by default: files up to checks.MaxConfigSize, and
// package databases up to checks.MaxDatabaseSize); reading any other file
// fails with ErrNotRetained, which wraps checks.ErrTooLarge.
//
// The FS resolves symlinks inside the image; wrap it with rootfs.Wrap to
// give collectors the same confined view as a directory root. See
// docs/image.md.
package image

import (
	"archive/tar"
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"

	"github.com/gcrun/gcrun/checks"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/partial"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// Formats that Open recognises, as Info.Format names them.
const (
	FormatDockerArchive = "docker-archive"
	FormatOCIArchive    = "oci-archive"
	FormatRootfsTar     = "rootfs-tar"
)

// Defaults of the options.
const (
	// DefaultMaxRetained bounds the content kept in memory (WithMaxRetained).
	DefaultMaxRetained = 1 << 30
	// DefaultMaxEntries bounds the tar entries read (WithMaxEntries).
	DefaultMaxEntries = 2_000_000
	// DefaultPlatform is the platform chosen from a multi-platform index
	// when WithPlatform is not given.
	DefaultPlatform = "linux/amd64"
)

// maxMetadataSize bounds manifest.json, index.json, manifests and configs.
const maxMetadataSize = 8 << 20

// maxIndexDepth bounds nested image indexes.
const maxIndexDepth = 4

// ErrTooManyEntries is the cause when an archive or image holds more tar
// entries than WithMaxEntries allows.
var ErrTooManyEntries = errors.New("too many tar entries")

// ErrRetainedLimit is the cause when the content to retain exceeds
// WithMaxRetained.
var ErrRetainedLimit = errors.New("retained content limit exceeded")

// databaseDirs hold package databases, which are read whole and may be
// larger than configuration files.
var databaseDirs = [...]string{"/var/lib/dpkg/", "/var/lib/rpm/", "/usr/lib/sysimage/rpm/", "/lib/apk/db/"}

// DefaultRetain is the default retention rule: regular files up to
// checks.MaxConfigSize, and files under package database directories
// (/var/lib/dpkg, /var/lib/rpm, /usr/lib/sysimage/rpm, /lib/apk/db) up to
// checks.MaxDatabaseSize. p is the absolute path inside the image.
func DefaultRetain(p string, size int64) bool {
	if size <= checks.MaxConfigSize {
		return true
	}
	if size > checks.MaxDatabaseSize {
		return false
	}
	for _, d := range databaseDirs {
		if strings.HasPrefix(p, d) {
			return true
		}
	}
	return false
}

// Info says what Open read.
type Info struct {
	// Format is FormatDockerArchive, FormatOCIArchive or FormatRootfsTar.
	Format string `json:"format"`
	// Compression of the archive file itself: "gzip", "zstd" or "".
	Compression string `json:"compression,omitempty"`
	// Reference is the tag or name of the chosen image when the archive
	// records one (docker RepoTags, OCI ref.name annotations) or
	// WithTag gave it.
	Reference string `json:"reference,omitempty"`
	// Tags are all the tags the archive records for the chosen image.
	Tags []string `json:"tags,omitempty"`
	// Digest is the manifest digest (OCI archives only: a docker archive
	// holds no manifest, and one synthesised from it would not be the
	// registry's).
	Digest string `json:"digest,omitempty"`
	// ConfigDigest is the digest of the image configuration, which docker
	// shows as the image ID.
	ConfigDigest string `json:"config_digest,omitempty"`
	// Platform is os/architecture[/variant] from the image configuration.
	Platform string `json:"platform,omitempty"`
	// Layers is the number of layers applied (1 for a rootfs tarball).
	Layers int `json:"layers"`
	// Entries is the number of tar entries read from the layers.
	Entries int `json:"entries"`
	// Files is the number of paths in the flattened tree, "/" excluded.
	Files int `json:"files"`
	// RetainedFiles and RetainedBytes count the regular files whose
	// content is held in memory (hard links counted once).
	RetainedFiles int   `json:"retained_files"`
	RetainedBytes int64 `json:"retained_bytes"`
	// UnretainedFiles and UnretainedBytes count the regular files whose
	// content was not kept: reading them fails with ErrNotRetained.
	UnretainedFiles int   `json:"unretained_files"`
	UnretainedBytes int64 `json:"unretained_bytes"`
	// Warnings are oddities that were resolved sanely (a hard link to a
	// missing file skipped, an unsupported entry type), at most 100.
	Warnings []string `json:"warnings,omitempty"`
}

// Option configures Open.
type Option func(*options)

type options struct {
	tag         string
	platform    string
	retain      func(string, int64) bool
	maxRetained int64
	maxEntries  int
}

// WithTag chooses the image tagged ref in a docker archive of several
// images (RepoTags), or the manifest of an OCI index whose
// io.containerd.image.name or org.opencontainers.image.ref.name annotation
// names it. Without it the first image is read.
func WithTag(ref string) Option { return func(o *options) { o.tag = ref } }

// WithPlatform chooses the image for platform ("linux/arm64/v8") in a
// multi-platform OCI index; the default is DefaultPlatform, or the only
// image when there is one.
func WithPlatform(platform string) Option { return func(o *options) { o.platform = platform } }

// WithRetain replaces DefaultRetain: retain reports whether the content of
// the regular file at p (absolute inside the image) of size bytes is kept.
func WithRetain(retain func(p string, size int64) bool) Option {
	return func(o *options) {
		if retain != nil {
			o.retain = retain
		}
	}
}

// WithMaxRetained bounds the content held in memory; Open fails with
// ErrRetainedLimit beyond it.
func WithMaxRetained(n int64) Option { return func(o *options) { o.maxRetained = n } }

// WithMaxEntries bounds the tar entries read, in the archive and in all
// layers together; Open fails with ErrTooManyEntries beyond it.
func WithMaxEntries(n int) Option { return func(o *options) { o.maxEntries = n } }

// Open reads the archive at file and indexes its file tree. Errors name the
// file, and the layer and entry where reading failed.
func Open(ctx context.Context, file string, opts ...Option) (*FS, error) {
	o := &options{retain: DefaultRetain, maxRetained: DefaultMaxRetained, maxEntries: DefaultMaxEntries}
	for _, opt := range opts {
		opt(o)
	}
	if o.maxEntries <= 0 || o.maxRetained < 0 {
		return nil, fmt.Errorf("image: %s: invalid limits: %d entries, %d bytes", file, o.maxEntries, o.maxRetained)
	}
	f, err := open(ctx, file, o)
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
			err = fmt.Errorf("%w (%v)", ctxErr, err)
		}
		return nil, fmt.Errorf("image: %s: %w", file, err)
	}
	return f, nil
}

func open(ctx context.Context, file string, o *options) (*FS, error) {
	a, err := newArchive(ctx, file)
	if err != nil {
		return nil, err
	}
	defer a.f.Close()
	root, rootErr, err := a.scan(o)
	if err != nil {
		return nil, err
	}
	var b *builder
	info := Info{Compression: a.comp}
	switch {
	case a.isDocker():
		info.Format = FormatDockerArchive
		b, err = a.readDocker(o, &info)
	case a.has("oci-layout") && a.has("index.json"):
		info.Format = FormatOCIArchive
		b, err = a.readOCI(o, &info)
	default:
		info.Format = FormatRootfsTar
		info.Layers = 1
		switch {
		case rootErr != nil:
			err = rootErr
		case root != nil:
			b = root
		default:
			b, err = a.readRootfs(o)
		}
	}
	if err != nil {
		return nil, err
	}
	b.stats(&info)
	return &FS{root: b.root, name: file, info: info}, nil
}

// archive is the file Open was given.
type archive struct {
	ctx  context.Context
	path string
	f    *os.File
	size int64
	comp string
	// members are the archive's entries near its top (image archives keep
	// everything within three levels), by cleaned name.
	members map[string]member
}

type member struct {
	typ  byte
	link string
	// seq is how many entries of the same name precede this one: the last
	// occurrence wins, as extraction would have it.
	seq int
}

// newArchive opens file once; every later read of it goes through that
// descriptor, so a file replaced while Open runs cannot mix two archives.
func newArchive(ctx context.Context, file string) (*archive, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, errors.New("not a regular file")
	}
	var magic [4]byte
	n, err := f.ReadAt(magic[:], 0)
	if err != nil && !errors.Is(err, io.EOF) {
		f.Close()
		return nil, err
	}
	a := &archive{ctx: ctx, path: file, f: f, size: fi.Size(), members: map[string]member{}}
	switch {
	case n >= 2 && magic[0] == 0x1f && magic[1] == 0x8b:
		a.comp = "gzip"
	case n == 4 && bytes.Equal(magic[:], []byte{0x28, 0xb5, 0x2f, 0xfd}):
		a.comp = "zstd"
	}
	return a, nil
}

// ctxReader reads a section of the archive file until the context ends.
// It keeps Seek so that archive/tar skips unread content without reading
// it.
type ctxReader struct {
	ctx context.Context
	r   *io.SectionReader
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

func (c *ctxReader) Seek(off int64, whence int) (int64, error) { return c.r.Seek(off, whence) }
func (c *ctxReader) Close() error                              { return nil }

// readCloser closes a decompressor.
type readCloser struct {
	io.Reader
	close func() error
}

func (r *readCloser) Close() error { return r.close() }

// open returns a new stream of the archive's tar, decompressed.
func (a *archive) open() (io.ReadCloser, error) {
	cr := &ctxReader{ctx: a.ctx, r: io.NewSectionReader(a.f, 0, a.size)}
	switch a.comp {
	case "gzip":
		z, err := gzip.NewReader(cr)
		if err != nil {
			return nil, fmt.Errorf("gzip: %w", err)
		}
		return &readCloser{Reader: z, close: z.Close}, nil
	case "zstd":
		z, err := zstd.NewReader(cr, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxWindow(1<<27))
		if err != nil {
			return nil, fmt.Errorf("zstd: %w", err)
		}
		return &readCloser{Reader: z, close: func() error { z.Close(); return nil }}, nil
	}
	return cr, nil
}

// isImageMarker reports names that only image archives hold at their top:
// the metadata files, OCI blobs, the <id>/layer.tar of old docker
// versions, and the <digest>.tar.gz layers and sha256:<digest> config that
// go-containerregistry and crane write.
func isImageMarker(name string) bool {
	switch name {
	case "manifest.json", "index.json", "oci-layout", "repositories":
		return true
	}
	dir, base := path.Split(name)
	switch {
	case dir == "blobs/sha256/":
		return isHex(base, 64)
	case dir != "":
		return base == "layer.tar" && isHex(strings.TrimSuffix(dir, "/"), 64)
	}
	base = strings.TrimPrefix(base, "sha256:")
	for _, ext := range []string{".tar", ".tar.gz", ".tar.zst", ".json"} {
		base = strings.TrimSuffix(base, ext)
	}
	return isHex(base, 64)
}

func isHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil && strings.ToLower(s) == s
}

// scan reads the archive once, recording its top-level members. While no
// image marker has shown up it also indexes the entries as a rootfs
// tarball, so that a rootfs (most often compressed) is read only once:
// root is that tree, rootErr what stopped it, and both are nil when the
// archive looked like an image before its end.
func (a *archive) scan(o *options) (root *builder, rootErr, err error) {
	rc, err := a.open()
	if err != nil {
		return nil, nil, err
	}
	defer rc.Close()
	tr := tar.NewReader(rc)
	b := newBuilder(o)
	seen := map[string]int{}
	for i := 1; ; i++ {
		if err := a.ctx.Err(); err != nil {
			return nil, nil, err
		}
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if rootErr != nil {
				// The entry that stopped the rootfs index failed first.
				return nil, nil, rootErr
			}
			if i == 1 {
				return nil, nil, fmt.Errorf("not a tar archive (plain, gzip or zstd): %w", err)
			}
			return nil, nil, fmt.Errorf("entry %d: %w", i, err)
		}
		if i > o.maxEntries {
			return nil, nil, fmt.Errorf("%w: more than %d entries", ErrTooManyEntries, o.maxEntries)
		}
		clean := strings.TrimLeft(path.Clean(hdr.Name), "/")
		if strings.Count(clean, "/") <= 2 {
			a.members[clean] = member{typ: hdr.Typeflag, link: hdr.Linkname, seq: seen[clean]}
			seen[clean]++
		}
		if b != nil && isImageMarker(clean) {
			b = nil // an image: do not hold its blobs in memory
		}
		if b != nil && rootErr == nil {
			if err := b.add(hdr, tr, false); err != nil {
				rootErr = entryError(i, hdr.Name, err)
				b = nil
			}
		}
	}
	if b == nil && rootErr == nil {
		return nil, nil, nil
	}
	return b, rootErr, nil
}

// readRootfs indexes the archive as a plain rootfs tarball.
func (a *archive) readRootfs(o *options) (*builder, error) {
	rc, err := a.open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b := newBuilder(o)
	tr := tar.NewReader(rc)
	for i := 1; ; i++ {
		if err := a.ctx.Err(); err != nil {
			return nil, err
		}
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return b, nil
		}
		if err != nil {
			return nil, fmt.Errorf("entry %d: %w", i, err)
		}
		if err := b.add(hdr, tr, false); err != nil {
			return nil, entryError(i, hdr.Name, err)
		}
	}
}

func entryError(i int, name string, err error) error {
	if len(name) > 120 {
		name = name[:120] + "..."
	}
	return fmt.Errorf("entry %d %q: %w", i, name, err)
}

func (a *archive) has(name string) bool {
	_, ok := a.members[name]
	return ok
}

// resolveMember follows links between the archive's own members.
func (a *archive) resolveMember(name string) (string, member, error) {
	for hops := 0; ; hops++ {
		m, ok := a.members[name]
		if !ok {
			return "", member{}, fmt.Errorf("%s: not in the archive", name)
		}
		switch m.typ {
		case tar.TypeReg, tar.TypeRegA:
			return name, m, nil
		case tar.TypeSymlink, tar.TypeLink:
			if hops >= 8 {
				return "", member{}, fmt.Errorf("%s: too many links", name)
			}
			target := m.link
			if m.typ == tar.TypeSymlink && !path.IsAbs(target) {
				target = path.Join(path.Dir(name), target)
			}
			name = strings.TrimLeft(path.Clean(target), "/")
		default:
			return "", member{}, fmt.Errorf("%s: not a regular file", name)
		}
	}
}

// openMember streams the content of a member of the archive.
func (a *archive) openMember(name string) (io.ReadCloser, error) {
	name, m, err := a.resolveMember(name)
	if err != nil {
		return nil, err
	}
	rc, err := a.open()
	if err != nil {
		return nil, err
	}
	tr := tar.NewReader(rc)
	seq := 0
	for {
		hdr, err := tr.Next()
		if err != nil {
			rc.Close()
			if errors.Is(err, io.EOF) {
				return nil, fmt.Errorf("%s: not in the archive", name)
			}
			return nil, fmt.Errorf("looking for %s: %w", name, err)
		}
		if strings.TrimLeft(path.Clean(hdr.Name), "/") != name {
			continue
		}
		if seq == m.seq {
			return &readCloser{Reader: tr, close: rc.Close}, nil
		}
		seq++
	}
}

// readMember returns a member's content, at most limit bytes.
func (a *archive) readMember(name string, limit int64) ([]byte, error) {
	rc, err := a.openMember(name)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s: %w: more than %d bytes", name, checks.ErrTooLarge, limit)
	}
	return data, nil
}

// isDocker reports whether the archive holds a docker manifest.json. A
// rootfs that merely has a file of that name at its top is not an image.
func (a *archive) isDocker() bool {
	if !a.has("manifest.json") {
		return false
	}
	data, err := a.readMember("manifest.json", maxMetadataSize)
	if err != nil {
		return true // it is one, and readDocker will say what is wrong
	}
	var m tarball.Manifest
	return json.Unmarshal(data, &m) == nil && len(m) > 0 && m[0].Config != ""
}

// readDocker applies the layers of a docker save archive.
func (a *archive) readDocker(o *options, info *Info) (*builder, error) {
	data, err := a.readMember("manifest.json", maxMetadataSize)
	if err != nil {
		return nil, err
	}
	var m tarball.Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("manifest.json: %w", err)
	}
	if len(m) == 0 {
		return nil, errors.New("manifest.json: no image")
	}
	var tag *name.Tag
	desc := m[0]
	ref := o.tag
	if ref == "" && len(m) > 1 {
		if len(m[0].RepoTags) == 0 {
			return nil, fmt.Errorf("manifest.json: %d images and the first has no tag; choose one with WithTag", len(m))
		}
		ref = m[0].RepoTags[0]
	}
	if ref != "" {
		t, err := name.NewTag(ref)
		if err != nil {
			return nil, fmt.Errorf("tag %q: %w", ref, err)
		}
		tag = &t
		for _, d := range m {
			for _, rt := range d.RepoTags {
				if t2, err := name.NewTag(rt); err == nil && t2.Name() == t.Name() {
					desc = d
				}
			}
		}
		info.Reference = ref
	} else if len(desc.RepoTags) > 0 {
		info.Reference = desc.RepoTags[0]
	}
	img, err := tarball.Image(a.open, tag)
	if err != nil {
		return nil, fmt.Errorf("docker archive: %w", err)
	}
	if tag != nil {
		info.Tags = append([]string(nil), desc.RepoTags...)
	} else {
		info.Tags = append([]string(nil), m[0].RepoTags...)
	}
	return a.applyImage(o, img, info)
}

// applyImage applies img's layers in order and fills info from its config.
func (a *archive) applyImage(o *options, img v1.Image, info *Info) (*builder, error) {
	cfgName, err := img.ConfigName()
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	cfg, err := img.ConfigFile()
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", cfgName, err)
	}
	info.ConfigDigest = cfgName.String()
	if p := cfg.Platform(); p != nil {
		info.Platform = p.String()
	}
	layers, err := img.Layers()
	if err != nil {
		return nil, fmt.Errorf("layers: %w", err)
	}
	diffIDs := cfg.RootFS.DiffIDs
	if len(diffIDs) != len(layers) {
		return nil, fmt.Errorf("config %s lists %d diff_ids for %d layers", cfgName, len(diffIDs), len(layers))
	}
	info.Layers = len(layers)
	b := newBuilder(o)
	for i, l := range layers {
		b.layer = i
		if err := a.applyLayer(b, l, diffIDs[i]); err != nil {
			return nil, fmt.Errorf("layer %d of %d (%s): %w", i+1, len(layers), diffIDs[i], err)
		}
	}
	return b, nil
}

// applyLayer applies one layer and checks its content against the diff_id
// that the image configuration records for it.
func (a *archive) applyLayer(b *builder, l v1.Layer, diffID v1.Hash) error {
	h, err := v1.Hasher(diffID.Algorithm)
	if err != nil {
		return err
	}
	rc, err := l.Uncompressed()
	if err != nil {
		return err
	}
	defer rc.Close()
	r := io.TeeReader(rc, h)
	tr := tar.NewReader(r)
	for i := 1; ; i++ {
		if err := a.ctx.Err(); err != nil {
			return err
		}
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("entry %d: %w", i, err)
		}
		if err := b.add(hdr, tr, true); err != nil {
			return entryError(i, hdr.Name, err)
		}
	}
	if _, err := io.Copy(io.Discard, r); err != nil {
		return err
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != diffID.Hex {
		return fmt.Errorf("content is %s:%s, not the diff_id of the config", diffID.Algorithm, got)
	}
	return nil
}

// blobName is where an OCI layout keeps the blob of digest h.
func blobName(h v1.Hash) string { return "blobs/" + h.Algorithm + "/" + h.Hex }

// readBlob returns a small blob (index, manifest, config) after checking
// its digest and size.
func (a *archive) readBlob(d v1.Descriptor) ([]byte, error) {
	if d.Digest.Algorithm == "" {
		return nil, errors.New("descriptor without digest")
	}
	h, err := v1.Hasher(d.Digest.Algorithm)
	if err != nil {
		return nil, err
	}
	data, err := a.readMember(blobName(d.Digest), maxMetadataSize)
	if err != nil {
		return nil, err
	}
	h.Write(data)
	if got := hex.EncodeToString(h.Sum(nil)); got != d.Digest.Hex {
		return nil, fmt.Errorf("%s: content is %s:%s", blobName(d.Digest), d.Digest.Algorithm, got)
	}
	if d.Size != 0 && d.Size != int64(len(data)) {
		return nil, fmt.Errorf("%s: %d bytes, descriptor says %d", blobName(d.Digest), len(data), d.Size)
	}
	return data, nil
}

// candidate is an image manifest found through index.json.
type candidate struct {
	desc v1.Descriptor
	ref  string
}

// refOf is the image name an index records for a descriptor.
func refOf(d v1.Descriptor) string {
	if r := d.Annotations["io.containerd.image.name"]; r != "" {
		return r
	}
	return d.Annotations["org.opencontainers.image.ref.name"]
}

// matchesTag reports whether descriptor d is the image tagged ref.
func matchesTag(d v1.Descriptor, ref string) bool {
	want, err := name.NewTag(ref)
	for _, k := range []string{"io.containerd.image.name", "org.opencontainers.image.ref.name"} {
		v := d.Annotations[k]
		if v == "" {
			continue
		}
		if v == ref {
			return true
		}
		if err != nil {
			continue
		}
		if got, err := name.NewTag(v); err == nil && got.Name() == want.Name() {
			return true
		}
		// skopeo writes only the tag as ref.name.
		if k == "org.opencontainers.image.ref.name" && v == want.TagStr() {
			return true
		}
	}
	return false
}

// flatten expands nested indexes into their image manifests.
func (a *archive) flatten(descs []v1.Descriptor, ref string, depth int, out []candidate) ([]candidate, error) {
	for _, d := range descs {
		r := ref
		if r == "" {
			r = refOf(d)
		}
		switch {
		case d.MediaType.IsIndex():
			if depth >= maxIndexDepth {
				return nil, fmt.Errorf("indexes nested more than %d deep", maxIndexDepth)
			}
			data, err := a.readBlob(d)
			if err != nil {
				return nil, err
			}
			idx, err := v1.ParseIndexManifest(bytes.NewReader(data))
			if err != nil {
				return nil, fmt.Errorf("index %s: %w", d.Digest, err)
			}
			if out, err = a.flatten(idx.Manifests, r, depth+1, out); err != nil {
				return nil, err
			}
		case d.MediaType.IsImage() || d.MediaType == "":
			out = append(out, candidate{desc: d, ref: r})
		}
	}
	return out, nil
}

// ociImage is the image of an OCI layout archive, as go-containerregistry's
// partial package wants it: layers are streamed out of the archive only
// when they are applied.
type ociImage struct {
	a           *archive
	rawManifest []byte
	manifest    *v1.Manifest
	rawConfig   []byte
}

func (i *ociImage) RawConfigFile() ([]byte, error) { return i.rawConfig, nil }
func (i *ociImage) RawManifest() ([]byte, error)   { return i.rawManifest, nil }
func (i *ociImage) MediaType() (types.MediaType, error) {
	if i.manifest.MediaType != "" {
		return i.manifest.MediaType, nil
	}
	return types.OCIManifestSchema1, nil
}

func (i *ociImage) LayerByDigest(h v1.Hash) (partial.CompressedLayer, error) {
	for _, d := range i.manifest.Layers {
		if d.Digest == h {
			return &ociLayer{a: i.a, desc: d}, nil
		}
	}
	return nil, fmt.Errorf("layer %s not in the manifest", h)
}

type ociLayer struct {
	a    *archive
	desc v1.Descriptor
}

func (l *ociLayer) Digest() (v1.Hash, error)            { return l.desc.Digest, nil }
func (l *ociLayer) Size() (int64, error)                { return l.desc.Size, nil }
func (l *ociLayer) MediaType() (types.MediaType, error) { return l.desc.MediaType, nil }
func (l *ociLayer) Compressed() (io.ReadCloser, error) {
	return l.a.openMember(blobName(l.desc.Digest))
}

// manifestOf reads and parses the image manifest c names.
func (a *archive) manifestOf(c candidate) ([]byte, *v1.Manifest, error) {
	data, err := a.readBlob(c.desc)
	if err != nil {
		return nil, nil, err
	}
	m, err := v1.ParseManifest(bytes.NewReader(data))
	if err != nil {
		return nil, nil, fmt.Errorf("manifest %s: %w", c.desc.Digest, err)
	}
	return data, m, nil
}

// platformOf is the platform of c, from the index or else the config.
func (a *archive) platformOf(c candidate) (*v1.Platform, error) {
	if c.desc.Platform != nil {
		return c.desc.Platform, nil
	}
	_, m, err := a.manifestOf(c)
	if err != nil {
		return nil, err
	}
	data, err := a.readBlob(m.Config)
	if err != nil {
		return nil, err
	}
	cfg, err := v1.ParseConfigFile(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", m.Config.Digest, err)
	}
	return cfg.Platform(), nil
}

// choose picks the image of the wanted platform among the candidates.
func (a *archive) choose(cands []candidate, platform string) (candidate, error) {
	var images []candidate
	for _, c := range cands {
		p := c.desc.Platform
		if c.desc.Annotations["vnd.docker.reference.type"] == "attestation-manifest" ||
			(p != nil && p.OS == "unknown" && p.Architecture == "unknown") {
			continue
		}
		images = append(images, c)
	}
	if len(images) == 0 {
		return candidate{}, errors.New("index.json: no image manifest")
	}
	if platform == "" && len(images) == 1 {
		return images[0], nil
	}
	wantStr := platform
	if wantStr == "" {
		wantStr = DefaultPlatform
	}
	want, err := v1.ParsePlatform(wantStr)
	if err != nil {
		return candidate{}, fmt.Errorf("platform %q: %w", wantStr, err)
	}
	var have []string
	for _, c := range images {
		p, err := a.platformOf(c)
		if err != nil {
			return candidate{}, err
		}
		if p == nil {
			have = append(have, "unknown")
			continue
		}
		if p.Satisfies(*want) {
			return c, nil
		}
		have = append(have, p.String())
	}
	return candidate{}, fmt.Errorf("no image for platform %s; the archive has %s (choose with WithPlatform)", want, strings.Join(have, ", "))
}

// readOCI applies the layers of the chosen image of an OCI layout archive.
func (a *archive) readOCI(o *options, info *Info) (*builder, error) {
	layout, err := a.readMember("oci-layout", maxMetadataSize)
	if err != nil {
		return nil, err
	}
	var lv struct {
		Version string `json:"imageLayoutVersion"`
	}
	if err := json.Unmarshal(layout, &lv); err != nil || lv.Version == "" {
		return nil, fmt.Errorf("oci-layout: not an image layout (%v)", err)
	}
	data, err := a.readMember("index.json", maxMetadataSize)
	if err != nil {
		return nil, err
	}
	idx, err := v1.ParseIndexManifest(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("index.json: %w", err)
	}
	descs := idx.Manifests
	if o.tag != "" {
		descs = nil
		var refs []string
		for _, d := range idx.Manifests {
			if matchesTag(d, o.tag) {
				descs = append(descs, d)
			} else if r := refOf(d); r != "" {
				refs = append(refs, r)
			}
		}
		if len(descs) == 0 {
			return nil, fmt.Errorf("index.json: no image named %s (the archive has %q)", o.tag, refs)
		}
	}
	cands, err := a.flatten(descs, "", 0, nil)
	if err != nil {
		return nil, err
	}
	c, err := a.choose(cands, o.platform)
	if err != nil {
		return nil, err
	}
	rawManifest, m, err := a.manifestOf(c)
	if err != nil {
		return nil, err
	}
	rawConfig, err := a.readBlob(m.Config)
	if err != nil {
		return nil, err
	}
	img, err := partial.CompressedToImage(&ociImage{a: a, rawManifest: rawManifest, manifest: m, rawConfig: rawConfig})
	if err != nil {
		return nil, err
	}
	info.Digest = c.desc.Digest.String()
	info.Reference = c.ref
	if o.tag != "" {
		info.Reference = o.tag
	}
	if c.ref != "" {
		info.Tags = []string{c.ref}
	}
	return a.applyImage(o, img, info)
}
