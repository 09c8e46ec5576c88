package image

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/afero"

	"github.com/gcrun/gcrun/checks"
	"github.com/gcrun/gcrun/checks/rootfs"
)

// openTar writes the entries as a rootfs tarball and opens it.
func openTar(t testing.TB, ents []ent, opts ...Option) (*FS, string, error) {
	t.Helper()
	dst := inDir(t, "rootfs.tar")
	writeFile(t, dst, mkTar(t, ents))
	fsys, err := Open(context.Background(), dst, opts...)
	return fsys, dst, err
}

func mustOpenTar(t testing.TB, ents []ent, opts ...Option) *FS {
	t.Helper()
	fsys, _, err := openTar(t, ents, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return fsys
}

// TestResolve checks the lookups on the FS itself, without rootfs.Wrap.
func TestResolve(t *testing.T) {
	fsys := mustOpenTar(t, []ent{
		dir("etc/", 0o755),
		reg("etc/real", 0o644, "real"),
		symlink("etc/alt", "/etc/real"),
		symlink("etc/rel", "real"),
		symlink("etc/dirlink", "/etc"),
		symlink("etc/loop1", "loop2"),
		symlink("etc/loop2", "loop1"),
		symlink("etc/dangling", "/nowhere"),
		symlink("etc/empty", ""),
		symlink("etc/escape", "../../../../etc/real"),
		symlink("lib", "usr/lib"),
		dir("usr/", 0o755),
		dir("usr/lib/", 0o755),
		reg("usr/lib/libc.so", 0o755, "libc"),
	})
	type res struct {
		Name, Kind string
		Err        string
	}
	stat := func(f func(string) (os.FileInfo, error), p string) res {
		fi, err := f(p)
		if err != nil {
			var pe *fs.PathError
			if !errors.As(err, &pe) || pe.Path != p {
				return res{Err: "not a PathError naming the path: " + err.Error()}
			}
			return res{Err: pe.Op + " " + pe.Err.Error()}
		}
		return res{Name: fi.Name(), Kind: kind(fi.Mode())}
	}
	lstat := func(p string) (os.FileInfo, error) {
		fi, _, err := fsys.LstatIfPossible(p)
		return fi, err
	}
	cases := []struct {
		path         string
		stat, lstat_ res
	}{
		{"/", res{"/", "directory", ""}, res{"/", "directory", ""}},
		{"/etc/alt", res{"alt", "file", ""}, res{"alt", "symlink", ""}},
		{"etc/rel", res{"rel", "file", ""}, res{"rel", "symlink", ""}},
		{"/etc/dirlink/real", res{"real", "file", ""}, res{"real", "file", ""}},
		{"/etc/dirlink/../etc/real", res{"real", "file", ""}, res{"real", "file", ""}},
		{"/lib/libc.so", res{"libc.so", "file", ""}, res{"libc.so", "file", ""}},
		{"/lib/../lib/libc.so", res{"libc.so", "file", ""}, res{"libc.so", "file", ""}},
		{"/../../etc/real", res{"real", "file", ""}, res{"real", "file", ""}},
		{"/etc/escape", res{"escape", "file", ""}, res{"escape", "symlink", ""}},
		{"/etc/alt/", res{Err: "stat not a directory"}, res{Err: "lstat not a directory"}},
		{"/lib/", res{"lib", "directory", ""}, res{"lib", "directory", ""}},
		{"/etc/loop1", res{Err: "stat too many levels of symbolic links"}, res{"loop1", "symlink", ""}},
		{"/etc/loop1/x", res{Err: "stat too many levels of symbolic links"}, res{Err: "lstat too many levels of symbolic links"}},
		{"/etc/dangling", res{Err: "stat no such file or directory"}, res{"dangling", "symlink", ""}},
		{"/etc/empty", res{Err: "stat no such file or directory"}, res{"empty", "symlink", ""}},
		{"/etc/real/x", res{Err: "stat not a directory"}, res{Err: "lstat not a directory"}},
		{"/nope", res{Err: "stat no such file or directory"}, res{Err: "lstat no such file or directory"}},
		{"/" + strings.Repeat("a", 256), res{Err: "stat file name too long"}, res{Err: "lstat file name too long"}},
		{strings.Repeat("/a", 2100), res{Err: "stat file name too long"}, res{Err: "lstat file name too long"}},
		{"/etc/\x00", res{Err: "stat invalid argument"}, res{Err: "lstat invalid argument"}},
	}
	for _, c := range cases {
		got := []res{stat(fsys.Stat, c.path), stat(lstat, c.path)}
		if diff := cmp.Diff([]res{c.stat, c.lstat_}, got); diff != "" {
			t.Errorf("%.40q: Stat, Lstat (-want +got):\n%s", c.path, diff)
		}
	}
	for p, want := range map[string]string{"/etc/alt": "/etc/real", "/lib": "usr/lib", "/etc/dirlink/empty": ""} {
		if got, err := fsys.ReadlinkIfPossible(p); err != nil || got != want {
			t.Errorf("Readlink(%s) = %q, %v; want %q", p, got, err, want)
		}
	}
	if _, err := fsys.ReadlinkIfPossible("/etc/real"); !errors.Is(err, syscall.EINVAL) {
		t.Errorf("Readlink(regular) = %v, want EINVAL", err)
	}
	if _, err := fsys.OpenFile("/etc/alt", os.O_RDONLY|syscall.O_NOFOLLOW, 0); !errors.Is(err, syscall.ELOOP) {
		t.Errorf("open O_NOFOLLOW symlink = %v, want ELOOP", err)
	}
	if _, err := fsys.OpenFile("/etc/real", os.O_RDONLY|syscall.O_DIRECTORY, 0); !errors.Is(err, syscall.ENOTDIR) {
		t.Errorf("open O_DIRECTORY file = %v, want ENOTDIR", err)
	}
	// rootfs.Wrap agrees, and reads through links.
	root := rootfs.Wrap(fsys)
	for _, p := range []string{"/etc/alt", "/etc/rel", "/etc/escape", "/etc/dirlink/alt"} {
		if got, err := checks.ReadFile(root, p, 10); err != nil || string(got) != "real" {
			t.Errorf("wrapped ReadFile(%s) = %q, %v", p, got, err)
		}
	}
	if _, err := checks.ReadFile(root, "/etc/loop1", 10); err == nil {
		t.Error("wrapped ReadFile(loop) succeeded")
	}
}

// TestReadOnly: every write fails with EROFS and ErrPermission.
func TestReadOnly(t *testing.T) {
	fsys := mustOpenTar(t, []ent{dir("etc/", 0o755), reg("etc/f", 0o644, "x")})
	f, err := fsys.Open("/etc/f")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	_, openErr := fsys.OpenFile("/etc/f", os.O_RDWR, 0)
	_, createErr := fsys.Create("/etc/new")
	_, appendErr := fsys.OpenFile("/etc/f", os.O_WRONLY|os.O_APPEND, 0)
	_, writeErr := f.Write([]byte("y"))
	_, writeAtErr := f.WriteAt([]byte("y"), 0)
	_, writeStringErr := f.WriteString("y")
	errs := map[string]error{
		"OpenFile(O_RDWR)": openErr, "Create": createErr, "OpenFile(O_APPEND)": appendErr,
		"Mkdir": fsys.Mkdir("/d", 0o755), "MkdirAll": fsys.MkdirAll("/d/e", 0o755),
		"Remove": fsys.Remove("/etc/f"), "RemoveAll": fsys.RemoveAll("/etc"),
		"Rename": fsys.Rename("/etc/f", "/etc/g"), "Chmod": fsys.Chmod("/etc/f", 0o777),
		"Chown": fsys.Chown("/etc/f", 1, 1), "Chtimes": fsys.Chtimes("/etc/f", testMtime, testMtime),
		"Write": writeErr, "WriteAt": writeAtErr, "WriteString": writeStringErr, "Truncate": f.Truncate(0),
	}
	for op, err := range errs {
		if !errors.Is(err, syscall.EROFS) || !errors.Is(err, fs.ErrPermission) {
			t.Errorf("%s = %v, want EROFS and ErrPermission", op, err)
		}
	}
	// Still intact.
	if got, err := checks.ReadFile(fsys, "/etc/f", 10); err != nil || string(got) != "x" {
		t.Errorf("after writes: %q, %v", got, err)
	}
	// rootfs.Wrap passes the errors through.
	if err := afero.WriteFile(rootfs.Wrap(fsys), "/etc/f", []byte("z"), 0o644); !errors.Is(err, syscall.EROFS) {
		t.Errorf("wrapped write = %v, want EROFS", err)
	}
}

// TestFileAPI exercises afero.File on files and directories.
func TestFileAPI(t *testing.T) {
	fsys := mustOpenTar(t, []ent{
		dir("d/", 0o755), reg("d/c", 0o644, "0123456789"), reg("d/a", 0o644, ""), dir("d/b/", 0o700), symlink("d/l", "c"),
	})
	f, err := fsys.Open("/d/l")
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 4)
	n, err := f.Read(buf)
	if n != 4 || err != nil || string(buf) != "0123" {
		t.Errorf("Read = %d, %v, %q", n, err, buf)
	}
	if off, err := f.Seek(-2, io.SeekEnd); off != 8 || err != nil {
		t.Errorf("Seek = %d, %v", off, err)
	}
	rest, err := io.ReadAll(f)
	if string(rest) != "89" || err != nil {
		t.Errorf("ReadAll after Seek = %q, %v", rest, err)
	}
	n, err = f.ReadAt(buf, 8)
	if n != 2 || err != io.EOF || string(buf[:2]) != "89" {
		t.Errorf("ReadAt short = %d, %v", n, err)
	}
	if _, err := f.Seek(-1, io.SeekStart); !errors.Is(err, syscall.EINVAL) {
		t.Errorf("Seek negative = %v", err)
	}
	if fi, err := f.Stat(); err != nil || fi.Name() != "l" || !fi.Mode().IsRegular() || fi.Size() != 10 {
		t.Errorf("Stat of opened link = %v, %v", fi, err)
	}
	if _, err := f.Readdir(-1); !errors.Is(err, syscall.ENOTDIR) {
		t.Errorf("Readdir on file = %v", err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Read(buf); !errors.Is(err, fs.ErrClosed) {
		t.Errorf("Read after Close = %v", err)
	}
	if err := f.Close(); !errors.Is(err, fs.ErrClosed) {
		t.Errorf("second Close = %v", err)
	}

	d, err := fsys.Open("/d")
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Read(buf); !errors.Is(err, syscall.EISDIR) {
		t.Errorf("Read on dir = %v", err)
	}
	var pages [][]string
	for {
		fis, err := d.Readdir(2)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		var page []string
		for _, fi := range fis {
			page = append(page, fi.Name()+" "+kind(fi.Mode()))
		}
		pages = append(pages, page)
	}
	want := [][]string{{"a file", "b directory"}, {"c file", "l symlink"}}
	if diff := cmp.Diff(want, pages); diff != "" {
		t.Errorf("Readdir pages (-want +got):\n%s", diff)
	}
	if _, err := d.Seek(0, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	names, err := d.Readdirnames(-1)
	if diff := cmp.Diff([]string{"a", "b", "c", "l"}, names); diff != "" || err != nil {
		t.Errorf("Readdirnames after rewind (%v) (-want +got):\n%s", err, diff)
	}
	if names, err := d.Readdirnames(-1); len(names) != 0 || err != nil {
		t.Errorf("Readdirnames at end = %v, %v", names, err)
	}
	infos, err := afero.ReadDir(rootfs.Wrap(fsys), "/d")
	if err != nil || len(infos) != 4 || infos[3].Mode()&fs.ModeSymlink == 0 {
		t.Errorf("afero.ReadDir = %v, %v", infos, err)
	}
}

// TestSweep: a walk of the wrapped FS with Lstat (what the sweep fallback
// does) sees the same tree as the FS itself.
func TestSweep(t *testing.T) {
	dst := inDir(t, "image.tar")
	writeDocker(t, dst, testRef, testImage(t, false))
	fsys, err := Open(context.Background(), dst)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantTree, listing(t, rootfs.Wrap(fsys))); diff != "" {
		t.Errorf("wrapped walk (-want +got):\n%s", diff)
	}
}

// TestHostileTarballs: odd and hostile entries give errors or sane trees,
// never a panic nor a path outside the tree.
func TestHostileTarballs(t *testing.T) {
	long := strings.Repeat("d/", 2100) + "f"
	cases := []struct {
		name    string
		ents    []ent
		opts    []Option
		want    []string // tree, when Open succeeds
		wantErr []string // substrings of the error, when it fails
		warn    []string
	}{
		{
			name:    "dot-dot escape",
			ents:    []ent{reg("../../etc/passwd", 0o644, "x")},
			wantErr: []string{`entry 1 "../../etc/passwd": name escapes the root`},
		},
		{
			name:    "dot-dot escape in the middle",
			ents:    []ent{dir("a/", 0o755), reg("a/../../b", 0o644, "x")},
			wantErr: []string{`entry 2 "a/../../b": name escapes the root`},
		},
		{
			name: "absolute names and harmless dot-dot",
			ents: []ent{reg("/etc/abs", 0o644, "x"), reg("./a/../b", 0o644, "y"), dir("./", 0o700)},
			want: []string{"/ directory 0700 0:0 0", "/b file 0644 0:0 1", "/etc directory 0755 0:0 0", "/etc/abs file 0644 0:0 1"},
		},
		{
			name: "duplicates: later wins",
			ents: []ent{
				reg("x", 0o644, "one"), reg("x", 0o600, "two!"),
				dir("d/", 0o755), reg("d/f", 0o644, "f"), reg("d", 0o644, "now a file"),
				reg("e", 0o644, "file"), dir("e/", 0o711),
			},
			want: []string{"/ directory 0755 0:0 0", "/d file 0644 0:0 10", "/e directory 0711 0:0 0", "/x file 0600 0:0 4"},
		},
		{
			name: "hard links to missing, to directories, to itself",
			ents: []ent{
				hardlink("missing", "nope"), dir("d/", 0o755), hardlink("dirlink", "d"),
				reg("f", 0o644, "f"), hardlink("f", "f"), hardlink("root", "/"),
			},
			want: []string{"/ directory 0755 0:0 0", "/d directory 0755 0:0 0", "/f file 0644 0:0 1"},
			warn: []string{
				"layer 0: hard link /missing to missing /nope; skipped",
				"layer 0: hard link /dirlink to directory /d; skipped",
				"layer 0: hard link /root to missing /; skipped",
			},
		},
		{
			name:    "hard link escaping",
			ents:    []ent{hardlink("x", "../../etc/shadow")},
			wantErr: []string{`entry 1 "x": hard link target "../../etc/shadow": name escapes the root`},
		},
		{
			name: "entry below a file",
			ents: []ent{reg("f", 0o644, "f"), reg("f/g", 0o644, "g")},
			want: []string{"/ directory 0755 0:0 0", "/f directory 0755 0:0 0", "/f/g file 0644 0:0 1"},
			warn: []string{"layer 0: f is not a directory in the lower layers; replaced by a directory to hold f/g"},
		},
		{
			name:    "path longer than PATH_MAX",
			ents:    []ent{reg(long, 0o644, "x")},
			wantErr: []string{"entry 1 ", "name of 4201 bytes: file name too long"},
		},
		{
			name:    "component longer than NAME_MAX",
			ents:    []ent{reg(strings.Repeat("n", 256), 0o644, "x")},
			wantErr: []string{"component of 256 bytes: file name too long"},
		},
		{
			name:    "symlink target longer than PATH_MAX",
			ents:    []ent{symlink("l", strings.Repeat("t", 4096))},
			wantErr: []string{"symlink target of 4096 bytes: file name too long"},
		},
		{
			name: "root replaced by a file is ignored",
			ents: []ent{reg(".", 0o644, "")},
			want: []string{"/ directory 0755 0:0 0"},
			warn: []string{`layer 0: root entry "." of type '0' ignored`},
		},
		{
			name:    "entry limit",
			ents:    []ent{reg("a", 0o644, "a"), reg("b", 0o644, "b"), reg("c", 0o644, "c")},
			opts:    []Option{WithMaxEntries(2)},
			wantErr: []string{"too many tar entries: more than 2 entries"},
		},
		{
			name:    "retained limit",
			ents:    []ent{reg("a", 0o644, "0123456789"), reg("b", 0o644, "0123456789")},
			opts:    []Option{WithMaxRetained(15)},
			wantErr: []string{`entry 2 "b": retained content limit exceeded: keeping /b (10 bytes) would hold 20 bytes, limit 15`},
		},
		{
			name: "retained limit counts only live content",
			ents: []ent{reg("a", 0o644, "0123456789"), reg("a", 0o644, "0123456789")},
			opts: []Option{WithMaxRetained(15)},
			want: []string{"/ directory 0755 0:0 0", "/a file 0644 0:0 10"},
		},
		{
			name: "unsupported type",
			ents: []ent{{name: "odd", typ: 'Z', mode: 0o644}},
			want: []string{"/ directory 0755 0:0 0"},
			warn: []string{`layer 0: odd: entry type 'Z' not supported; skipped`},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fsys, dst, err := openTar(t, c.ents, c.opts...)
			if c.wantErr != nil {
				if err == nil || !has(err.Error(), append([]string{"image: " + dst + ": "}, c.wantErr...)...) {
					t.Fatalf("err = %.300v\nwant it to contain %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c.want, listing(t, fsys)); diff != "" {
				t.Errorf("tree (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(c.warn, fsys.Describe().Warnings); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
		})
	}
}

// TestTruncatedArchive: a tarball cut in the middle of a retained file is
// an error, not a short file.
func TestTruncatedArchive(t *testing.T) {
	data := mkTar(t, []ent{reg("a", 0o644, strings.Repeat("x", 3000))})
	dst := inDir(t, "cut.tar")
	writeFile(t, dst, data[:512+1000])
	_, err := Open(context.Background(), dst)
	if err == nil || !has(err.Error(), dst, `entry 1 "a"`, "unexpected EOF") {
		t.Errorf("err = %v", err)
	}
}

// TestRetainOption: a custom rule decides; a file not retained still stats
// with its size and fails to read with ErrNotRetained.
func TestRetainOption(t *testing.T) {
	var asked []string
	fsys := mustOpenTar(t, []ent{dir("etc/", 0o755), reg("etc/keep", 0o644, "keep"), reg("etc/drop", 0o644, "dropped")},
		WithRetain(func(p string, size int64) bool {
			asked = append(asked, p)
			return p != "/etc/drop"
		}))
	if diff := cmp.Diff([]string{"/etc/keep", "/etc/drop"}, asked); diff != "" {
		t.Errorf("retain asked (-want +got):\n%s", diff)
	}
	if got, err := checks.ReadFile(fsys, "/etc/keep", 100); err != nil || string(got) != "keep" {
		t.Errorf("keep = %q, %v", got, err)
	}
	fi, err := fsys.Stat("/etc/drop")
	if err != nil || fi.Size() != 7 || fi.Sys().(*Stat).Retained {
		t.Fatalf("Stat(drop) = %v, %v", fi, err)
	}
	_, err = checks.ReadFile(fsys, "/etc/drop", 100)
	if !errors.Is(err, ErrNotRetained) || !errors.Is(err, checks.ErrTooLarge) || !has(err.Error(), "read /etc/drop", "not retained", "7 bytes") {
		t.Errorf("ReadFile(drop) = %v", err)
	}
	info := fsys.Describe()
	if info.RetainedFiles != 1 || info.RetainedBytes != 4 || info.UnretainedFiles != 1 || info.UnretainedBytes != 7 {
		t.Errorf("Describe = %+v", info)
	}
}

// TestDefaultRetain pins the default rule.
func TestDefaultRetain(t *testing.T) {
	cases := []struct {
		path string
		size int64
		want bool
	}{
		{"/etc/passwd", 10, true},
		{"/usr/bin/big", checks.MaxConfigSize, true},
		{"/usr/bin/big", checks.MaxConfigSize + 1, false},
		{"/var/lib/dpkg/status", checks.MaxConfigSize + 1, true},
		{"/var/lib/dpkg/status", checks.MaxDatabaseSize, true},
		{"/var/lib/dpkg/status", checks.MaxDatabaseSize + 1, false},
		{"/var/lib/rpm/rpmdb.sqlite", 100 << 20, true},
		{"/usr/lib/sysimage/rpm/rpmdb.sqlite", 100 << 20, true},
		{"/lib/apk/db/installed", 5 << 20, true},
		{"/var/lib/dpkgx/status", 5 << 20, false},
	}
	for _, c := range cases {
		if got := DefaultRetain(c.path, c.size); got != c.want {
			t.Errorf("DefaultRetain(%s, %d) = %v", c.path, c.size, got)
		}
	}
}

// TestCancel: Open stops when the context ends while it reads.
func TestCancel(t *testing.T) {
	ents := []ent{dir("d/", 0o755)}
	for i := range 200 {
		ents = append(ents, reg("d/f"+strings.Repeat("x", i%50)+string(rune('a'+i%26)), 0o644, "content"))
	}
	dst := inDir(t, "rootfs.tar")
	writeFile(t, dst, gzipBytes(t, mkTar(t, ents)))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	n := 0
	_, err := Open(ctx, dst, WithRetain(func(string, int64) bool {
		if n++; n == 3 {
			cancel() // while the archive is being read
		}
		return true
	}))
	if !errors.Is(err, context.Canceled) || !has(err.Error(), dst) {
		t.Errorf("err = %v, want context.Canceled naming the file", err)
	}
	if n > 20 {
		t.Errorf("read %d files after cancellation", n)
	}

	// The same for an image, cancelled before it starts.
	img := inDir(t, "image.tar")
	writeDocker(t, img, testRef, testImage(t, false))
	ctx2, cancel2 := context.WithCancel(context.Background())
	cancel2()
	if _, err := Open(ctx2, img); !errors.Is(err, context.Canceled) {
		t.Errorf("image: err = %v", err)
	}
}

// TestTarBomb: the default entry limit stops an archive of millions of
// tiny entries; a small limit shows the bound applies to image layers too.
func TestTarBomb(t *testing.T) {
	dst := inDir(t, "image.tar")
	writeDocker(t, dst, testRef, testImage(t, false))
	_, err := Open(context.Background(), dst, WithMaxEntries(30))
	if !errors.Is(err, ErrTooManyEntries) || !has(err.Error(), "layer 1 of 2", "more than 30 entries") {
		t.Errorf("image: err = %v", err)
	}
	if testing.Short() || raceEnabled {
		t.Skip("the 2,000,001-entry archive takes seconds (minutes under -race)")
	}
	// The bomb is one gzip member of 1,000 entries repeated: a gzip
	// reader reads concatenated members as one stream. Re-using a few
	// names keeps the tree small: the bound is on entries read, not on
	// paths kept.
	var chunk []ent
	for i := range 1000 {
		chunk = append(chunk, reg([]string{"a", "b", "c", "d"}[i%4], 0o644, ""))
	}
	raw := mkTar(t, chunk)
	member := gzipBytes(t, raw[:len(raw)-1024]) // without the end-of-archive blocks
	bomb := inDir(t, "bomb.tar.gz")
	f, err := os.Create(bomb)
	if err != nil {
		t.Fatal(err)
	}
	for range DefaultMaxEntries/1000 + 1 {
		if _, err := f.Write(member); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	_, err = Open(context.Background(), bomb)
	if !errors.Is(err, ErrTooManyEntries) || !has(err.Error(), "more than 2000000 entries") {
		t.Errorf("bomb: err = %v", err)
	}
}
