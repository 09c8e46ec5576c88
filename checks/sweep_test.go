package checks

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/spf13/afero"
	"golang.org/x/sys/unix"

	"github.com/gcrun/gcrun/checks/rootfs"
	"github.com/gcrun/gcrun/internal/oracle"
)

// sweepNode is one entry of a test root.
type sweepNode struct {
	path     string
	kind     string // "file" (default), "dir", "fifo", "socket", "symlink"
	mode     uint32 // permission and special bits
	uid, gid int
	content  string // a file's content, a symlink's target
}

// sweepTree is a root with one entry of every kind the sweep reports and
// several it must not: a socket and a symlink with mode 0777, a setgid
// directory, a sticky world-writable directory, an excluded /proc and a
// symlink to a directory outside the root full of findings.
var sweepTree = []sweepNode{
	{path: "/", kind: "dir", mode: 0o755},
	{path: "/etc", kind: "dir", mode: 0o755},
	{path: "/etc/passwd", mode: 0o644, content: "root:x:0:0::/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n+::::::\nbroken\n"},
	{path: "/etc/group", mode: 0o644, content: "root:x:0:\nalice:x:1000:\n"},
	{path: "/tmp", kind: "dir", mode: 0o1777},
	{path: "/tmp/ww", mode: 0o666},
	{path: "/tmp/fifo", kind: "fifo", mode: 0o666},
	{path: "/tmp/sock", kind: "socket", mode: 0o777},
	{path: "/tmp/link", kind: "symlink", content: "/etc/passwd"},
	{path: "/srv", kind: "dir", mode: 0o755},
	{path: "/srv/open", kind: "dir", mode: 0o777},
	{path: "/srv/open/inside", mode: 0o644},
	{path: "/usr", kind: "dir", mode: 0o755},
	{path: "/usr/bin", kind: "dir", mode: 0o755},
	{path: "/usr/bin/su", mode: 0o4755},
	{path: "/usr/bin/wall", mode: 0o2755, gid: 1000},
	{path: "/usr/bin/both", mode: 0o6755},
	{path: "/var", kind: "dir", mode: 0o755},
	{path: "/var/mail", kind: "dir", mode: 0o2775, gid: 1000},
	{path: "/home", kind: "dir", mode: 0o755},
	{path: "/home/ghost", mode: 0o755, uid: 4242, gid: 1000},
	{path: "/home/nogroup", mode: 0o644, uid: 1000, gid: 4243},
	{path: "/home/orphan", kind: "symlink", content: "ghost", uid: 4242, gid: 4243},
	{path: "/proc", kind: "dir", mode: 0o555},
	{path: "/proc/ww", mode: 0o666},
	{path: "/proc/suid", mode: 0o4755},
}

// sweepTreeWant is what a sweep of sweepTree finds.
func sweepTreeWant() *SweepFacts {
	e := func(p, mode string, uid, gid int, typ string) SweepEntry {
		return SweepEntry{Path: p, Mode: mode, UID: uid, GID: gid, Type: typ}
	}
	return &SweepFacts{
		Paths:    []string{"/"},
		Missing:  []string{},
		Excludes: []string{"/dev", "/proc", "/run", "/sys"},
		Complete: true,
		Budget:   SweepBudget{MaxEntries: DefaultSweepMaxEntries, TimeoutMS: DefaultSweepTimeout.Milliseconds()},
		// Everything but /proc's three entries.
		Scanned: SweepScanned{Entries: 23, Dirs: 10},
		IDDatabases: SweepIDDatabases{
			Passwd: SweepIDDatabase{Path: "/etc/passwd", Exists: true, Read: true, IDs: 2},
			Group:  SweepIDDatabase{Path: "/etc/group", Exists: true, Read: true, IDs: 2},
		},
		WorldWritableFiles:             []SweepEntry{e("/tmp/fifo", "0666", 0, 0, "fifo"), e("/tmp/ww", "0666", 0, 0, "file")},
		WorldWritableDirsWithoutSticky: []SweepEntry{e("/srv/open", "0777", 0, 0, "directory")},
		Unowned:                        []SweepEntry{e("/home/ghost", "0755", 4242, 1000, "file"), e("/home/orphan", "0777", 4242, 4243, "symlink")},
		Ungrouped:                      []SweepEntry{e("/home/nogroup", "0644", 1000, 4243, "file"), e("/home/orphan", "0777", 4242, 4243, "symlink")},
		SUID:                           []SweepEntry{e("/usr/bin/both", "6755", 0, 0, "file"), e("/usr/bin/su", "4755", 0, 0, "file")},
		SGID:                           []SweepEntry{e("/usr/bin/both", "6755", 0, 0, "file"), e("/usr/bin/wall", "2755", 0, 1000, "file")},
		Unreadable:                     []SweepUnreadable{},
		Counts:                         SweepCounts{WorldWritableFiles: 2, WorldWritableDirsWithoutSticky: 1, Unowned: 2, Ungrouped: 2, SUID: 2, SGID: 2},
	}
}

var ignoreDuration = cmpopts.IgnoreFields(SweepScanned{}, "DurationMS")

// requireRoot skips (or fails, when oracles are required) a test that
// needs chown.
func requireRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		oracle.Missing(t, "chown needs root")
	}
}

// buildSweepTree writes nodes under dir with their modes and owners.
func buildSweepTree(t testing.TB, dir string, nodes []sweepNode) {
	t.Helper()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, n := range nodes {
		p := filepath.Join(dir, n.path)
		if n.path != "/" {
			must(os.MkdirAll(filepath.Dir(p), 0o755))
		}
		switch n.kind {
		case "dir":
			must(os.MkdirAll(p, 0o755))
		case "fifo":
			must(unix.Mkfifo(p, 0o600))
		case "socket":
			must(unix.Mknod(p, unix.S_IFSOCK|0o600, 0))
		case "symlink":
			must(os.Symlink(n.content, p))
		default:
			must(os.WriteFile(p, []byte(n.content), 0o600))
		}
	}
	// Owners and modes last, deepest first, so that a directory's mode
	// does not stop its children from being made.
	for i := len(nodes) - 1; i >= 0; i-- {
		n := nodes[i]
		p := filepath.Join(dir, n.path)
		if os.Geteuid() == 0 {
			must(unix.Lchown(p, n.uid, n.gid))
		}
		if n.kind != "symlink" {
			must(unix.Chmod(p, n.mode))
		}
	}
}

// memSweepRoot writes the nodes that an afero.MemMapFs can hold (no
// FIFOs, sockets or symlinks) with ownership reported by ownedFs.
func memSweepRoot(t *testing.T, nodes []sweepNode) afero.Fs {
	t.Helper()
	mem := afero.NewMemMapFs()
	owners := map[string][2]int{}
	for _, n := range nodes {
		mode := os.FileMode(n.mode & 0o777)
		if n.mode&0o4000 != 0 {
			mode |= os.ModeSetuid
		}
		if n.mode&0o2000 != 0 {
			mode |= os.ModeSetgid
		}
		if n.mode&0o1000 != 0 {
			mode |= os.ModeSticky
		}
		switch n.kind {
		case "dir":
			if err := mem.MkdirAll(n.path, 0o755); err != nil {
				t.Fatal(err)
			}
		case "", "file":
			if err := afero.WriteFile(mem, n.path, []byte(n.content), 0o644); err != nil {
				t.Fatal(err)
			}
		default:
			continue
		}
		if err := mem.Chmod(n.path, mode); err != nil {
			t.Fatal(err)
		}
		owners[n.path] = [2]int{n.uid, n.gid}
	}
	return rootfs.Wrap(ownedFs{Fs: mem, owners: owners})
}

func sweep(t *testing.T, c Sweep, tg Target) *SweepFacts {
	t.Helper()
	got, err := c.Collect(context.Background(), tg)
	if err != nil {
		t.Fatal(err)
	}
	return got.(*SweepFacts)
}

// TestSweepOsFs sweeps a real directory through both walks: the fast one
// (rootfs.New) and the generic one (rootfs.Wrap over the same directory).
// Each must report exactly the findings, never follow the symlink to the
// directory outside the root, and skip /proc.
func TestSweepOsFs(t *testing.T) {
	requireRoot(t)
	dir := t.TempDir()
	buildSweepTree(t, dir, sweepTree)
	outside := t.TempDir()
	buildSweepTree(t, outside, []sweepNode{
		{path: "/", kind: "dir", mode: 0o777},
		{path: "/MARKER-ww", mode: 0o666},
		{path: "/MARKER-suid", mode: 0o4755, uid: 4242},
	})
	if err := os.Symlink(outside, filepath.Join(dir, "home", "escape")); err != nil {
		t.Fatal(err)
	}
	want := sweepTreeWant()
	want.Scanned.Entries++ // the escape link itself

	fast, err := rootfs.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	for name, fsys := range map[string]afero.Fs{
		"fast":    fast,
		"generic": rootfs.Wrap(afero.NewBasePathFs(afero.NewOsFs(), dir)),
	} {
		t.Run(name, func(t *testing.T) {
			got := sweep(t, Sweep{}, Target{Fs: fsys, Root: dir})
			if diff := cmp.Diff(want, got, ignoreDuration); diff != "" {
				t.Errorf("facts (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSweepMemMapFs sweeps an in-memory root (the generic walk over a file
// system without symlinks) with the same entries.
func TestSweepMemMapFs(t *testing.T) {
	var nodes []sweepNode
	for _, n := range sweepTree {
		if n.kind == "" || n.kind == "file" || n.kind == "dir" {
			nodes = append(nodes, n)
		}
	}
	want := sweepTreeWant()
	want.Scanned.Entries -= 4 // no FIFO, socket or symlinks
	want.WorldWritableFiles = want.WorldWritableFiles[1:]
	want.Unowned = want.Unowned[:1]
	want.Ungrouped = want.Ungrouped[:1]
	want.Counts.WorldWritableFiles, want.Counts.Unowned, want.Counts.Ungrouped = 1, 1, 1
	got := sweep(t, Sweep{}, Target{Fs: memSweepRoot(t, nodes), Root: "/"})
	if diff := cmp.Diff(want, got, ignoreDuration); diff != "" {
		t.Errorf("facts (-want +got):\n%s", diff)
	}
}

// TestSweepWorkersAgree checks that the parallel fast walk reports the same
// facts, list truncation included, whatever the number of workers.
func TestSweepWorkersAgree(t *testing.T) {
	dir := t.TempDir()
	var nodes []sweepNode
	for i := range 40 {
		for j := range 30 {
			mode := uint32(0o644)
			switch (i*30 + j) % 7 {
			case 0:
				mode = 0o666
			case 3:
				mode = 0o4755
			}
			nodes = append(nodes, sweepNode{path: fmt.Sprintf("/d%02d/s%02d/f", i, j), mode: mode})
		}
	}
	buildSweepTree(t, dir, nodes)
	fsys, err := rootfs.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	one := sweep(t, Sweep{Workers: 1, MaxFindings: 50}, Target{Fs: fsys, Root: dir})
	if one.Counts.WorldWritableFiles != 172 || len(one.WorldWritableFiles) != 50 || one.WorldWritableFiles[0].Path != "/d00/s00/f" {
		t.Fatalf("workers=1: %d world-writable, %d listed, first %v", one.Counts.WorldWritableFiles, len(one.WorldWritableFiles), one.WorldWritableFiles[0])
	}
	for _, w := range []int{2, 4, 8} {
		got := sweep(t, Sweep{Workers: w, MaxFindings: 50}, Target{Fs: fsys, Root: dir})
		if diff := cmp.Diff(one, got, ignoreDuration); diff != "" {
			t.Errorf("workers=%d (-workers=1 +got):\n%s", w, diff)
		}
	}
}

// TestSweepMaxFindings keeps the first paths in byte order and the exact
// count.
func TestSweepMaxFindings(t *testing.T) {
	var nodes []sweepNode
	for i := range 25 {
		nodes = append(nodes, sweepNode{path: fmt.Sprintf("/tmp/f%02d", 24-i), mode: 0o666})
	}
	got := sweep(t, Sweep{MaxFindings: 5}, Target{Fs: memSweepRoot(t, nodes)})
	var paths []string
	for _, e := range got.WorldWritableFiles {
		paths = append(paths, e.Path)
	}
	if diff := cmp.Diff([]string{"/tmp/f00", "/tmp/f01", "/tmp/f02", "/tmp/f03", "/tmp/f04"}, paths); diff != "" || got.Counts.WorldWritableFiles != 25 {
		t.Errorf("count %d, listed (-want +got):\n%s", got.Counts.WorldWritableFiles, diff)
	}
	if !got.Complete {
		t.Error("a truncated list made the sweep incomplete")
	}
}

// TestSweepBudgets stops at the entry and time budgets, says where, and
// reports what it found so far as incomplete.
func TestSweepBudgets(t *testing.T) {
	var nodes []sweepNode
	for i := range 600 {
		nodes = append(nodes, sweepNode{path: fmt.Sprintf("/data/f%03d", i), mode: 0o666})
	}
	dir := t.TempDir()
	buildSweepTree(t, dir, nodes)
	fast, err := rootfs.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	roots := map[string]afero.Fs{"fast": fast, "generic": rootfs.Wrap(afero.NewBasePathFs(afero.NewOsFs(), dir))}
	for name, fsys := range roots {
		t.Run(name+"/entries", func(t *testing.T) {
			got := sweep(t, Sweep{MaxEntries: 10, Workers: 1}, Target{Fs: fsys})
			// /, /data and f000..f007 are examined; f008 is where it stops.
			want := SweepBudget{Hit: true, Reason: "entry budget of 10 reached at /data/f008", MaxEntries: 10, TimeoutMS: DefaultSweepTimeout.Milliseconds()}
			if diff := cmp.Diff(want, got.Budget); diff != "" || got.Complete || got.Scanned.Entries != 10 || got.Counts.WorldWritableFiles != 8 {
				t.Errorf("complete %v, %d entries, %d findings; budget (-want +got):\n%s", got.Complete, got.Scanned.Entries, got.Counts.WorldWritableFiles, diff)
			}
		})
		t.Run(name+"/time", func(t *testing.T) {
			got := sweep(t, Sweep{Timeout: time.Nanosecond, Workers: 1}, Target{Fs: fsys})
			// The clock is read every 256 entries.
			if !got.Budget.Hit || got.Budget.Reason != "time budget of 1ns reached at /data/f253" || got.Complete || got.Scanned.Entries != 255 {
				t.Errorf("budget %+v, complete %v, %d entries", got.Budget, got.Complete, got.Scanned.Entries)
			}
		})
	}
	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := Sweep{}.Collect(ctx, Target{Fs: fast})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
	})
	t.Run("deadline", func(t *testing.T) {
		// A collector deadline shorter than Timeout becomes the time
		// budget (less a tenth), so that the facts arrive before it.
		ctx, cancel := context.WithTimeout(context.Background(), time.Microsecond)
		defer cancel()
		time.Sleep(time.Millisecond)
		_, err := Sweep{}.Collect(ctx, Target{Fs: fast})
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want the context's deadline error", err)
		}
		ctx, cancel = context.WithTimeout(context.Background(), time.Hour)
		defer cancel()
		s, _, err := Sweep{Timeout: 2 * time.Hour}.prepare(ctx, Target{Fs: fast}, time.Now())
		if err != nil || s.timeBudget > 54*time.Minute || s.timeBudget < 53*time.Minute {
			t.Fatalf("time budget %v, %v; want 54m less the time taken", s.timeBudget, err)
		}
	})
}

// TestSweepExcludes: literal and glob excludes are neither examined nor
// entered; a swept path is swept even when an exclude names it.
func TestSweepExcludes(t *testing.T) {
	root := memSweepRoot(t, []sweepNode{
		{path: "/proc/ww", mode: 0o666},
		{path: "/home/alice/.cache/ww", mode: 0o666},
		{path: "/home/bob/.cache/ww", mode: 0o666},
		{path: "/home/bob/ww", mode: 0o666},
		{path: "/srv/ww", mode: 0o666},
	})
	got := sweep(t, Sweep{Paths: []string{"/home", "/proc", "/home/bob"}, Excludes: []string{"/home/*/.cache", "/proc", "/srv/"}}, Target{Fs: root})
	var paths []string
	for _, e := range got.WorldWritableFiles {
		paths = append(paths, e.Path)
	}
	if diff := cmp.Diff([]string{"/home/bob/ww", "/proc/ww"}, paths); diff != "" {
		t.Errorf("world-writable (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"/home/*/.cache", "/proc", "/srv"}, got.Excludes); diff != "" {
		t.Errorf("excludes (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"/home", "/proc", "/home/bob"}, got.Paths); diff != "" {
		t.Errorf("paths (-want +got):\n%s", diff)
	}
	none := sweep(t, Sweep{Excludes: []string{}}, Target{Fs: root})
	if none.Counts.WorldWritableFiles != 5 || len(none.Excludes) != 0 {
		t.Errorf("with no excludes: %d world-writable, excludes %v", none.Counts.WorldWritableFiles, none.Excludes)
	}
	// An exclude of "/" (never a swept path's own exclusion) does not
	// swallow the excludes below it.
	slash := sweep(t, Sweep{Excludes: []string{"/", "/srv", "/proc", "/home"}}, Target{Fs: root})
	if slash.Counts.WorldWritableFiles != 0 || len(slash.Excludes) != 4 {
		t.Errorf("with / excluded: %d world-writable, excludes %v", slash.Counts.WorldWritableFiles, slash.Excludes)
	}
	for _, bad := range []Sweep{{Paths: []string{"etc"}}, {Excludes: []string{"proc"}}, {Excludes: []string{"/a/[b"}}} {
		if _, err := bad.Collect(context.Background(), Target{Fs: root}); err == nil || !strings.HasPrefix(err.Error(), "sweep: ") {
			t.Errorf("%+v: err = %v, want a sweep error", bad, err)
		}
	}
}

// TestSweepLiveMounts reads the live host's mount table through the target
// file system and excludes pseudo, network and FUSE mounts, not tmpfs.
func TestSweepLiveMounts(t *testing.T) {
	mounts := "/dev/sda1 / ext4 rw 0 0\n" +
		"proc /proc proc rw 0 0\n" +
		"cgroup2 /sys/fs/cgroup cgroup2 rw 0 0\n" +
		"srv:/export /mnt/nfs/sub nfs4 rw 0 0\n" +
		"srv:/export /mnt/nfs nfs4 rw 0 0\n" +
		"//srv/share /mnt/my\\040share cifs rw 0 0\n" +
		"sshfs#me@h: /mnt/fuse fuse.sshfs rw 0 0\n" +
		"tmpfs /tmp tmpfs rw 0 0\n"
	root := memSweepRoot(t, []sweepNode{
		{path: "/proc/self/mounts", mode: 0o444, content: mounts},
		{path: "/mnt/nfs/ww", mode: 0o666},
		{path: "/mnt/my share/ww", mode: 0o666},
		{path: "/mnt/fuse/ww", mode: 0o666},
		{path: "/tmp/ww", mode: 0o666},
	})
	got := sweep(t, Sweep{}, Target{Fs: root, Root: "/", Live: true})
	if diff := cmp.Diff([]string{"/dev", "/mnt/fuse", "/mnt/my share", "/mnt/nfs", "/proc", "/run", "/sys"}, got.Excludes); diff != "" {
		t.Errorf("excludes (-want +got):\n%s", diff)
	}
	if got.Counts.WorldWritableFiles != 1 || got.WorldWritableFiles[0].Path != "/tmp/ww" {
		t.Errorf("world-writable %v, want only /tmp/ww", got.WorldWritableFiles)
	}
	// Offline, /proc/self/mounts would describe the scanning machine: it
	// is not read.
	if got := sweep(t, Sweep{}, Target{Fs: root, Root: "/img"}); len(got.Excludes) != 4 {
		t.Errorf("offline excludes %v", got.Excludes)
	}
	for name, content := range map[string]string{"missing": "", "short line": "proc /proc\n", "bad escape": "x /a\\09 nfs rw 0 0\n"} {
		nodes := []sweepNode{{path: "/etc/hostname", content: "h"}}
		if content != "" {
			nodes = append(nodes, sweepNode{path: "/proc/self/mounts", content: content})
		}
		_, err := Sweep{}.Collect(context.Background(), Target{Fs: memSweepRoot(t, nodes), Live: true})
		if err == nil || !strings.Contains(err.Error(), "/proc/self/mounts") {
			t.Errorf("%s: err = %v, want an error naming /proc/self/mounts", name, err)
		}
	}
}

func TestUnescapeMountField(t *testing.T) {
	for in, want := range map[string]string{`/a`: "/a", `/a\040b`: "/a b", `/t\011\134`: "/t\t\\"} {
		if got, err := unescapeMountField(in); err != nil || got != want {
			t.Errorf("%q: %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{`/a\04`, `/a\9xx`, `\`} {
		if got, err := unescapeMountField(bad); err == nil {
			t.Errorf("%q: %q, want an error", bad, got)
		}
	}
}

// TestSweepStartPaths: a missing path is a fact, a path through a symlink
// is swept where it leads inside the root, nested paths are swept once, a
// file can be swept.
func TestSweepStartPaths(t *testing.T) {
	requireRoot(t)
	dir := t.TempDir()
	buildSweepTree(t, dir, []sweepNode{
		{path: "/usr/bin/su", mode: 0o4755},
		{path: "/bin", kind: "symlink", content: "usr/bin"},
		{path: "/etc/passwd", mode: 0o644, content: "root:x:0:0::/:/bin/sh\n"},
		{path: "/sbin", kind: "symlink", content: "/../../../outside"},
	})
	fsys, err := rootfs.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	got := sweep(t, Sweep{Paths: []string{"/bin", "/usr/bin/su", "/nope", "/sbin", "/usr"}}, Target{Fs: fsys})
	if diff := cmp.Diff([]string{"/nope", "/sbin"}, got.Missing); diff != "" {
		t.Errorf("missing (-want +got):\n%s", diff)
	}
	want := []SweepEntry{{Path: "/usr/bin/su", Mode: "4755", Type: "file"}}
	if diff := cmp.Diff(want, got.SUID); diff != "" || got.Scanned.Entries != 3 {
		t.Errorf("%d entries (want /usr, /usr/bin, su); suid (-want +got):\n%s", got.Scanned.Entries, diff)
	}
}

// TestSweepIDDatabases: ownership is judged only against databases that
// were read; a database that exists but cannot be read says why.
func TestSweepIDDatabases(t *testing.T) {
	dir := t.TempDir()
	buildSweepTree(t, dir, []sweepNode{
		{path: "/etc/group", kind: "fifo", mode: 0o644},
		{path: "/data/f", mode: 0o644, uid: 4242, gid: 4243},
	})
	fsys, err := rootfs.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	got := sweep(t, Sweep{}, Target{Fs: fsys})
	want := SweepIDDatabases{
		Passwd: SweepIDDatabase{Path: "/etc/passwd"},
		Group:  SweepIDDatabase{Path: "/etc/group", Exists: true, Error: "read /etc/group: not a regular file"},
	}
	if diff := cmp.Diff(want, got.IDDatabases); diff != "" {
		t.Errorf("id databases (-want +got):\n%s", diff)
	}
	if got.Counts.Unowned != 0 || got.Counts.Ungrouped != 0 {
		t.Errorf("ownership judged without databases: %d unowned, %d ungrouped", got.Counts.Unowned, got.Counts.Ungrouped)
	}
}

// TestSweepUnreadable records what cannot be read and goes on; the sweep
// is then incomplete.
func TestSweepUnreadable(t *testing.T) {
	mem := afero.NewMemMapFs()
	for _, p := range []string{"/a/locked/x", "/b/ww"} {
		if err := afero.WriteFile(mem, p, nil, 0o666); err != nil {
			t.Fatal(err)
		}
		if err := mem.Chmod(p, 0o666); err != nil {
			t.Fatal(err)
		}
	}
	fsys := rootfs.Wrap(failOpenFs{ownedFs: ownedFs{Fs: mem}, fail: "/a/locked"})
	got := sweep(t, Sweep{}, Target{Fs: fsys})
	want := []SweepUnreadable{{Path: "/a/locked", Error: "permission denied"}}
	if diff := cmp.Diff(want, got.Unreadable); diff != "" || got.Complete || got.Counts.Unreadable != 1 {
		t.Errorf("complete %v; unreadable (-want +got):\n%s", got.Complete, diff)
	}
	if got.Counts.WorldWritableFiles != 1 || got.WorldWritableFiles[0].Path != "/b/ww" {
		t.Errorf("the sweep did not go on past the unreadable directory: %v", got.WorldWritableFiles)
	}

	// On the real file system: as root, permissions do not stop the
	// sweep; otherwise a mode 000 directory is unreadable.
	dir := t.TempDir()
	buildSweepTree(t, dir, []sweepNode{{path: "/locked", kind: "dir", mode: 0}, {path: "/locked/ww", mode: 0o666}})
	defer os.Chmod(filepath.Join(dir, "locked"), 0o755)
	rfs, err := rootfs.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	got = sweep(t, Sweep{}, Target{Fs: rfs})
	if os.Geteuid() == 0 {
		if !got.Complete || got.Counts.WorldWritableFiles != 1 {
			t.Errorf("as root: complete %v, %d world-writable, unreadable %v", got.Complete, got.Counts.WorldWritableFiles, got.Unreadable)
		}
	} else if got.Complete || len(got.Unreadable) != 1 || got.Unreadable[0] != (SweepUnreadable{Path: "/locked", Error: "permission denied"}) {
		t.Errorf("not root: complete %v, unreadable %v", got.Complete, got.Unreadable)
	}
}

// failOpenFs refuses to open one directory.
type failOpenFs struct {
	ownedFs
	fail string
}

func (f failOpenFs) OpenFile(name string, flag int, perm os.FileMode) (afero.File, error) {
	if filepath.Clean(name) == f.fail {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return f.ownedFs.OpenFile(name, flag, perm)
}

// TestSweepDepthLimit: a root nested deeper than the walk keeps
// descriptors for is recorded as unreadable below the limit, not walked.
func TestSweepDepthLimit(t *testing.T) {
	dir := t.TempDir()
	deep := strings.Repeat("/d", sweepMaxDepth+5)
	if err := os.MkdirAll(filepath.Join(dir, deep), 0o755); err != nil {
		t.Fatal(err)
	}
	fast, err := rootfs.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	for name, fsys := range map[string]afero.Fs{"fast": fast, "generic": rootfs.Wrap(afero.NewBasePathFs(afero.NewOsFs(), dir))} {
		got := sweep(t, Sweep{}, Target{Fs: fsys})
		want := []SweepUnreadable{{Path: strings.Repeat("/d", sweepMaxDepth), Error: fmt.Sprintf("nested deeper than %d directories", sweepMaxDepth)}}
		if diff := cmp.Diff(want, got.Unreadable); diff != "" || got.Complete || got.Scanned.Dirs != sweepMaxDepth+1 {
			t.Errorf("%s: complete %v, %d dirs; unreadable (-want +got):\n%s", name, got.Complete, got.Scanned.Dirs, diff)
		}
	}
}

// TestSweepSwappedDirectory replaces a directory with a symlink to a
// directory outside the root between its stat and its open: the walk must
// refuse to enter it rather than sweep the outside.
func TestSweepSwappedDirectory(t *testing.T) {
	dir, outside := t.TempDir(), t.TempDir()
	buildSweepTree(t, dir, []sweepNode{{path: "/a/inside", mode: 0o644}, {path: "/b/ww", mode: 0o666}})
	buildSweepTree(t, outside, []sweepNode{{path: "/MARKER", mode: 0o666}})
	fsys, err := rootfs.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	swap := func(p string) {
		if p != "/a" {
			return
		}
		host := filepath.Join(dir, "a")
		if err := os.RemoveAll(host); err != nil {
			t.Error(err)
		}
		if err := os.Symlink(outside, host); err != nil {
			t.Error(err)
		}
	}
	got := sweep(t, Sweep{beforeOpen: swap, Workers: 1}, Target{Fs: fsys})
	if len(got.Unreadable) != 1 || got.Unreadable[0].Path != "/a" || got.Unreadable[0].Error != unix.ENOTDIR.Error() {
		t.Errorf("unreadable %v, want /a refused (O_DIRECTORY|O_NOFOLLOW on a symlink: ENOTDIR)", got.Unreadable)
	}
	if got.Complete || got.Counts.WorldWritableFiles != 1 || got.WorldWritableFiles[0].Path != "/b/ww" {
		t.Errorf("complete %v, world-writable %v; want only /b/ww", got.Complete, got.WorldWritableFiles)
	}

	// A directory swapped for another directory is refused too.
	buildSweepTree(t, dir, []sweepNode{{path: "/c/x", mode: 0o644}, {path: "/c2/MARKER", mode: 0o666}})
	swapDir := func(p string) {
		if p == "/c" {
			if err := os.Rename(filepath.Join(dir, "c2"), filepath.Join(dir, "c")); err != nil {
				// c is not empty: move it away first.
				_ = os.Rename(filepath.Join(dir, "c"), filepath.Join(dir, "c-old"))
				if err := os.Rename(filepath.Join(dir, "c2"), filepath.Join(dir, "c")); err != nil {
					t.Error(err)
				}
			}
		}
	}
	got = sweep(t, Sweep{beforeOpen: swapDir, Workers: 1, Excludes: []string{"/a", "/b", "/c-old", "/c2"}}, Target{Fs: fsys})
	if len(got.Unreadable) != 1 || got.Unreadable[0] != (SweepUnreadable{Path: "/c", Error: "replaced during the sweep"}) {
		t.Errorf("unreadable %v, want /c replaced during the sweep", got.Unreadable)
	}
}

// TestSweepNeedsLstatAndOwnership refuses a file system that would follow
// symlinks or cannot say who owns a file.
func TestSweepNeedsLstatAndOwnership(t *testing.T) {
	mem := afero.NewMemMapFs()
	if err := afero.WriteFile(mem, "/etc/passwd", []byte("root:x:0:0::/:/bin/sh\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := (Sweep{}).Collect(context.Background(), Target{Fs: rootfs.Wrap(mem)}); !errors.Is(err, ErrNoOwnership) {
		t.Errorf("err = %v, want ErrNoOwnership", err)
	}
	_, err := Sweep{}.Collect(context.Background(), Target{Fs: noLstatFs{mem}})
	if err == nil || !strings.Contains(err.Error(), "cannot lstat") {
		t.Errorf("err = %v, want a refusal to walk without lstat", err)
	}
}

// noLstatFs hides the Lstater of the file system it wraps.
type noLstatFs struct{ afero.Fs }

// TestSweepOracleFind compares every list with find(1) on a real tree of
// random entries: random modes (special bits included), types, owners and
// groups, some unknown to the root's databases (copies of the host's, as
// find resolves owners with the host's).
func TestSweepOracleFind(t *testing.T) {
	findBin := oracle.Require(t, "find")
	requireRoot(t)
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(7, 11))
	ids := []int{0, 1, 4242, 65534, 4243}
	nodes := []sweepNode{{path: "/", kind: "dir", mode: 0o755}, {path: "/etc", kind: "dir", mode: 0o755}}
	for i := range 1500 {
		d := fmt.Sprintf("/r/d%d/e%d", i%13, i%7)
		kinds := []string{"file", "file", "file", "dir", "fifo", "symlink", "socket"}
		kind := kinds[rng.IntN(len(kinds))]
		mode := uint32(rng.IntN(0o10000))
		if kind == "dir" {
			mode |= 0o700 // so that the tree stays buildable and walkable as non-root
		}
		nodes = append(nodes, sweepNode{
			path: fmt.Sprintf("%s/n%04d", d, i), kind: kind, mode: mode,
			uid: ids[rng.IntN(len(ids))], gid: ids[rng.IntN(len(ids))], content: "../x",
		})
	}
	buildSweepTree(t, dir, nodes)
	for _, db := range []string{"passwd", "group"} {
		b, err := os.ReadFile("/etc/" + db)
		if err != nil {
			oracle.Missing(t, err.Error())
		}
		if err := os.WriteFile(filepath.Join(dir, "etc", db), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	fsys, err := rootfs.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	got := sweep(t, Sweep{MaxFindings: 100000}, Target{Fs: fsys})

	find := func(args ...string) []SweepEntry {
		t.Helper()
		cmd := exec.Command(findBin, append(append([]string{dir, "-xdev"}, args...), "-printf", `/%P\t%m\t%U\t%G\t%y\n`)...)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%v: %v", cmd.Args, err)
		}
		types := map[string]string{"f": "file", "d": "directory", "l": "symlink", "p": "fifo", "s": "socket", "c": "char_device", "b": "block_device"}
		list := []SweepEntry{}
		for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			if line == "" {
				continue
			}
			f := strings.Split(line, "\t")
			mode, _ := strconv.ParseUint(f[1], 8, 32)
			uid, _ := strconv.Atoi(f[2])
			gid, _ := strconv.Atoi(f[3])
			p := f[0]
			if p != "/" {
				p = strings.TrimSuffix(p, "/")
			}
			list = append(list, SweepEntry{Path: p, Mode: fmt.Sprintf("%04o", mode), UID: uid, GID: gid, Type: types[f[4]]})
		}
		slices.SortFunc(list, func(a, b SweepEntry) int { return strings.Compare(a.Path, b.Path) })
		return list
	}
	nonDir := []string{"!", "-type", "d"}
	for _, c := range []struct {
		name string
		got  []SweepEntry
		find []string
	}{
		{"world-writable files", got.WorldWritableFiles, []string{"-perm", "-0002", "(", "-type", "f", "-o", "-type", "p", "-o", "-type", "c", "-o", "-type", "b", ")"}},
		{"world-writable dirs without sticky", got.WorldWritableDirsWithoutSticky, []string{"-type", "d", "-perm", "-0002", "!", "-perm", "-1000"}},
		{"suid", got.SUID, append([]string{"-perm", "-4000"}, nonDir...)},
		{"sgid", got.SGID, append([]string{"-perm", "-2000"}, nonDir...)},
		{"unowned", got.Unowned, []string{"-nouser"}},
		{"ungrouped", got.Ungrouped, []string{"-nogroup"}},
	} {
		w := find(c.find...)
		if len(w) == 0 {
			t.Errorf("%s: find found nothing; the random tree should hold some", c.name)
		}
		if diff := cmp.Diff(w, c.got); diff != "" {
			t.Errorf("%s (-find +sweep):\n%s", c.name, diff)
		}
	}
	if all := find(); int64(len(all)) != got.Scanned.Entries {
		t.Errorf("swept %d entries, find lists %d", got.Scanned.Entries, len(all))
	}
}

// TestSweepProgress: the callback sees the count grow, and the last call
// is at most the entries the facts report.
func TestSweepProgress(t *testing.T) {
	dir := t.TempDir()
	var nodes []sweepNode
	for i := range 50 {
		for j := range 100 {
			nodes = append(nodes, sweepNode{path: fmt.Sprintf("/d%02d/f%03d", i, j), mode: 0o644})
		}
	}
	buildSweepTree(t, dir, nodes)
	fsys, err := rootfs.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var calls []int64
	got := sweep(t, Sweep{Progress: func(n int64) { mu.Lock(); calls = append(calls, n); mu.Unlock() }}, Target{Fs: fsys, Root: dir})
	if len(calls) == 0 {
		t.Fatal("no progress for 5,000 entries")
	}
	for _, n := range calls {
		if n%4096 != 0 || n > got.Scanned.Entries {
			t.Errorf("progress %d (facts: %d entries)", n, got.Scanned.Entries)
		}
	}
}
