package checks

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/gcrun/gcrun/checks/rootfs"
	"github.com/gcrun/gcrun/internal/oracle"
)

// The oracle tests hold the collector's global configuration against the
// real sshd's `sshd -T` for the fixtures in testdata/sshd/oracle. Each
// fixture directory is copied to a temporary directory, with @DIR@ replaced
// by that directory (so Includes are absolute and read the same files in
// both) and @HOSTKEY@ by a freshly generated host key (sshd -T refuses to
// run without a loadable one; a HostKey line rather than -h keeps the
// hostkey keyword comparable). sshd runs in "/", the working directory of
// a daemon, because it resolves relative paths against it.

// sshdOracleSkip lists keywords that cannot be compared yet, with the
// reason. Keep it short: every entry is a place the facts may be wrong.
//
// No keyword is skipped. What the fixtures avoid instead, and why:
//   - host names in ListenAddress: the collector keeps them unresolved
//     (resolving would ask the scanning host about another machine), sshd
//     resolves them; see sshdFormatAddr.
//   - "Match LocalPort": sshd -T without -C dies on it ("'lport' not in
//     connection test specification"), although sshd itself accepts it;
//     sshd_test.go covers it.
//   - "~" when not root: see sshdOracleRootOnly.
var sshdOracleSkip = map[string]string{}

// sshdOracleRootOnly lists fixtures whose result depends on running as
// root: "~" expands to the home of the uid sshd runs as, the collector
// always assumes uid 0.
var sshdOracleRootOnly = map[string]bool{"tilde": true}

// sshdOracle returns the sshd binary and a host key, or skips.
func sshdOracle(t *testing.T) (sshd, hostKey string) {
	t.Helper()
	sshd = oracle.Require(t, "sshd")
	keygen := oracle.Require(t, "ssh-keygen")
	if os.Geteuid() == 0 {
		// sshd -T as root insists on its privilege separation directory.
		if err := os.MkdirAll("/run/sshd", 0o755); err != nil {
			oracle.Missing(t, "cannot create /run/sshd: "+err.Error())
		}
	}
	hostKey = filepath.Join(t.TempDir(), "hostkey")
	out, err := exec.Command(keygen, "-q", "-t", "ed25519", "-N", "", "-f", hostKey).CombinedOutput()
	if err != nil {
		t.Fatalf("ssh-keygen: %v\n%s", err, out)
	}
	return sshd, hostKey
}

// sshdT runs sshd -T on config and returns its stdout, or the error with
// stderr.
func sshdT(t *testing.T, sshd, config string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, sshd, "-T", "-f", config)
	cmd.Dir = "/"
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", errors.New(err.Error() + ": " + strings.TrimSpace(stderr.String()))
	}
	return stdout.String(), nil
}

// sshdTLines groups sshd -T output by keyword, values in printed order.
func sshdTLines(out string) map[string][]string {
	m := map[string][]string{}
	for _, line := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		k, v, _ := strings.Cut(line, " ")
		m[k] = append(m[k], v)
	}
	return m
}

// sshdRenderT renders a collected configuration as sshd -T lines grouped
// like sshdTLines: "keyword value", one line per list item; the empty
// values that stand for keywords sshd -T omits render as no line.
func sshdRenderT(t *testing.T, cfg SSHDConfig) map[string][]string {
	t.Helper()
	m := map[string][]string{}
	for k, v := range cfg {
		switch v := v.(type) {
		case string:
			if v != "" {
				m[k] = []string{v}
			}
		case []string:
			if len(v) > 0 {
				m[k] = append([]string{}, v...)
			}
		default:
			t.Errorf("config[%q] is %T, want string or []string", k, v)
		}
	}
	return m
}

// sshdOracleFixture copies testdata/sshd/oracle/name to a temporary
// directory, filling in the placeholders, and returns the config path.
func sshdOracleFixture(t *testing.T, name, hostKey string) string {
	t.Helper()
	src := filepath.Join("testdata", "sshd", "oracle", name)
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		data = bytes.ReplaceAll(data, []byte("@DIR@"), []byte(dst))
		data = bytes.ReplaceAll(data, []byte("@HOSTKEY@"), []byte(hostKey))
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dst, "sshd_config")
}

func TestSSHDOracle(t *testing.T) {
	sshd, hostKey := sshdOracle(t)
	entries, err := os.ReadDir(filepath.Join("testdata", "sshd", "oracle"))
	if err != nil {
		t.Fatal(err)
	}
	host, err := rootfs.New("/")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		name := e.Name()
		t.Run(name, func(t *testing.T) {
			if sshdOracleRootOnly[name] && os.Geteuid() != 0 {
				t.Skip("needs root: sshd expands ~ for the uid it runs as")
			}
			config := sshdOracleFixture(t, name, hostKey)
			out, err := sshdT(t, sshd, config)
			if err != nil {
				t.Fatalf("sshd -T rejects the fixture: %v", err)
			}
			got, err := SSHD{ConfigPath: config}.Collect(context.Background(), Target{Fs: host, Root: "/"})
			if err != nil {
				t.Fatalf("Collect: %v", err)
			}
			want := sshdTLines(out)
			have := sshdRenderT(t, got.(*SSHDFacts).Config)
			for k, why := range sshdOracleSkip {
				t.Logf("skipping %s: %s", k, why)
				delete(want, k)
				delete(have, k)
			}
			if diff := cmp.Diff(want, have); diff != "" {
				t.Errorf("collector vs sshd -T (-sshd +collector):\n%s", diff)
			}
		})
	}
}

// TestSSHDOracleRejects checks that configurations sshd refuses are
// errors for the collector too.
func TestSSHDOracleRejects(t *testing.T) {
	sshd, hostKey := sshdOracle(t)
	host, err := rootfs.New("/")
	if err != nil {
		t.Fatal(err)
	}
	bad := []string{
		"Foo bar",
		"Port",
		"Port # nothing",
		"Port 0",
		"Port 65536",
		"PermitRootLogin maybe",
		"PermitRootLogin no yes",
		"PermitRootLogin \"no",
		"PasswordAuthentication 1",
		"PermitTunnel Yes",
		"LoginGraceTime 1x",
		"MaxAuthTries -1",
		"MaxAuthTries 3x",
		"ClientAliveInterval 2147483648",
		"RekeyLimit 8",
		"RekeyLimit 1Q",
		"MaxStartups 10:30",
		"MaxStartups 20:30:10",
		"PerSourceNetBlockSize 33",
		"StreamLocalBindMask 01000",
		"PermitRootLogin= =no",
		"IPQoS bogus",
		"Ciphers aes*",
		"Ciphers aes256-ctr,nope",
		"MACs nope",
		"KexAlgorithms nope",
		"HostKeyAlgorithms nope*",
		"PubkeyAcceptedAlgorithms ssh-ed25519,!ssh-rsa",
		"CASignatureAlgorithms ssh-ed25519-cert-v01@openssh.com",
		"GSSAPIKexAlgorithms nope",
		"LogLevel LOUD",
		"SyslogFacility KERN",
		"LogVerbose a none",
		"ChannelTimeout session",
		"FingerprintHash sha3",
		"AllowUsers x@10.0.0.1/8",
		"AcceptEnv A=B",
		"SetEnv A",
		"Subsystem sftp",
		"Subsystem sftp a\nSubsystem sftp b",
		"AuthenticationMethods publickey any",
		"AuthenticationMethods publickey\nMatch User x\nAuthenticationMethods any",
		"AuthenticationMethods publickey,nope",
		"AuthorizedKeysCommand relative",
		"PermitOpen host",
		"PermitOpen host:port",
		"PermitListen 0",
		"PubkeyAuthOptions nope",
		"ListenAddress 1.2.3.4/24",
		"ListenAddress 1.2.3.4:",
		"ListenAddress 1.2.3.4 rdomain",
		"AddressFamily inet6\nListenAddress 1.2.3.4",
		"RDomain 1",
		"Match",
		"Match User",
		"Match Foo bar",
		"Match all User x",
		"Match Address 10.0.0.1/8",
		"Match LocalPort 22,23",
		"Match User x\nPort 22",
		"Match User x\nProtocol 2",
		"Include",
		"Include \"\"",
		"Include @DIR@/self",
		"AuthorizedKeysCommand /bin/keys",
		"AuthorizedPrincipalsCommand /bin/principals",
		"PasswordAuthentication no\nAuthenticationMethods password publickey,keyboard-interactive:pam\nKbdInteractiveAuthentication no",
		"PasswordAuthentication no\nAuthenticationMethods password\nMatch all\nPasswordAuthentication yes",
		"Match all\nPubkeyAcceptedAlgorithms ssh-ed25519,!ssh-rsa",
	}
	for _, body := range bad {
		t.Run(strings.ReplaceAll(body, "\n", "|"), func(t *testing.T) {
			dir := t.TempDir()
			body = strings.ReplaceAll(body, "@DIR@", dir)
			config := filepath.Join(dir, "sshd_config")
			if err := os.WriteFile(config, []byte("HostKey "+hostKey+"\n"+body+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			// A file that includes itself: too deep for both.
			if err := os.WriteFile(filepath.Join(dir, "self"), []byte("Include "+filepath.Join(dir, "self")+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			if out, err := sshdT(t, sshd, config); err == nil {
				t.Fatalf("sshd -T accepts %q; the fixture is wrong:\n%s", body, out)
			}
			_, err := SSHD{ConfigPath: config}.Collect(context.Background(), Target{Fs: host, Root: "/"})
			var ce *SSHDConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("Collect: got %v, want an *SSHDConfigError", err)
			}
		})
	}
}

// TestSSHDOracleAccepts checks odd but valid lines: sshd -T and the
// collector must both accept them and agree on the result.
func TestSSHDOracleAccepts(t *testing.T) {
	sshd, hostKey := sshdOracle(t)
	host, err := rootfs.New("/")
	if err != nil {
		t.Fatal(err)
	}
	odd := []string{
		"Include /nonexistent/file",
		"Include @DIR@",
		"Include @DIR@/*.none",
		"\"Port 22",
		"=PermitRootLogin no",
		"PermitRootLogin=no",
		"MaxStartups 10:x",
		"Match all # comment\nPermitRootLogin no",
		"Match User=alice Host \"a b\"",
		"AuthenticationMethods any\nAuthenticationMethods password",
		"ChannelTimeout none\nChannelTimeout session=1m",
		"LogVerbose none",
		"UnusedConnectionTimeout 0",
		"RekeyLimit default none",
		"PermitUserEnvironment YES",
		"AllowUsers # nothing",
		"StreamLocalBindMask 0800",
		"StreamLocalBindMask 0177xyz",
		"LogLevel debug1",
		"Port 022\nPort ssh",
		"ListenAddress 010.1\nListenAddress [fe80::1%lo]:22\nListenAddress ::ffff:1.2.3.4",
		"AddressFamily inet6\nListenAddress [::1]:2\nListenAddress ::",
		"AddressFamily inet\nPort 1\nPort 2",
		"PermitRootLogin prohibit-password",
		"Ciphers -aes*",
		"ForceCommand none",
		"VersionAddendum NONE",
		"AuthorizedKeysCommand NONE",
		"HostKey relative/key",
		"AuthorizedKeysCommand none",
		"UnusedConnectionTimeout 1h\nUnusedConnectionTimeout none",
		"UnusedConnectionTimeout none\nUnusedConnectionTimeout 1h",
		"UnusedConnectionTimeout 0\nUnusedConnectionTimeout 1h",
		"UnusedConnectionTimeout 1h\nUnusedConnectionTimeout 0",
		"Match User alice\nAuthenticationMethods publickey any",
		"PubkeyAcceptedAlgorithms -*,cert*\nCiphers -*",
		"ChannelTimeout # x\nChannelTimeout session=1m",
		"LogVerbose # x\nLogVerbose a",
		"SetEnv # x\nSetEnv A=1",
		"AuthorizedKeysFile # x\nAuthorizedKeysFile k",
		"PubkeyAuthOptions # x\nPubkeyAuthOptions touch-required",
		"ListenAddress [::1]:\r3\nMaxAuthTries +4",
		"GSSAPIKexAlgorithms gss-gex-sha1-abc,,x",
		"Include /etc/ss\\h/nonexistent\\",
		"ChannelTimeout session=1m\nMatch all\nChannelTimeout none\nAuthenticationMethods any",
		"ChannelTimeout none\nMatch all\nChannelTimeout none",
		"AuthenticationMethods password,publickey none publickey\nPasswordAuthentication no",
		"Match User x\nPubkeyAcceptedAlgorithms ssh-ed25519,!ssh-rsa",
		"Match User x\nCASignatureAlgorithms ssh-ed25519-cert-v01@openssh.com",
	}
	for _, body := range odd {
		t.Run(strings.ReplaceAll(body, "\n", "|"), func(t *testing.T) {
			dir := t.TempDir()
			body = strings.ReplaceAll(body, "@DIR@", dir)
			config := filepath.Join(dir, "sshd_config")
			if err := os.WriteFile(config, []byte("HostKey "+hostKey+"\n"+body+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := sshdT(t, sshd, config)
			if err != nil {
				t.Fatalf("sshd -T rejects %q; the fixture is wrong: %v", body, err)
			}
			got, err := SSHD{ConfigPath: config}.Collect(context.Background(), Target{Fs: host, Root: "/"})
			if err != nil {
				t.Fatalf("Collect: %v", err)
			}
			want, have := sshdTLines(out), sshdRenderT(t, got.(*SSHDFacts).Config)
			if diff := cmp.Diff(want, have); diff != "" {
				t.Errorf("collector vs sshd -T (-sshd +collector):\n%s", diff)
			}
		})
	}
}

// TestSSHDOracleKeywordsKnown checks the keyword table against the binary:
// every keyword sshd -T prints for an empty configuration has a default,
// and every default is printed (unless sshd -T omits it when unset).
func TestSSHDOracleKeywordsKnown(t *testing.T) {
	sshd, hostKey := sshdOracle(t)
	config := filepath.Join(t.TempDir(), "sshd_config")
	if err := os.WriteFile(config, []byte("HostKey "+hostKey+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := sshdT(t, sshd, config)
	if err != nil {
		t.Fatal(err)
	}
	printed := sshdTLines(out)
	var missing, extra []string
	for k := range printed {
		if _, ok := sshdDefaults[k]; !ok {
			missing = append(missing, k)
		}
	}
	omitted := map[string]bool{"hostcertificate": true, "allowusers": true, "denyusers": true, "allowgroups": true,
		"denygroups": true, "acceptenv": true, "setenv": true, "subsystem": true, "logverbose": true, "channeltimeout": true}
	for k := range sshdDefaults {
		if _, ok := printed[k]; !ok && !omitted[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing) > 0 || len(extra) > 0 {
		t.Errorf("keywords printed by sshd -T without a default: %v; defaults sshd -T does not print: %v", missing, extra)
	}
}
