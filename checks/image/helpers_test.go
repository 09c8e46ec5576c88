package image

import (
	"archive/tar"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/spf13/afero"

	"github.com/gcrun/gcrun/checks"
)

// testMtime is the modification time of every test entry.
var testMtime = time.Unix(1700000000, 0).UTC()

// ent is one tar entry of a test layer.
type ent struct {
	name         string
	typ          byte
	mode         int64
	uid, gid     int
	uname, gname string
	body         string
	size         int64 // generated content of this size when body is ""
	link         string
	major, minor int64
}

func dir(name string, mode int64) ent { return ent{name: name, typ: tar.TypeDir, mode: mode} }
func reg(name string, mode int64, body string) ent {
	return ent{name: name, typ: tar.TypeReg, mode: mode, body: body}
}
func symlink(name, target string) ent {
	return ent{name: name, typ: tar.TypeSymlink, mode: 0o777, link: target}
}
func hardlink(name, target string) ent {
	return ent{name: name, typ: tar.TypeLink, mode: 0o644, link: target}
}

// content is the generated content of a sized entry: lines of text, so
// that it compresses as real files do, and position-dependent, so that a
// wrong offset shows.
func content(size int64) []byte {
	b := make([]byte, size)
	for i := range b {
		if i%64 == 63 {
			b[i] = '\n'
		} else {
			b[i] = 'a' + byte((i/64+i)%26)
		}
	}
	return b
}

// mkTar writes the entries as a tar archive.
func mkTar(t testing.TB, ents []ent) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range ents {
		body := []byte(e.body)
		if e.body == "" && e.size > 0 {
			body = content(e.size)
		}
		hdr := &tar.Header{
			Name: e.name, Typeflag: e.typ, Mode: e.mode, Uid: e.uid, Gid: e.gid,
			Uname: e.uname, Gname: e.gname, Linkname: e.link, ModTime: testMtime,
			Devmajor: e.major, Devminor: e.minor, Format: tar.FormatPAX,
		}
		if e.typ == tar.TypeReg {
			hdr.Size = int64(len(body))
		}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatalf("%s: %v", e.name, err)
		}
		if hdr.Size > 0 {
			if _, err := tw.Write(body); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const dpkgStatus = `Package: bash
Status: install ok installed
Priority: required
Architecture: amd64
Version: 5.2.15-2+b2

Package: telnetd
Status: deinstall ok config-files
Architecture: amd64
Version: 0.17+2.4-2

`

const (
	bigSize       = 5 << 20   // /opt/big.bin: above MaxConfigSize, not retained
	availableSize = 4<<20 + 1 // /var/lib/dpkg/available: retained as a database
)

// baseLayer is the first layer of the test image.
func baseLayer() []ent {
	return []ent{
		dir("etc/", 0o755),
		reg("etc/passwd", 0o644, "root:x:0:0:root:/root:/bin/bash\nuser:x:1000:1000::/home/user:/bin/sh\n"),
		reg("etc/group", 0o644, "root:x:0:\nshadow:x:42:\nuser:x:1000:\n"),
		reg("etc/hostname", 0o644, "imagehost\n"),
		reg("etc/os-release", 0o644, "ID=debian\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"),
		reg("etc/real", 0o644, "real\n"),
		symlink("etc/alt", "/etc/real"),
		// Absolute and pointing above the root: inside the image it is
		// the image's /etc/passwd.
		symlink("etc/outside", "/../../../../etc/passwd"),
		// Relative and climbing above the root (mutate.Extract drops it).
		symlink("etc/up", "../../../../../../etc/group"),
		reg("etc/removed", 0o644, "removed\n"),
		{name: "etc/shadow", typ: tar.TypeReg, mode: 0o640, gid: 42, uname: "root", gname: "shadow", body: "root:*:19000:0:99999:7:::\n"},
		dir("usr/", 0o755),
		dir("usr/bin/", 0o755),
		{name: "usr/bin/su", typ: tar.TypeReg, mode: 0o4755, uname: "root", gname: "root", body: "su binary\n"},
		hardlink("usr/bin/su-hl", "usr/bin/su"),
		{name: "home/", typ: tar.TypeDir, mode: 0o755},
		{name: "home/user/", typ: tar.TypeDir, mode: 0o750, uid: 1000, gid: 1000, uname: "user", gname: "user"},
		{name: "home/user/notes", typ: tar.TypeReg, mode: 0o600, uid: 1000, gid: 1000, uname: "user", gname: "user", body: "notes\n"},
		dir("opt/", 0o755),
		{name: "opt/big.bin", typ: tar.TypeReg, mode: 0o644, size: bigSize},
		dir("opt/cfg/", 0o755),
		reg("opt/cfg/a", 0o644, "a\n"),
		dir("var/", 0o755),
		dir("var/cache/", 0o755),
		dir("var/cache/apt/", 0o755),
		reg("var/cache/apt/pkgcache.bin", 0o644, "cache\n"),
		dir("var/lib/", 0o755),
		dir("var/lib/dpkg/", 0o755),
		reg("var/lib/dpkg/status", 0o644, dpkgStatus),
		{name: "var/lib/dpkg/available", typ: tar.TypeReg, mode: 0o644, size: availableSize},
		dir("dev/", 0o755),
		{name: "dev/null", typ: tar.TypeChar, mode: 0o666, major: 1, minor: 3},
		dir("run/", 0o755),
		{name: "run/initctl", typ: tar.TypeFifo, mode: 0o600},
		dir("tmp/", 0o1777),
	}
}

// upperLayer deletes /etc/removed and /var/cache, makes /opt/cfg opaque and
// adds files.
func upperLayer() []ent {
	return []ent{
		dir("etc/", 0o755),
		reg("etc/.wh.removed", 0o644, ""),
		reg("etc/motd", 0o644, "layer two\n"),
		dir("opt/cfg/", 0o700),
		reg("opt/cfg/.wh..wh..opq", 0o644, ""),
		reg("opt/cfg/b", 0o644, "b\n"),
		dir("var/", 0o755),
		reg("var/.wh.cache", 0o644, ""),
	}
}

// wantTree is the listing of the test image after both layers.
var wantTree = []string{
	"/ directory 0755 0:0 0",
	"/dev directory 0755 0:0 0",
	"/dev/null char_device 0666 0:0 0",
	"/etc directory 0755 0:0 0",
	"/etc/alt symlink 0777 0:0 9 -> /etc/real",
	"/etc/group file 0644 0:0 36",
	"/etc/hostname file 0644 0:0 10",
	"/etc/motd file 0644 0:0 10",
	"/etc/os-release file 0644 0:0 121",
	"/etc/outside symlink 0777 0:0 23 -> /../../../../etc/passwd",
	"/etc/passwd file 0644 0:0 69",
	"/etc/real file 0644 0:0 5",
	"/etc/shadow file 0640 0:42 26",
	"/etc/up symlink 0777 0:0 27 -> ../../../../../../etc/group",
	"/home directory 0755 0:0 0",
	"/home/user directory 0750 1000:1000 0",
	"/home/user/notes file 0600 1000:1000 6",
	"/opt directory 0755 0:0 0",
	"/opt/big.bin file 0644 0:0 5242880",
	"/opt/cfg directory 0700 0:0 0",
	"/opt/cfg/b file 0644 0:0 2",
	"/run directory 0755 0:0 0",
	"/run/initctl fifo 0600 0:0 0",
	"/tmp directory 1777 0:0 0",
	"/usr directory 0755 0:0 0",
	"/usr/bin directory 0755 0:0 0",
	"/usr/bin/su file 4755 0:0 10",
	"/usr/bin/su-hl file 4755 0:0 10",
	"/var directory 0755 0:0 0",
	"/var/lib directory 0755 0:0 0",
	"/var/lib/dpkg directory 0755 0:0 0",
	"/var/lib/dpkg/available file 0644 0:0 4194305",
	"/var/lib/dpkg/status file 0644 0:0 196",
}

// listing walks fsys from "/" with Lstat (afero.Walk) and describes every
// path with its type, permission bits, ownership (through checks.Owner),
// size and symlink target.
func listing(t testing.TB, fsys afero.Fs) []string {
	t.Helper()
	var out []string
	err := afero.Walk(fsys, "/", func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		o, ok := fi.Sys().(checks.Owner)
		if !ok {
			return fmt.Errorf("%s: Sys() %T does not implement checks.Owner", p, fi.Sys())
		}
		uid, gid := o.Owner()
		line := fmt.Sprintf("%s %s %04o %d:%d %d", p, kind(fi.Mode()), bits(fi.Mode()), uid, gid, fi.Size())
		if fi.Mode()&fs.ModeSymlink != 0 {
			lr, ok := fsys.(afero.LinkReader)
			if !ok {
				return fmt.Errorf("%T is not a LinkReader", fsys)
			}
			target, err := lr.ReadlinkIfPossible(p)
			if err != nil {
				return err
			}
			line += " -> " + target
		}
		out = append(out, line)
		return nil
	})
	if err != nil {
		t.Fatalf("walk: %v", err)
	}
	return out
}

func kind(m fs.FileMode) string {
	switch {
	case m.IsRegular():
		return "file"
	case m.IsDir():
		return "directory"
	case m&fs.ModeSymlink != 0:
		return "symlink"
	case m&fs.ModeNamedPipe != 0:
		return "fifo"
	case m&fs.ModeCharDevice != 0:
		return "char_device"
	case m&fs.ModeDevice != 0:
		return "block_device"
	}
	return "unknown"
}

func bits(m fs.FileMode) uint32 {
	b := uint32(m.Perm())
	if m&fs.ModeSetuid != 0 {
		b |= 0o4000
	}
	if m&fs.ModeSetgid != 0 {
		b |= 0o2000
	}
	if m&fs.ModeSticky != 0 {
		b |= 0o1000
	}
	return b
}

// gzipLayer is a layer as docker pushes it: gzip-compressed.
func gzipLayer(t testing.TB, data []byte) v1.Layer {
	t.Helper()
	l, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(data)), nil
	}, tarball.WithCompressedCaching)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// plainLayer is a layer as docker save writes it: uncompressed.
func plainLayer(data []byte) v1.Layer { return static.NewLayer(data, types.DockerLayer) }

// mkImage stacks layers on an empty linux/arch image.
func mkImage(t testing.TB, arch string, layers ...v1.Layer) v1.Image {
	t.Helper()
	img, err := mutate.AppendLayers(empty.Image, layers...)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	cfg = cfg.DeepCopy()
	cfg.OS, cfg.Architecture = "linux", arch
	if img, err = mutate.ConfigFile(img, cfg); err != nil {
		t.Fatal(err)
	}
	return img
}

// testImage is the two-layer test image.
func testImage(t testing.TB, compressed bool) v1.Image {
	t.Helper()
	l1, l2 := mkTar(t, baseLayer()), mkTar(t, upperLayer())
	if compressed {
		return mkImage(t, "amd64", gzipLayer(t, l1), gzipLayer(t, l2))
	}
	return mkImage(t, "amd64", plainLayer(l1), plainLayer(l2))
}

// writeDocker writes img as a docker save archive tagged ref.
func writeDocker(t testing.TB, dst, ref string, img v1.Image) {
	t.Helper()
	tag, err := name.NewTag(ref)
	if err != nil {
		t.Fatal(err)
	}
	if err := tarball.WriteToFile(dst, tag, img); err != nil {
		t.Fatal(err)
	}
}

// writeOCI writes an OCI image layout archive: layout.Write to a
// directory, which is then tarred.
func writeOCI(t testing.TB, dst string, add func(p layout.Path)) {
	t.Helper()
	dir := t.TempDir()
	p, err := layout.Write(dir, empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	add(p)
	writeFile(t, dst, tarDir(t, dir))
}

// tarDir tars a directory's content with names relative to it.
func tarDir(t testing.TB, root string) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == root {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		hdr, err := tar.FileInfoHeader(fi, "")
		if err != nil {
			return err
		}
		hdr.Name = filepath.ToSlash(rel)
		if d.IsDir() {
			hdr.Name += "/"
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if d.Type().IsRegular() {
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			_, err = tw.Write(data)
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func writeFile(t testing.TB, p string, data []byte) {
	t.Helper()
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func readFile(t testing.TB, p string) []byte {
	t.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func gzipBytes(t testing.TB, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := zw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func zstdBytes(t testing.TB, data []byte) []byte {
	t.Helper()
	zw, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest))
	if err != nil {
		t.Fatal(err)
	}
	defer zw.Close()
	return zw.EncodeAll(data, nil)
}

// inDir names a file in a fresh temporary directory.
func inDir(t testing.TB, base string) string {
	t.Helper()
	return path.Join(t.TempDir(), base)
}

// has reports whether s contains every one of subs.
func has(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}
