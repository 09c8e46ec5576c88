package checks

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/afero"

	"github.com/gcrun/gcrun/checks/rootfs"
	"github.com/gcrun/gcrun/internal/oracle"
)

func hostCollect(t testing.TB, fsys afero.Fs, live bool) (*HostFacts, error) {
	t.Helper()
	got, err := Host{}.Collect(context.Background(), Target{Fs: fsys, Root: "/", Live: live})
	if err != nil {
		return nil, err
	}
	return got.(*HostFacts), nil
}

// hostDebianOS is testdata/host/debian-12 as the collector reports it.
var hostDebianOS = OSRelease{
	ID: "debian", IDLike: []string{}, Name: "Debian GNU/Linux", VersionID: "12", VersionCodename: "bookworm",
	PrettyName: "Debian GNU/Linux 12 (bookworm)", Family: "debian",
	Fields: map[string]string{
		"PRETTY_NAME": "Debian GNU/Linux 12 (bookworm)", "NAME": "Debian GNU/Linux", "VERSION_ID": "12",
		"VERSION": "12 (bookworm)", "VERSION_CODENAME": "bookworm", "ID": "debian",
		"HOME_URL": "https://www.debian.org/", "SUPPORT_URL": "https://www.debian.org/support",
		"BUG_REPORT_URL": "https://bugs.debian.org/",
	},
}

func hostEmptyOS() OSRelease { return OSRelease{IDLike: []string{}, Fields: map[string]string{}} }

func TestHost(t *testing.T) {
	debian := pkgTestdata(t, "host/debian-12")
	alpine := pkgTestdata(t, "host/alpine-3.20")
	tests := []struct {
		name    string
		files   map[string]string
		want    *HostFacts
		wantErr string
	}{
		{
			name: "debian",
			files: map[string]string{
				"/etc/hostname":   "web-1\n",
				"/etc/machine-id": "4c4c4544004b4e1080318ec04f4e3332\n",
				"/etc/os-release": debian,
			},
			want: &HostFacts{Hostname: "web-1", MachineID: "4c4c4544004b4e1080318ec04f4e3332", OS: hostDebianOS},
		},
		{
			name:  "empty root",
			files: map[string]string{"/etc/passwd": "root:x:0:0::/root:/bin/sh\n"},
			want:  &HostFacts{OS: hostEmptyOS()},
		},
		{
			name:  "os-release only in /usr/lib",
			files: map[string]string{"/usr/lib/os-release": debian},
			want:  &HostFacts{OS: hostDebianOS},
		},
		{
			name:  "/etc/os-release wins over /usr/lib",
			files: map[string]string{"/usr/lib/os-release": alpine, "/etc/os-release": debian},
			want:  &HostFacts{OS: hostDebianOS},
		},
		{
			name:  "hostname after blank lines and comments",
			files: map[string]string{"/etc/hostname": "\n# set by the installer\n  db-2.example.org  \nignored\n"},
			want:  &HostFacts{Hostname: "db-2.example.org", OS: hostEmptyOS()},
		},
		{
			name:  "hostname without newline, machine-id uninitialized",
			files: map[string]string{"/etc/hostname": "h", "/etc/machine-id": "uninitialized\n"},
			want:  &HostFacts{Hostname: "h", MachineID: "uninitialized", OS: hostEmptyOS()},
		},
		{
			name:  "empty hostname and machine-id files",
			files: map[string]string{"/etc/hostname": "", "/etc/machine-id": ""},
			want:  &HostFacts{OS: hostEmptyOS()},
		},
		{
			name:    "malformed os-release",
			files:   map[string]string{"/etc/os-release": "ID=debian\n\nthis is not an assignment\n"},
			wantErr: `host: /etc/os-release:3: line is not KEY=value: "this is not an assignment"`,
		},
		{
			name:    "malformed fallback os-release",
			files:   map[string]string{"/usr/lib/os-release": "ID=\"debian\n"},
			wantErr: `host: /usr/lib/os-release:1: ID: unterminated double quote (multi-line values are not supported)`,
		},
		{
			name:    "binary hostname",
			files:   map[string]string{"/etc/hostname": "\x7fELF\x02\x01\x01\x00\n"},
			wantErr: `host: /etc/hostname:1: control character '\x7f'`,
		},
		{
			name:    "binary machine-id",
			files:   map[string]string{"/etc/machine-id": "\x00\x00\x00\x00"},
			wantErr: `host: /etc/machine-id: control character '\x00'`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, root := range pkghostRoots {
				fsys := root.make(t)
				pkghostWrite(t, fsys, tt.files)
				got, err := hostCollect(t, fsys, false)
				if tt.wantErr != "" {
					if err == nil || err.Error() != tt.wantErr {
						t.Errorf("%s: error %v, want %s", root.name, err, tt.wantErr)
					}
					continue
				}
				if err != nil {
					t.Fatalf("%s: %v", root.name, err)
				}
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("%s: facts (-want +got):\n%s", root.name, diff)
				}
			}
		})
	}
}

func TestHostJSON(t *testing.T) {
	fsys := rootfs.Wrap(afero.NewMemMapFs())
	got, err := hostCollect(t, fsys, false)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	// Lists and maps are empty, never null, so rules need no guards.
	const want = `{"hostname":"","machine_id":"","os":{"id":"","id_like":[],"name":"","version_id":"",` +
		`"version_codename":"","pretty_name":"","family":"","fields":{}}}`
	if string(b) != want {
		t.Errorf("JSON\n got %s\nwant %s", b, want)
	}
}

func TestHostLive(t *testing.T) {
	want, err := os.Hostname()
	if err != nil {
		t.Skip(err)
	}
	fsys := rootfs.Wrap(afero.NewMemMapFs())
	pkghostWrite(t, fsys, map[string]string{"/etc/hostname": "not-the-kernel-name\n"})
	got, err := hostCollect(t, fsys, true)
	if err != nil {
		t.Fatal(err)
	}
	if got.Hostname != want {
		t.Errorf("live hostname %q, want the kernel's %q", got.Hostname, want)
	}
}

func TestHostCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Host{}.Collect(ctx, Target{Fs: rootfs.Wrap(afero.NewMemMapFs()), Root: "/"})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want %v", err, context.Canceled)
	}
}

// TestHostSymlinks builds a root the way distributions do (/etc/os-release
// a relative link into /usr/lib) and the way a hostile image might (absolute
// links aimed at the host's files): every link must resolve inside the root.
func TestHostSymlinks(t *testing.T) {
	const inRoot = "ID=gcrun-test\nNAME=\"Inside the root\"\n"
	tests := []struct {
		name  string
		files map[string]string
		links map[string]string
		want  *HostFacts
	}{
		{
			name:  "relative link to ../usr/lib/os-release",
			files: map[string]string{"usr/lib/os-release": inRoot},
			links: map[string]string{"etc/os-release": "../usr/lib/os-release"},
		},
		{
			name:  "absolute link to /usr/lib/os-release",
			files: map[string]string{"usr/lib/os-release": inRoot},
			links: map[string]string{"etc/os-release": "/usr/lib/os-release"},
		},
		{
			name:  "link climbing above the root",
			files: map[string]string{"usr/lib/os-release": inRoot},
			links: map[string]string{"etc/os-release": "../../../../../../../../usr/lib/os-release"},
		},
		{
			name:  "dangling /etc/os-release falls back to /usr/lib",
			files: map[string]string{"usr/lib/os-release": inRoot},
			links: map[string]string{"etc/os-release": "../usr/lib/os-release.missing"},
		},
		{
			name: "absolute links to host-only files find nothing",
			links: map[string]string{
				"etc/os-release":      "/proc/self/root/etc/os-release",
				"usr/lib/os-release":  "/proc/self/root/usr/lib/os-release",
				"etc/hostname":        "/proc/sys/kernel/hostname",
				"etc/machine-id":      "/proc/sys/kernel/random/boot_id",
				"etc/unused-for-test": "/etc/passwd",
			},
			want: &HostFacts{OS: hostEmptyOS()},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, d := range []string{"etc", "usr/lib"} {
				if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			for name, content := range tt.files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			for name, target := range tt.links {
				if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
					t.Fatal(err)
				}
			}
			fsys, err := rootfs.New(dir)
			if err != nil {
				t.Fatal(err)
			}
			got, err := hostCollect(t, fsys, false)
			if err != nil {
				t.Fatal(err)
			}
			want := tt.want
			if want == nil {
				want = &HostFacts{OS: OSRelease{ID: "gcrun-test", IDLike: []string{}, Name: "Inside the root",
					Fields: map[string]string{"ID": "gcrun-test", "NAME": "Inside the root"}}}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("facts (-want +got):\n%s", diff)
			}
		})
	}
}

// osReleaseCases are os-release files with the variables they define. A
// case with shellDiffers is read differently by a POSIX shell, on purpose
// (see parseOSRelease), and is left out of the shell oracle.
var osReleaseCases = []struct {
	name         string
	text         string
	want         map[string]string
	shellDiffers string
}{
	{name: "empty", text: "", want: map[string]string{}},
	{name: "comments and blank lines", text: "# c\n\n   \n\t# indented\nID=x\n", want: map[string]string{"ID": "x"}},
	{name: "unquoted", text: "ID=alpine\nVERSION_ID=3.20.3\n", want: map[string]string{"ID": "alpine", "VERSION_ID": "3.20.3"}},
	{name: "double quotes", text: `NAME="Debian GNU/Linux"` + "\n", want: map[string]string{"NAME": "Debian GNU/Linux"}},
	{name: "single quotes keep backslashes", text: `A='a\"b\\c $x'` + "\n", want: map[string]string{"A": `a\"b\\c $x`}},
	{
		name: "double-quote escapes",
		text: `A="q\" b\\ d\$ t\` + "`" + ` n\n x\'"` + "\n",
		want: map[string]string{"A": `q" b\ d$ t` + "`" + ` n\n x\'`},
	},
	{name: "unquoted escapes", text: `A=a\ b\$c\"d` + "\n", want: map[string]string{"A": `a b$c"d`}},
	{name: "concatenation", text: `A="dq"'sq'bare` + "\n", want: map[string]string{"A": "dqsqbare"}},
	{name: "empty values", text: "A=\nB=\"\"\nC=''\n", want: map[string]string{"A": "", "B": "", "C": ""}},
	{name: "hash inside a word", text: "A=a#b\n", want: map[string]string{"A": "a#b"}},
	{name: "comment after the value", text: "A=\"v\" # c\nB=w\t#c\n", want: map[string]string{"A": "v", "B": "w"}},
	{name: "trailing white space", text: "A=v  \nB=\"w\"\t\n", want: map[string]string{"A": "v", "B": "w"}},
	{name: "later assignment wins", text: "A=1\nA=2\n", want: map[string]string{"A": "2"}},
	{name: "no final newline", text: "A=1", want: map[string]string{"A": "1"}},
	{name: "UTF-8", text: "NAME=\"Débian ✓\"\n", want: map[string]string{"NAME": "Débian ✓"}},
	{
		name: "CRLF", text: "ID=debian\r\nNAME=\"Debian\"\r\n", want: map[string]string{"ID": "debian", "NAME": "Debian"},
		shellDiffers: "the shell keeps the CR of an unquoted value; systemd, and we, drop it",
	},
	{
		name: "unescaped dollar in double quotes", text: "A=\"cost $5\"\n", want: map[string]string{"A": "cost $5"},
		shellDiffers: "the shell expands $5; systemd, and we, take it literally",
	},
}

func TestOSReleaseParse(t *testing.T) {
	for _, tt := range osReleaseCases {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseOSRelease("/etc/os-release", []byte(tt.text))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
}

func TestOSReleaseErrors(t *testing.T) {
	tests := []struct{ name, text, want string }{
		{"not an assignment", "ID=x\n\ngarbage\n", `3: line is not KEY=value: "garbage"`},
		{"export", "export ID=x\n", `1: invalid variable name "export ID"`},
		{"spaces around =", "ID = x\n", `1: invalid variable name "ID "`},
		{"name starting with a digit", "1D=x\n", `1: invalid variable name "1D"`},
		{"empty name", "=x\n", `1: invalid variable name ""`},
		{"name with a hyphen", "MY-ID=x\n", `1: invalid variable name "MY-ID"`},
		{"unterminated double quote", "A=1\nNAME=\"Debian\n", "2: NAME: unterminated double quote (multi-line values are not supported)"},
		{"unterminated single quote", "NAME='Debian\n", "1: NAME: unterminated single quote (multi-line values are not supported)"},
		{"escaped closing quote", `NAME="Debian\"` + "\n", "1: NAME: unterminated double quote (multi-line values are not supported)"},
		{"unquoted space", "NAME=Debian GNU/Linux\n", "1: NAME: unquoted white space in value (quote the value)"},
		{"text after the quotes", "NAME=\"Debian\" GNU\n", "1: NAME: unquoted white space in value (quote the value)"},
		{"line continuation", "NAME=Debian\\\n", "1: NAME: line continuation is not supported"},
		{"NUL byte", "ID=debian\nNAME=\"a\x00b\"\n", `2: control character '\x00'`},
		{"invalid UTF-8", "NAME=\"D\xe9bian\"\n", "1: invalid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseOSRelease("/etc/os-release", []byte(tt.text))
			want := "host: /etc/os-release:" + tt.want
			if err == nil || err.Error() != want {
				t.Errorf("got %v, error %v; want error %s", got, err, want)
			}
		})
	}
}

func TestOSReleaseFamily(t *testing.T) {
	tests := []struct {
		id     string
		idLike string
		want   string
	}{
		{"debian", "", "debian"},
		{"ubuntu", "debian", "debian"},
		{"linuxmint", "ubuntu debian", "debian"},
		{"pop", "ubuntu debian", "debian"},
		{"kali", "debian", "debian"},
		{"raspbian", "debian", "debian"},
		{"devuan", "debian", "debian"},
		{"rhel", "fedora", "rhel"},
		{"centos", "rhel fedora", "rhel"},
		{"rocky", "rhel centos fedora", "rhel"},
		{"almalinux", "rhel centos fedora", "rhel"},
		{"ol", "fedora", "rhel"},
		{"amzn", "centos rhel fedora", "rhel"}, // Amazon Linux 2
		{"amzn", "fedora", "rhel"},             // Amazon Linux 2023
		{"fedora", "", "rhel"},
		{"virtuozzo", "rhel fedora", "rhel"},
		{"sles", "suse", "suse"},
		{"sled", "suse", "suse"},
		{"sles_sap", "suse", "suse"},
		{"opensuse-leap", "suse opensuse", "suse"},
		{"opensuse-tumbleweed", "opensuse suse", "suse"},
		{"opensuse-microos", "suse opensuse opensuse-tumbleweed microos sl-micro", "suse"},
		{"alpine", "", "alpine"},
		{"postmarketos", "alpine", "alpine"},
		{"arch", "", "arch"},
		{"archarm", "arch", "arch"},
		{"manjaro", "arch", "arch"},
		{"endeavouros", "arch", "arch"},
		{"DEBIAN", "", "debian"},
		{"gentoo", "", ""},
		{"nixos", "", ""},
		{"void", "", ""},
		{"azurelinux", "", ""},
		{"", "", ""},
	}
	for _, tt := range tests {
		if got := osFamily(tt.id, strings.Fields(tt.idLike)); got != tt.want {
			t.Errorf("osFamily(%q, %q) = %q, want %q", tt.id, tt.idLike, got, tt.want)
		}
	}
}

// TestOSReleaseFixtures reads real os-release files of the major families.
func TestOSReleaseFixtures(t *testing.T) {
	tests := []struct {
		file                         string
		id, idLike, versionID, code  string
		prettyName, family, fieldKey string
	}{
		{"debian-12", "debian", "", "12", "bookworm", "Debian GNU/Linux 12 (bookworm)", "debian", "HOME_URL"},
		{"ubuntu-24.04", "ubuntu", "debian", "24.04", "noble", "Ubuntu 24.04.1 LTS", "debian", "UBUNTU_CODENAME"},
		{"rocky-9", "rocky", "rhel centos fedora", "9.4", "", "Rocky Linux 9.4 (Blue Onyx)", "rhel", "PLATFORM_ID"},
		{"fedora-40", "fedora", "", "40", "", "Fedora Linux 40 (Container Image)", "rhel", "VARIANT_ID"},
		{"amzn-2023", "amzn", "fedora", "2023", "", "Amazon Linux 2023.5.20240916", "rhel", "VENDOR_NAME"},
		{"opensuse-leap-15.6", "opensuse-leap", "suse opensuse", "15.6", "", "openSUSE Leap 15.6", "suse", "CPE_NAME"},
		{"alpine-3.20", "alpine", "", "3.20.3", "", "Alpine Linux v3.20", "alpine", "BUG_REPORT_URL"},
		{"arch", "arch", "", "", "", "Arch Linux", "arch", "BUILD_ID"},
		{"quoting", "example", "rhel fedora", "2", "", "Example Linux (it's fine)", "rhel", "CONCAT"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			fsys := rootfs.Wrap(afero.NewMemMapFs())
			pkghostWrite(t, fsys, map[string]string{"/usr/lib/os-release": pkgTestdata(t, "host/"+tt.file)})
			got, err := hostCollect(t, fsys, false)
			if err != nil {
				t.Fatal(err)
			}
			o := got.OS
			if o.ID != tt.id || strings.Join(o.IDLike, " ") != tt.idLike || o.VersionID != tt.versionID ||
				o.VersionCodename != tt.code || o.PrettyName != tt.prettyName || o.Family != tt.family || o.Name == "" {
				t.Errorf("os = %+v", o)
			}
			if _, ok := o.Fields[tt.fieldKey]; !ok {
				t.Errorf("fields lack %s: %v", tt.fieldKey, o.Fields)
			}
		})
	}
}

// TestOSReleaseShellOracle sources each os-release file with /bin/sh, the
// reader os-release(5) is written for, and compares every variable.
func TestOSReleaseShellOracle(t *testing.T) {
	sh := oracle.Require(t, "sh")
	type input struct{ name, text string }
	var inputs []input
	for _, c := range osReleaseCases {
		if c.shellDiffers == "" {
			inputs = append(inputs, input{"case " + c.name, c.text})
		}
	}
	entries, err := os.ReadDir(filepath.Join("testdata", "host"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		inputs = append(inputs, input{"testdata/host/" + e.Name(), pkgTestdata(t, "host/"+e.Name())})
	}
	for _, p := range hostOSReleasePaths {
		if b, err := os.ReadFile(p); err == nil {
			inputs = append(inputs, input{"host " + p, string(b)})
		}
	}
	for _, in := range inputs {
		t.Run(in.name, func(t *testing.T) {
			mine, err := parseOSRelease("/os-release", []byte(in.text))
			if err != nil {
				t.Fatal(err)
			}
			file := filepath.Join(t.TempDir(), "os-release")
			if err := os.WriteFile(file, []byte(in.text), 0o644); err != nil {
				t.Fatal(err)
			}
			keys := make([]string, 0, len(mine))
			for k := range mine {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			// Print each variable NUL-terminated; the keys are valid shell
			// names, checked by the parser.
			script := `. "$1" || exit 1` + "\n"
			for _, k := range keys {
				script += `printf '%s\0' "$` + k + `"` + "\n"
			}
			out, err := exec.Command(sh, "-c", script, "sh", file).Output()
			if err != nil {
				t.Fatalf("sh: %v", err)
			}
			values := strings.Split(string(out), "\x00")
			if len(values) != len(keys)+1 {
				t.Fatalf("sh printed %d values, want %d", len(values)-1, len(keys))
			}
			shell := map[string]string{}
			for i, k := range keys {
				shell[k] = values[i]
			}
			if diff := cmp.Diff(shell, mine); diff != "" {
				t.Errorf("variables (-sh +parser):\n%s", diff)
			}
		})
	}
}

// FuzzOSReleaseParse checks that no input panics and that errors carry the
// file and line.
func FuzzOSReleaseParse(f *testing.F) {
	for _, c := range osReleaseCases {
		f.Add([]byte(c.text))
	}
	f.Add([]byte("A=\"\\"))
	f.Add([]byte("A='"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fields, err := parseOSRelease("/etc/os-release", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "host: /etc/os-release:") {
				t.Fatalf("error without file:line: %v", err)
			}
			return
		}
		for k := range fields {
			if !osReleaseValidKey(k) {
				t.Fatalf("invalid key %q accepted", k)
			}
		}
	})
}
