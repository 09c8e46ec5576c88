package checks

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/afero"

	"github.com/gcrun/gcrun/checks/rootfs"
)

// The golden files in testdata/sshd/format are real `sshd -T` output of
// Debian 12's sshd (host key path rewritten), so that the renderer is held
// to it where sshd is not installed; TestSSHDOracle does the same against
// the live binary.

func sshdGolden(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "sshd", "format", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestWriteSSHDTGolden(t *testing.T) {
	config := sshdGolden(t, "sshd_config")
	cases := []struct {
		name, config, golden string
		conn                 *SSHDConnection
	}{
		{"defaults", "HostKey /etc/ssh/ssh_host_ed25519_key\n", "defaults.sshd-t", nil},
		{"example", config, "example.sshd-t", nil},
		{"example -C user=alice,addr=10.1.2.3", config, "example-alice.sshd-t",
			&SSHDConnection{User: "alice", Addr: "10.1.2.3", Groups: []string{}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mem := afero.NewMemMapFs()
			if err := afero.WriteFile(mem, SSHDConfigPath, []byte(c.config), 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := SSHD{}.Collect(context.Background(), Target{Fs: rootfs.Wrap(mem), Root: "/"})
			if err != nil {
				t.Fatal(err)
			}
			cfg := got.(*SSHDFacts).Config
			if c.conn != nil {
				eff, err := got.(*SSHDFacts).Effective(*c.conn)
				if err != nil {
					t.Fatal(err)
				}
				cfg = eff.Config
			}
			if diff := sshdTextDiff(sshdGolden(t, c.golden), sshdText(t, cfg)); diff != "" {
				t.Errorf("WriteSSHDT vs sshd -T (-sshd +gcrun):\n%s", diff)
			}
		})
	}
}

func TestWriteSSHDT(t *testing.T) {
	cases := []struct {
		name string
		cfg  SSHDConfig
		want string
		err  string
	}{
		{"empty", SSHDConfig{}, "", ""},
		{"order, lists, omitted empties", SSHDConfig{
			"pubkeyauthoptions": "none",
			"allowusers":        []string{"a", "b"},
			"port":              []string{"22", "2222"},
			"denyusers":         []string{},
			"logverbose":        "",
			"channeltimeout":    "session=1m",
			"acceptenv":         []any{"LANG"}, // as decoded from JSON
		}, "port 22\nport 2222\nallowusers a\nallowusers b\nacceptenv LANG\nchanneltimeout session=1m\npubkeyauthoptions none\n", ""},
		{"unknown keyword", SSHDConfig{"port": []string{"22"}, "debianbanner": "no"}, "", `unknown keyword "debianbanner"`},
		{"bad value", SSHDConfig{"port": 22}, "", "port: value of type int"},
		{"bad list element", SSHDConfig{"port": []any{"22", 23.0}}, "", "port: list element of type float64"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var b bytes.Buffer
			err := c.cfg.WriteSSHDT(&b)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("error: got %v, want %q", err, c.err)
				}
				if b.Len() != 0 {
					t.Errorf("wrote %q despite the error", b.String())
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if b.String() != c.want {
				t.Errorf("got:\n%s\nwant:\n%s", b.String(), c.want)
			}
		})
	}
}

// TestWriteSSHDTOrderComplete checks that every keyword the collector
// knows has its place in sshd -T's order and nothing else does.
func TestWriteSSHDTOrderComplete(t *testing.T) {
	if len(sshdDumpRank) != len(sshdDumpOrder) {
		t.Errorf("sshdDumpOrder has duplicates")
	}
	for k := range sshdDefaults {
		if _, ok := sshdDumpRank[k]; !ok {
			t.Errorf("keyword %q has a default but no place in sshd -T's order", k)
		}
	}
	for _, k := range sshdDumpOrder {
		if _, ok := sshdDefaults[k]; !ok {
			t.Errorf("keyword %q is in sshd -T's order but has no default", k)
		}
	}
}

type sshdFailWriter struct{}

func (sshdFailWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteSSHDTWriterError(t *testing.T) {
	if err := (SSHDConfig{"port": []string{"22"}}).WriteSSHDT(sshdFailWriter{}); err == nil || err.Error() != "disk full" {
		t.Errorf("error: got %v, want the writer's", err)
	}
}
