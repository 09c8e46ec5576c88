package checks

import (
	"fmt"
	"os/exec"

	"context"
	"encoding/json"
	"github.com/gcrun/gcrun/internal/oracle"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/afero"

	"github.com/gcrun/gcrun/checks/rootfs"
)

// sysctlTRoot builds a root in a temporary directory. Keys are paths inside
// the root; a value "-> target" makes a symlink, a key ending in "/" a
// directory and the value "<fifo>" a named pipe; anything else is a file.
func sysctlTRoot(t testing.TB, files map[string]string) (afero.Fs, string) {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		var err error
		switch {
		case strings.HasSuffix(name, "/"):
			err = os.MkdirAll(p, 0o755)
		case strings.HasPrefix(content, "-> "):
			err = os.Symlink(strings.TrimPrefix(content, "-> "), p)
		case content == "<fifo>":
			err = syscall.Mkfifo(p, 0o644)
		default:
			err = os.WriteFile(p, []byte(content), 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	fsys, err := rootfs.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	return fsys, dir
}

func sysctlTCollect(t testing.TB, fsys afero.Fs, live bool) *SysctlFacts {
	t.Helper()
	got, err := Sysctl{}.Collect(context.Background(), Target{Fs: fsys, Root: "/r", Live: live})
	if err != nil {
		t.Fatal(err)
	}
	return got.(*SysctlFacts)
}

func TestSysctlName(t *testing.T) {
	if (Sysctl{}).Name() != "sysctl" {
		t.Fatal((Sysctl{}).Name())
	}
}

func TestSysctlNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"net.ipv4.ip_forward":            "net/ipv4/ip_forward",
		"net/ipv4/ip_forward":            "net/ipv4/ip_forward",
		"net.ipv4.conf.eth0/1.rp_filter": "net/ipv4/conf/eth0.1/rp_filter",
		"net/ipv4/conf/eth0.1/rp_filter": "net/ipv4/conf/eth0.1/rp_filter",
		"/net/ipv4//ip_forward/":         "net/ipv4/ip_forward",
		"/../kernel/./sysrq":             "kernel/sysrq",
		"kernel":                         "kernel",
		"net.ipv4.conf.*.rp_filter":      "net/ipv4/conf/*/rp_filter",
	} {
		if got := SysctlNormalize(in); got != want {
			t.Errorf("SysctlNormalize(%q) = %q, want %q", in, got, want)
		}
	}
	if got := SysctlDotted("net/ipv4/conf/eth0.1/rp_filter"); got != "net.ipv4.conf.eth0/1.rp_filter" {
		t.Errorf("SysctlDotted: %q", got)
	}
}

// TestSysctlParse covers the syntax of one file.
func TestSysctlParse(t *testing.T) {
	const f = "/etc/sysctl.d/10-test.conf"
	fsys := rootfs.Wrap(afero.NewMemMapFs())
	pkghostWrite(t, fsys, map[string]string{f: strings.Join([]string{
		"# comment",
		"; also a comment",
		"   ",
		"  net.ipv4.ip_forward =  0  ",     // 4
		"net/ipv4/conf/all/rp_filter=1",    // 5
		"-kernel.yama.ptrace_scope = 1",    // 6
		"kernel.dmesg_restrict",            // 7: not an assignment
		"-net.ipv4.conf.lo.rp_filter",      // 8: negative
		"net.ipv4.conf.*.log_martians = 1", // 9: glob
		"net.ipv4.ip_local_port_range = 32768\t60999",
		"=1",                           // 11: no key
		"fs.suid_dumpable=0\r",         // 12, CR LF
		"kernel.sysrq = 0\rkernel.x=1", // 13 and 14: a lone CR ends a line
		"net.ipv4.conf.eth0/1.rp_filter = 2",
	}, "\n")})
	facts := sysctlTCollect(t, fsys, false)
	want := map[string]SysctlSetting{
		"net.ipv4.ip_forward":            {Value: "0", File: f, Line: 4, Order: 0},
		"net.ipv4.conf.all.rp_filter":    {Value: "1", File: f, Line: 5, Order: 1},
		"kernel.yama.ptrace_scope":       {Value: "1", File: f, Line: 6, IgnoreFailure: true, Order: 2},
		"net.ipv4.conf.*.log_martians":   {Value: "1", File: f, Line: 9, Glob: true, Order: 4},
		"net.ipv4.ip_local_port_range":   {Value: "32768\t60999", File: f, Line: 10, Order: 5},
		"fs.suid_dumpable":               {Value: "0", File: f, Line: 12, Order: 6},
		"kernel.sysrq":                   {Value: "0", File: f, Line: 13, Order: 7},
		"kernel.x":                       {Value: "1", File: f, Line: 14, Order: 8},
		"net.ipv4.conf.eth0/1.rp_filter": {Value: "2", File: f, Line: 15, Order: 9},
	}
	if diff := cmp.Diff(want, facts.Configured); diff != "" {
		t.Errorf("configured (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]SysctlLocation{"net.ipv4.conf.lo.rp_filter": {File: f, Line: 8}}, facts.Excluded); diff != "" {
		t.Errorf("excluded (-want +got):\n%s", diff)
	}
	wantIgnored := []SysctlIgnored{
		{File: f, Line: 7, Text: "kernel.dmesg_restrict", Reason: "line is not an assignment"},
		{File: f, Line: 11, Text: "=1", Reason: "no key"},
	}
	if diff := cmp.Diff(wantIgnored, facts.Ignored); diff != "" {
		t.Errorf("ignored (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]SysctlFile{{Path: f, Applied: true}}, facts.Files); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	if facts.Runtime.Available || len(facts.Runtime.Values) != 0 || !strings.Contains(facts.Runtime.Reason, "/proc/sys") {
		t.Errorf("offline runtime: %+v", facts.Runtime)
	}
}

// TestSysctlPrecedence covers directories, masking, file order and
// overriding, with real symlinks.
func TestSysctlPrecedence(t *testing.T) {
	fsys, _ := sysctlTRoot(t, map[string]string{
		"/usr/lib/sysctl.d/10-vendor.conf":   "net.ipv4.ip_forward = 1\nkernel.sysrq = 16\n",
		"/etc/sysctl.d/10-vendor.conf":       "net.ipv4.ip_forward = 0\n",    // masks the vendor file
		"/usr/lib/sysctl.d/50-pid-max.conf":  "kernel.pid_max = 4194304\n",   // applied
		"/run/sysctl.d/60-run.conf":          "kernel.sysrq = 0\nfs.x = 1\n", // sorted between 50 and 70
		"/usr/local/lib/sysctl.d/70-a.conf":  "fs.x = 1\nkernel.sysrq = 1\n", // same fs.x: keeps 60-run's place
		"/etc/sysctl.d/80-masked.conf":       "-> /dev/null",                 // masks the name entirely
		"/usr/lib/sysctl.d/80-masked.conf":   "kernel.kptr_restrict = 0\n",   // never read
		"/lib/sysctl.d/85-dangling.conf":     "-> /nonexistent",              // reads as empty
		"/usr/lib/sysctl.d/90-dir.conf/":     "",                             // a directory
		"/etc/sysctl.d/.hidden.conf":         "kernel.hidden = 1\n",          // hidden
		"/etc/sysctl.d/README":               "kernel.readme = 1\n",          // not *.conf
		"/etc/sysctl.d/99-sysctl.conf":       "-> ../sysctl.conf",            // Debian's link
		"/etc/sysctl.conf":                   "# comments only\nfs.y = 2\n",  // read once, as 99-sysctl.conf
		"/usr/lib/sysctl.d/99-sysctl.conf":   "fs.y = 3\n",                   // masked by the link
		"/usr/local/lib/sysctl.d/95-ov.conf": "-kernel.pid_max\nfs.z = 1\n",  // negative line drops pid_max
		"/etc/sysctl.d/96-ov.conf":           "kernel.pid_max = 65536\n",     // and sets it again
	})
	facts := sysctlTCollect(t, fsys, false)
	wantFiles := []SysctlFile{
		{Path: "/etc/sysctl.d/10-vendor.conf", Applied: true},
		{Path: "/usr/lib/sysctl.d/50-pid-max.conf", Applied: true},
		{Path: "/run/sysctl.d/60-run.conf", Applied: true},
		{Path: "/usr/local/lib/sysctl.d/70-a.conf", Applied: true},
		{Path: "/etc/sysctl.d/80-masked.conf", Target: "/dev/null", Note: "symlink to /dev/null: masks the name"},
		{Path: "/lib/sysctl.d/85-dangling.conf", Target: "/nonexistent", Note: "dangling symlink: read as empty, masks the name"},
		{Path: "/usr/lib/sysctl.d/90-dir.conf", Note: "directory: not read"},
		{Path: "/usr/local/lib/sysctl.d/95-ov.conf", Applied: true},
		{Path: "/etc/sysctl.d/96-ov.conf", Applied: true},
		{Path: "/etc/sysctl.d/99-sysctl.conf", Applied: true, Target: "/etc/sysctl.conf"},
		{Path: "/usr/lib/sysctl.d/10-vendor.conf", MaskedBy: "/etc/sysctl.d/10-vendor.conf"},
		{Path: "/usr/lib/sysctl.d/80-masked.conf", MaskedBy: "/etc/sysctl.d/80-masked.conf"},
		{Path: "/usr/lib/sysctl.d/99-sysctl.conf", MaskedBy: "/etc/sysctl.d/99-sysctl.conf"},
	}
	if diff := cmp.Diff(wantFiles, facts.Files); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	want := map[string]SysctlSetting{
		"net.ipv4.ip_forward": {Value: "0", File: "/etc/sysctl.d/10-vendor.conf", Line: 1, Order: 0},
		"fs.x":                {Value: "1", File: "/run/sysctl.d/60-run.conf", Line: 2, Order: 1},
		"kernel.sysrq":        {Value: "1", File: "/usr/local/lib/sysctl.d/70-a.conf", Line: 2, Order: 2},
		"fs.z":                {Value: "1", File: "/usr/local/lib/sysctl.d/95-ov.conf", Line: 2, Order: 3},
		"kernel.pid_max":      {Value: "65536", File: "/etc/sysctl.d/96-ov.conf", Line: 1, Order: 4},
		"fs.y":                {Value: "2", File: "/etc/sysctl.d/99-sysctl.conf", Line: 2, Order: 5},
	}
	if diff := cmp.Diff(want, facts.Configured); diff != "" {
		t.Errorf("configured (-want +got):\n%s", diff)
	}
	wantOverridden := []SysctlOverride{
		{Key: "kernel.sysrq", Value: "0", File: "/run/sysctl.d/60-run.conf", Line: 1, By: SysctlLocation{"/usr/local/lib/sysctl.d/70-a.conf", 2}},
		{Key: "kernel.pid_max", Value: "4194304", File: "/usr/lib/sysctl.d/50-pid-max.conf", Line: 1, By: SysctlLocation{"/usr/local/lib/sysctl.d/95-ov.conf", 1}},
		{Key: "kernel.pid_max", Excluded: true, File: "/usr/local/lib/sysctl.d/95-ov.conf", Line: 1, By: SysctlLocation{"/etc/sysctl.d/96-ov.conf", 1}},
	}
	if diff := cmp.Diff(wantOverridden, facts.Overridden); diff != "" {
		t.Errorf("overridden (-want +got):\n%s", diff)
	}
	if len(facts.Excluded) != 0 || len(facts.Ignored) != 0 {
		t.Errorf("excluded %v ignored %v", facts.Excluded, facts.Ignored)
	}
}

// TestSysctlConfLast: without Debian's link, /etc/sysctl.conf is applied
// after every sysctl.d file, as procps' sysctl --system applies it.
func TestSysctlConfLast(t *testing.T) {
	fsys := rootfs.Wrap(afero.NewMemMapFs())
	pkghostWrite(t, fsys, map[string]string{
		"/etc/sysctl.d/99-zz.conf": "net.ipv4.ip_forward = 0\n",
		"/etc/sysctl.conf":         "\nnet.ipv4.ip_forward = 1\n",
	})
	facts := sysctlTCollect(t, fsys, false)
	if diff := cmp.Diff(SysctlSetting{Value: "1", File: "/etc/sysctl.conf", Line: 2}, facts.Configured["net.ipv4.ip_forward"]); diff != "" {
		t.Errorf("ip_forward (-want +got):\n%s", diff)
	}
	wantFiles := []SysctlFile{
		{Path: "/etc/sysctl.d/99-zz.conf", Applied: true},
		{Path: "/etc/sysctl.conf", Applied: true, Note: "applied last, as procps sysctl --system does"},
	}
	if diff := cmp.Diff(wantFiles, facts.Files); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
}

func TestSysctlDebian12(t *testing.T) {
	fsys, err := rootfs.New(filepath.Join("testdata", "sysctl", "debian12"))
	if err != nil {
		t.Fatal(err)
	}
	facts := sysctlTCollect(t, fsys, false)
	const links = "/usr/lib/sysctl.d/99-protect-links.conf"
	want := map[string]SysctlSetting{
		"kernel.pid_max":         {Value: "4194304", File: "/usr/lib/sysctl.d/50-pid-max.conf", Line: 16, Order: 0},
		"fs.protected_fifos":     {Value: "1", File: links, Line: 7, Order: 1},
		"fs.protected_hardlinks": {Value: "1", File: links, Line: 8, Order: 2},
		"fs.protected_regular":   {Value: "2", File: links, Line: 9, Order: 3},
		"fs.protected_symlinks":  {Value: "1", File: links, Line: 10, Order: 4},
	}
	if diff := cmp.Diff(want, facts.Configured); diff != "" {
		t.Errorf("configured (-want +got):\n%s", diff)
	}
	wantFiles := []SysctlFile{
		{Path: "/usr/lib/sysctl.d/50-pid-max.conf", Applied: true},
		{Path: links, Applied: true},
		{Path: "/etc/sysctl.d/99-sysctl.conf", Applied: true, Target: "/etc/sysctl.conf"},
	}
	if diff := cmp.Diff(wantFiles, facts.Files); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
}

func TestSysctlEmptyRoot(t *testing.T) {
	facts := sysctlTCollect(t, rootfs.Wrap(afero.NewMemMapFs()), false)
	b, err := json.Marshal(facts)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"configured":{},"excluded":{},"files":[],"overridden":[],"ignored":[],"runtime":{"available":false,"reason":"/r is an offline root, so /proc/sys describes the scanning machine, not it","values":{}}}`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
}

func TestSysctlEffective(t *testing.T) {
	facts := &SysctlFacts{
		Configured: map[string]SysctlSetting{
			"net.ipv4.conf.all.rp_filter":  {Value: "1", Order: 0},
			"net.ipv4.conf.*.rp_filter":    {Value: "2", Glob: true, Order: 1},
			"net.ipv4.conf.e*.rp_filter":   {Value: "0", Glob: true, Order: 2},
			"net.ipv4.conf.[!e]*.log_mart": {Value: "1", Glob: true, Order: 3},
		},
		Excluded: map[string]SysctlLocation{"net.ipv4.conf.lo.rp_filter": {}},
	}
	for key, want := range map[string]string{
		"net.ipv4.conf.all.rp_filter":     "1", // explicit beats globs
		"net.ipv4.conf.default.rp_filter": "2",
		"net.ipv4.conf.eth0.rp_filter":    "0", // the later glob wins
		"net.ipv4.conf.eth0/1.rp_filter":  "0", // "*" matches a dot inside a name
		"net.ipv4.conf.lo.rp_filter":      "",  // excluded
		"net.ipv4.conf.a.b.rp_filter":     "",  // "*" never matches a separator
		"net.ipv4.conf.wlan0.log_mart":    "1",
		"net.ipv4.conf.eth0.log_mart":     "",
	} {
		s, ok := facts.Effective(key)
		if ok != (want != "") || s.Value != want {
			t.Errorf("Effective(%s) = %q, %v; want %q", key, s.Value, ok, want)
		}
	}
}

// TestSysctlRuntime reads a fake /proc/sys through a live target.
func TestSysctlRuntime(t *testing.T) {
	fsys, _ := sysctlTRoot(t, map[string]string{
		"/etc/sysctl.d/10.conf":                        "net.ipv4.ip_local_port_range = 1024 65000\nvm.missing = 1\nnet.ipv4.conf.*.rp_filter = 1\nkernel/../../../etc/shadow = 1\n",
		"/etc/shadow":                                  "root:secret\n",
		"/proc/sys/net/ipv4/ip_forward":                "0\n",
		"/proc/sys/net/ipv4/ip_local_port_range":       "32768\t60999\n",
		"/proc/sys/net/ipv4/conf/eth0.1/rp_filter":     "2\n",
		"/proc/sys/kernel/yama/":                       "",
		"/proc/sys/kernel/yama/ptrace_scope/":          "", // a directory where a value should be
		"/proc/sys/kernel/randomize_va_space":          "2",
		"/proc/sys/fs/suid_dumpable":                   "<fifo>",
		"/proc/sys/net/ipv6/conf/all/accept_redirects": "  1  \n\n",
	})
	facts := sysctlTCollect(t, fsys, true)
	if !facts.Runtime.Available || facts.Runtime.Reason != "" {
		t.Errorf("live runtime head: %+v", facts.Runtime.LiveOnly)
	}
	got := facts.Runtime.Values
	for key, want := range map[string]SysctlValue{
		"net.ipv4.ip_forward":                {Exists: true, Value: "0"},
		"net.ipv4.ip_local_port_range":       {Exists: true, Value: "32768 60999"},
		"vm.missing":                         {},
		"kernel.yama.ptrace_scope":           {Exists: true, Error: "a directory, not a parameter"},
		"kernel.randomize_va_space":          {Exists: true, Value: "2"},
		"fs.suid_dumpable":                   {Exists: true, Error: "not a regular file"},
		"net.ipv6.conf.all.accept_redirects": {Exists: true, Value: "1"},
		"net.ipv4.conf.all.rp_filter":        {},
	} {
		if diff := cmp.Diff(want, got[key]); diff != "" {
			t.Errorf("%s (-want +got):\n%s", key, diff)
		}
	}
	if v, ok := got["net.ipv4.conf.*.rp_filter"]; ok {
		t.Errorf("a glob key was read: %+v", v)
	}
	// The configured key climbs out of /proc/sys: it is never read.
	var climb string
	for k := range facts.Configured {
		if strings.Contains(k, "shadow") {
			climb = k
		}
	}
	if v := got[climb]; climb == "" || v.Value != "" || v.Error == "" {
		t.Errorf("key %q: %+v, want an error and no value", climb, v)
	}
	for _, k := range SysctlSecurityKeys {
		if _, ok := got[k]; !ok {
			t.Errorf("security key %s not reported", k)
		}
	}
}

func TestSysctlErrors(t *testing.T) {
	for name, files := range map[string]map[string]string{
		"fifo":      {"/etc/sysctl.d/10.conf": "<fifo>"},
		"fifo conf": {"/etc/sysctl.conf": "<fifo>"},
		"long line": {"/etc/sysctl.d/10.conf": "a = 1\n" + strings.Repeat("x", sysctlMaxLine+1) + "=1\n"},
	} {
		t.Run(name, func(t *testing.T) {
			fsys, _ := sysctlTRoot(t, files)
			_, err := Sysctl{}.Collect(context.Background(), Target{Fs: fsys, Root: "/r"})
			var file string
			for f := range files {
				file = f
			}
			if err == nil || !strings.HasPrefix(err.Error(), "sysctl: ") || !strings.Contains(err.Error(), file) {
				t.Fatalf("err = %v, want a sysctl error naming %s", err, file)
			}
			if name == "long line" && !strings.Contains(err.Error(), file+":2:") {
				t.Errorf("err = %v, want line 2", err)
			}
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := (Sysctl{}).Collect(ctx, Target{Fs: rootfs.Wrap(afero.NewMemMapFs())}); err == nil {
		t.Error("cancelled context: no error")
	}
}

// sysctlTOracleCases are roots whose configuration systemd-sysctl itself
// evaluates in TestSysctlOracleSystemd. extra lists keys that only globs
// set.
var sysctlTOracleCases = []struct {
	name  string
	files map[string]string
	extra []string
}{
	{
		name: "precedence",
		files: map[string]string{
			"/usr/lib/sysctl.d/10-vendor.conf":   "net.ipv4.ip_forward = 1\nkernel.sysrq = 16\n",
			"/etc/sysctl.d/10-vendor.conf":       "net.ipv4.ip_forward = 0\n",
			"/usr/lib/sysctl.d/50-pid-max.conf":  "kernel.pid_max = 4194304\n",
			"/run/sysctl.d/60-run.conf":          "kernel.sysrq = 0\nfs.x = 1\n",
			"/usr/local/lib/sysctl.d/70-a.conf":  "fs.x = 1\nkernel.sysrq = 1\n",
			"/etc/sysctl.d/80-masked.conf":       "-> /dev/null",
			"/usr/lib/sysctl.d/80-masked.conf":   "kernel.kptr_restrict = 0\n",
			"/etc/sysctl.d/85-dangling.conf":     "-> /nonexistent",
			"/usr/lib/sysctl.d/85-dangling.conf": "kernel.dangling = 1\n",
			"/usr/lib/sysctl.d/90-dir.conf/":     "",
			"/etc/sysctl.d/.hidden.conf":         "kernel.hidden = 1\n",
			"/etc/sysctl.d/README":               "kernel.readme = 1\n",
			"/etc/sysctl.d/99-sysctl.conf":       "-> ../sysctl.conf",
			"/etc/sysctl.conf":                   "# comments only\nfs.y = 2\n",
			"/usr/lib/sysctl.d/99-sysctl.conf":   "fs.y = 3\n",
			"/usr/local/lib/sysctl.d/95-ov.conf": "-kernel.pid_max\nfs.z = 1\n",
			"/etc/sysctl.d/96-ov.conf":           "kernel.pid_max = 65536\n",
			"/run/sysctl.d/97-neg.conf":          "-kernel.hidden\n",
		},
		extra: []string{"kernel.readme"},
	},
	{
		name: "syntax",
		files: map[string]string{"/etc/sysctl.d/10.conf": strings.Join([]string{
			"# comment", "; comment", "  net.ipv4.ip_forward =  0  ", "net/ipv4/conf/all/rp_filter=1",
			"-kernel.yama.ptrace_scope = 1", "kernel.dmesg_restrict", "-net.ipv4.conf.lo.log_martians",
			"net.ipv4.conf.*.log_martians = 1", "net.ipv4.ip_local_port_range = 32768\t60999",
			"fs.suid_dumpable=0\r", "kernel.sysrq = 0\rkernel.x=1", "net.ipv4.conf.eth0/1.rp_filter = 2",
			"/net//ipv6/conf/all/forwarding/ = 0", "net.ipv6.conf.default.accept_ra = 0 # trailing",
			"vm.a = 1", "vm.a=1", "vm.a = 2", "vm.b = x", "-vm.b", "vm.b = y",
		}, "\n")},
		extra: []string{"net.ipv4.conf.all.log_martians", "net.ipv4.conf.lo.log_martians", "net.ipv4.conf.eth0/1.log_martians"},
	},
	{
		name: "globs",
		files: map[string]string{
			"/usr/lib/sysctl.d/10-globs.conf": "net.ipv4.conf.*.rp_filter = 2\nnet.ipv4.conf.all.rp_filter = 1\n",
			"/etc/sysctl.d/20-globs.conf":     "net.ipv4.conf.e*.rp_filter = 0\n-net.ipv4.conf.eth1.rp_filter\nnet.ipv4.conf.[!e]*.accept_ra = 0\n",
			"/etc/sysctl.d/30-glob.conf":      "net.ipv4.conf.*.rp_filter = 2\n",
		},
		extra: []string{
			"net.ipv4.conf.default.rp_filter", "net.ipv4.conf.eth0.rp_filter", "net.ipv4.conf.eth1.rp_filter",
			"net.ipv4.conf.lo.rp_filter", "net.ipv4.conf.lo.accept_ra", "net.ipv4.conf.eth0.accept_ra",
		},
	},
	{
		name: "sysctl.conf last",
		files: map[string]string{
			"/etc/sysctl.d/99-zz.conf": "net.ipv4.ip_forward = 0\nkernel.sysrq = 1\n",
			"/etc/sysctl.conf":         "net.ipv4.ip_forward = 1\n",
		},
	},
}

// TestSysctlOracleSystemd applies each case with the real systemd-sysctl
// and, where the collector says /etc/sysctl.conf is applied last, with
// procps' sysctl -p, inside a private mount namespace whose /proc/sys is a
// tmpfs holding one empty file per key and whose sysctl.d directories are
// the case's, then compares what they wrote with Effective.
func TestSysctlOracleSystemd(t *testing.T) {
	unshare := oracle.Require(t, "unshare")
	procps := oracle.Require(t, "sysctl")
	var systemdSysctl string
	for _, p := range []string{"/usr/lib/systemd/systemd-sysctl", "/lib/systemd/systemd-sysctl"} {
		if _, err := os.Stat(p); err == nil {
			systemdSysctl = p
			break
		}
	}
	if systemdSysctl == "" {
		oracle.Missing(t, "systemd-sysctl not found")
	}
	if os.Geteuid() != 0 {
		oracle.Missing(t, "mount namespaces need root")
	}
	for _, dir := range []string{"/etc/sysctl.d", "/usr/lib/sysctl.d", "/etc/sysctl.conf"} {
		if _, err := os.Stat(dir); err != nil {
			oracle.Missing(t, dir+" is needed as a mount point")
		}
	}
	cases := sysctlTOracleCases
	debian := map[string]string{}
	for _, f := range []string{"/etc/sysctl.conf", "/usr/lib/sysctl.d/50-pid-max.conf", "/usr/lib/sysctl.d/99-protect-links.conf"} {
		debian[f] = pkgTestdata(t, filepath.Join("sysctl", "debian12", f))
	}
	debian["/etc/sysctl.d/99-sysctl.conf"] = "-> ../sysctl.conf"
	cases = append(cases, struct {
		name  string
		files map[string]string
		extra []string
	}{"debian12", debian, nil})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{"/etc/sysctl.d/": "", "/usr/lib/sysctl.d/": "", "/run/sysctl.d/": "", "/usr/local/lib/sysctl.d/": ""}
			for k, v := range tc.files {
				files[k] = v
			}
			if _, ok := files["/etc/sysctl.conf"]; !ok {
				files["/etc/sysctl.conf"] = ""
			}
			fsys, dir := sysctlTRoot(t, files)
			facts := sysctlTCollect(t, fsys, false)
			keys := map[string]bool{}
			for _, k := range tc.extra {
				keys[k] = true
			}
			for k, s := range facts.Configured {
				keys[k] = !s.Glob || keys[k]
			}
			for k := range facts.Excluded {
				keys[k] = true
			}
			for _, o := range facts.Overridden {
				keys[o.Key] = true
			}
			var keyList []string
			want := map[string]string{}
			for k, ok := range keys {
				if !ok {
					continue
				}
				keyList = append(keyList, SysctlDotted(k))
				if s, ok := facts.Effective(k); ok {
					want[k] = s.Value
				}
			}
			confLast := false
			for _, f := range facts.Files {
				confLast = confLast || (f.Path == sysctlConf && f.Applied)
			}
			script := `set -e
mount -t tmpfs gcrun-sys /proc/sys
for k in $KEYS; do mkdir -p "/proc/sys/$(dirname "$k")"; : > "/proc/sys/$k"; done
mount -t tmpfs gcrun-run /run
mount -t tmpfs gcrun-local /usr/local/lib
mkdir -p /run/sysctl.d /usr/local/lib/sysctl.d
for d in etc/sysctl.d usr/lib/sysctl.d run/sysctl.d usr/local/lib/sysctl.d etc/sysctl.conf; do mount --bind "$ROOT/$d" "/$d"; done
"$SYSTEMD_SYSCTL" 2>/dev/null || true
if [ "$CONF_LAST" = 1 ]; then "$PROCPS" -e -q -p /etc/sysctl.conf || true; fi
cd /proc/sys && find . -type f | while read -r f; do printf '%s\t%s\036' "${f#./}" "$(cat "$f")"; done`
			cmd := exec.Command(unshare, "--mount", "--propagation", "private", "sh", "-c", script)
			cmd.Env = append(os.Environ(), "KEYS="+strings.Join(keyList, " "), "ROOT="+dir,
				"SYSTEMD_SYSCTL="+systemdSysctl, "PROCPS="+procps, fmt.Sprintf("CONF_LAST=%d", map[bool]int{false: 0, true: 1}[confLast]))
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("%v: %s", err, out)
			}
			got := map[string]string{}
			for _, rec := range strings.Split(string(out), "\036") {
				k, v, ok := strings.Cut(rec, "\t")
				if ok && v != "" {
					got[SysctlDotted(k)] = v
				}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("values (-collector +systemd-sysctl):\n%s", diff)
			}
			if len(want) == 0 {
				t.Error("the case sets nothing")
			}
		})
	}
}

// TestSysctlOracleCatConfig compares the files the collector applies, in
// order, with systemd-analyze cat-config sysctl.d --root.
func TestSysctlOracleCatConfig(t *testing.T) {
	analyze := oracle.Require(t, "systemd-analyze")
	for _, tc := range sysctlTOracleCases {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{}
			for k, v := range tc.files {
				// cat-config stops at what it cannot read.
				if v != "-> /nonexistent" && !strings.HasSuffix(k, "/") {
					files[k] = v
				}
			}
			fsys, dir := sysctlTRoot(t, files)
			facts := sysctlTCollect(t, fsys, false)
			var mine []string
			for _, f := range facts.Files {
				if f.MaskedBy == "" && f.Path != sysctlConf {
					mine = append(mine, f.Path)
				}
			}
			out, err := exec.Command(analyze, "cat-config", "sysctl.d", "--root="+dir).CombinedOutput()
			if err != nil {
				t.Fatalf("%v: %s", err, out)
			}
			var theirs []string
			for _, line := range strings.Split(string(out), "\n") {
				if p, ok := strings.CutPrefix(line, "# "+dir); ok {
					theirs = append(theirs, p)
				}
			}
			if diff := cmp.Diff(theirs, mine); diff != "" {
				t.Errorf("files (-systemd-analyze +collector):\n%s", diff)
			}
		})
	}
}

// TestSysctlOracleLive compares the running values the collector reads on
// this host with sysctl -n.
func TestSysctlOracleLive(t *testing.T) {
	procps := oracle.Require(t, "sysctl")
	fsys, err := rootfs.New("/")
	if err != nil {
		t.Fatal(err)
	}
	facts := sysctlTCollect(t, fsys, true)
	n := 0
	for key, v := range facts.Runtime.Values {
		out, err := exec.Command(procps, "-n", key).Output()
		switch {
		case !v.Exists && v.Error == "":
			if err == nil {
				t.Errorf("%s: collector says absent, sysctl -n prints %q", key, out)
			}
		case v.Error != "":
			t.Logf("%s: %s", key, v.Error)
		case err != nil:
			t.Errorf("%s: sysctl -n: %v", key, err)
		default:
			if theirs := strings.Join(strings.Fields(string(out)), " "); theirs != v.Value {
				t.Errorf("%s: collector %q, sysctl -n %q", key, v.Value, theirs)
			}
			n++
		}
	}
	if n == 0 {
		t.Error("no value compared")
	}
	t.Logf("compared %d running values with sysctl -n", n)
}
