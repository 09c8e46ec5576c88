package checks

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gcrun/gcrun/internal/oracle"
	"github.com/google/go-cmp/cmp"
)

// cronDebianRoot is a stock Debian 12 server with cron installed: Debian's
// modes (crontab 0644, directories 0755, the spool 1730 root:crontab, the
// crontab program setgid crontab), no allow or deny file, no at.
var cronDebianRoot = []fileSpec{
	{path: "/etc/passwd", content: "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1::/usr/sbin:/usr/sbin/nologin\n", mode: 0o644},
	{path: "/etc/group", content: "root:x:0:\ndaemon:x:1:\ncrontab:x:101:\n", mode: 0o644},
	{path: "/etc/crontab", content: "17 * * * * root cd / && run-parts --report /etc/cron.hourly\n", mode: 0o644},
	{path: "/etc/cron.hourly", dir: true, mode: 0o755},
	{path: "/etc/cron.daily", dir: true, mode: 0o755},
	{path: "/etc/cron.weekly", dir: true, mode: 0o755},
	{path: "/etc/cron.monthly", dir: true, mode: 0o755},
	{path: "/etc/cron.yearly", dir: true, mode: 0o755},
	{path: "/etc/cron.d", dir: true, mode: 0o755},
	{path: "/var/spool/cron/crontabs", dir: true, mode: 0o1730 | os.ModeSticky, gid: 101},
	{path: "/usr/sbin/cron", content: "elf", mode: 0o755},
	{path: "/usr/bin/crontab", content: "elf", mode: 0o2755 | os.ModeSetgid, gid: 101},
}

// cronHardenedRoot adds what CIS asks for (cron.allow and at.allow, a
// root-only cron.yearly and cron.d; the later spec wins in memRoot) and
// installs at.
var cronHardenedRoot = append(append([]fileSpec{}, cronDebianRoot...), []fileSpec{
	{path: "/etc/cron.allow", content: "root\nalice\n\n# not a comment for cron\n", mode: 0o640},
	{path: "/etc/at.allow", content: "root\n", mode: 0o600},
	{path: "/etc/at.deny", content: "", mode: 0o640, gid: 1},
	{path: "/etc/cron.yearly", dir: true, mode: 0o700},
	{path: "/etc/cron.d", dir: true, mode: 0o700},
	{path: "/usr/sbin/atd", content: "elf", mode: 0o755},
	{path: "/usr/bin/at", content: "elf", mode: 0o6755 | os.ModeSetuid | os.ModeSetgid, uid: 1, gid: 1},
}...)

func cronStat(path, typ, mode string, uid, gid int, owner, group string) *FileInfo {
	var bits uint64
	bits, _ = strconv.ParseUint(mode, 8, 32)
	fi := stat(path, mode, uint32(bits), uid, gid, owner, group, 0)
	fi.Type = typ
	return fi
}

func cronMissing(p string) *FileInfo { return &FileInfo{Path: p} }

var cronIgnore = []cmp.Option{ignoreMtime, cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".Size" }, cmp.Ignore())}

func cronDebianWant() *CronFacts {
	return &CronFacts{
		Paths: map[string]*FileInfo{
			"/etc/crontab":             cronStat("/etc/crontab", "file", "0644", 0, 0, "root", "root"),
			"/etc/cron.hourly":         cronStat("/etc/cron.hourly", "directory", "0755", 0, 0, "root", "root"),
			"/etc/cron.daily":          cronStat("/etc/cron.daily", "directory", "0755", 0, 0, "root", "root"),
			"/etc/cron.weekly":         cronStat("/etc/cron.weekly", "directory", "0755", 0, 0, "root", "root"),
			"/etc/cron.monthly":        cronStat("/etc/cron.monthly", "directory", "0755", 0, 0, "root", "root"),
			"/etc/cron.yearly":         cronStat("/etc/cron.yearly", "directory", "0755", 0, 0, "root", "root"),
			"/etc/cron.d":              cronStat("/etc/cron.d", "directory", "0755", 0, 0, "root", "root"),
			"/var/spool/cron/crontabs": cronStat("/var/spool/cron/crontabs", "directory", "1730", 0, 101, "root", "crontab"),
		},
		Access: map[string]*CronAccessFile{
			"/etc/cron.allow": {FileInfo: cronMissing("/etc/cron.allow"), Users: []CronUser{}},
			"/etc/cron.deny":  {FileInfo: cronMissing("/etc/cron.deny"), Users: []CronUser{}},
			"/etc/at.allow":   {FileInfo: cronMissing("/etc/at.allow"), Users: []CronUser{}},
			"/etc/at.deny":    {FileInfo: cronMissing("/etc/at.deny"), Users: []CronUser{}},
		},
		Programs: map[string]*FileInfo{
			"/usr/sbin/cron":   cronStat("/usr/sbin/cron", "file", "0755", 0, 0, "root", "root"),
			"/usr/bin/crontab": cronStat("/usr/bin/crontab", "file", "2755", 0, 101, "root", "crontab"),
			"/usr/sbin/atd":    cronMissing("/usr/sbin/atd"),
			"/usr/bin/at":      cronMissing("/usr/bin/at"),
		},
	}
}

func TestCronDebian(t *testing.T) {
	got, err := Cron{}.Collect(context.Background(), Target{Fs: memRoot(t, cronDebianRoot)})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(cronDebianWant(), got, cronIgnore...); diff != "" {
		t.Errorf("facts (-want +got):\n%s", diff)
	}
}

func TestCronHardened(t *testing.T) {
	want := cronDebianWant()
	want.Paths["/etc/cron.yearly"] = cronStat("/etc/cron.yearly", "directory", "0700", 0, 0, "root", "root")
	want.Paths["/etc/cron.d"] = cronStat("/etc/cron.d", "directory", "0700", 0, 0, "root", "root")
	want.Access["/etc/cron.allow"] = &CronAccessFile{
		FileInfo: cronStat("/etc/cron.allow", "file", "0640", 0, 0, "root", "root"),
		Users:    []CronUser{{"root", 1}, {"alice", 2}, {"# not a comment for cron", 4}},
	}
	want.Access["/etc/at.allow"] = &CronAccessFile{FileInfo: cronStat("/etc/at.allow", "file", "0600", 0, 0, "root", "root"), Users: []CronUser{{"root", 1}}}
	want.Access["/etc/at.deny"] = &CronAccessFile{FileInfo: cronStat("/etc/at.deny", "file", "0640", 0, 1, "root", "daemon"), Users: []CronUser{}}
	want.Programs["/usr/sbin/atd"] = cronStat("/usr/sbin/atd", "file", "0755", 0, 0, "root", "root")
	want.Programs["/usr/bin/at"] = cronStat("/usr/bin/at", "file", "6755", 1, 1, "daemon", "daemon")
	got, err := Cron{}.Collect(context.Background(), Target{Fs: memRoot(t, cronHardenedRoot)})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got, cronIgnore...); diff != "" {
		t.Errorf("facts (-want +got):\n%s", diff)
	}
}

// TestCronStatOracle compares modes and owner ids with stat(1) on a real
// root, and checks that a symlinked crontab and an allow file that is a
// directory are reported as such.
func TestCronStatOracle(t *testing.T) {
	statBin := oracle.Require(t, "stat")
	if os.Geteuid() != 0 {
		oracle.Missing(t, "chown needs root")
	}
	dir, fsys := osRoot(t, append(append([]fileSpec{}, cronHardenedRoot...),
		fileSpec{path: "/etc/cron.deny", dir: true, mode: 0o755},
		fileSpec{path: "/opt/crontab", content: "# real\n", mode: 0o600}))
	if err := os.Rename(filepath.Join(dir, "etc/crontab"), filepath.Join(dir, "etc/crontab.orig")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/opt/crontab", filepath.Join(dir, "etc/crontab")); err != nil {
		t.Fatal(err)
	}
	got, err := Cron{}.Collect(context.Background(), Target{Fs: fsys})
	if err != nil {
		t.Fatal(err)
	}
	facts := got.(*CronFacts)
	all := map[string]*FileInfo{}
	for p, fi := range facts.Paths {
		all[p] = fi
	}
	for p, fi := range facts.Programs {
		all[p] = fi
	}
	for p, af := range facts.Access {
		all[p] = af.FileInfo
	}
	for p, fi := range all {
		out, err := exec.Command(statBin, "-c", "%a|%u|%g|%F", filepath.Join(dir, p)).Output()
		if !fi.Exists {
			if err == nil {
				t.Errorf("%s: gcrun says missing, stat(1) found it", p)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		f := strings.Split(strings.TrimSpace(string(out)), "|")
		mode, _ := strconv.ParseUint(f[0], 8, 32)
		types := map[string]string{"regular file": "file", "regular empty file": "file", "directory": "directory", "symbolic link": "symlink"}
		if diff := cmp.Diff([]any{uint32(mode), f[1], f[2], types[f[3]]}, []any{fi.ModeBits, strconv.Itoa(fi.UID), strconv.Itoa(fi.GID), fi.Type}); diff != "" {
			t.Errorf("%s: stat(1) disagrees (-stat +gcrun):\n%s", p, diff)
		}
	}
	if ct := facts.Paths["/etc/crontab"]; ct.Type != "symlink" || ct.Target == nil || ct.Target.Path != "/opt/crontab" || ct.Target.Mode != "0600" {
		t.Errorf("symlinked crontab: %+v target %+v", ct.FileStat, ct.Target)
	}
	if deny := facts.Access["/etc/cron.deny"]; deny.Type != "directory" || len(deny.Users) != 0 {
		t.Errorf("cron.deny directory: %+v", deny)
	}
}

func TestCronBadAllowFile(t *testing.T) {
	root := append(append([]fileSpec{}, cronDebianRoot...), fileSpec{path: "/etc/at.deny", content: "root\nbad\xff\n", mode: 0o640})
	_, err := Cron{}.Collect(context.Background(), Target{Fs: memRoot(t, root)})
	if err == nil || err.Error() != "cron: /etc/at.deny:2: not text (invalid UTF-8 or NUL)" {
		t.Fatalf("err = %v", err)
	}
}

func TestCronMissingDirectory(t *testing.T) {
	var root []fileSpec
	for _, s := range cronDebianRoot {
		if s.path != "/etc/cron.weekly" {
			root = append(root, s)
		}
	}
	got, err := Cron{}.Collect(context.Background(), Target{Fs: memRoot(t, root)})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(cronMissing("/etc/cron.weekly"), got.(*CronFacts).Paths["/etc/cron.weekly"]); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestCronEmptyRoot(t *testing.T) {
	got, err := Cron{}.Collect(context.Background(), Target{Fs: memRoot(t, nil)})
	if err != nil {
		t.Fatal(err)
	}
	facts := got.(*CronFacts)
	for p, fi := range facts.Paths {
		if fi.Exists {
			t.Errorf("%s exists in an empty root", p)
		}
	}
	if len(facts.Paths) != 8 || len(facts.Access) != 4 || len(facts.Programs) != 4 {
		t.Errorf("paths %d access %d programs %d", len(facts.Paths), len(facts.Access), len(facts.Programs))
	}
}

func TestCronCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := (Cron{}).Collect(ctx, Target{Fs: memRoot(t, cronDebianRoot)}); err != context.Canceled {
		t.Fatalf("err = %v", err)
	}
}
