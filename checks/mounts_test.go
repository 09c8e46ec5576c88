package checks

import (
	"context"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/afero"

	"github.com/gcrun/gcrun/checks/rootfs"
	"github.com/gcrun/gcrun/internal/oracle"
)

func mountsTCollect(t testing.TB, fsys afero.Fs, live bool) *MountsFacts {
	t.Helper()
	got, err := Mounts{}.Collect(context.Background(), Target{Fs: fsys, Root: "/r", Live: live})
	if err != nil {
		t.Fatal(err)
	}
	return got.(*MountsFacts)
}

func TestMountsName(t *testing.T) {
	if (Mounts{}).Name() != "mounts" {
		t.Fatal((Mounts{}).Name())
	}
}

// mountsTFstab exercises fstab's syntax; the oracle test reads it with
// findmnt too.
const mountsTFstab = `# comment
   # indented comment

UUID=1 / ext4 errors=remount-ro 0 1
/dev/sdb1	/srv/my\040data	ext4	defaults,nodev,dev 0 2
tmpfs /tmp tmpfs rw,nosuid,nodev,noexec,"context=a,b"
/dev/sr0 /media/cdrom0 udf,iso9660 user,noauto,exec 0 0
server:/home /home nfs owner 0 0 extra fields
/dev/sdc1 /mnt ext4
back\slash /x ext4 ro 1
`

func TestMountsFstab(t *testing.T) {
	fsys := rootfs.Wrap(afero.NewMemMapFs())
	pkghostWrite(t, fsys, map[string]string{"/etc/fstab": mountsTFstab})
	facts := mountsTCollect(t, fsys, false)
	want := FstabFacts{Path: "/etc/fstab", Exists: true, Entries: []MountEntry{
		{Spec: "UUID=1", File: "/", Vfstype: "ext4", Options: []string{"errors=remount-ro"}, Freq: 0, Passno: 1, Line: 4},
		{Spec: "/dev/sdb1", File: "/srv/my data", Vfstype: "ext4", Options: []string{"defaults", "nodev", "dev"}, Passno: 2, Line: 5},
		{Spec: "tmpfs", File: "/tmp", Vfstype: "tmpfs", Options: []string{"rw", "nosuid", "nodev", "noexec", `"context=a,b"`}, Line: 6, Nodev: true, Nosuid: true, Noexec: true},
		{Spec: "/dev/sr0", File: "/media/cdrom0", Vfstype: "udf,iso9660", Options: []string{"user", "noauto", "exec"}, Line: 7, Nodev: true, Nosuid: true},
		{Spec: "server:/home", File: "/home", Vfstype: "nfs", Options: []string{"owner"}, Line: 8, Nodev: true, Nosuid: true},
		{Spec: "/dev/sdc1", File: "/mnt", Vfstype: "ext4", Options: []string{}, Line: 9},
		{Spec: `back\slash`, File: "/x", Vfstype: "ext4", Options: []string{"ro"}, Freq: 1, Line: 10},
	}}
	if diff := cmp.Diff(want, facts.Fstab); diff != "" {
		t.Errorf("fstab (-want +got):\n%s", diff)
	}
	if facts.Mounted.Available || facts.Mounted.Source != "" || len(facts.Mounted.Entries) != 0 || !strings.Contains(facts.Mounted.Reason, "/proc/self/mounts") {
		t.Errorf("offline mounted: %+v", facts.Mounted)
	}
}

func TestMountsFstabErrors(t *testing.T) {
	for bad, want := range map[string]string{
		"UUID=1 /":              "mounts: /etc/fstab:2: 2 fields, expected at least 3 fields (spec, file, vfstype)",
		"UUID=1 / ext4 ro x 1":  `mounts: /etc/fstab:2: freq "x" is not a number`,
		"UUID=1 / ext4 ro 0 -1": `mounts: /etc/fstab:2: passno "-1" is not a number`,
		"UUID=1 / ext4 ro 0 1x": `mounts: /etc/fstab:2: passno "1x" is not a number`,
	} {
		fsys := rootfs.Wrap(afero.NewMemMapFs())
		pkghostWrite(t, fsys, map[string]string{"/etc/fstab": "# ok\n" + bad + "\n"})
		_, err := Mounts{}.Collect(context.Background(), Target{Fs: fsys, Root: "/r"})
		if err == nil || err.Error() != want {
			t.Errorf("%q: err = %v, want %s", bad, err, want)
		}
	}
	fsys, _ := sysctlTRoot(t, map[string]string{"/etc/fstab": "<fifo>"})
	if _, err := (Mounts{}).Collect(context.Background(), Target{Fs: fsys}); err == nil || !strings.Contains(err.Error(), "/etc/fstab") {
		t.Errorf("fifo fstab: err = %v", err)
	}
}

func TestMountsLive(t *testing.T) {
	const mounts = "sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0\n" +
		"/dev/vda1 / ext4 rw,relatime,errors=remount-ro 0 0\n" +
		"tmpfs /dev/shm tmpfs rw,nosuid,nodev,inode64 0 0\n" +
		"/dev/vdb1 /srv/my\\040data ext4 rw,relatime 0 0\n"
	for _, src := range []string{"/proc/self/mounts", "/proc/mounts"} {
		fsys, _ := sysctlTRoot(t, map[string]string{src: mounts})
		facts := mountsTCollect(t, fsys, true)
		want := MountedFacts{LiveOnly: LiveOnly{Available: true}, Source: src, Entries: []MountEntry{
			{Spec: "sysfs", File: "/sys", Vfstype: "sysfs", Options: []string{"rw", "nosuid", "nodev", "noexec", "relatime"}, Line: 1, Nodev: true, Nosuid: true, Noexec: true},
			{Spec: "/dev/vda1", File: "/", Vfstype: "ext4", Options: []string{"rw", "relatime", "errors=remount-ro"}, Line: 2},
			{Spec: "tmpfs", File: "/dev/shm", Vfstype: "tmpfs", Options: []string{"rw", "nosuid", "nodev", "inode64"}, Line: 3, Nodev: true, Nosuid: true},
			{Spec: "/dev/vdb1", File: "/srv/my data", Vfstype: "ext4", Options: []string{"rw", "relatime"}, Line: 4},
		}}
		if diff := cmp.Diff(want, facts.Mounted); diff != "" {
			t.Errorf("%s (-want +got):\n%s", src, diff)
		}
		if facts.Fstab.Exists || len(facts.Fstab.Entries) != 0 {
			t.Errorf("fstab: %+v", facts.Fstab)
		}
	}
	fsys, _ := sysctlTRoot(t, map[string]string{"/proc/self/mounts": "a /b ext4 rw 0\n"})
	if _, err := (Mounts{}).Collect(context.Background(), Target{Fs: fsys, Live: true}); err == nil || err.Error() != "mounts: /proc/self/mounts:1: 5 fields, expected 6 fields" {
		t.Errorf("short line: err = %v", err)
	}
	if _, err := (Mounts{}).Collect(context.Background(), Target{Fs: rootfs.Wrap(afero.NewMemMapFs()), Live: true}); err == nil || !strings.Contains(err.Error(), "/proc/mounts") {
		t.Errorf("no mount table: err = %v", err)
	}
}

func TestMountsUnits(t *testing.T) {
	const unit = "[Unit]\nDescription=Temporary Directory /tmp\n\n[Mount]\nWhat=tmpfs\nWhere=/tmp\nType=tmpfs\nOptions=mode=1777,strictatime,nosuid,nodev,size=50%%,nr_inodes=1m\n\n[Install]\nWantedBy=local-fs.target\n"
	cases := []struct {
		name  string
		files map[string]string
		want  MountUnit
	}{
		{"absent", map[string]string{}, MountUnit{Where: "/tmp"}},
		{
			"vendor unit, statically enabled",
			map[string]string{
				"/usr/lib/systemd/system/tmp.mount":                       unit,
				"/usr/lib/systemd/system/local-fs.target.wants/tmp.mount": "-> ../tmp.mount",
			},
			MountUnit{
				Path: "/usr/lib/systemd/system/tmp.mount", Exists: true, What: "tmpfs", Where: "/tmp", Type: "tmpfs",
				Options: []string{"mode=1777", "strictatime", "nosuid", "nodev", "size=50%", "nr_inodes=1m"}, Nodev: true, Nosuid: true,
				WantedBy: []string{"/usr/lib/systemd/system/local-fs.target.wants/tmp.mount"}, Enabled: true,
				Sources: map[string]SysctlLocation{
					"what": {"/usr/lib/systemd/system/tmp.mount", 5}, "where": {"/usr/lib/systemd/system/tmp.mount", 6},
					"type": {"/usr/lib/systemd/system/tmp.mount", 7}, "options": {"/usr/lib/systemd/system/tmp.mount", 8},
				},
			},
		},
		{
			"admin copy with a drop-in, not enabled",
			map[string]string{
				"/etc/systemd/system/tmp.mount":                    unit,
				"/usr/lib/systemd/system/tmp.mount":                "[Mount]\nWhat=other\n",
				"/usr/lib/systemd/system/tmp.mount.d/10-a.conf":    "[Mount]\nOptions=\\\n  nodev,noexec\n",
				"/etc/systemd/system/tmp.mount.d/20-b.conf":        "# b\n[Mount]\nOptions=\nOptions=nodev,noexec,exec\n",
				"/usr/lib/systemd/system/tmp.mount.d/20-b.conf":    "[Mount]\nOptions=never\n",
				"/etc/systemd/system/tmp.mount.d/30-null.conf":     "-> /dev/null",
				"/usr/lib/systemd/system/tmp.mount.d/30-null.conf": "[Mount]\nOptions=masked\n",
				"/etc/systemd/system/tmp.mount.d/notes.txt":        "[Mount]\nOptions=ignored\n",
			},
			MountUnit{
				Path: "/etc/systemd/system/tmp.mount", Exists: true, What: "tmpfs", Where: "/tmp", Type: "tmpfs",
				Options: []string{"nodev", "noexec", "exec"}, Nodev: true,
				Dropins: []string{"/usr/lib/systemd/system/tmp.mount.d/10-a.conf", "/etc/systemd/system/tmp.mount.d/20-b.conf"},
				Sources: map[string]SysctlLocation{
					"what": {"/etc/systemd/system/tmp.mount", 5}, "where": {"/etc/systemd/system/tmp.mount", 6},
					"type": {"/etc/systemd/system/tmp.mount", 7}, "options": {"/etc/systemd/system/tmp.mount.d/20-b.conf", 4},
				},
			},
		},
		{
			"masked",
			map[string]string{
				"/etc/systemd/system/tmp.mount":                       "-> /dev/null",
				"/usr/lib/systemd/system/tmp.mount":                   unit,
				"/etc/systemd/system/local-fs.target.wants/tmp.mount": "-> /usr/lib/systemd/system/tmp.mount",
			},
			MountUnit{Path: "/etc/systemd/system/tmp.mount", Exists: true, Masked: true, Where: "/tmp",
				WantedBy: []string{"/etc/systemd/system/local-fs.target.wants/tmp.mount"}},
		},
		{
			"empty file masks, dangling link is skipped",
			map[string]string{
				"/etc/systemd/system/tmp.mount": "-> /nonexistent",
				"/run/systemd/system/tmp.mount": "",
			},
			MountUnit{Path: "/run/systemd/system/tmp.mount", Exists: true, Masked: true, Where: "/tmp"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fsys, _ := sysctlTRoot(t, tc.files)
			facts := mountsTCollect(t, fsys, false)
			want := tc.want
			want.Name = "tmp.mount"
			for _, p := range []*[]string{&want.Options, &want.Dropins, &want.WantedBy} {
				if *p == nil {
					*p = []string{}
				}
			}
			if want.Sources == nil {
				want.Sources = map[string]SysctlLocation{}
			}
			if diff := cmp.Diff(map[string]MountUnit{"tmp.mount": want}, facts.Units); diff != "" {
				t.Errorf("units (-want +got):\n%s", diff)
			}
		})
	}
	fsys := rootfs.Wrap(afero.NewMemMapFs())
	pkghostWrite(t, fsys, map[string]string{"/etc/systemd/system/tmp.mount": "[Mount]\nWhat\n"})
	if _, err := (Mounts{}).Collect(context.Background(), Target{Fs: fsys}); err == nil || err.Error() != `mounts: /etc/systemd/system/tmp.mount:2: missing '=' in "What"` {
		t.Errorf("bad unit: err = %v", err)
	}
}

func TestMountsUnitWhere(t *testing.T) {
	for in, want := range map[string]string{"tmp.mount": "/tmp", "var-tmp.mount": "/var/tmp", "-.mount": "/", `srv-my\x20data.mount`: "/srv/my data"} {
		if got := unitWhere(in); got != want {
			t.Errorf("unitWhere(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMountsTestdata(t *testing.T) {
	for name, check := range map[string]func(*MountsFacts) string{
		"debian12": func(f *MountsFacts) string {
			if len(f.Fstab.Entries) != 3 || f.Fstab.Entries[2].File != "/media/cdrom0" || f.Units["tmp.mount"].Exists {
				return "want three fstab entries and no tmp.mount"
			}
			return ""
		},
		"hardened": func(f *MountsFacts) string {
			u := f.Units["tmp.mount"]
			if !u.Enabled || !u.Nodev || !u.Nosuid || !u.Noexec || len(u.Dropins) != 1 || u.Options[5] != "size=50%" {
				return "want tmp.mount enabled with nodev, nosuid and noexec from its drop-in"
			}
			for _, e := range f.Fstab.Entries {
				if e.File != "/" && e.File != "none" && (!e.Nodev || !e.Nosuid) {
					return e.File + " lacks nodev or nosuid"
				}
			}
			return ""
		},
	} {
		fsys, err := rootfs.New(filepath.Join("testdata", "mounts", name))
		if err != nil {
			t.Fatal(err)
		}
		facts := mountsTCollect(t, fsys, false)
		if msg := check(facts); msg != "" {
			b, _ := json.MarshalIndent(facts, "", "  ")
			t.Errorf("%s: %s\n%s", name, msg, b)
		}
	}
}

func TestMountsEmptyRoot(t *testing.T) {
	b, err := json.Marshal(mountsTCollect(t, rootfs.Wrap(afero.NewMemMapFs()), false))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"fstab":{"path":"/etc/fstab","exists":false,"entries":[]},"mounted":{"available":false,"reason":"/r is an offline root, so /proc/self/mounts describes the scanning machine, not it","entries":[]},"units":{"tmp.mount":{"name":"tmp.mount","path":"","exists":false,"masked":false,"what":"","where":"/tmp","type":"","options":[],"nodev":false,"nosuid":false,"noexec":false,"dropins":[],"wanted_by":[],"enabled":false,"sources":{}}}}`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
}

// mountsTFindmnt runs findmnt with the given arguments and returns one
// entry per line: source, target, fstype and options, with findmnt's
// \xNN escapes decoded, and freq and passno when asked for.
func mountsTFindmnt(t *testing.T, findmnt string, args ...string) [][]string {
	t.Helper()
	out, err := exec.Command(findmnt, args...).Output()
	if err != nil {
		t.Fatalf("findmnt %v: %v", args, err)
	}
	hex := regexp.MustCompile(`\\x[0-9a-f]{2}`)
	var rows [][]string
	for _, line := range strings.Split(strings.TrimRight(string(out), "\n"), "\n") {
		if line == "" {
			continue
		}
		var row []string
		for _, f := range strings.Split(line, " ") {
			row = append(row, hex.ReplaceAllStringFunc(f, func(s string) string {
				n, _ := strconv.ParseUint(s[2:], 16, 8)
				return string(rune(n))
			}))
		}
		rows = append(rows, row)
	}
	return rows
}

// TestMountsOracleFstab reads the same fstab with findmnt --tab-file.
func TestMountsOracleFstab(t *testing.T) {
	findmnt := oracle.Require(t, "findmnt")
	for name, fstab := range map[string]string{
		"syntax":   mountsTFstab,
		"debian12": pkgTestdata(t, "mounts/debian12/etc/fstab"),
		"hardened": pkgTestdata(t, "mounts/hardened/etc/fstab"),
	} {
		t.Run(name, func(t *testing.T) {
			fsys, dir := sysctlTRoot(t, map[string]string{"/etc/fstab": fstab})
			facts := mountsTCollect(t, fsys, false)
			var mine [][]string
			for _, e := range facts.Fstab.Entries {
				mine = append(mine, []string{e.Spec, e.File, e.Vfstype, strings.Join(e.Options, ","), strconv.Itoa(e.Freq), strconv.Itoa(e.Passno)})
			}
			theirs := mountsTFindmnt(t, findmnt, "--tab-file", filepath.Join(dir, "etc", "fstab"), "-rn", "-o", "SOURCE,TARGET,FSTYPE,OPTIONS,FREQ,PASSNO")
			if diff := cmp.Diff(theirs, mine); diff != "" {
				t.Errorf("entries (-findmnt +collector):\n%s", diff)
			}
		})
	}
}

// TestMountsOracleLive compares the mounted file systems of this host with
// findmnt -k (the kernel's table).
func TestMountsOracleLive(t *testing.T) {
	findmnt := oracle.Require(t, "findmnt")
	fsys, err := rootfs.New("/")
	if err != nil {
		t.Fatal(err)
	}
	facts := mountsTCollect(t, fsys, true)
	var mine [][]string
	for _, e := range facts.Mounted.Entries {
		mine = append(mine, []string{e.File, e.Vfstype, strings.Join(e.Options, ",")})
	}
	theirs := mountsTFindmnt(t, findmnt, "-k", "-rn", "-o", "TARGET,FSTYPE,OPTIONS")
	if diff := cmp.Diff(theirs, mine); diff != "" {
		t.Errorf("mounts (-findmnt +collector):\n%s", diff)
	}
	if len(mine) == 0 {
		t.Error("nothing mounted?")
	}
}
