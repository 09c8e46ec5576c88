package checks

import (
	"context"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/gcrun/gcrun/checks/rootfs"
	"github.com/gcrun/gcrun/internal/oracle"
)

// sshdCollect runs the sshd collector on every file system of root.
func sshdCollect(t *testing.T, root sshdRoot, check func(t *testing.T, f *SSHDFacts, err error)) {
	t.Helper()
	for fsName, fsys := range sshdFileSystems(t, root) {
		t.Run(fsName, func(t *testing.T) {
			got, err := SSHD{}.Collect(context.Background(), Target{Fs: fsys, Root: "/"})
			f, _ := got.(*SSHDFacts)
			check(t, f, err)
		})
	}
}

func TestSSHDDebianBanner(t *testing.T) {
	cases := []struct {
		name   string
		config string
		want   string
		src    *SSHDLocation
	}{
		{"default", "Port 22\n", "yes", nil},
		{"no", "Port 22\nDebianBanner no\n", "no", &SSHDLocation{File: SSHDConfigPath, Line: 2}},
		{"first wins", "debianbanner = No\nDebianBanner yes\n", "no", &SSHDLocation{File: SSHDConfigPath, Line: 1}},
		{"in Match all", "Match all\nDebianBanner no\n", "no", &SSHDLocation{File: SSHDConfigPath, Line: 2}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sshdCollect(t, sshdRoot{files: map[string]string{SSHDConfigPath: tc.config}}, func(t *testing.T, f *SSHDFacts, err error) {
				if err != nil {
					t.Fatal(err)
				}
				if f.DebianBanner != tc.want {
					t.Errorf("debian_banner %q, want %q", f.DebianBanner, tc.want)
				}
				src, ok := f.Sources["debianbanner"]
				switch {
				case tc.src == nil && ok:
					t.Errorf("sources.debianbanner = %v, want none", src)
				case tc.src != nil && src != *tc.src:
					t.Errorf("sources.debianbanner = %v, want %v", src, *tc.src)
				}
				if _, printed := f.Config["debianbanner"]; printed {
					t.Error("debianbanner in config: sshd -T does not print it")
				}
			})
		})
	}
	t.Run("not in Match blocks", func(t *testing.T) {
		sshdCollect(t, sshdRoot{files: map[string]string{SSHDConfigPath: "Match User alice\nDebianBanner no\n"}}, func(t *testing.T, _ *SSHDFacts, err error) {
			if err == nil || !strings.Contains(err.Error(), "not allowed within a Match block") {
				t.Fatalf("err = %v, want not allowed within a Match block", err)
			}
		})
	})
}

// sshdModulusLine is a well-formed moduli(5) line with a modulus of size+1
// bits (not a prime: the collector does not test primality).
func sshdModulusLine(size int) string {
	n := new(big.Int).Lsh(big.NewInt(1), uint(size))
	n.Or(n, big.NewInt(0xdeadbeef))
	return fmt.Sprintf("20220714110357 2 6 100 %d 2 %X", size, n)
}

func TestSSHDModuli(t *testing.T) {
	const moduli = "/etc/ssh/moduli"
	good := strings.Join([]string{
		"# Time Type Tests Tries Size Generator Modulus",
		sshdModulusLine(3071),
		"",
		sshdModulusLine(2047),
		"   " + sshdModulusLine(3071) + "  ",
		sshdModulusLine(8191),
	}, "\n") + "\n"
	cases := []struct {
		name   string
		files  map[string]string
		want   *SSHDModuli
		errMsg string
	}{
		{
			name: "missing: sshd uses its built-in groups",
			want: &SSHDModuli{Path: moduli, Sizes: map[string]int{}},
		},
		{
			name:  "counts and the smallest size",
			files: map[string]string{moduli: good},
			want:  &SSHDModuli{Path: moduli, Exists: true, Count: 4, MinBits: 2048, Sizes: map[string]int{"2047": 1, "3071": 2, "8191": 1}},
		},
		{
			name:  "comments only",
			files: map[string]string{moduli: "# nothing\n"},
			want:  &SSHDModuli{Path: moduli, Exists: true, Sizes: map[string]int{}},
		},
		{
			name:  "ModuliFile",
			files: map[string]string{SSHDConfigPath: "ModuliFile /etc/ssh/moduli.strong\n", "/etc/ssh/moduli.strong": sshdModulusLine(4095) + "\n", moduli: sshdModulusLine(1023) + "\n"},
			want:  &SSHDModuli{Path: "/etc/ssh/moduli.strong", Exists: true, Count: 1, MinBits: 4096, Sizes: map[string]int{"4095": 1}},
		},
		{
			name:   "too few fields",
			files:  map[string]string{moduli: "# c\n" + sshdModulusLine(3071) + "\n20220714110357 2 6 100 2047 2\n"},
			errMsg: "sshd: /etc/ssh/moduli:3: bad modulus line: 6 fields",
		},
		{
			name:   "size disagrees with the modulus",
			files:  map[string]string{moduli: strings.Replace(sshdModulusLine(3071), " 3071 ", " 2047 ", 1) + "\n"},
			errMsg: "sshd: /etc/ssh/moduli:1: bad modulus line: modulus has 3072 bits, size 2047 says 2048",
		},
		{
			name:   "size not a number",
			files:  map[string]string{moduli: "20220714110357 2 6 100 big 2 FF\n"},
			errMsg: `sshd: /etc/ssh/moduli:1: bad modulus line: size "big"`,
		},
		{
			name:   "modulus not hexadecimal",
			files:  map[string]string{moduli: "20220714110357 2 6 100 7 2 XYZ\n"},
			errMsg: "sshd: /etc/ssh/moduli:1: bad modulus line: modulus is not hexadecimal",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{SSHDConfigPath: "Port 22\n"}
			for p, c := range tc.files {
				files[p] = c
			}
			sshdCollect(t, sshdRoot{files: files}, func(t *testing.T, f *SSHDFacts, err error) {
				if tc.errMsg != "" {
					if err == nil || !strings.HasPrefix(err.Error(), tc.errMsg) {
						t.Fatalf("err = %v, want %q...", err, tc.errMsg)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(tc.want, f.Moduli); diff != "" {
					t.Errorf("moduli (-want +got):\n%s", diff)
				}
			})
		})
	}
}

// TestSSHDModuliHost reads this machine's /etc/ssh/moduli and checks it
// against a plain count of its lines.
func TestSSHDModuliHost(t *testing.T) {
	data, err := os.ReadFile("/etc/ssh/moduli")
	if err != nil {
		t.Skipf("no /etc/ssh/moduli on this host: %v", err)
	}
	want := &SSHDModuli{Path: "/etc/ssh/moduli", Exists: true, Sizes: map[string]int{}}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		want.Count++
		want.Sizes[f[4]]++
		size, err := strconv.Atoi(f[4])
		if err != nil {
			t.Fatal(err)
		}
		if want.MinBits == 0 || size+1 < want.MinBits {
			want.MinBits = size + 1
		}
	}
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "etc/ssh"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "etc/ssh/moduli"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	rfs, err := rootfs.New(root)
	if err != nil {
		t.Fatal(err)
	}
	got, err := sshdReadModuli(rfs, "/etc/ssh/moduli")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("moduli (-want +got):\n%s", diff)
	}
	if got.Count == 0 {
		t.Error("no moduli read")
	}
}

// TestSSHDHostKeysOracle generates host keys with ssh-keygen and checks
// each key's type and size against `ssh-keygen -l`.
func TestSSHDHostKeysOracle(t *testing.T) {
	keygen := oracle.Require(t, "ssh-keygen")
	dir := t.TempDir()
	keys := []struct{ name, typ, bits string }{
		{"rsa2048", "rsa", "2048"},
		{"rsa3072", "rsa", "3072"},
		{"ecdsa256", "ecdsa", "256"},
		{"ecdsa384", "ecdsa", "384"},
		{"ed25519", "ed25519", ""},
	}
	files := map[string]string{}
	var config strings.Builder
	var want []SSHDHostKey
	for _, k := range keys {
		priv := filepath.Join(dir, k.name)
		args := []string{"-q", "-t", k.typ, "-N", "", "-C", "test@gcrun", "-f", priv}
		if k.bits != "" {
			args = append(args, "-b", k.bits)
		}
		if out, err := exec.Command(keygen, args...).CombinedOutput(); err != nil {
			t.Fatalf("ssh-keygen %v: %v\n%s", args, err, out)
		}
		out, err := exec.Command(keygen, "-l", "-f", priv+".pub").Output()
		if err != nil {
			t.Fatalf("ssh-keygen -l -f %s.pub: %v", priv, err)
		}
		f := strings.Fields(string(out))
		bits, err := strconv.Atoi(f[0])
		if err != nil {
			t.Fatalf("ssh-keygen -l: %q", out)
		}
		pub, err := os.ReadFile(priv + ".pub")
		if err != nil {
			t.Fatal(err)
		}
		typ := strings.Fields(string(pub))[0]
		path := "/etc/ssh/ssh_host_" + k.name + "_key"
		// Only the public key goes into the root: the collector must
		// not need the private one.
		files[path+".pub"] = string(pub)
		fmt.Fprintf(&config, "HostKey %s\n", path)
		want = append(want, SSHDHostKey{Path: path, PublicKey: path + ".pub", Exists: true, Type: typ, Bits: bits})
		t.Logf("%s: ssh-keygen -l says %d bits, type %s", k.name, bits, typ)
	}
	config.WriteString("HostKey /etc/ssh/ssh_host_gone_key\n")
	want = append(want, SSHDHostKey{Path: "/etc/ssh/ssh_host_gone_key", PublicKey: "/etc/ssh/ssh_host_gone_key.pub"})
	files[SSHDConfigPath] = config.String()
	sshdCollect(t, sshdRoot{files: files}, func(t *testing.T, f *SSHDFacts, err error) {
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, f.HostKeys); diff != "" {
			t.Errorf("host_keys (-want +got):\n%s", diff)
		}
	})
}

func TestSSHDHostKeysMalformed(t *testing.T) {
	const key = "/etc/ssh/ssh_host_rsa_key"
	// A valid ed25519 blob: string "ssh-ed25519", string of 32 bytes.
	ed := "AAAAC3NzaC1lZDI1NTE5AAAAINQPzdSrwvdVIB6m+b0tIXnli4AvklWpEPmAAjYVQuNZ"
	cases := []struct {
		name, pub, errMsg string
	}{
		{"placeholder", "ssh-rsa AAAAB3NzaC1yc2EPlaceholder root@fixture\n", "key is not valid base64"},
		{"empty", "\n# only a comment\n", `no "type base64-key" line`},
		{"type only", "ssh-rsa\n", `no "type base64-key" line`},
		{"type mismatch", "ssh-rsa " + ed + "\n", `type "ssh-rsa" does not match the key's type "ssh-ed25519"`},
		{"truncated", "ssh-rsa AAAAB3NzaC1yc2EAAAADAQAB\n", "truncated key"},
		{"trailing bytes", "ssh-ed25519 " + ed + "AAAA\n", "3 bytes after the ssh-ed25519 key"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			root := sshdRoot{files: map[string]string{SSHDConfigPath: "HostKey " + key + "\n", key + ".pub": tc.pub}}
			sshdCollect(t, root, func(t *testing.T, _ *SSHDFacts, err error) {
				want := "sshd: " + key + ".pub: bad public key: " + tc.errMsg
				if err == nil || err.Error() != want {
					t.Fatalf("err = %v, want %q", err, want)
				}
			})
		})
	}
	t.Run("valid ed25519", func(t *testing.T) {
		root := sshdRoot{files: map[string]string{SSHDConfigPath: "HostKey /k\n", "/k.pub": "# comment\nssh-ed25519 " + ed + " c\n"}}
		sshdCollect(t, root, func(t *testing.T, f *SSHDFacts, err error) {
			if err != nil {
				t.Fatal(err)
			}
			want := []SSHDHostKey{{Path: "/k", PublicKey: "/k.pub", Exists: true, Type: "ssh-ed25519", Bits: 256}}
			if diff := cmp.Diff(want, f.HostKeys); diff != "" {
				t.Errorf("host_keys (-want +got):\n%s", diff)
			}
		})
	})
}
