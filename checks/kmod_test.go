package checks

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/afero"

	"github.com/gcrun/gcrun/checks/rootfs"
	"github.com/gcrun/gcrun/internal/oracle"
)

func kmodTCollect(t testing.TB, fsys afero.Fs, live bool) *KernelModulesFacts {
	t.Helper()
	got, err := KernelModules{}.Collect(context.Background(), Target{Fs: fsys, Root: "/r", Live: live})
	if err != nil {
		t.Fatal(err)
	}
	return got.(*KernelModulesFacts)
}

func TestKmodName(t *testing.T) {
	if (KernelModules{}).Name() != "kernel_modules" {
		t.Fatal((KernelModules{}).Name())
	}
}

// kmodTSyntax exercises kmod's line syntax; the oracle test runs it too.
const kmodTSyntax = `# CIS
install cramfs /bin/false
blacklist cramfs
install usb-storage /bin/true
install usb_storage /sbin/modprobe --ignore-install usb-storage
blacklist	usb-storage
options snd-hda-intel	model=auto \
  power_save=1
  # an indented comment is a bad line
alias  my-alias  real-mod
alias lonely
softdep nf-conntrack pre: nf-defrag-ipv4 post: nf-nat extra
remove dccp /bin/echo\ removed
install c[a-z]amfs /bin/false
install x[-]y /bin/true
install bad]name /bin/true
blacklist
options nooptions
include /etc/other.conf
weakdep a b
bogus line
install tipc   /bin/false
`

func TestKmodParse(t *testing.T) {
	const f = "/etc/modprobe.d/cis.conf"
	fsys := rootfs.Wrap(afero.NewMemMapFs())
	pkghostWrite(t, fsys, map[string]string{f: kmodTSyntax})
	facts := kmodTCollect(t, fsys, false)
	wantInstall := map[string][]ModprobeCommand{
		"cramfs":      {{Command: "/bin/false", File: f, Line: 2, Order: 0}},
		"usb_storage": {{Command: "/bin/true", File: f, Line: 4, Order: 1}, {Command: "/sbin/modprobe --ignore-install usb-storage", File: f, Line: 5, Order: 2}},
		"c[a-z]amfs":  {{Command: "/bin/false", File: f, Line: 14, Order: 3}},
		"x[-]y":       {{Command: "/bin/true", File: f, Line: 15, Order: 4}},
		"tipc":        {{Command: "  /bin/false", File: f, Line: 22, Order: 5}},
	}
	if diff := cmp.Diff(wantInstall, facts.Install); diff != "" {
		t.Errorf("install (-want +got):\n%s", diff)
	}
	wantBlacklist := map[string][]ModprobeLocation{"cramfs": {{f, 3}}, "usb_storage": {{f, 6}}}
	if diff := cmp.Diff(wantBlacklist, facts.Blacklist); diff != "" {
		t.Errorf("blacklist (-want +got):\n%s", diff)
	}
	wantOptions := map[string][]ModprobeOptions{"snd_hda_intel": {{Options: "model=auto   power_save=1", File: f, Line: 7}}}
	if diff := cmp.Diff(wantOptions, facts.Options); diff != "" {
		t.Errorf("options (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]ModprobeAlias{{Alias: "my_alias", Module: "real_mod", File: f, Line: 10}}, facts.Aliases); diff != "" {
		t.Errorf("aliases (-want +got):\n%s", diff)
	}
	wantSoftdeps := map[string][]ModprobeSoftdep{"nf_conntrack": {{Pre: []string{"nf-defrag-ipv4"}, Post: []string{"nf-nat", "extra"}, File: f, Line: 12}}}
	if diff := cmp.Diff(wantSoftdeps, facts.Softdeps); diff != "" {
		t.Errorf("softdeps (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string][]ModprobeCommand{"dccp": {{Command: "/bin/echo removed", File: f, Line: 13}}}, facts.Remove); diff != "" {
		t.Errorf("remove (-want +got):\n%s", diff)
	}
	var ignored []string
	for _, ig := range facts.Ignored {
		ignored = append(ignored, fmt.Sprintf("%d %s", ig.Line, ig.Reason))
	}
	wantIgnored := []string{
		`9 bad line starting with "#"`,
		"11 bad line: alias needs a name and a module",
		"16 bad line: unbalanced brackets in bad]name",
		"17 bad line: no module name",
		"18 bad line: nothing after the module name",
		"19 command include is deprecated and not parsed anymore",
		`20 bad line starting with "weakdep"`,
		`21 bad line starting with "bogus"`,
	}
	if diff := cmp.Diff(wantIgnored, ignored); diff != "" {
		t.Errorf("ignored (-want +got):\n%s", diff)
	}
	for module, want := range map[string]string{"cramfs": "/bin/false", "cxamfs": "/bin/false", "crimfs": "", "usb_storage": "/bin/true", "x_y": "", "dccp": ""} {
		got, ok := facts.EffectiveInstall(module)
		if ok != (want != "") || got.Command != want {
			t.Errorf("EffectiveInstall(%s) = %q, %v; want %q", module, got.Command, ok, want)
		}
	}
}

func TestKmodLines(t *testing.T) {
	lines, starts := modprobeLines([]byte("a \\\nb\\\\c\\x\n\nlast"))
	if diff := cmp.Diff([]string{"a b\\cx", "", "last"}, lines); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int{1, 3, 4}, starts); diff != "" {
		t.Errorf("starts (-want +got):\n%s", diff)
	}
}

// kmodTRootFiles is a root with configuration in every directory, masking,
// and two kernels' modules.
var kmodTRootFiles = map[string]string{
	"/lib/modprobe.d/aliases.conf":         "alias net-pf-3 off\n",
	"/lib/modprobe.d/fbdev-blacklist.conf": "blacklist vga16fb\nblacklist cramfs\n",
	"/etc/modprobe.d/fbdev-blacklist.conf": "blacklist hfs\n", // masks /lib's
	"/run/modprobe.d/10-run.conf":          "install dccp /bin/false\n",
	"/usr/local/lib/modprobe.d/20-l.conf":  "install dccp /bin/true\n", // read after 10-run.conf
	"/etc/modprobe.d/30-null.conf":         "-> /dev/null",
	"/lib/modprobe.d/30-null.conf":         "blacklist never\n",
	"/etc/modprobe.d/40-dangling.conf":     "-> /nonexistent", // read as empty: masks
	"/lib/modprobe.d/40-dangling.conf":     "blacklist rds\n",
	"/lib/modprobe.d/60-old.alias":         "alias old-name sctp\n", // kmod 30 reads *.alias
	"/lib/modprobe.d/x.alias":              "blacklist short\n",
	"/etc/modprobe.d/50-dir.conf/":         "",
	"/lib/modprobe.d/50-dir.conf":          "blacklist tipc\n",
	"/etc/modprobe.d/.hidden.conf":         "blacklist hidden\n",
	"/etc/modprobe.d/notes.txt":            "blacklist txt\n",
	"/etc/modprobe.d/.conf":                "blacklist dot\n",

	"/lib/modules/6.1.0-18-amd64/kernel/fs/cramfs/cramfs.ko.xz":                "",
	"/lib/modules/6.1.0-18-amd64/kernel/drivers/usb/storage/usb-storage.ko.xz": "",
	"/lib/modules/6.1.0-18-amd64/kernel/net/sctp/sctp.ko.zst":                  "",
	"/lib/modules/6.1.0-18-amd64/kernel/fs/udf/udf.ko.gz":                      "",
	"/lib/modules/6.1.0-18-amd64/updates/dkms/hfs.ko":                          "",
	"/lib/modules/6.1.0-18-amd64/kernel/fs/notamodule.ko.bak":                  "",
	"/lib/modules/6.1.0-18-amd64/modules.builtin":                              "kernel/fs/squashfs/squashfs.ko\nkernel/fs/ext4/ext4.ko\n",
	"/lib/modules/6.1.0-18-amd64/build":                                        "-> /usr/src/linux-headers-6.1.0-18-amd64",
	"/usr/src/linux-headers-6.1.0-18-amd64/fs/jffs2/jffs2.ko":                  "",
	"/lib/modules/6.1.0-17-amd64/kernel/fs/cramfs/cramfs.ko":                   "",
	"/lib/modules/README": "not a kernel",
}

func TestKmodRoot(t *testing.T) {
	fsys, _ := sysctlTRoot(t, kmodTRootFiles)
	facts := kmodTCollect(t, fsys, false)
	wantFiles := []SysctlFile{
		{Path: "/run/modprobe.d/10-run.conf", Applied: true},
		{Path: "/usr/local/lib/modprobe.d/20-l.conf", Applied: true},
		{Path: "/etc/modprobe.d/30-null.conf", Target: "/dev/null", Note: "symlink to /dev/null: read as empty, masks the name"},
		{Path: "/etc/modprobe.d/40-dangling.conf", Target: "/nonexistent", Note: "dangling symlink: read as empty, masks the name"},
		{Path: "/lib/modprobe.d/50-dir.conf", Applied: true},
		{Path: "/lib/modprobe.d/60-old.alias", Applied: true},
		{Path: "/lib/modprobe.d/aliases.conf", Applied: true},
		{Path: "/etc/modprobe.d/fbdev-blacklist.conf", Applied: true},
		{Path: "/lib/modprobe.d/x.alias", Applied: true},
		{Path: "/etc/modprobe.d/50-dir.conf", Note: "directory: skipped, does not mask the name"},
		{Path: "/lib/modprobe.d/30-null.conf", MaskedBy: "/etc/modprobe.d/30-null.conf"},
		{Path: "/lib/modprobe.d/40-dangling.conf", MaskedBy: "/etc/modprobe.d/40-dangling.conf"},
		{Path: "/lib/modprobe.d/fbdev-blacklist.conf", MaskedBy: "/etc/modprobe.d/fbdev-blacklist.conf"},
	}
	if diff := cmp.Diff(wantFiles, facts.Files); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	wantBlacklist := map[string][]ModprobeLocation{
		"tipc":  {{"/lib/modprobe.d/50-dir.conf", 1}},
		"short": {{"/lib/modprobe.d/x.alias", 1}},
		"hfs":   {{"/etc/modprobe.d/fbdev-blacklist.conf", 1}},
	}
	if diff := cmp.Diff(wantBlacklist, facts.Blacklist); diff != "" {
		t.Errorf("blacklist (-want +got):\n%s", diff)
	}
	if got, _ := facts.EffectiveInstall("dccp"); got.Command != "/bin/false" || got.File != "/run/modprobe.d/10-run.conf" {
		t.Errorf("dccp install: %+v", got)
	}
	if diff := cmp.Diff([]string{"6.1.0-17-amd64", "6.1.0-18-amd64"}, facts.Kernels); diff != "" {
		t.Errorf("kernels (-want +got):\n%s", diff)
	}
	wantAvailable := map[string][]string{
		"cramfs":      {"/lib/modules/6.1.0-17-amd64/kernel/fs/cramfs/cramfs.ko", "/lib/modules/6.1.0-18-amd64/kernel/fs/cramfs/cramfs.ko.xz"},
		"usb_storage": {"/lib/modules/6.1.0-18-amd64/kernel/drivers/usb/storage/usb-storage.ko.xz"},
		"sctp":        {"/lib/modules/6.1.0-18-amd64/kernel/net/sctp/sctp.ko.zst"},
		"udf":         {"/lib/modules/6.1.0-18-amd64/kernel/fs/udf/udf.ko.gz"},
		"hfs":         {"/lib/modules/6.1.0-18-amd64/updates/dkms/hfs.ko"},
	}
	if diff := cmp.Diff(wantAvailable, facts.Available); diff != "" {
		t.Errorf("available (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string][]string{"squashfs": {"6.1.0-18-amd64"}, "ext4": {"6.1.0-18-amd64"}}, facts.Builtin); diff != "" {
		t.Errorf("builtin (-want +got):\n%s", diff)
	}
	if facts.Loaded.Available || facts.Loaded.Supported || len(facts.Loaded.Modules) != 0 || !strings.Contains(facts.Loaded.Reason, "/proc/modules") {
		t.Errorf("offline loaded section: %+v", facts.Loaded)
	}
}

func TestKmodLoaded(t *testing.T) {
	fsys, _ := sysctlTRoot(t, map[string]string{"/proc/modules": "" +
		"nf_tables 327680 3 nft_compat,nft_ct, Live 0xffffffffc0a00000\n" +
		"ext4 1024000 2 - Live 0x0000000000000000\n" +
		"vboxdrv 696320 - - Loading 0xffffffffc0000000 (OE)\n"})
	facts := kmodTCollect(t, fsys, true)
	want := KernelModulesLoaded{LiveOnly: LiveOnly{Available: true}, Supported: true, Modules: map[string]LoadedModule{
		"nf_tables": {Name: "nf_tables", Size: 327680, Refcount: 3, UsedBy: []string{"nft_compat", "nft_ct"}, State: "Live"},
		"ext4":      {Name: "ext4", Size: 1024000, Refcount: 2, UsedBy: []string{}, State: "Live"},
		"vboxdrv":   {Name: "vboxdrv", Size: 696320, Refcount: -1, UsedBy: []string{}, State: "Loading"},
	}}
	if diff := cmp.Diff(want, facts.Loaded); diff != "" {
		t.Errorf("loaded (-want +got):\n%s", diff)
	}
	// A kernel without module support has no /proc/modules.
	facts = kmodTCollect(t, rootfs.Wrap(afero.NewMemMapFs()), true)
	if diff := cmp.Diff(KernelModulesLoaded{LiveOnly: LiveOnly{Available: true}, Modules: map[string]LoadedModule{}}, facts.Loaded); diff != "" {
		t.Errorf("no /proc/modules (-want +got):\n%s", diff)
	}
	for _, bad := range []string{"ext4 1024000\n", "ext4 big 1 - Live 0x0\n", "ext4 10 x - Live 0x0\n"} {
		fsys, _ := sysctlTRoot(t, map[string]string{"/proc/modules": "ok 1 0 - Live 0x0\n" + bad})
		_, err := KernelModules{}.Collect(context.Background(), Target{Fs: fsys, Root: "/", Live: true})
		if err == nil || !strings.Contains(err.Error(), "kernel_modules: /proc/modules:2: ") {
			t.Errorf("%q: err = %v, want one naming /proc/modules:2", bad, err)
		}
	}
}

func TestKmodEmptyRoot(t *testing.T) {
	facts := kmodTCollect(t, rootfs.Wrap(afero.NewMemMapFs()), false)
	b, err := json.Marshal(facts)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"files":[],"install":{},"remove":{},"blacklist":{},"options":{},"aliases":[],"softdeps":{},"ignored":[],"kernels":[],"available":{},"builtin":{},"loaded":{"available":false,"reason":"/r is an offline root, so /proc/modules describes the scanning machine, not it","supported":false,"modules":{}}}`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
}

func TestKmodErrors(t *testing.T) {
	for name, files := range map[string]map[string]string{
		"fifo config":  {"/etc/modprobe.d/x.conf": "<fifo>"},
		"fifo builtin": {"/lib/modules/6.1/modules.builtin": "<fifo>"},
	} {
		t.Run(name, func(t *testing.T) {
			fsys, _ := sysctlTRoot(t, files)
			_, err := KernelModules{}.Collect(context.Background(), Target{Fs: fsys, Root: "/r"})
			for f := range files {
				if err == nil || !strings.Contains(err.Error(), f) || !strings.HasPrefix(err.Error(), "kernel_modules: ") {
					t.Fatalf("err = %v, want one naming %s", err, f)
				}
			}
		})
	}
	// A tree deeper than the bound is an error, not a hang.
	deep := "/lib/modules/6.1" + strings.Repeat("/d", kmodMaxDepth+1) + "/x.ko"
	fsys := rootfs.Wrap(afero.NewMemMapFs())
	pkghostWrite(t, fsys, map[string]string{deep: ""})
	if _, err := (KernelModules{}).Collect(context.Background(), Target{Fs: fsys}); err == nil || !strings.Contains(err.Error(), "deeper than") {
		t.Errorf("deep tree: err = %v", err)
	}
}

// kmodTShowConfig is what `modprobe -c` prints for the facts' directives
// (kmod 30's show_config): blacklist, install, remove, alias and options
// lines. Install and remove lines keep their order; the others are
// sorted, as the facts group them by module.
func kmodTShowConfig(f *KernelModulesFacts) (ordered, sorted []string) {
	type line struct {
		order int
		text  string
	}
	var inst, rem []line
	for m, cmds := range f.Install {
		for _, c := range cmds {
			inst = append(inst, line{c.Order, "install " + m + " " + c.Command})
		}
	}
	for m, cmds := range f.Remove {
		for _, c := range cmds {
			rem = append(rem, line{c.Order, "remove " + m + " " + c.Command})
		}
	}
	for _, l := range [][]line{inst, rem} {
		sort.Slice(l, func(i, j int) bool { return l[i].order < l[j].order })
		for _, x := range l {
			ordered = append(ordered, x.text)
		}
	}
	for m, locs := range f.Blacklist {
		for range locs {
			sorted = append(sorted, "blacklist "+m)
		}
	}
	for _, a := range f.Aliases {
		sorted = append(sorted, "alias "+a.Alias+" "+a.Module)
	}
	for m, opts := range f.Options {
		for _, o := range opts {
			sorted = append(sorted, "options "+m+" "+o.Options)
		}
	}
	sort.Strings(sorted)
	return ordered, sorted
}

// kmodTModprobeConfig runs modprobe -c with the root's modprobe.d
// directories (in priority order) and returns the lines of the kinds
// kmodTShowConfig renders, minus those the kernel command line of the
// scanning host adds.
func kmodTModprobeConfig(t *testing.T, modprobe, dir string) (ordered, sorted []string) {
	t.Helper()
	run := func(dirs ...string) []string {
		args := []string{"-c", "-d", t.TempDir()}
		for _, d := range dirs {
			args = append(args, "-C", d)
		}
		out, err := exec.Command(modprobe, args...).Output()
		if err != nil {
			t.Fatalf("modprobe %v: %v", args, err)
		}
		text, _, _ := strings.Cut(string(out), "\n# End of configuration files")
		return strings.Split(text, "\n")
	}
	empty := t.TempDir()
	cmdline := map[string]int{}
	for _, l := range run(empty) {
		cmdline[l]++
	}
	var dirs []string
	for _, d := range modprobeDirs {
		dirs = append(dirs, filepath.Join(dir, d))
	}
	for _, l := range run(dirs...) {
		if cmdline[l] > 0 {
			cmdline[l]--
			continue
		}
		switch strings.SplitN(l, " ", 2)[0] {
		case "install", "remove":
			ordered = append(ordered, l)
		case "blacklist", "alias", "options":
			sorted = append(sorted, l)
		}
	}
	sort.Strings(sorted)
	return ordered, sorted
}

// TestKmodOracleModprobe compares the parsed directives with what kmod's
// own parser makes of the same directories (modprobe -c).
func TestKmodOracleModprobe(t *testing.T) {
	modprobe := oracle.Require(t, "modprobe")
	roots := map[string]map[string]string{
		"syntax": {"/etc/modprobe.d/cis.conf": kmodTSyntax},
		"root":   kmodTRootFiles,
	}
	for name, files := range roots {
		t.Run(name, func(t *testing.T) {
			fsys, dir := sysctlTRoot(t, files)
			facts := kmodTCollect(t, fsys, false)
			mineOrdered, mineSorted := kmodTShowConfig(facts)
			theirOrdered, theirSorted := kmodTModprobeConfig(t, modprobe, dir)
			if diff := cmp.Diff(theirOrdered, mineOrdered); diff != "" {
				t.Errorf("install/remove (-modprobe +collector):\n%s", diff)
			}
			if diff := cmp.Diff(theirSorted, mineSorted); diff != "" {
				t.Errorf("blacklist/alias/options (-modprobe +collector):\n%s", diff)
			}
			if len(mineOrdered)+len(mineSorted) == 0 {
				t.Error("nothing compared")
			}
		})
	}
}

// TestKmodOracleLsmod compares the loaded modules of this host with lsmod.
func TestKmodOracleLsmod(t *testing.T) {
	lsmod := oracle.Require(t, "lsmod")
	fsys, err := rootfs.New("/")
	if err != nil {
		t.Fatal(err)
	}
	facts := kmodTCollect(t, fsys, true)
	out, err := exec.Command(lsmod).Output()
	if _, statErr := os.Stat("/proc/modules"); os.IsNotExist(statErr) {
		// A kernel without loadable modules: lsmod fails, and the facts
		// say the kernel does not support modules.
		if err == nil || facts.Loaded.Supported || len(facts.Loaded.Modules) != 0 {
			t.Errorf("no /proc/modules: lsmod err %v, facts %+v", err, facts.Loaded)
		}
		return
	}
	if err != nil {
		t.Fatalf("lsmod: %v", err)
	}
	theirs := map[string]LoadedModule{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n")[1:] {
		f := strings.Fields(line)
		size, _ := strconv.ParseInt(f[1], 10, 64)
		ref, _ := strconv.Atoi(f[2])
		m := LoadedModule{Name: f[0], Size: size, Refcount: ref}
		theirs[f[0]] = m
	}
	mine := map[string]LoadedModule{}
	for name, m := range facts.Loaded.Modules {
		mine[name] = LoadedModule{Name: m.Name, Size: m.Size, Refcount: m.Refcount}
	}
	if diff := cmp.Diff(theirs, mine); diff != "" {
		t.Errorf("loaded modules (-lsmod +collector):\n%s", diff)
	}
}
