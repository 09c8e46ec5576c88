package rootfs_test

// Tests with hostile roots: a root that gcrun scans may come from anyone,
// and its symlinks, special files and sizes are chosen to make a scanner
// read the scanning machine's files, block or run out of memory.
//
// The scanning machine's "own" files are stood in for by a separate
// temporary directory (host), whose files carry a marker that must never
// appear in what a scan of the root reports; the real /etc is never relied
// on.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/afero"

	"github.com/gcrun/gcrun/checks"
	"github.com/gcrun/gcrun/checks/rootfs"
)

const marker = "HOST-MARKER-7f3e91"

// hostDir builds the stand-in for the scanning machine's files.
func hostDir(t *testing.T) string {
	t.Helper()
	h := t.TempDir()
	write(t, h, "etc/shadow", "root:$6$"+marker+":19000:0:99999:7:::\n", 0o640)
	write(t, h, "etc/passwd", marker+":x:0:0::/root:/bin/sh\n", 0o644)
	write(t, h, "etc/group", marker+":x:0:\n", 0o644)
	write(t, h, "etc/ssh/sshd_config", "Banner /"+marker+"\nPermitRootLogin yes\n", 0o644)
	write(t, h, "etc/os-release", "ID="+marker+"\n", 0o644)
	write(t, h, "etc/hostname", marker+"\n", 0o644)
	write(t, h, "etc/machine-id", marker+"\n", 0o644)
	write(t, h, "var/lib/dpkg/status", "Package: "+marker+"\nStatus: install ok installed\nVersion: 1\nArchitecture: all\n\n", 0o644)
	write(t, h, "proc/self/mounts", "none /"+marker+" ext4 rw 0 0\n", 0o444)
	write(t, h, "dir/"+marker+"-ww", "x", 0o666)
	write(t, h, "dir/"+marker+"-suid", "x", 0o4755)
	return h
}

func write(t *testing.T, root, name, content string, mode uint32) {
	t.Helper()
	p := filepath.Join(root, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Chmod(p, mode); err != nil {
		t.Fatal(err)
	}
}

func symlink(t *testing.T, root, name, target string) {
	t.Helper()
	p := filepath.Join(root, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, p); err != nil {
		t.Fatal(err)
	}
}

// escape is a relative link target that climbs far above the root and
// then names the host path p.
func escape(p string) string { return strings.Repeat("../", 20) + strings.TrimPrefix(p, "/") }

// linkingRoot is a root whose files are symlinks into the host directory,
// absolute and relative. Some have an in-root counterpart (the path the
// link names, inside the root), which is what must be read.
func linkingRoot(t *testing.T, host string) string {
	t.Helper()
	r := t.TempDir()
	symlink(t, r, "etc/shadow", filepath.Join(host, "etc/shadow"))
	write(t, r, filepath.Join(host, "etc/shadow"), "root:*:in-root\n", 0o640)
	symlink(t, r, "etc/passwd", escape(filepath.Join(host, "etc/passwd")))
	write(t, r, filepath.Join(host, "etc/passwd"), "root:x:0:0:in-root:/root:/bin/sh\n", 0o644)
	symlink(t, r, "etc/group", escape(filepath.Join(host, "etc/group")))
	symlink(t, r, "etc/ssh/sshd_config", filepath.Join(host, "etc/ssh/sshd_config"))
	write(t, r, filepath.Join(host, "etc/ssh/sshd_config"), "PermitRootLogin no\n", 0o644)
	symlink(t, r, "etc/os-release", filepath.Join(host, "etc/os-release"))
	write(t, r, "usr/lib/os-release", "ID=debian\nVERSION_ID=\"12\"\n", 0o644)
	symlink(t, r, "etc/hostname", filepath.Join(host, "etc/hostname"))
	symlink(t, r, "etc/machine-id", escape(filepath.Join(host, "etc/machine-id")))
	symlink(t, r, "var/lib/dpkg/status", filepath.Join(host, "var/lib/dpkg/status"))
	symlink(t, r, "proc", "/proc")
	symlink(t, r, "sys", filepath.Join(host, "proc"))
	symlink(t, r, "escape", filepath.Join(host, "dir"))
	symlink(t, r, "srv/rel", escape(filepath.Join(host, "dir")))
	return r
}

// brokenRoot is a root whose files are of the wrong kind or size.
func brokenRoot(t *testing.T, host string) string {
	t.Helper()
	r := t.TempDir()
	// A 10 GiB sparse /etc/passwd: nothing may try to read it whole.
	if err := os.MkdirAll(filepath.Join(r, "etc/ssh"), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(r, "etc/passwd"))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(10 << 30); err != nil {
		t.Fatal(err)
	}
	f.Close()
	// A FIFO where sshd_config belongs: opening it for reading would block
	// until a writer came.
	if err := syscall.Mkfifo(filepath.Join(r, "etc/ssh/sshd_config"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A directory where a file is expected.
	if err := os.MkdirAll(filepath.Join(r, "etc/machine-id"), 0o755); err != nil {
		t.Fatal(err)
	}
	// An unreadable file (root reads it anyway).
	write(t, r, "etc/os-release", "ID=debian\n", 0o000)
	// A socket.
	if err := os.MkdirAll(filepath.Join(r, "usr/lib"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mknod(filepath.Join(r, "usr/lib/os-release"), syscall.S_IFSOCK|0o644, 0); err != nil {
		t.Fatal(err)
	}
	// A symlink loop.
	symlink(t, r, "etc/hostname", "hostname.b")
	symlink(t, r, "etc/hostname.b", "hostname")
	// A chain of 100 links to a real database (within securejoin's limit
	// of 255 links), and one of 300 (beyond it).
	write(t, r, "var/lib/dpkg/status.real", "Package: bash\nStatus: install ok installed\nVersion: 5.2.15-2+b7\nArchitecture: amd64\n\n", 0o644)
	chain(t, r, "var/lib/dpkg/status", "status.real", 100)
	write(t, r, "etc/group.real", "root:x:0:\n", 0o644)
	chain(t, r, "etc/group", "group.real", 300)
	// /proc a link to the host's /proc, and to the stand-in.
	symlink(t, r, "proc", "/proc")
	symlink(t, r, "sys", filepath.Join(host, "proc"))
	symlink(t, r, "escape", filepath.Join(host, "dir"))
	return r
}

// chain makes name a chain of n symlinks ending at target (all in name's
// directory).
func chain(t *testing.T, root, name, target string, n int) {
	t.Helper()
	base := filepath.Base(name)
	next := target
	for i := n - 1; i >= 1; i-- {
		link := fmt.Sprintf("%s.link%03d", base, i)
		symlink(t, root, filepath.Join(filepath.Dir(name), link), next)
		next = link
	}
	symlink(t, root, name, next)
}

func newFs(t *testing.T, dir string) *rootfs.Fs {
	t.Helper()
	fsys, err := rootfs.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	return fsys
}

// within fails the test if f does not return within d: a hostile root
// must never make a read block.
func within[T any](t *testing.T, d time.Duration, what string, f func() T) T {
	t.Helper()
	done := make(chan T, 1)
	go func() { done <- f() }()
	select {
	case v := <-done:
		return v
	case <-time.After(d):
		t.Fatalf("%s did not return within %s", what, d)
		var zero T
		return zero
	}
}

type readResult struct {
	data []byte
	err  error
}

func readWithin(t *testing.T, fsys afero.Fs, name string) readResult {
	t.Helper()
	return within(t, 5*time.Second, "reading "+name, func() readResult {
		b, err := checks.ReadFile(fsys, name, checks.MaxConfigSize)
		return readResult{b, err}
	})
}

func TestHostileLinksReadTheRootsOwnFiles(t *testing.T) {
	host := hostDir(t)
	fsys := newFs(t, linkingRoot(t, host))
	for name, want := range map[string]string{
		"/etc/shadow":          "root:*:in-root\n",                   // absolute link to the host path
		"/etc/passwd":          "root:x:0:0:in-root:/root:/bin/sh\n", // relative ../../.. escape
		"/etc/ssh/sshd_config": "PermitRootLogin no\n",
	} {
		r := readWithin(t, fsys, name)
		if r.err != nil || string(r.data) != want {
			t.Errorf("%s: %q, %v; want the root's own copy %q", name, r.data, r.err, want)
		}
	}
	// Without an in-root counterpart the link dangles inside the root.
	for _, name := range []string{"/etc/group", "/etc/os-release", "/etc/hostname", "/var/lib/dpkg/status", "/escape/" + marker + "-ww", "/srv/rel/" + marker + "-ww", "/sys/self/mounts"} {
		if r := readWithin(t, fsys, name); !errors.Is(r.err, fs.ErrNotExist) {
			t.Errorf("%s: %q, %v; want fs.ErrNotExist", name, r.data, r.err)
		}
	}
	// Where the link resolves within the root, it names an in-root path.
	if p, err := fsys.Resolve("/etc/passwd"); err != nil || p != filepath.Join(host, "etc/passwd") {
		t.Errorf("resolve /etc/passwd = %q, %v; want the host path taken as a path inside the root", p, err)
	}
}

func TestHostileProcLinkIsALoop(t *testing.T) {
	fsys := newFs(t, linkingRoot(t, hostDir(t)))
	// /proc -> /proc resolves to itself inside the root: a loop, never the
	// scanning machine's /proc.
	r := readWithin(t, fsys, "/proc/self/mounts")
	if !errors.Is(r.err, syscall.ELOOP) {
		t.Fatalf("read /proc/self/mounts: %q, %v; want ELOOP", r.data, r.err)
	}
	if _, err := fsys.Stat("/proc/1"); !errors.Is(err, syscall.ELOOP) {
		t.Errorf("stat /proc/1: %v; want ELOOP", err)
	}
}

func TestHostileSymlinkLoop(t *testing.T) {
	fsys := newFs(t, brokenRoot(t, hostDir(t)))
	r := readWithin(t, fsys, "/etc/hostname")
	var pe *fs.PathError
	if !errors.Is(r.err, syscall.ELOOP) || !errors.As(r.err, &pe) || pe.Path != "/etc/hostname" {
		t.Fatalf("read a -> b -> a: %v; want ELOOP naming /etc/hostname", r.err)
	}
}

// TestHostileLinkChains: securejoin follows at most 255 links in one
// lookup, so a chain of 100 resolves and one of 300 is ELOOP.
func TestHostileLinkChains(t *testing.T) {
	fsys := newFs(t, brokenRoot(t, hostDir(t)))
	r := readWithin(t, fsys, "/var/lib/dpkg/status")
	if r.err != nil || !strings.HasPrefix(string(r.data), "Package: bash\n") {
		t.Errorf("100 links: %q, %v; want the file at the end of the chain", r.data, r.err)
	}
	if p, err := fsys.Resolve("/var/lib/dpkg/status"); err != nil || p != "/var/lib/dpkg/status.real" {
		t.Errorf("resolve 100 links = %q, %v", p, err)
	}
	if r := readWithin(t, fsys, "/etc/group"); !errors.Is(r.err, syscall.ELOOP) {
		t.Errorf("300 links: %q, %v; want ELOOP", r.data, r.err)
	}
}

func TestHostileSparseFile(t *testing.T) {
	fsys := newFs(t, brokenRoot(t, hostDir(t)))
	start := time.Now()
	r := readWithin(t, fsys, "/etc/passwd")
	if !errors.Is(r.err, checks.ErrTooLarge) || r.data != nil {
		t.Fatalf("read a 10 GiB /etc/passwd: %d bytes, %v; want ErrTooLarge", len(r.data), r.err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("refusing took %s: the file was read", d)
	}
}

func TestHostileSpecialFiles(t *testing.T) {
	fsys := newFs(t, brokenRoot(t, hostDir(t)))
	for _, name := range []string{"/etc/ssh/sshd_config", "/etc/machine-id", "/usr/lib/os-release"} {
		if r := readWithin(t, fsys, name); !errors.Is(r.err, checks.ErrNotRegular) {
			t.Errorf("%s: %q, %v; want ErrNotRegular", name, r.data, r.err)
		}
	}
	// Opening the FIFO itself does not block either (O_NONBLOCK).
	f := within(t, 5*time.Second, "open FIFO", func() afero.File {
		f, err := fsys.Open("/etc/ssh/sshd_config")
		if err != nil {
			t.Errorf("open FIFO: %v", err)
		}
		return f
	})
	if f != nil {
		buf := make([]byte, 1)
		if n, err := f.Read(buf); n != 0 || (err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, syscall.EAGAIN)) {
			t.Errorf("read FIFO: %d, %v", n, err)
		}
		f.Close()
	}
	// A socket cannot be opened at all.
	if _, err := fsys.Open("/usr/lib/os-release"); !errors.Is(err, syscall.ENXIO) {
		t.Errorf("open socket: %v; want ENXIO", err)
	}
}

// TestHostileUnreadableFile: mode 000 stops everyone but root, which
// bypasses permission checks.
func TestHostileUnreadableFile(t *testing.T) {
	fsys := newFs(t, brokenRoot(t, hostDir(t)))
	r := readWithin(t, fsys, "/etc/os-release")
	if os.Geteuid() == 0 {
		if r.err != nil || string(r.data) != "ID=debian\n" {
			t.Errorf("as root: %q, %v; want the content", r.data, r.err)
		}
		return
	}
	if !errors.Is(r.err, fs.ErrPermission) {
		t.Errorf("not root: %q, %v; want fs.ErrPermission", r.data, r.err)
	}
}

// collect runs the collectors over a hostile root through checks.Collect,
// failing if any panics or is still running after a few seconds, and if
// the marker appears in any fact or error.
func collect(t *testing.T, fsys afero.Fs, root string, live bool, cs ...checks.Collector) *checks.Facts {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	start := time.Now()
	facts := within(t, 25*time.Second, "collect", func() *checks.Facts {
		f, err := checks.Collect(ctx, checks.Target{Fs: fsys, Root: root, Live: live}, cs...)
		if err != nil {
			t.Errorf("collect: %v", err)
		}
		return f
	})
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("collecting took %s", d)
	}
	if facts == nil {
		t.FailNow()
	}
	for name, o := range facts.Outcomes {
		if o.Err != nil && (strings.Contains(o.Err.Error(), "panicked") || errors.Is(o.Err, context.DeadlineExceeded)) {
			t.Errorf("%s: %v", name, o.Err)
		}
	}
	doc, err := json.Marshal(map[string]any{"facts": facts.Input(), "errors": facts.Errors()})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(doc), marker) {
		t.Errorf("the scanning machine's data leaked into the facts: %s", doc)
	}
	return facts
}

func allCollectors() []checks.Collector {
	return []checks.Collector{
		checks.Files{Paths: []string{"/etc/passwd", "/etc/ssh/*", "/escape/*", "/srv/rel/*", "/sys/self/*"}},
		checks.SSHD{},
		checks.Packages{},
		checks.Host{},
		checks.Sweep{},
	}
}

// TestHostileLinkingRootCollectors: every collector succeeds on a root of
// links into the host, reading the root's own copies or nothing.
func TestHostileLinkingRootCollectors(t *testing.T) {
	host := hostDir(t)
	dir := linkingRoot(t, host)
	facts := collect(t, newFs(t, dir), dir, false, allCollectors()...)
	if errs := facts.Errors(); len(errs) != 0 {
		t.Fatalf("collectors failed: %v", errs)
	}
	in := facts.Input()
	if got := in["sshd"].(*checks.SSHDFacts).Config["permitrootlogin"]; got != "no" {
		t.Errorf("sshd: PermitRootLogin %v, want the root's own \"no\"", got)
	}
	h := in["host"].(*checks.HostFacts)
	if h.OS.ID != "debian" || h.Hostname != "" || h.MachineID != "" {
		t.Errorf("host: os %q, hostname %q, machine-id %q; want debian from /usr/lib/os-release and nothing else", h.OS.ID, h.Hostname, h.MachineID)
	}
	if p := in["packages"].(*checks.PackagesFacts); p.Exists {
		t.Errorf("packages: a database was read: %+v", p)
	}
	files := in["files"].(*checks.FilesFacts)
	if diff := cmp.Diff(map[string][]string{"/etc/ssh/*": {"/etc/ssh/sshd_config"}, "/escape/*": {}, "/srv/rel/*": {}, "/sys/self/*": {}}, files.Globs); diff != "" {
		t.Errorf("files: globs (-want +got):\n%s", diff)
	}
	sw := in["sweep"].(*checks.SweepFacts)
	if !sw.Complete || sw.Counts.WorldWritableFiles != 0 || sw.Counts.SUID != 0 {
		t.Errorf("sweep: complete %v, world-writable %v, suid %v; the links must not be followed", sw.Complete, sw.WorldWritableFiles, sw.SUID)
	}
	// On a "live" hostile root the sweep reads the mount table through the
	// root, where /proc is a loop: it fails rather than read the
	// scanning machine's.
	live := collect(t, newFs(t, dir), dir, true, checks.Sweep{})
	if err := live.Outcomes["sweep"].Err; !errors.Is(err, syscall.ELOOP) {
		t.Errorf("sweep of a live hostile root: %v; want ELOOP from its /proc", err)
	}
}

// TestHostileBrokenRootCollectors: on a root of wrong-kind and oversized
// files the collectors fail cleanly, or report what they can, quickly.
func TestHostileBrokenRootCollectors(t *testing.T) {
	host := hostDir(t)
	dir := brokenRoot(t, host)
	facts := collect(t, newFs(t, dir), dir, false, allCollectors()...)
	errs := facts.Errors()
	if !strings.Contains(errs["sshd"], "not a regular file") {
		t.Errorf("sshd: %q; want the FIFO refused", errs["sshd"])
	}
	if !strings.Contains(errs["host"], "too many levels of symbolic links") {
		t.Errorf("host: %q; want the /etc/hostname loop reported", errs["host"])
	}
	if _, failed := errs["files"]; failed {
		t.Errorf("files: %s; stat needs no reading", errs["files"])
	}
	in := facts.Input()
	if p, ok := in["packages"].(*checks.PackagesFacts); !ok || len(p.Packages) != 1 || p.Packages[0].Name != "bash" {
		t.Errorf("packages: %+v, %q; want bash through the chain of 100 links", in["packages"], errs["packages"])
	}
	sw, ok := in["sweep"].(*checks.SweepFacts)
	if !ok {
		t.Fatalf("sweep failed: %s", errs["sweep"])
	}
	if db := sw.IDDatabases.Passwd; !db.Exists || db.Read || !strings.Contains(db.Error, "file too large") {
		t.Errorf("sweep: passwd %+v; want the 10 GiB file refused", db)
	}
	if db := sw.IDDatabases.Group; !db.Exists || db.Read || !strings.Contains(db.Error, "too many levels of symbolic links") {
		t.Errorf("sweep: group %+v; want the chain of 300 links refused", db)
	}
	// The FIFO and the socket are examined, never opened.
	if sw.Counts.Unreadable != 0 || !sw.Complete {
		t.Errorf("sweep: unreadable %v", sw.Unreadable)
	}
}
