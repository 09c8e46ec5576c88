package checks

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/afero"
)

func collectMac(t *testing.T, target Target) *MacFacts {
	t.Helper()
	got, err := Mac{}.Collect(context.Background(), target)
	if err != nil {
		t.Fatal(err)
	}
	return got.(*MacFacts)
}

// offlineReason is LiveSection's reason for the root "x".
func macOfflineLive(iface string) LiveOnly {
	return LiveSection(Target{Root: "x"}, iface)
}

func TestMacEmptyRoot(t *testing.T) {
	got := collectMac(t, Target{Fs: confMem(t, nil), Root: "x"})
	want := &MacFacts{
		AppArmor: MacAppArmor{Dir: macAppArmorDir, Files: []string{}, Profiles: []MacProfile{}, Disabled: []string{}, ForceComplain: []string{},
			Live: MacAppArmorLive{LiveOnly: macOfflineLive("/sys/kernel/security/apparmor"), Profiles: []MacLiveProfile{}}},
		SELinux: MacSELinux{Config: MacSELinuxConfig{Path: macSELinuxConfig, Settings: map[string]ConfSetting{}},
			Live: MacSELinuxLive{LiveOnly: macOfflineLive("/sys/fs/selinux")}},
		Bootloader: MacBootloader{
			DefaultGrub: MacDefaultGrub{Files: []string{}, Settings: map[string]MacGrubSetting{}},
			GrubCfg:     MacGrubCfg{Path: "/boot/grub/grub.cfg", Entries: []MacGrubEntry{}},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("facts (-want +got):\n%s", diff)
	}
}

// TestMacDebian12 reads a root shaped like a stock Debian 12 server: the
// profiles of the apparmor and man-db packages, Debian's /etc/default/grub
// and a generated grub.cfg.
func TestMacDebian12(t *testing.T) {
	got := collectMac(t, Target{Fs: confTestdata(t, "mac/debian12"), Root: "x"})
	const (
		man  = "/etc/apparmor.d/usr.bin.man"
		lsb  = "/etc/apparmor.d/lsb_release"
		nvid = "/etc/apparmor.d/nvidia_modprobe"
	)
	prof := func(name, attach, file string, line int, flags ...string) MacProfile {
		if flags == nil {
			flags = []string{}
		}
		return MacProfile{Name: name, Attachment: attach, Mode: "enforce", Flags: flags, File: file, Line: line}
	}
	wantAA := MacAppArmor{
		Dir: macAppArmorDir, Exists: true,
		// usr.bin.man.dpkg-old is skipped, as apparmor_parser skips it.
		Files: []string{lsb, nvid, man},
		Profiles: []MacProfile{
			prof("lsb_release", "/usr/bin/lsb_release", lsb, 5),
			prof("nvidia_modprobe", "/usr/bin/nvidia-modprobe", nvid, 5, "attach_disconnected"),
			prof("nvidia_modprobe//kmod", "", nvid, 11, "attach_disconnected"),
			prof("/usr/bin/man", "", man, 6),
			prof("man_groff", "", man, 19),
			prof("man_filter", "", man, 26),
		},
		Disabled: []string{}, ForceComplain: []string{},
		Live: MacAppArmorLive{LiveOnly: macOfflineLive("/sys/kernel/security/apparmor"), Profiles: []MacLiveProfile{}},
	}
	if diff := cmp.Diff(wantAA, got.AppArmor); diff != "" {
		t.Errorf("apparmor (-want +got):\n%s", diff)
	}
	wantBoot := MacBootloader{
		DefaultGrub: MacDefaultGrub{Files: []string{"/etc/default/grub"}, Settings: map[string]MacGrubSetting{
			"GRUB_CMDLINE_LINUX_DEFAULT": {Value: "quiet", File: "/etc/default/grub", Line: 9, Parameters: []string{"quiet"}},
			"GRUB_CMDLINE_LINUX":         {Value: "", File: "/etc/default/grub", Line: 10, Parameters: []string{}},
		}},
		GrubCfg: MacGrubCfg{Path: "/boot/grub/grub.cfg", Exists: true, Entries: []MacGrubEntry{
			{Line: 12, Kernel: "/boot/vmlinuz-6.1.0-18-amd64", Parameters: []string{"root=UUID=0b6b5d6c-1b1a-4a7e-9f1e-3c5d2e8f7a10", "ro", "quiet"}},
			{Line: 18, Kernel: "/boot/vmlinuz-6.1.0-18-amd64", Parameters: []string{"root=UUID=0b6b5d6c-1b1a-4a7e-9f1e-3c5d2e8f7a10", "ro", "single"}},
		}},
	}
	if diff := cmp.Diff(wantBoot, got.Bootloader); diff != "" {
		t.Errorf("bootloader (-want +got):\n%s", diff)
	}
	if got.SELinux.Config.Exists {
		t.Error("a Debian root has no /etc/selinux/config")
	}
}

func TestAppArmorProfileSyntax(t *testing.T) {
	const f = "/etc/apparmor.d/p"
	for _, tc := range []struct {
		name, in string
		want     []MacProfile
	}{
		{"modes from flags, with or without flags=", "/usr/sbin/a flags=(complain) {\n}\nprofile b /usr/bin/b (attach_disconnected, kill) {\n}\nprofile c flags=(unconfined,mediate_deleted) {\n}\n", []MacProfile{
			{Name: "/usr/sbin/a", Mode: "complain", Flags: []string{"complain"}, File: f, Line: 1},
			{Name: "b", Attachment: "/usr/bin/b", Mode: "kill", Flags: []string{"attach_disconnected", "kill"}, File: f, Line: 3},
			{Name: "c", Mode: "unconfined", Flags: []string{"unconfined", "mediate_deleted"}, File: f, Line: 5},
		}},
		{"quoted names, variables, hats", "profile \"my app\" \"/opt/my app/bin\" {\n  ^hat flags=(complain) {\n  }\n  hat other {\n  }\n}\n@{exec_path} {\n}\n", []MacProfile{
			{Name: "my app", Attachment: "/opt/my app/bin", Mode: "enforce", Flags: []string{}, File: f, Line: 1},
			{Name: "my app//hat", Mode: "complain", Flags: []string{"complain"}, File: f, Line: 2},
			{Name: "my app//other", Mode: "enforce", Flags: []string{}, File: f, Line: 4},
			{Name: "@{exec_path}", Mode: "enforce", Flags: []string{}, File: f, Line: 7},
		}},
		{"rule blocks, alternations, comments, one-line profile", "/bin/x {\n  audit {\n    /{,usr/}lib/** r, # {not a block\n  }\n  \"/tmp/{a b}\" r,\n}\nprofile y { /y r, }\n#include <tunables/global>\n", []MacProfile{
			{Name: "/bin/x", Mode: "enforce", Flags: []string{}, File: f, Line: 1},
			{Name: "y", Mode: "enforce", Flags: []string{}, File: f, Line: 7},
		}},
		{"hat outside a profile is not a profile", "^hat {\n}\n", []MacProfile{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseAppArmorProfiles(f, []byte(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("profiles (-want +got):\n%s", diff)
			}
		})
	}
	for _, tc := range []struct{ in, err string }{
		{"profile a {\n  /x r,\n", f + ":1: unbalanced braces: { is not closed"},
		{"profile a {\n}\n}\n", f + ":3: unbalanced braces: } without {"},
		{"profile \"a {\n}\n", f + ":1: unterminated quote"},
	} {
		if _, err := parseAppArmorProfiles(f, []byte(tc.in)); err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%q: err = %v, want %q", tc.in, err, tc.err)
		}
	}
}

func TestAppArmorDisabledAndComplain(t *testing.T) {
	fsys := confMem(t, map[string]string{
		"/etc/apparmor.d/usr.sbin.a":                "/usr/sbin/a {\n}\n",
		"/etc/apparmor.d/usr.sbin.b":                "/usr/sbin/b {\n}\n",
		"/etc/apparmor.d/usr.sbin.c":                "/usr/sbin/c flags=(complain) {\n}\n",
		"/etc/apparmor.d/disable/usr.sbin.a":        "",
		"/etc/apparmor.d/force-complain/usr.sbin.b": "",
		"/etc/apparmor.d/README":                    "not a profile {\n",
		"/etc/apparmor.d/.hidden":                   "not a profile {\n",
		"/etc/apparmor.d/x~":                        "not a profile {\n",
		"/etc/apparmor.d/cache/":                    "",
	})
	got := collectMac(t, Target{Fs: fsys, Root: "x"})
	want := []MacProfile{
		{Name: "/usr/sbin/a", Mode: "enforce", Flags: []string{}, File: "/etc/apparmor.d/usr.sbin.a", Line: 1, Disabled: true},
		{Name: "/usr/sbin/b", Mode: "enforce", Flags: []string{}, File: "/etc/apparmor.d/usr.sbin.b", Line: 1, ForceComplain: true},
		{Name: "/usr/sbin/c", Mode: "complain", Flags: []string{"complain"}, File: "/etc/apparmor.d/usr.sbin.c", Line: 1},
	}
	if diff := cmp.Diff(want, got.AppArmor.Profiles); diff != "" {
		t.Errorf("profiles (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"usr.sbin.a"}, got.AppArmor.Disabled); diff != "" {
		t.Errorf("disabled (-want +got):\n%s", diff)
	}
}

func TestMacShellAssignments(t *testing.T) {
	const f = "/etc/default/grub"
	for _, tc := range []struct {
		name, in string
		want     map[string]MacGrubSetting
	}{
		{"quotes, escapes, export, comments", "GRUB_CMDLINE_LINUX='apparmor=1 security=apparmor' # comment\nexport GRUB_CMDLINE_LINUX_DEFAULT=\"quiet \\\"x\\\" \\$HOME\"\n", map[string]MacGrubSetting{
			"GRUB_CMDLINE_LINUX":         {Value: "apparmor=1 security=apparmor", File: f, Line: 1, Parameters: []string{"apparmor=1", "security=apparmor"}},
			"GRUB_CMDLINE_LINUX_DEFAULT": {Value: `quiet "x" $HOME`, File: f, Line: 2, Parameters: []string{"quiet", "x", "$HOME"}},
		}},
		{"expansion of earlier assignments, last wins", "X=audit=1\nGRUB_CMDLINE_LINUX=\"$X\"\nGRUB_CMDLINE_LINUX=\"${GRUB_CMDLINE_LINUX} apparmor=0\"$UNSET\n", map[string]MacGrubSetting{
			"GRUB_CMDLINE_LINUX": {Value: "audit=1 apparmor=0", File: f, Line: 3, Parameters: []string{"audit=1", "apparmor=0"}},
		}},
		{"multi-line value and unquoted escapes", "GRUB_CMDLINE_LINUX=\"a\nb\"\nGRUB_CMDLINE_LINUX_DEFAULT=c\\ d\\\ne\n", map[string]MacGrubSetting{
			"GRUB_CMDLINE_LINUX":         {Value: "a\nb", File: f, Line: 1, Parameters: []string{"a", "b"}},
			"GRUB_CMDLINE_LINUX_DEFAULT": {Value: "c de", File: f, Line: 3, Parameters: []string{"c", "de"}},
		}},
		{"commands and conditionals are not evaluated", "if [ -x /x ]; then\n  echo hi\nfi\nGRUB_TIMEOUT=`date`\n", map[string]MacGrubSetting{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := map[string]MacGrubSetting{}
			err := macShellAssignments(f, tc.in, map[string]string{}, func(name, value string, line int) {
				if strings.HasPrefix(name, "GRUB_CMDLINE_") {
					got[name] = MacGrubSetting{Value: value, File: f, Line: line, Parameters: macKernelParams(value)}
				}
			})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("settings (-want +got):\n%s", diff)
			}
		})
	}
	for _, tc := range []struct{ in, err string }{
		{"GRUB_CMDLINE_LINUX=\"$(cat /proc/cmdline)\"\n", f + ":1: GRUB_CMDLINE_LINUX: needs a shell"},
		{"GRUB_CMDLINE_LINUX=`x`\n", f + ":1: GRUB_CMDLINE_LINUX: needs a shell"},
		{"GRUB_CMDLINE_LINUX=\"${X:-quiet}\"\n", f + ":1: GRUB_CMDLINE_LINUX: needs a shell"},
		{"\nGRUB_CMDLINE_LINUX=\"quiet\n", f + ":2: GRUB_CMDLINE_LINUX: unterminated quote"},
		{"X=`hostname`\nGRUB_CMDLINE_LINUX_DEFAULT=\"$X quiet\"\n", f + ":2: GRUB_CMDLINE_LINUX_DEFAULT: uses $X, which could not be evaluated"},
		{"GRUB_TIMEOUT='5\n", f + ":1: GRUB_TIMEOUT: unterminated quote"},
	} {
		err := macShellAssignments(f, tc.in, map[string]string{}, func(string, string, int) {})
		if err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%q: err = %v, want %q", tc.in, err, tc.err)
		}
	}
}

func TestMacGrubDropIns(t *testing.T) {
	fsys := confMem(t, map[string]string{
		"/etc/default/grub":                "GRUB_CMDLINE_LINUX_DEFAULT=\"quiet\"\n",
		"/etc/default/grub.d/50-cloud.cfg": "GRUB_CMDLINE_LINUX_DEFAULT=\"$GRUB_CMDLINE_LINUX_DEFAULT console=ttyS0\"\n",
		"/etc/default/grub.d/10-lsm.cfg":   "GRUB_CMDLINE_LINUX=\"lsm=landlock,yama,apparmor\"\n",
		"/etc/default/grub.d/README":       "GRUB_CMDLINE_LINUX=ignored\n",
		"/boot/grub2/grub.cfg":             "linuxefi /vmlinuz selinux=0\nlinux16 '/vmlinuz 2' \"enforcing=0\" # c\n",
		"/etc/selinux/config":              "# c\nSELINUX=enforcing\nSELINUXTYPE=\"targeted\"\n",
		"/sys/kernel/security/apparmor/x/": "",
	})
	got := collectMac(t, Target{Fs: fsys, Root: "x"})
	want := MacBootloader{
		DefaultGrub: MacDefaultGrub{
			Files: []string{"/etc/default/grub", "/etc/default/grub.d/10-lsm.cfg", "/etc/default/grub.d/50-cloud.cfg"},
			Settings: map[string]MacGrubSetting{
				"GRUB_CMDLINE_LINUX_DEFAULT": {Value: "quiet console=ttyS0", File: "/etc/default/grub.d/50-cloud.cfg", Line: 1, Parameters: []string{"quiet", "console=ttyS0"}},
				"GRUB_CMDLINE_LINUX":         {Value: "lsm=landlock,yama,apparmor", File: "/etc/default/grub.d/10-lsm.cfg", Line: 1, Parameters: []string{"lsm=landlock,yama,apparmor"}},
			},
		},
		GrubCfg: MacGrubCfg{Path: "/boot/grub2/grub.cfg", Exists: true, Entries: []MacGrubEntry{
			{Line: 1, Kernel: "/vmlinuz", Parameters: []string{"selinux=0"}},
			{Line: 2, Kernel: "/vmlinuz 2", Parameters: []string{"enforcing=0"}},
		}},
	}
	if diff := cmp.Diff(want, got.Bootloader); diff != "" {
		t.Errorf("bootloader (-want +got):\n%s", diff)
	}
	wantSE := MacSELinuxConfig{Path: macSELinuxConfig, Exists: true, Settings: map[string]ConfSetting{
		"SELINUX": {"enforcing", macSELinuxConfig, 2}, "SELINUXTYPE": {"targeted", macSELinuxConfig, 3},
	}}
	if diff := cmp.Diff(wantSE, got.SELinux.Config); diff != "" {
		t.Errorf("selinux config (-want +got):\n%s", diff)
	}
}

func TestMacGrubCfgBound(t *testing.T) {
	var b strings.Builder
	for i := 0; i < macMaxGrubEntries+5; i++ {
		fmt.Fprintf(&b, "  linux /vmlinuz-%d ro\n", i)
	}
	got := collectMac(t, Target{Fs: confMem(t, map[string]string{"/boot/grub/grub.cfg": b.String()}), Root: "x"})
	if n := len(got.Bootloader.GrubCfg.Entries); n != macMaxGrubEntries || !got.Bootloader.GrubCfg.Truncated {
		t.Errorf("%d entries, truncated=%v; want %d and true", n, got.Bootloader.GrubCfg.Truncated, macMaxGrubEntries)
	}
}

// macRecordingFs records the paths opened or stat'ed.
type macRecordingFs struct {
	afero.Fs
	mu    sync.Mutex
	paths []string
}

func (r *macRecordingFs) note(p string) {
	r.mu.Lock()
	r.paths = append(r.paths, p)
	r.mu.Unlock()
}
func (r *macRecordingFs) Open(p string) (afero.File, error) { r.note(p); return r.Fs.Open(p) }
func (r *macRecordingFs) Stat(p string) (os.FileInfo, error) {
	r.note(p)
	return r.Fs.Stat(p)
}

func TestMacLive(t *testing.T) {
	files := map[string]string{
		macAppArmorEnabled:  "Y\n",
		macAppArmorProfiles: "/usr/bin/man (enforce)\nnvidia_modprobe//kmod (complain)\nsnap-update-ns.lxd (enforce)\nunconfined thing (unconfined)\n",
		macSELinuxEnforce:   "0",
	}
	live := collectMac(t, Target{Fs: confMem(t, files), Root: "/", Live: true})
	wantAA := MacAppArmorLive{LiveOnly: LiveOnly{Available: true}, Enabled: true, ProfilesAvailable: true, Profiles: []MacLiveProfile{
		{"/usr/bin/man", "enforce"}, {"nvidia_modprobe//kmod", "complain"}, {"snap-update-ns.lxd", "enforce"}, {"unconfined thing", "unconfined"},
	}}
	if diff := cmp.Diff(wantAA, live.AppArmor.Live); diff != "" {
		t.Errorf("apparmor live (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(MacSELinuxLive{LiveOnly: LiveOnly{Available: true}, Enabled: true}, live.SELinux.Live); diff != "" {
		t.Errorf("selinux live (-want +got):\n%s", diff)
	}

	// securityfs not mounted, AppArmor off, no selinuxfs.
	off := collectMac(t, Target{Fs: confMem(t, map[string]string{macAppArmorEnabled: "N\n"}), Root: "/", Live: true})
	if off.AppArmor.Live.Enabled || off.AppArmor.Live.ProfilesAvailable || off.SELinux.Live.Enabled {
		t.Errorf("live facts without the kernel interfaces: %+v %+v", off.AppArmor.Live, off.SELinux.Live)
	}

	// Offline, /sys is never read.
	rec := &macRecordingFs{Fs: confMem(t, files)}
	offline := collectMac(t, Target{Fs: rec, Root: "/srv/image"})
	for _, p := range rec.paths {
		if strings.HasPrefix(p, "/sys") {
			t.Errorf("offline scan read %s", p)
		}
	}
	if offline.AppArmor.Live.Available || !strings.Contains(offline.AppArmor.Live.Reason, "/srv/image") || offline.AppArmor.Live.Enabled {
		t.Errorf("offline apparmor live section: %+v", offline.AppArmor.Live)
	}

	_, err := Mac{}.Collect(context.Background(), Target{Fs: confMem(t, map[string]string{macAppArmorProfiles: "garbage\n"}), Root: "/", Live: true})
	if err == nil || !strings.Contains(err.Error(), macAppArmorProfiles+":1:") {
		t.Errorf("err = %v, want one naming %s:1", err, macAppArmorProfiles)
	}
}

func TestMacErrors(t *testing.T) {
	for _, tc := range []struct {
		files map[string]string
		err   string
	}{
		{map[string]string{"/etc/apparmor.d/x": "profile x {\n"}, "mac: /etc/apparmor.d/x:1: unbalanced braces"},
		{map[string]string{"/etc/selinux/config": "SELINUX enforcing\n"}, "mac: /etc/selinux/config:1: want KEY=VALUE"},
		{map[string]string{"/etc/default/grub.d/a.cfg": "GRUB_CMDLINE_LINUX=\"$(x)\"\n"}, "mac: /etc/default/grub.d/a.cfg:1: GRUB_CMDLINE_LINUX"},
		{map[string]string{"/etc/apparmor.d": "a file"}, "mac: /etc/apparmor.d is not a directory"},
	} {
		_, err := Mac{}.Collect(context.Background(), Target{Fs: confMem(t, tc.files), Root: "x"})
		if err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%v: err = %v, want %q", tc.files, err, tc.err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Mac{}.Collect(ctx, Target{Fs: confMem(t, map[string]string{"/etc/apparmor.d/x": "/x {\n}\n"}), Root: "x"})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

// FuzzAppArmorProfiles checks that no profile file makes the parser panic
// and that errors name file and line.
func FuzzAppArmorProfiles(f *testing.F) {
	f.Add("profile a /usr/bin/a flags=(complain) {\n  ^hat {\n  }\n  /{,usr/}bin/x r,\n}\n")
	f.Add("\"/a b\" (kill) { profile c { } }\n")
	f.Fuzz(func(t *testing.T, data string) {
		_, err := parseAppArmorProfiles("/p", []byte(data))
		if err != nil && !strings.HasPrefix(err.Error(), "mac: /p:") {
			t.Fatalf("error does not name file and line: %v", err)
		}
	})
}
