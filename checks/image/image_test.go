package image

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/gcrun/gcrun/checks"
	"github.com/gcrun/gcrun/checks/rootfs"
)

// imageArchive is one way of packaging the test image.
type imageArchive struct {
	name string
	// write creates the archive at dst and returns what Describe must say
	// beyond the counts.
	write func(t *testing.T, dst string, imgs testImages) Info
}

// testImages are the test image with gzip and with uncompressed layers,
// built once per test.
type testImages struct{ gzip, plain v1.Image }

func newTestImages(t *testing.T) testImages {
	return testImages{gzip: testImage(t, true), plain: testImage(t, false)}
}

const testRef = "example.com/app:1.0"

func imageArchives() []imageArchive {
	docker := func(compressed bool, recompress func(testing.TB, []byte) []byte, comp string) func(t *testing.T, dst string, imgs testImages) Info {
		return func(t *testing.T, dst string, imgs testImages) Info {
			img := imgs.plain
			if compressed {
				img = imgs.gzip
			}
			writeDocker(t, dst, testRef, img)
			if recompress != nil {
				writeFile(t, dst, recompress(t, readFile(t, dst)))
			}
			cfg, err := img.ConfigName()
			if err != nil {
				t.Fatal(err)
			}
			return Info{Format: FormatDockerArchive, Compression: comp, Reference: testRef, Tags: []string{testRef},
				ConfigDigest: cfg.String(), Platform: "linux/amd64", Layers: 2}
		}
	}
	oci := func(recompress func(testing.TB, []byte) []byte, comp string) func(t *testing.T, dst string, imgs testImages) Info {
		return func(t *testing.T, dst string, imgs testImages) Info {
			img := imgs.gzip
			writeOCI(t, dst, func(p layout.Path) {
				if err := p.AppendImage(img, layout.WithAnnotations(map[string]string{"org.opencontainers.image.ref.name": testRef})); err != nil {
					t.Fatal(err)
				}
			})
			if recompress != nil {
				writeFile(t, dst, recompress(t, readFile(t, dst)))
			}
			d, err := img.Digest()
			if err != nil {
				t.Fatal(err)
			}
			cfg, err := img.ConfigName()
			if err != nil {
				t.Fatal(err)
			}
			return Info{Format: FormatOCIArchive, Compression: comp, Reference: testRef, Tags: []string{testRef},
				Digest: d.String(), ConfigDigest: cfg.String(), Platform: "linux/amd64", Layers: 2}
		}
	}
	return []imageArchive{
		{"docker-gzip-layers", docker(true, nil, "")},
		{"docker-plain-layers", docker(false, nil, "")},
		{"docker-archive.gz", docker(false, gzipBytes, "gzip")},
		{"docker-archive.zst", docker(true, zstdBytes, "zstd")},
		{"oci", oci(nil, "")},
		{"oci.gz", oci(gzipBytes, "gzip")},
	}
}

// wantCounts are the counts Describe reports for the test image.
func wantCounts(info Info) Info {
	info.Entries = len(baseLayer()) + len(upperLayer())
	info.Files = len(wantTree) - 1
	// Regular files: 12 retained (su and su-hl are one), big.bin not.
	info.RetainedFiles = 12
	info.RetainedBytes = 36 + 10 + 10 + 121 + 69 + 5 + 26 + 6 + 2 + 10 + availableSize + 196
	info.UnretainedFiles = 1
	info.UnretainedBytes = bigSize
	return info
}

// TestOpenImageArchives reads the two-layer test image in every packaging
// and checks the flattened tree: listing, modes, ownership, whiteouts,
// opaque directory, symlinks and the hard link.
func TestOpenImageArchives(t *testing.T) {
	imgs := newTestImages(t)
	for _, a := range imageArchives() {
		t.Run(a.name, func(t *testing.T) {
			dst := inDir(t, "image.tar")
			want := wantCounts(a.write(t, dst, imgs))
			fsys, err := Open(context.Background(), dst)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(wantTree, listing(t, fsys)); diff != "" {
				t.Errorf("tree (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(want, fsys.Describe()); diff != "" {
				t.Errorf("Describe (-want +got):\n%s", diff)
			}
			checkContents(t, fsys)
		})
	}
}

// checkContents reads the test image through rootfs.Wrap as collectors do.
func checkContents(t *testing.T, fsys *FS) {
	t.Helper()
	root := rootfs.Wrap(fsys)
	for _, c := range []struct{ path, want string }{
		{"/etc/real", "real\n"},
		{"/etc/alt", "real\n"},
		{"/etc/outside", "root:x:0:0:root:/root:/bin/bash\nuser:x:1000:1000::/home/user:/bin/sh\n"},
		{"/etc/up", "root:x:0:\nshadow:x:42:\nuser:x:1000:\n"},
		{"/etc/motd", "layer two\n"},
		{"/opt/cfg/b", "b\n"},
		{"/usr/bin/su-hl", "su binary\n"},
		{"/var/lib/dpkg/status", dpkgStatus},
	} {
		got, err := checks.ReadFile(root, c.path, checks.MaxConfigSize)
		if err != nil {
			t.Errorf("ReadFile(%s): %v", c.path, err)
			continue
		}
		if diff := cmp.Diff(c.want, string(got)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", c.path, diff)
		}
	}
	// The database above MaxConfigSize is retained whole.
	got, err := checks.ReadFile(root, "/var/lib/dpkg/available", checks.MaxDatabaseSize)
	if err != nil {
		t.Fatalf("available: %v", err)
	}
	if !bytes.Equal(got, content(availableSize)) {
		t.Errorf("available: %d bytes differ from what was written", len(got))
	}
	// Gone: whited out, opaque-hidden, or in a whited-out directory.
	for _, p := range []string{"/etc/removed", "/opt/cfg/a", "/var/cache", "/var/cache/apt/pkgcache.bin"} {
		if _, err := root.Stat(p); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Stat(%s) = %v, want not exist", p, err)
		}
	}
	// Not retained: Stat tells the real size, reading fails loudly even
	// with a limit that admits the size.
	fi, err := root.Stat("/opt/big.bin")
	if err != nil || fi.Size() != bigSize {
		t.Fatalf("Stat(/opt/big.bin) = %v, %v; want %d bytes", fi, err, bigSize)
	}
	_, err = checks.ReadFile(root, "/opt/big.bin", checks.MaxDatabaseSize)
	if !errors.Is(err, ErrNotRetained) || !errors.Is(err, checks.ErrTooLarge) || !has(err.Error(), "/opt/big.bin", "not retained") {
		t.Errorf("ReadFile(/opt/big.bin) = %v, want ErrNotRetained naming the file", err)
	}
	// A FIFO and a device are refused, never read as empty.
	for _, p := range []string{"/run/initctl", "/dev/null"} {
		if _, err := checks.ReadFile(root, p, checks.MaxConfigSize); !errors.Is(err, checks.ErrNotRegular) {
			t.Errorf("ReadFile(%s) = %v, want ErrNotRegular", p, err)
		}
	}
	// The hard link shares its target's inode.
	fi, err = root.Stat("/usr/bin/su-hl")
	if err != nil {
		t.Fatal(err)
	}
	wantStat := &Stat{UID: 0, GID: 0, Uname: "root", Gname: "root", Nlink: 2, Retained: true}
	if diff := cmp.Diff(wantStat, fi.Sys()); diff != "" {
		t.Errorf("su-hl Sys() (-want +got):\n%s", diff)
	}
	fi, err = root.Stat("/dev/null")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&Stat{Devmajor: 1, Devminor: 3, Nlink: 1}, fi.Sys()); diff != "" {
		t.Errorf("/dev/null Sys() (-want +got):\n%s", diff)
	}
}

// TestCollectImage runs the collectors against an image the way the runner
// does: Target{Fs: rootfs.Wrap(fs), Live: false}.
func TestCollectImage(t *testing.T) {
	dst := inDir(t, "image.tar")
	writeDocker(t, dst, testRef, testImage(t, true))
	fsys, err := Open(context.Background(), dst)
	if err != nil {
		t.Fatal(err)
	}
	target := checks.Target{Fs: rootfs.Wrap(fsys), Root: "image.tar", Live: false}
	facts, err := checks.Collect(context.Background(), target,
		checks.Files{Paths: []string{"/usr/bin/su", "/home/user/notes", "/etc/alt", "/etc/shadow", "/etc/removed", "/tmp", "/etc/*"}},
		checks.Packages{}, checks.Host{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]string{}, facts.Errors()); diff != "" {
		t.Fatalf("collector errors (-want +got):\n%s", diff)
	}
	files := facts.Outcomes["files"].Facts.(*checks.FilesFacts)
	type fileSummary struct {
		Exists              bool
		Type, Mode          string
		UID, GID            int
		Owner, Group        string
		Setuid, Sticky      bool
		LinkTarget, Target  string
		TargetExists        bool
		TargetOwner, TgMode string
	}
	got := map[string]fileSummary{}
	for p, fi := range files.Paths {
		s := fileSummary{Exists: fi.Exists}
		if fi.FileStat != nil {
			s.Type, s.Mode, s.UID, s.GID, s.Owner, s.Group = fi.Type, fi.Mode, fi.UID, fi.GID, fi.Owner, fi.Group
			s.Setuid, s.Sticky, s.LinkTarget = fi.Permissions.Setuid, fi.Permissions.Sticky, fi.LinkTarget
			if fi.Target != nil {
				s.Target, s.TargetExists = fi.Target.Path, fi.Target.Exists
				if fi.Target.FileStat != nil {
					s.TargetOwner, s.TgMode = fi.Target.Owner, fi.Target.Mode
				}
			}
		}
		got[p] = s
	}
	file := func(mode string, uid, gid int, owner, group string) fileSummary {
		return fileSummary{Exists: true, Type: "file", Mode: mode, UID: uid, GID: gid, Owner: owner, Group: group}
	}
	link := func(link, target string) fileSummary {
		return fileSummary{Exists: true, Type: "symlink", Mode: "0777", Owner: "root", Group: "root",
			LinkTarget: link, Target: target, TargetExists: true, TargetOwner: "root", TgMode: "0644"}
	}
	want := map[string]fileSummary{
		"/usr/bin/su":      {Exists: true, Type: "file", Mode: "4755", Owner: "root", Group: "root", Setuid: true},
		"/home/user/notes": file("0600", 1000, 1000, "user", "user"),
		"/etc/alt":         link("/etc/real", "/etc/real"),
		"/etc/shadow":      file("0640", 0, 42, "root", "shadow"),
		"/etc/removed":     {},
		"/tmp":             {Exists: true, Type: "directory", Mode: "1777", Owner: "root", Group: "root", Sticky: true},
		"/etc/group":       file("0644", 0, 0, "root", "root"),
		"/etc/hostname":    file("0644", 0, 0, "root", "root"),
		"/etc/motd":        file("0644", 0, 0, "root", "root"),
		"/etc/os-release":  file("0644", 0, 0, "root", "root"),
		"/etc/outside":     link("/../../../../etc/passwd", "/etc/passwd"),
		"/etc/passwd":      file("0644", 0, 0, "root", "root"),
		"/etc/real":        file("0644", 0, 0, "root", "root"),
		"/etc/up":          link("../../../../../../etc/group", "/etc/group"),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("files facts (-want +got):\n%s", diff)
	}

	pkgs := facts.Outcomes["packages"].Facts.(*checks.PackagesFacts)
	wantPkgs := []checks.Package{
		{Name: "bash", Version: "5.2.15-2+b2", Architecture: "amd64", Source: "bash", SourceVersion: "5.2.15-2+b2", Status: "install ok installed", Installed: true},
		{Name: "telnetd", Version: "0.17+2.4-2", Architecture: "amd64", Source: "telnetd", SourceVersion: "0.17+2.4-2", Status: "deinstall ok config-files"},
	}
	if diff := cmp.Diff(wantPkgs, pkgs.Packages); diff != "" || !pkgs.Exists {
		t.Errorf("packages (exists %v) (-want +got):\n%s", pkgs.Exists, diff)
	}

	host := facts.Outcomes["host"].Facts.(*checks.HostFacts)
	gotHost := []string{host.Hostname, host.OS.ID, host.OS.VersionID, host.OS.VersionCodename, host.OS.Family}
	if diff := cmp.Diff([]string{"imagehost", "debian", "12", "bookworm", "debian"}, gotHost); diff != "" {
		t.Errorf("host (-want +got):\n%s", diff)
	}
}

// TestFlattenMatchesMutateExtract compares the tree with the one that
// go-containerregistry's mutate.Extract flattens. Extract drops relative
// symlinks that climb above the root (/etc/up), which this package keeps
// for rootfs.Wrap to confine; everything else must agree.
func TestFlattenMatchesMutateExtract(t *testing.T) {
	img := testImage(t, false)
	dst := inDir(t, "image.tar")
	writeDocker(t, dst, testRef, img)
	fsys, err := Open(context.Background(), dst)
	if err != nil {
		t.Fatal(err)
	}
	rc := mutate.Extract(img)
	defer rc.Close()
	flat, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	ref := inDir(t, "flat.tar")
	writeFile(t, ref, flat)
	oracle, err := Open(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	want := listing(t, oracle)
	var got []string
	for _, l := range listing(t, fsys) {
		if !has(l, "/etc/up ") {
			got = append(got, l)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("tree vs mutate.Extract (-extract +image):\n%s", diff)
	}
}

// TestMultiImageDockerArchive chooses among the images of one archive.
func TestMultiImageDockerArchive(t *testing.T) {
	mk := func(id string) v1.Image {
		return mkImage(t, "amd64", plainLayer(mkTar(t, []ent{dir("etc/", 0o755), reg("etc/id", 0o644, id)})))
	}
	imgA, imgB := mk("a"), mk("b")
	tagA, _ := name.NewTag("example.com/a:1")
	tagB, _ := name.NewTag("example.com/b:2")
	dst := inDir(t, "multi.tar")
	if err := tarball.MultiWriteToFile(dst, map[name.Tag]v1.Image{tagA: imgA, tagB: imgB}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		opts    []Option
		want    string
		wantRef string
	}{
		{nil, "a", "example.com/a:1"},
		{[]Option{WithTag("example.com/b:2")}, "b", "example.com/b:2"},
		{[]Option{WithTag("example.com/a:1")}, "a", "example.com/a:1"},
	} {
		fsys, err := Open(context.Background(), dst, c.opts...)
		if err != nil {
			t.Fatal(err)
		}
		got, err := checks.ReadFile(fsys, "/etc/id", 10)
		if err != nil || string(got) != c.want {
			t.Errorf("%s: /etc/id = %q, %v; want %q", c.wantRef, got, err, c.want)
		}
		if info := fsys.Describe(); info.Reference != c.wantRef || !cmp.Equal(info.Tags, []string{c.wantRef}) {
			t.Errorf("Describe = %+v, want reference %s", info, c.wantRef)
		}
	}
	if _, err := Open(context.Background(), dst, WithTag("example.com/c:3")); err == nil || !has(err.Error(), "example.com/c:3", "not found") {
		t.Errorf("unknown tag: err = %v", err)
	}

	// Untagged images: the first cannot be told apart, so it is an error.
	dA, _ := imgA.Digest()
	dB, _ := imgB.Digest()
	refA, _ := name.NewDigest("example.com/a@" + dA.String())
	refB, _ := name.NewDigest("example.com/b@" + dB.String())
	untagged := inDir(t, "untagged.tar")
	if err := tarball.MultiRefWriteToFile(untagged, map[name.Reference]v1.Image{refA: imgA, refB: imgB}); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(context.Background(), untagged); err == nil || !has(err.Error(), untagged, "2 images", "WithTag") {
		t.Errorf("untagged multi-image: err = %v", err)
	}
}

// TestOCIPlatforms reads a nested multi-platform index.
func TestOCIPlatforms(t *testing.T) {
	mk := func(arch string) v1.Image {
		return mkImage(t, arch, gzipLayer(t, mkTar(t, []ent{dir("etc/", 0o755), reg("etc/arch", 0o644, arch)})))
	}
	arm, amd := mk("arm64"), mk("amd64")
	idx := mutate.AppendManifests(empty.Index,
		mutate.IndexAddendum{Add: arm, Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: "arm64", Variant: "v8"}}},
		mutate.IndexAddendum{Add: amd, Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: "amd64"}}},
	)
	dst := inDir(t, "multi-oci.tar")
	writeOCI(t, dst, func(p layout.Path) {
		if err := p.AppendIndex(idx, layout.WithAnnotations(map[string]string{"io.containerd.image.name": "docker.io/library/app:2"})); err != nil {
			t.Fatal(err)
		}
	})
	armDigest, _ := arm.Digest()
	amdDigest, _ := amd.Digest()
	for _, c := range []struct {
		opts   []Option
		want   string
		digest v1.Hash
	}{
		{nil, "amd64", amdDigest},
		{[]Option{WithPlatform("linux/arm64")}, "arm64", armDigest},
		{[]Option{WithPlatform("linux/arm64/v8"), WithTag("app:2")}, "arm64", armDigest},
	} {
		fsys, err := Open(context.Background(), dst, c.opts...)
		if err != nil {
			t.Fatal(err)
		}
		got, err := checks.ReadFile(fsys, "/etc/arch", 10)
		if err != nil || string(got) != c.want {
			t.Errorf("/etc/arch = %q, %v; want %q", got, err, c.want)
		}
		info := fsys.Describe()
		wantInfo := Info{Format: FormatOCIArchive, Reference: "docker.io/library/app:2", Tags: []string{"docker.io/library/app:2"},
			Digest: c.digest.String(), ConfigDigest: info.ConfigDigest, Platform: "linux/" + c.want, Layers: 1, Entries: 2, Files: 2,
			RetainedFiles: 1, RetainedBytes: int64(len(c.want))}
		if len(c.opts) == 2 {
			wantInfo.Reference = "app:2"
		}
		if diff := cmp.Diff(wantInfo, info); diff != "" {
			t.Errorf("Describe (-want +got):\n%s", diff)
		}
	}
	_, err := Open(context.Background(), dst, WithPlatform("linux/s390x"))
	if err == nil || !has(err.Error(), "no image for platform linux/s390x", "linux/arm64/v8", "linux/amd64") {
		t.Errorf("missing platform: err = %v", err)
	}
	_, err = Open(context.Background(), dst, WithTag("example.com/other:1"))
	if err == nil || !has(err.Error(), "no image named example.com/other:1", "docker.io/library/app:2") {
		t.Errorf("unknown tag: err = %v", err)
	}
}

// TestCorruptLayer: content that does not match the config's diff_id is
// an error naming the layer, not a silently different file system.
func TestCorruptLayer(t *testing.T) {
	dst := inDir(t, "image.tar")
	img := testImage(t, false)
	writeDocker(t, dst, testRef, img)
	data := readFile(t, dst)
	// Flip one byte of /etc/real's content inside the uncompressed layer.
	i := bytes.Index(data, []byte("real\n"))
	if i < 0 {
		t.Fatal("content not found in archive")
	}
	data[i] = 'R'
	writeFile(t, dst, data)
	_, err := Open(context.Background(), dst)
	if err == nil || !has(err.Error(), dst, "layer 1 of 2", "not the diff_id") {
		t.Errorf("err = %v, want a diff_id mismatch naming layer 1", err)
	}
}

// TestRootfsTarball reads plain, gzip and zstd rootfs tarballs: the same
// tree as a one-layer image of the same tar, and .wh. names are files.
func TestRootfsTarball(t *testing.T) {
	ents := append(baseLayer(), reg("etc/.wh.kept", 0o644, "not a whiteout\n"))
	raw := mkTar(t, ents)
	one := inDir(t, "one.tar")
	writeDocker(t, one, testRef, mkImage(t, "amd64", plainLayer(mkTar(t, baseLayer()))))
	ref, err := Open(context.Background(), one)
	if err != nil {
		t.Fatal(err)
	}
	// .wh.kept sorts first in /etc.
	var want []string
	for _, l := range listing(t, ref) {
		want = append(want, l)
		if l == "/etc directory 0755 0:0 0" {
			want = append(want, "/etc/.wh.kept file 0644 0:0 15")
		}
	}
	for _, c := range []struct {
		name, comp string
		data       []byte
	}{
		{"rootfs.tar", "", raw},
		{"rootfs.tar.gz", "gzip", gzipBytes(t, raw)},
		{"rootfs.tar.zst", "zstd", zstdBytes(t, raw)},
	} {
		t.Run(c.name, func(t *testing.T) {
			dst := inDir(t, "whatever.bin")
			writeFile(t, dst, c.data)
			fsys, err := Open(context.Background(), dst)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, listing(t, fsys)); diff != "" {
				t.Errorf("tree (-want +got):\n%s", diff)
			}
			info := fsys.Describe()
			if info.Format != FormatRootfsTar || info.Compression != c.comp || info.Layers != 1 || info.Entries != len(ents) {
				t.Errorf("Describe = %+v", info)
			}
			got, err := checks.ReadFile(fsys, "/etc/.wh.kept", 100)
			if err != nil || string(got) != "not a whiteout\n" {
				t.Errorf("/etc/.wh.kept = %q, %v", got, err)
			}
		})
	}
}

// TestManifestJSONInRootfs: a rootfs whose top holds a file called
// manifest.json that is no docker manifest stays a rootfs.
func TestManifestJSONInRootfs(t *testing.T) {
	dst := inDir(t, "rootfs.tar")
	writeFile(t, dst, mkTar(t, []ent{reg("manifest.json", 0o644, `{"name":"my-app"}`), dir("etc/", 0o755)}))
	fsys, err := Open(context.Background(), dst)
	if err != nil {
		t.Fatal(err)
	}
	if got := fsys.Describe().Format; got != FormatRootfsTar {
		t.Errorf("format = %s, want rootfs-tar", got)
	}
	if got, err := checks.ReadFile(fsys, "/manifest.json", 100); err != nil || string(got) != `{"name":"my-app"}` {
		t.Errorf("manifest.json = %q, %v", got, err)
	}
}

// TestNotAnArchive names the file and says what it is not.
func TestNotAnArchive(t *testing.T) {
	dst := inDir(t, "notes.txt")
	writeFile(t, dst, bytes.Repeat([]byte("hello world\n"), 100))
	_, err := Open(context.Background(), dst)
	if err == nil || !has(err.Error(), "image: "+dst, "not a tar archive") {
		t.Errorf("err = %v", err)
	}
	_, err = Open(context.Background(), inDir(t, "missing.tar"))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: err = %v", err)
	}
	_, err = Open(context.Background(), t.TempDir())
	if err == nil || !has(err.Error(), "not a regular file") {
		t.Errorf("directory: err = %v", err)
	}
}

// TestHardlinkAcrossLayers: a hard link in an upper layer to a lower
// layer's file shares its content; replacing the target later does not
// change the link, as on disk.
func TestHardlinkAcrossLayers(t *testing.T) {
	l1 := mkTar(t, []ent{dir("bin/", 0o755), {name: "bin/tool", typ: tar.TypeReg, mode: 0o755, uid: 5, body: "v1"}})
	l2 := mkTar(t, []ent{hardlink("bin/alias", "bin/tool")})
	l3 := mkTar(t, []ent{reg("bin/tool", 0o700, "v2")})
	dst := inDir(t, "image.tar")
	writeDocker(t, dst, testRef, mkImage(t, "amd64", plainLayer(l1), plainLayer(l2), plainLayer(l3)))
	fsys, err := Open(context.Background(), dst)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"/ directory 0755 0:0 0",
		"/bin directory 0755 0:0 0",
		"/bin/alias file 0755 5:0 2",
		"/bin/tool file 0700 0:0 2",
	}
	if diff := cmp.Diff(want, listing(t, fsys)); diff != "" {
		t.Errorf("tree (-want +got):\n%s", diff)
	}
	for p, w := range map[string]string{"/bin/alias": "v1", "/bin/tool": "v2"} {
		if got, err := checks.ReadFile(fsys, p, 10); err != nil || string(got) != w {
			t.Errorf("%s = %q, %v; want %q", p, got, err, w)
		}
	}
}

// TestWhiteoutsOnlyHideLowerLayers: an opaque marker after entries of its
// own layer keeps them, and re-declared directories lose their lower
// content.
func TestWhiteoutsOnlyHideLowerLayers(t *testing.T) {
	l1 := mkTar(t, []ent{dir("d/", 0o755), dir("d/sub/", 0o755), reg("d/sub/old", 0o644, "old"), reg("d/keep-lower", 0o644, "x")})
	l2 := mkTar(t, []ent{
		dir("d/", 0o755),
		dir("d/sub/", 0o755),
		reg("d/sub/new", 0o644, "new"),
		reg("d/.wh..wh..opq", 0o644, ""), // after the layer's own entries
		reg("d/.wh.new-in-same-layer", 0o644, ""),
		reg("d/new-in-same-layer", 0o644, "stays"),
		reg(".wh.nothing-here", 0o644, ""),
		reg("gone/.wh.x", 0o644, ""), // whiteout in a directory that does not exist
	})
	dst := inDir(t, "image.tar")
	writeDocker(t, dst, testRef, mkImage(t, "amd64", plainLayer(l1), plainLayer(l2)))
	fsys, err := Open(context.Background(), dst)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"/ directory 0755 0:0 0",
		"/d directory 0755 0:0 0",
		"/d/new-in-same-layer file 0644 0:0 5",
		"/d/sub directory 0755 0:0 0",
		"/d/sub/new file 0644 0:0 3",
	}
	if diff := cmp.Diff(want, listing(t, fsys)); diff != "" {
		t.Errorf("tree (-want +got):\n%s", diff)
	}
}

// TestImageMarkers pins the names that stop the speculative rootfs index
// of an archive (so that an image's blobs are not held in memory).
func TestImageMarkers(t *testing.T) {
	h := "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	got := map[string]bool{}
	for _, n := range []string{
		"manifest.json", "index.json", "oci-layout", "repositories",
		"blobs/sha256/" + h, h + "/layer.tar", h + ".tar.gz", h + ".tar", "sha256:" + h, h + ".json",
		"etc/passwd", "blobs/sha256/short", h[:63] + ".tar.gz", "x/" + h + ".tar.gz", "ABCDEF" + h[6:] + ".tar", h + "/json",
	} {
		got[n] = isImageMarker(n)
	}
	want := map[string]bool{
		"manifest.json": true, "index.json": true, "oci-layout": true, "repositories": true,
		"blobs/sha256/" + h: true, h + "/layer.tar": true, h + ".tar.gz": true, h + ".tar": true, "sha256:" + h: true, h + ".json": true,
		"etc/passwd": false, "blobs/sha256/short": false, h[:63] + ".tar.gz": false, "x/" + h + ".tar.gz": false,
		"ABCDEF" + h[6:] + ".tar": false, h + "/json": false,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("isImageMarker (-want +got):\n%s", diff)
	}
}
