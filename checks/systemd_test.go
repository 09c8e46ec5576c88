package checks

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gcrun/gcrun/checks/rootfs"
	"github.com/gcrun/gcrun/internal/oracle"
	"github.com/google/go-cmp/cmp"
	"github.com/spf13/afero"
)

// sdTree is a unit tree to build in a temporary directory: files (path to
// content), symlinks (path to target as written) and FIFOs.
type sdTree struct {
	files map[string]string
	links map[string]string
	fifos []string
}

func (tr sdTree) build(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	mk := func(p string) string {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		return full
	}
	// Links first, sorted, so that a directory link (lib -> usr/lib) exists
	// before files are written through it.
	var links []string
	for p := range tr.links {
		links = append(links, p)
	}
	sort.Strings(links)
	for _, p := range links {
		if err := os.Symlink(tr.links[p], mk(p)); err != nil {
			t.Fatal(err)
		}
	}
	for p, content := range tr.files {
		if strings.HasSuffix(p, "/") {
			if err := os.MkdirAll(filepath.Join(dir, p), 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.WriteFile(mk(p), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range tr.fifos {
		if err := syscall.Mkfifo(mk(p), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func sdCollect(t *testing.T, dir string) *SystemdFacts {
	t.Helper()
	fsys, err := rootfs.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Systemd{}.Collect(context.Background(), Target{Fs: fsys, Root: dir})
	if err != nil {
		t.Fatal(err)
	}
	return got.(*SystemdFacts)
}

func sdStates(f *SystemdFacts) map[string]string {
	out := map[string]string{}
	for n, u := range f.Units {
		out[n] = u.State
	}
	return out
}

const (
	sdLib = "/usr/lib/systemd/system/"
	sdEtc = "/etc/systemd/system/"
	sdRun = "/run/systemd/system/"
)

func sdInstalled(wantedBy string) string {
	return "[Unit]\nDescription=test\n\n[Service]\nExecStart=/bin/true\n\n[Install]\nWantedBy=" + wantedBy + "\n"
}

const sdStaticUnit = "[Unit]\nDescription=static\n[Service]\nExecStart=/bin/true\n"

// sdCases are unit trees with the state of every unit, as systemctl
// --root=DIR is-enabled prints them (TestSystemdOracle checks that).
var sdCases = []struct {
	name        string
	tree        sdTree
	want        map[string]string
	defaultUnit string
}{
	{
		name: "merged-usr",
		tree: sdTree{
			links: map[string]string{
				"/lib": "usr/lib",
				sdEtc + "multi-user.target.wants/foo.service":       "/lib/systemd/system/foo.service",
				sdEtc + "masked.service":                            "/dev/null",
				sdRun + "runmask.service":                           "/dev/null",
				sdEtc + "dbus-org.example.tsd.service":              "/lib/systemd/system/tsd.service",
				sdEtc + "sysinit.target.wants/tsd.service":          "/lib/systemd/system/tsd.service",
				sdEtc + "sockets.target.wants/sock.socket":          "/lib/systemd/system/sock.socket",
				sdEtc + "getty.target.wants/getty@tty1.service":     "/lib/systemd/system/getty@.service",
				sdEtc + "multi-user.target.wants/tmpl@x.service":    "/lib/systemd/system/tmpl@.service",
				sdRun + "multi-user.target.wants/rt.service":        "/lib/systemd/system/rt.service",
				sdEtc + "ext.service":                               "/opt/units/ext.service",
				sdEtc + "ext2.service":                              "/opt/units/ext2.service",
				sdEtc + "multi-user.target.wants/ext2.service":      "/opt/units/ext2.service",
				sdLib + "multi-user.target.wants/vend.service":      "../vend.service",
				sdLib + "sysinit.target.wants/journal.service":      "../journal.service",
				sdEtc + "loop1.service":                             "loop2.service",
				sdEtc + "loop2.service":                             "loop1.service",
				sdEtc + "dangling.service":                          "/lib/systemd/system/nothere.service",
				sdEtc + "default.target":                            "/lib/systemd/system/multi-user.target",
				sdLib + "default.target":                            "graphical.target",
				sdRun + "lr.service":                                "/opt/units/lr.service",
				sdEtc + "selfalias.service":                         "/lib/systemd/system/selfalias.service",
				sdEtc + "multi-user.target.wants/ghost@a.service":   "/lib/systemd/system/ghost@.service",
				sdEtc + "multi-user.target.wants/nothing.service":   "/lib/systemd/system/nothing.service",
				sdEtc + "multi-user.target.requires/req.service":    "/lib/systemd/system/req.service",
				sdEtc + "timers.target.wants/daily.timer":           "/lib/systemd/system/daily.timer",
				sdEtc + "dropnull.service.d/50-mask.conf":           "/dev/null",
				"/usr/local/lib/systemd/system/local.service":       "/lib/systemd/system/foo.service",
				sdEtc + "multi-user.target.wants/aliasen.service":   "/lib/systemd/system/aliased.service",
				sdEtc + "aliasen.service":                           "/lib/systemd/system/aliased.service",
				sdEtc + "multi-user.target.wants/defi@x.service":    "/lib/systemd/system/defi@.service",
				sdEtc + "multi-user.target.wants/other@one.service": "/lib/systemd/system/other@.service",
			},
			files: map[string]string{
				sdLib + "foo.service":                      sdInstalled("multi-user.target"),
				sdLib + "bar.service":                      sdInstalled("multi-user.target"),
				sdLib + "st.service":                       sdStaticUnit,
				sdLib + "masked.service":                   sdInstalled("multi-user.target"),
				sdLib + "runmask.service":                  sdInstalled("multi-user.target"),
				sdEtc + "empty.service":                    "",
				sdLib + "tsd.service":                      "[Unit]\n[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=sysinit.target\nAlias=dbus-org.example.tsd.service\n",
				sdLib + "sock.service":                     "[Service]\nExecStart=/bin/true\n[Install]\nAlso=sock.socket\n",
				sdLib + "sock.socket":                      "[Socket]\nListenStream=/run/sock\n[Install]\nWantedBy=sockets.target\n",
				sdLib + "getty@.service":                   "[Service]\nExecStart=/sbin/agetty %I\n[Install]\nWantedBy=getty.target\nDefaultInstance=tty1\n",
				sdLib + "tmpl@.service":                    sdInstalled("multi-user.target"),
				sdLib + "rt.service":                       sdInstalled("multi-user.target"),
				sdLib + "ov.service":                       sdInstalled("multi-user.target"),
				sdEtc + "ov.service":                       sdStaticUnit,
				"/opt/units/ext.service":                   sdInstalled("multi-user.target"),
				"/opt/units/ext2.service":                  sdInstalled("multi-user.target"),
				sdLib + "vend.service":                     sdInstalled("multi-user.target"),
				sdLib + "journal.service":                  sdStaticUnit,
				sdLib + "dropin.service":                   sdStaticUnit,
				sdEtc + "dropin.service.d/10-install.conf": "[Install]\nWantedBy=multi-user.target\n",
				sdLib + "dropin.service.d/50-mask.conf":    "[Install]\nAlias=never.service\n",
				sdEtc + "dropin.service.d/50-mask.conf":    "",
				sdLib + "dropnull.service":                 sdStaticUnit,
				sdLib + "badalso.service":                  "[Service]\nExecStart=/bin/true\n[Install]\nAlso=not a unit\n",
				sdLib + "multi-user.target":                "[Unit]\nDescription=Multi-User\n",
				sdLib + "graphical.target":                 "[Unit]\nDescription=Graphical\n",
				sdLib + "cont.service":                     "[Service]\nExecStart=/bin/true\n[Install]\n# a comment\nWantedBy=\\\n  multi-user.target \\\n; another comment\n  graphical.target\n",
				sdLib + "reset.service":                    "[Install]\nWantedBy=multi-user.target\nWantedBy=\n",
				sdLib + "wrongcase.service":                "[install]\nWantedBy=multi-user.target\n",
				sdLib + "noheader.service":                 "WantedBy=multi-user.target\n[Service\nExecStart=/bin/true\n",
				"/opt/units/lr.service":                    sdInstalled("multi-user.target"),
				"/run/systemd/generator/gen.service":       sdInstalled("multi-user.target"),
				"/run/systemd/transient/tr.service":        sdInstalled("multi-user.target"),
				sdLib + "selfalias.service":                sdInstalled("multi-user.target"),
				sdLib + "req.service":                      sdInstalled("multi-user.target"),
				sdLib + "daily.timer":                      "[Timer]\nOnCalendar=daily\n[Install]\nWantedBy=timers.target\n",
				sdLib + "data.mount":                       "[Mount]\nWhat=/dev/sdb\nWhere=/data\n[Install]\nAlias=other.mount\n",
				sdLib + "aliased.service":                  "[Service]\nExecStart=/bin/true\n[Install]\nAlias=aliasen.service\nWantedBy=graphical.target\n",
				sdLib + "defi@.service":                    "[Service]\nExecStart=/bin/true\n[Install]\nDefaultInstance=y\nWantedBy=multi-user.target\n",
				sdLib + "other@.service":                   sdStaticUnit,
				sdLib + "crlf.service":                     "[Install]\r\nWantedBy=multi-user.target\r\n",
				sdLib + "quoted.service":                   "[Install]\nWantedBy=\"multi-user.target\" 'graphical.target'\n",
				sdEtc + "multi-user.target.wants/":         "",
			},
		},
		want: map[string]string{
			"foo.service":                  "enabled",
			"bar.service":                  "disabled",
			"st.service":                   "static",
			"masked.service":               "masked",
			"runmask.service":              "masked-runtime",
			"empty.service":                "masked",
			"tsd.service":                  "enabled",
			"dbus-org.example.tsd.service": "alias",
			"sock.service":                 "indirect",
			"sock.socket":                  "enabled",
			"getty@.service":               "enabled",
			"getty@tty1.service":           "enabled",
			"tmpl@.service":                "indirect",
			"tmpl@x.service":               "enabled",
			"rt.service":                   "enabled-runtime",
			"ov.service":                   "static",
			"ext.service":                  "linked",
			"ext2.service":                 "enabled",
			"vend.service":                 "disabled",
			"journal.service":              "static",
			"loop1.service":                "bad",
			"loop2.service":                "bad",
			"dangling.service":             "bad",
			"default.target":               "alias",
			"multi-user.target":            "indirect", // default.target links to it
			"graphical.target":             "static",
			"dropin.service":               "disabled",
			"badalso.service":              "bad",
			"cont.service":                 "disabled",
			"reset.service":                "static",
			"wrongcase.service":            "static",
			"noheader.service":             "bad",
			"lr.service":                   "linked-runtime",
			"gen.service":                  "generated",
			"tr.service":                   "transient",
			"selfalias.service":            "bad",
			"req.service":                  "enabled",
			"daily.timer":                  "enabled",
			"data.mount":                   "static",
			"local.service":                "alias",
			"aliased.service":              "enabled",
			"aliasen.service":              "alias",
			"defi@.service":                "indirect",
			"defi@x.service":               "enabled",
			"other@.service":               "indirect", // an instance other than DefaultInstance is linked
			"other@one.service":            "enabled",
			"dropnull.service":             "bad", // its drop-in links to /dev/null, which the root lacks
			"crlf.service":                 "disabled",
			"quoted.service":               "disabled",
		},
		defaultUnit: "multi-user.target",
	},
	{
		// /lib and /usr/lib are separate directories: /lib comes first in
		// Debian's search path.
		name: "split-usr",
		tree: sdTree{
			links: map[string]string{
				sdEtc + "multi-user.target.wants/both.service":           "/lib/systemd/system/both.service",
				sdEtc + "multi-user.target.wants/usronly.service":        "/usr/lib/systemd/system/usronly.service",
				"/lib/systemd/system/default.target":                     "graphical.target",
				sdEtc + "tlink.service":                                  "/usr/lib/systemd/system/usronly.service",
				"/lib/systemd/system/sysinit.target.wants/early.service": "../early.service",
			},
			files: map[string]string{
				"/lib/systemd/system/both.service":          sdInstalled("multi-user.target"),
				sdLib + "both.service":                      sdStaticUnit,
				sdLib + "usronly.service":                   sdInstalled("multi-user.target"),
				"/lib/systemd/system/graphical.target":      "[Unit]\n",
				"/lib/systemd/system/early.service":         sdStaticUnit,
				"/usr/local/lib/systemd/system/loc.service": sdInstalled("default.target"),
			},
		},
		want: map[string]string{
			"both.service":     "enabled",
			"usronly.service":  "enabled",
			"default.target":   "alias",
			"graphical.target": "static",
			"tlink.service":    "alias",
			"early.service":    "static",
			"loc.service":      "disabled",
		},
		defaultUnit: "graphical.target",
	},
	{
		name: "empty root",
		tree: sdTree{files: map[string]string{"/etc/hostname": "x\n"}},
		want: map[string]string{},
	},
}

func TestSystemdStates(t *testing.T) {
	for _, tc := range sdCases {
		t.Run(tc.name, func(t *testing.T) {
			facts := sdCollect(t, tc.tree.build(t))
			if diff := cmp.Diff(tc.want, sdStates(facts)); diff != "" {
				t.Errorf("states (-want +got):\n%s", diff)
			}
			if facts.DefaultTarget != tc.defaultUnit {
				t.Errorf("default target %q, want %q", facts.DefaultTarget, tc.defaultUnit)
			}
			if facts.Exists != (len(tc.want) > 0) {
				t.Errorf("exists %v with %d units", facts.Exists, len(tc.want))
			}
			for n, u := range facts.Units {
				if (u.State == "bad") != (u.Error != "") {
					t.Errorf("%s: state %s with error %q", n, u.State, u.Error)
				}
			}
		})
	}
}

// TestSystemdOracle compares every unit's state with systemctl --root.
func TestSystemdOracle(t *testing.T) {
	systemctl := oracle.Require(t, "systemctl")
	for _, tc := range sdCases {
		t.Run(tc.name, func(t *testing.T) {
			dir := tc.tree.build(t)
			facts := sdCollect(t, dir)
			sdCompareOracle(t, systemctl, dir, facts)
		})
	}
}

// sdCompareOracle checks the facts against list-unit-files, is-enabled
// for the instances found in .wants directories and get-default.
func sdCompareOracle(t *testing.T, systemctl, dir string, facts *SystemdFacts) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	// systemctl exits 1 when it lists nothing.
	out, err := exec.CommandContext(ctx, systemctl, "--root="+dir, "list-unit-files", "--no-pager", "--output=json").Output()
	if err != nil && !json.Valid(out) {
		t.Fatalf("systemctl list-unit-files: %v", err)
	}
	var list []struct {
		UnitFile string `json:"unit_file"`
		State    string `json:"state"`
	}
	if err := json.Unmarshal(out, &list); err != nil {
		t.Fatalf("systemctl list-unit-files: %v: %s", err, out)
	}
	want := map[string]string{}
	for _, u := range list {
		want[u.UnitFile] = u.State
	}
	got := sdStates(facts)
	for n, u := range facts.Units {
		if _, listed := want[n]; listed {
			continue
		}
		// Not listed: an instance named only in a .wants directory.
		out, err := exec.CommandContext(ctx, systemctl, "--root="+dir, "is-enabled", n).Output()
		state := strings.TrimSpace(string(out))
		if err != nil && state == "" {
			t.Errorf("%s: systemctl is-enabled failed (%v) where gcrun says %s (%s)", n, err, u.State, u.Error)
			continue
		}
		want[n] = state
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("states (-systemctl +gcrun):\n%s", diff)
	}
	out, err = exec.CommandContext(ctx, systemctl, "--root="+dir, "get-default").Output()
	def := strings.TrimSpace(string(out))
	if err != nil {
		def = ""
	}
	if def != facts.DefaultTarget {
		t.Errorf("default target: systemctl %q, gcrun %q", def, facts.DefaultTarget)
	}
}

// TestSystemdLiveHostOracle compares the states of every unit of the
// machine running the test.
func TestSystemdLiveHostOracle(t *testing.T) {
	systemctl := oracle.Require(t, "systemctl")
	if _, err := os.Stat("/etc/systemd/system"); err != nil {
		oracle.Missing(t, "no systemd units on this machine")
	}
	fsys, err := rootfs.New("/")
	if err != nil {
		t.Fatal(err)
	}
	got, err := Systemd{}.Collect(context.Background(), Target{Fs: fsys, Root: "/", Live: true})
	if err != nil {
		t.Fatal(err)
	}
	facts := got.(*SystemdFacts)
	if len(facts.Units) < 50 {
		t.Errorf("only %d units on the host", len(facts.Units))
	}
	sdCompareOracle(t, systemctl, "/", facts)
}

// TestSystemdTestdata checks every fact of a stock Debian 12 server's unit
// tree (a subset of its units, with Debian's links).
func TestSystemdTestdata(t *testing.T) {
	dir := filepath.Join("testdata", "systemd", "debian12")
	facts := sdCollect(t, dir)
	if systemctl := sdOptionalTool("systemctl"); systemctl != "" {
		abs, err := filepath.Abs(dir)
		if err != nil {
			t.Fatal(err)
		}
		sdCompareOracle(t, systemctl, abs, facts)
	}
	unit := func(name, path, fragment, state string, wantedBy []string, links []string, in SystemdInstall) *SystemdUnit {
		for _, l := range []*[]string{&in.WantedBy, &in.RequiredBy, &in.Also, &in.Alias} {
			if *l == nil {
				*l = []string{}
			}
		}
		if wantedBy == nil {
			wantedBy = []string{}
		}
		if links == nil {
			links = []string{}
		}
		return &SystemdUnit{Name: name, Path: path, FragmentPath: fragment, State: state, WantedBy: wantedBy, RequiredBy: []string{}, Links: links, Install: in, DropIns: []string{}}
	}
	l := "/lib/systemd/system/"
	multi := []string{"multi-user.target"}
	want := &SystemdFacts{
		Exists:        true,
		SearchPath:    []string{"/etc/systemd/system", "/lib/systemd/system", "/usr/lib/systemd/system"},
		DefaultTarget: "graphical.target",
		Units: map[string]*SystemdUnit{
			"cron.service":      unit("cron.service", l+"cron.service", l+"cron.service", "enabled", multi, []string{sdEtc + "multi-user.target.wants/cron.service"}, SystemdInstall{WantedBy: multi}),
			"ssh.service":       unit("ssh.service", l+"ssh.service", l+"ssh.service", "enabled", multi, []string{sdEtc + "multi-user.target.wants/ssh.service"}, SystemdInstall{WantedBy: multi, Alias: []string{"sshd.service"}}),
			"sshd.service":      unit("sshd.service", sdEtc+"sshd.service", l+"ssh.service", "alias", nil, nil, SystemdInstall{WantedBy: multi, Alias: []string{"sshd.service"}}),
			"ssh.socket":        unit("ssh.socket", l+"ssh.socket", l+"ssh.socket", "disabled", nil, nil, SystemdInstall{WantedBy: []string{"sockets.target"}, Also: []string{}}),
			"rescue-ssh.target": unit("rescue-ssh.target", l+"rescue-ssh.target", l+"rescue-ssh.target", "static", nil, nil, SystemdInstall{}),
			"systemd-timesyncd.service": unit("systemd-timesyncd.service", l+"systemd-timesyncd.service", l+"systemd-timesyncd.service", "enabled", []string{"sysinit.target"},
				[]string{sdEtc + "sysinit.target.wants/systemd-timesyncd.service"}, SystemdInstall{WantedBy: []string{"sysinit.target"}, Alias: []string{"dbus-org.freedesktop.timesync1.service"}}),
			"dbus-org.freedesktop.timesync1.service": unit("dbus-org.freedesktop.timesync1.service", sdEtc+"dbus-org.freedesktop.timesync1.service", l+"systemd-timesyncd.service", "alias", nil, nil,
				SystemdInstall{WantedBy: []string{"sysinit.target"}, Alias: []string{"dbus-org.freedesktop.timesync1.service"}}),
			"getty@.service": unit("getty@.service", l+"getty@.service", l+"getty@.service", "enabled", nil, nil, SystemdInstall{WantedBy: []string{"getty.target"}, DefaultInstance: "tty1"}),
			// DefaultInstance applies to the template only.
			"getty@tty1.service": unit("getty@tty1.service", l+"getty@.service", l+"getty@.service", "enabled", []string{"getty.target"}, []string{sdEtc + "getty.target.wants/getty@tty1.service"},
				SystemdInstall{WantedBy: []string{"getty.target"}}),
			"getty.target":      unit("getty.target", l+"getty.target", l+"getty.target", "static", nil, nil, SystemdInstall{}),
			"apt-daily.timer":   unit("apt-daily.timer", l+"apt-daily.timer", l+"apt-daily.timer", "enabled", []string{"timers.target"}, []string{sdEtc + "timers.target.wants/apt-daily.timer"}, SystemdInstall{WantedBy: []string{"timers.target"}}),
			"apt-daily.service": unit("apt-daily.service", l+"apt-daily.service", l+"apt-daily.service", "static", nil, nil, SystemdInstall{}),
			"systemd-journald.service": unit("systemd-journald.service", l+"systemd-journald.service", l+"systemd-journald.service", "static", []string{"sysinit.target"},
				[]string{l + "sysinit.target.wants/systemd-journald.service"}, SystemdInstall{}),
			"graphical.target":  unit("graphical.target", l+"graphical.target", l+"graphical.target", "static", nil, nil, SystemdInstall{}),
			"multi-user.target": unit("multi-user.target", l+"multi-user.target", l+"multi-user.target", "static", nil, nil, SystemdInstall{}),
			"default.target":    unit("default.target", l+"default.target", l+"graphical.target", "alias", nil, nil, SystemdInstall{}),
			"e2scrub_reap.service": unit("e2scrub_reap.service", l+"e2scrub_reap.service", l+"e2scrub_reap.service", "enabled", multi, []string{sdEtc + "multi-user.target.wants/e2scrub_reap.service"},
				SystemdInstall{WantedBy: multi}),
			"procps.service": unit("procps.service", l+"procps.service", l+"systemd-sysctl.service", "alias", nil, nil, SystemdInstall{}),
			"systemd-sysctl.service": unit("systemd-sysctl.service", l+"systemd-sysctl.service", l+"systemd-sysctl.service", "static", []string{"sysinit.target"},
				[]string{l + "sysinit.target.wants/systemd-sysctl.service"}, SystemdInstall{}),
		},
	}
	want.Units["default.target"].AliasOf = "graphical.target"
	want.Units["sshd.service"].AliasOf = "ssh.service"
	want.Units["dbus-org.freedesktop.timesync1.service"].AliasOf = "systemd-timesyncd.service"
	want.Units["procps.service"].AliasOf = "systemd-sysctl.service"
	if diff := cmp.Diff(want, facts, cmp.AllowUnexported(SystemdUnit{})); diff != "" {
		t.Errorf("facts (-want +got):\n%s", diff)
	}
}

// sdOptionalTool returns the tool's path when it is installed, "" when
// not (for tests whose main assertions do not need it).
func sdOptionalTool(name string) string {
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	return ""
}

func TestSystemdDropIns(t *testing.T) {
	facts := sdCollect(t, sdCases[0].tree.build(t))
	u := facts.Units["dropin.service"]
	if diff := cmp.Diff([]string{sdEtc + "dropin.service.d/10-install.conf"}, u.DropIns); diff != "" {
		t.Errorf("drop-ins (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(SystemdInstall{WantedBy: []string{"multi-user.target"}, RequiredBy: []string{}, Also: []string{}, Alias: []string{}}, u.Install); diff != "" {
		t.Errorf("install (-want +got):\n%s", diff)
	}
	if got := facts.Units["cont.service"].Install.WantedBy; !cmp.Equal(got, []string{"multi-user.target", "graphical.target"}) {
		t.Errorf("continued WantedBy = %q", got)
	}
	if got := facts.Units["quoted.service"].Install.WantedBy; !cmp.Equal(got, []string{"multi-user.target", "graphical.target"}) {
		t.Errorf("quoted WantedBy = %q", got)
	}
	if got := facts.Units["data.mount"].Install.Alias; len(got) != 0 {
		t.Errorf("mount units cannot have aliases, got %q", got)
	}
	req := facts.Units["req.service"]
	if !cmp.Equal(req.RequiredBy, []string{"multi-user.target"}) || len(req.WantedBy) != 0 {
		t.Errorf("req.service: wanted_by %q required_by %q", req.WantedBy, req.RequiredBy)
	}
	if u := facts.Units["loop1.service"]; !strings.Contains(u.Error, "symbolic links") {
		t.Errorf("loop1.service error %q", u.Error)
	}
	if u := facts.Units["noheader.service"]; !strings.Contains(u.Error, "/lib/systemd/system/noheader.service:2: invalid section header") {
		t.Errorf("noheader.service error %q", u.Error)
	}
	if _, ok := facts.Units["ghost@a.service"]; ok {
		t.Error("an instance link without a template is not a unit")
	}
}

// TestSystemdHostile: FIFOs and devices do not hang the collector, links
// stay in the root, and the work is bounded.
func TestSystemdHostile(t *testing.T) {
	tree := sdTree{
		links: map[string]string{
			sdEtc + "escape.service": "../../../../../../../../lib/systemd/system/systemd-journald.service",
			sdEtc + "fifo.service":   "/opt/fifo.service",
		},
		files: map[string]string{sdLib + "x.service": sdStaticUnit},
		fifos: []string{"/opt/fifo.service", sdEtc + "x.service.d/fifo.conf"},
	}
	dir := tree.build(t)
	facts := sdCollect(t, dir)
	if u := facts.Units["fifo.service"]; u == nil || u.State != "bad" {
		t.Errorf("fifo.service: %+v, want bad", u)
	}
	if u := facts.Units["x.service"]; u == nil || u.State != "bad" || !strings.Contains(u.Error, "fifo.conf") {
		t.Errorf("x.service with a FIFO drop-in: %+v, want bad", u)
	}
	// The host has a journald unit; the root does not: the link climbs
	// above the root and must resolve inside it.
	if u := facts.Units["escape.service"]; u == nil || u.State != "bad" {
		t.Errorf("escape.service: %+v, want bad (its target is not in the root)", u)
	}
	// No oracle here: systemctl opens a FIFO unit file and blocks forever.

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	fsys, _ := rootfs.New(dir)
	if _, err := (Systemd{}).Collect(ctx, Target{Fs: fsys}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v", err)
	}
}

func TestSystemdTooManyEntries(t *testing.T) {
	mem := afero.NewMemMapFs()
	for i := 0; i < 30; i++ {
		if err := afero.WriteFile(mem, sdEtc+"u"+strconv.Itoa(i)+".service", []byte(sdStaticUnit), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, err := Systemd{MaxEntries: 20}.Collect(context.Background(), Target{Fs: rootfs.Wrap(mem)})
	if err == nil || err.Error() != "systemd: /etc/systemd/system: more than 20 entries in the unit search path" {
		t.Fatalf("err = %v", err)
	}
	got, err := Systemd{MaxEntries: 30}.Collect(context.Background(), Target{Fs: rootfs.Wrap(mem)})
	if err != nil || len(got.(*SystemdFacts).Units) != 30 {
		t.Fatalf("30 entries: %v, %v", got, err)
	}
}

func TestSystemdUnitNames(t *testing.T) {
	for name, want := range map[string]int{
		"foo.service": sdPlain, "foo@.service": sdTemplateName, "foo@bar.service": sdInstance,
		"foo@bar@baz.service": sdInstance, "@foo.service": 0, "foo.serv": 0, ".service": 0,
		"foo bar.service": 0, "foo\\x2dbar.mount": sdPlain, "": 0, strings.Repeat("a", 250) + ".service": 0,
		strings.Repeat("a", 247) + ".service": sdPlain,
	} {
		if got := sdKind(name); got != want {
			t.Errorf("sdKind(%q) = %d, want %d", name, got, want)
		}
	}
	if got, _ := sdTemplate("getty@tty1.service"); got != "getty@.service" {
		t.Errorf("template %q", got)
	}
	if got, ok := sdReplaceInstance("getty@.service", "tty2"); !ok || got != "getty@tty2.service" {
		t.Errorf("replace instance %q", got)
	}
	if got, ok := sdPrintf("foo-bar@baz.service", "%p-%i-%j-%N-%n-%%"); !ok || got != "foo-bar-baz-bar-foo-bar@baz-foo-bar@baz.service-%" {
		t.Errorf("printf %q", got)
	}
	if _, ok := sdPrintf("foo.service", "%H"); ok {
		t.Error("%H needs the host")
	}
}

func TestSystemdParseInstall(t *testing.T) {
	got, err := sdParseInstall("/u.service", []byte("\ufeff[Install]\n  WantedBy = a.target \\\n#c\n b.target\n\n[Service]\nWantedBy=x.target\n[Install]\nAlso=c.socket\nnoequals\n=novalue\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := []sdAssignment{{"WantedBy", "a.target   b.target", 4}, {"Also", "c.socket", 9}}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(sdAssignment{})); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	for _, bad := range []string{"[Install\n", "[Inst\"all]\n"} {
		if _, err := sdParseInstall("/u.service", []byte(bad)); err == nil || !strings.Contains(err.Error(), "/u.service:1:") {
			t.Errorf("%q: err = %v", bad, err)
		}
	}
}
