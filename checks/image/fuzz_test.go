package image

import (
	"archive/tar"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/afero"

	"github.com/gcrun/gcrun/checks"
	"github.com/gcrun/gcrun/checks/rootfs"
)

// fuzzSeedEntries is a small tarball with every kind of entry.
func fuzzSeedEntries() []ent {
	return []ent{
		dir("etc/", 0o755),
		reg("etc/passwd", 0o644, "root:x:0:0::/root:/bin/sh\n"),
		symlink("etc/alt", "/etc/passwd"),
		symlink("etc/up", "../../../etc/passwd"),
		symlink("etc/loop", "loop"),
		hardlink("etc/hl", "etc/passwd"),
		hardlink("etc/missing", "nope"),
		reg("etc/.wh.passwd", 0o644, ""),
		dir("opt/", 0o755),
		reg("opt/.wh..wh..opq", 0o644, ""),
		{name: "dev/null", typ: tar.TypeChar, mode: 0o666, major: 1, minor: 3},
		{name: "run/fifo", typ: tar.TypeFifo, mode: 0o600},
		{name: "usr/bin/su", typ: tar.TypeReg, mode: 0o4755, body: "su"},
		reg("a/../b", 0o644, "b"),
		reg("/abs", 0o644, "abs"),
		reg("etc/passwd", 0o600, "later wins\n"),
	}
}

// FuzzOpenRootfsTar opens arbitrary bytes as an archive. Open must never
// panic, and when it succeeds the tree must be consistent: every path
// walks, Describe counts what the walk sees, and a regular file reads
// exactly when its content was retained, with its stated size.
func FuzzOpenRootfsTar(f *testing.F) {
	raw := mkTar(f, fuzzSeedEntries())
	f.Add(raw)
	f.Add(gzipBytes(f, raw))
	f.Add(zstdBytes(f, raw))
	f.Add(mkTar(f, []ent{reg("../x", 0o644, "x")}))
	f.Add(mkTar(f, []ent{reg("manifest.json", 0o644, `[{"Config":"c.json","Layers":["l.tar"]}]`)}))
	f.Add(mkTar(f, []ent{reg("oci-layout", 0o644, `{"imageLayoutVersion":"1.0.0"}`), reg("index.json", 0o644, `{"schemaVersion":2,"manifests":[]}`)}))
	f.Add([]byte{})
	f.Add([]byte{0x1f, 0x8b})
	dockerDst := filepath.Join(f.TempDir(), "docker.tar")
	writeDocker(f, dockerDst, testRef, mkImage(f, "amd64", plainLayer(mkTar(f, fuzzSeedEntries()[:8]))))
	f.Add(readFile(f, dockerDst))

	f.Fuzz(func(t *testing.T, data []byte) {
		dst := filepath.Join(t.TempDir(), "f")
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			t.Fatal(err)
		}
		fsys, err := Open(context.Background(), dst, WithMaxEntries(5000), WithMaxRetained(1<<20))
		if err != nil {
			return
		}
		root := rootfs.Wrap(fsys)
		paths := 0
		err = afero.Walk(fsys, "/", func(p string, fi os.FileInfo, err error) error {
			if err != nil {
				return err
			}
			if p != "/" {
				paths++
			}
			// rootfs.Wrap resolves each component with an Lstat of the
			// path so far: a deep hostile tree costs depth² there. The
			// checks below go through it only for sane depths.
			view := afero.Fs(fsys)
			if strings.Count(p, "/") <= 32 {
				view = root
			}
			st, ok := fi.Sys().(*Stat)
			if !ok {
				t.Fatalf("%s: Sys() is %T", p, fi.Sys())
			}
			switch {
			case fi.Mode().IsRegular():
				b, err := checks.ReadFile(view, p, 1<<20)
				if st.Retained != (err == nil) {
					t.Fatalf("%s: retained %v, ReadFile error %v", p, st.Retained, err)
				}
				if err == nil && int64(len(b)) != fi.Size() {
					t.Fatalf("%s: read %d bytes, size %d", p, len(b), fi.Size())
				}
				if err != nil && !errors.Is(err, ErrNotRetained) {
					t.Fatalf("%s: %v", p, err)
				}
			case fi.Mode()&fs.ModeSymlink != 0:
				if _, err := fsys.ReadlinkIfPossible(p); err != nil {
					t.Fatalf("%s: %v", p, err)
				}
				_, _ = view.Stat(p) // may dangle or loop; must not panic
			case fi.IsDir():
				if _, err := afero.ReadDir(view, p); err != nil {
					t.Fatalf("%s: %v", p, err)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatalf("walk: %v", err)
		}
		if info := fsys.Describe(); info.Files != paths {
			t.Fatalf("Describe counts %d files, walk saw %d", info.Files, paths)
		}
	})
}
