package checks

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/afero"

	"github.com/gcrun/gcrun/checks/rootfs"
	"github.com/gcrun/gcrun/internal/oracle"
)

// The differential suite holds the collector against the real sshd: for
// every case, `sshd -T -f FILE` and `sshd -T -f FILE -C SPEC` for several
// connections must print exactly what WriteSSHDT prints for the facts'
// Config and for Effective, or both must refuse the configuration.
//
// Each case is written to a temporary directory. "@DIR@" in its files
// becomes that directory, so Includes are absolute paths into it (sshd
// resolves relative ones against /etc/ssh, which the test must not touch);
// "@HOSTKEY@" becomes a freshly generated host key (sshd -T refuses to run
// without a loadable one; a HostKey line rather than -h keeps the hostkey
// keyword comparable). sshd runs in "/", a daemon's working directory,
// because it resolves relative paths against it.
//
// Match Group: sshd looks users and groups up in the scanning host's
// databases, so the connections use accounts every Debian host has (root
// in group root, daemon in daemon, nobody in nogroup, and a user that does
// not exist), and the collector's groups come from the same host files
// through SSHDUserGroups on a root of "/". TestSSHDOracleNamespace adds,
// when running as root, cases with users of its own and relative Includes:
// it runs sshd in a private mount namespace where the case's /etc/ssh,
// /etc/passwd and /etc/group are bind-mounted over the host's, so nothing
// outside the test process sees them.
//
// What the cases avoid, and why:
//   - host names in ListenAddress: the collector keeps them unresolved
//     (resolving would ask the scanning host about another machine), sshd
//     resolves them; see sshdFormatAddr.
//   - "~" when not root: sshd expands it for the uid it runs as, the
//     collector assumes uid 0 (sshd's normal case); such cases set root.

// sshdDefaultConns are the connections every accepted case is also tested
// with, besides its own.
var sshdDefaultConns = []string{
	"user=root,host=localhost,addr=127.0.0.1,laddr=127.0.0.1,lport=22",
	"user=nobody,host=Client.Example.COM,addr=10.1.2.3",
	"user=nosuchuser,addr=2001:db8::7,rdomain=vrf1",
}

// sshdCase is one configuration of the differential suite.
type sshdCase struct {
	name string
	// files maps paths relative to the case directory to their content;
	// "sshd_config" is the main file.
	files map[string]string
	// conns are -C specifications tested besides sshdDefaultConns.
	conns []string
	// reject marks a configuration sshd must refuse (checked, so that a
	// fixture that stops being invalid is noticed).
	reject bool
	// root: the result depends on running as root ("~" expansion).
	root bool
}

// sshdBody is a case with a one-file configuration after the host key.
func sshdBody(name, body string, conns ...string) sshdCase {
	return sshdCase{name: name, files: map[string]string{"sshd_config": "HostKey @HOSTKEY@\n" + body + "\n"}, conns: conns}
}

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

// sshdRun runs cmd and returns its stdout, or an error with its stderr.
func sshdRun(t *testing.T, name string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = "/"
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", errors.New(err.Error() + ": " + strings.TrimSpace(stderr.String()))
	}
	return stdout.String(), nil
}

// sshdTArgs are the arguments of sshd -T for config and an optional -C.
func sshdTArgs(config, spec string) []string {
	args := []string{"-T", "-f", config}
	if spec != "" {
		args = append(args, "-C", spec)
	}
	return args
}

// sshdT runs sshd -T on config, with -C spec unless spec is empty.
func sshdT(t *testing.T, sshd, config, spec string) (string, error) {
	t.Helper()
	return sshdRun(t, sshd, sshdTArgs(config, spec)...)
}

// sshdText renders cfg as sshd -T would print it.
func sshdText(t *testing.T, cfg SSHDConfig) string {
	t.Helper()
	var b strings.Builder
	if err := cfg.WriteSSHDT(&b); err != nil {
		t.Fatalf("WriteSSHDT: %v", err)
	}
	return b.String()
}

// sshdTextDiff compares two sshd -T outputs line by line.
func sshdTextDiff(want, got string) string {
	return cmp.Diff(strings.Split(want, "\n"), strings.Split(got, "\n"))
}

// sshdWriteCase writes c's files to dir, filling in the placeholders.
func sshdWriteCase(t *testing.T, dir string, files map[string]string, hostKey string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		content = strings.ReplaceAll(content, "@DIR@", dir)
		content = strings.ReplaceAll(content, "@HOSTKEY@", hostKey)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// sshdFixtureCases loads the directories of testdata/sshd/oracle: each
// holds an sshd_config, possibly files it includes, and optionally a
// "connections" file of -C specifications, one a line.
func sshdFixtureCases(t *testing.T) []sshdCase {
	t.Helper()
	root := filepath.Join("testdata", "sshd", "oracle")
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	var cases []sshdCase
	for _, e := range entries {
		c := sshdCase{name: "fixture/" + e.Name(), files: map[string]string{}, root: e.Name() == "tilde"}
		dir := filepath.Join(root, e.Name())
		err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(dir, p)
			if rel == "connections" {
				for _, l := range strings.Split(string(data), "\n") {
					if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
						c.conns = append(c.conns, l)
					}
				}
				return nil
			}
			c.files[filepath.ToSlash(rel)] = string(data)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, c)
	}
	return cases
}

// sshdDiffEnv is what comparing one case needs.
type sshdDiffEnv struct {
	// runSSHD runs sshd -T on the case, with -C spec unless it is empty.
	runSSHD func(spec string) (string, error)
	// fsys is the root the collector scans; config the main file in it.
	fsys   afero.Fs
	config string
	conns  []string
	reject bool
}

// sshdCompare checks one case: sshd -T without -C against the facts'
// Config (and Effective for an empty connection, which must agree), then
// every connection against Effective, on the facts as collected and as read
// back from JSON (what a Rego built-in gets).
func sshdCompare(t *testing.T, env sshdDiffEnv) {
	t.Helper()
	plain, plainErr := env.runSSHD("")
	if env.reject && plainErr == nil {
		t.Fatalf("sshd -T accepts the case; the fixture is wrong:\n%s", plain)
	}
	got, err := SSHD{ConfigPath: env.config}.Collect(context.Background(), Target{Fs: env.fsys, Root: "/"})
	if err != nil {
		var ce *SSHDConfigError
		if !errors.As(err, &ce) || ce.File == "" {
			t.Errorf("Collect: got %v, want an *SSHDConfigError naming the file", err)
		}
		if plainErr == nil {
			t.Fatalf("Collect rejects what sshd -T accepts: %v", err)
		}
		t.Logf("both reject: sshd: %v; gcrun: %v", plainErr, err)
		return
	}
	facts := got.(*SSHDFacts)
	blank, blankErr := facts.Effective(SSHDConnection{})
	switch {
	case plainErr != nil && blankErr == nil:
		// The collector itself accepts "Match LocalPort" (sshd starts with
		// it); only the test without a local port must fail, as sshd -T.
		t.Fatalf("sshd -T rejects the case (%v), Effective with no connection accepts it", plainErr)
	case plainErr != nil:
		t.Logf("both reject without -C: sshd: %v; gcrun: %v", plainErr, blankErr)
	case blankErr != nil:
		t.Fatalf("Effective with no connection: %v", blankErr)
	default:
		if diff := sshdTextDiff(plain, sshdText(t, facts.Config)); diff != "" {
			t.Errorf("sshd -T vs facts.Config (-sshd +gcrun):\n%s", diff)
		}
		if diff := sshdTextDiff(plain, sshdText(t, blank.Config)); diff != "" {
			t.Errorf("sshd -T vs Effective(no connection) (-sshd +gcrun):\n%s", diff)
		}
	}
	b, err := json.Marshal(facts)
	if err != nil {
		t.Fatal(err)
	}
	var decoded SSHDFacts
	if err := json.Unmarshal(b, &decoded); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(facts, &decoded); diff != "" {
		t.Errorf("facts change through JSON (-before +after):\n%s", diff)
	}
	if plainErr != nil && len(env.conns) == 0 {
		return
	}
	for _, spec := range append(append([]string{}, sshdDefaultConns...), env.conns...) {
		want, wantErr := env.runSSHD(spec)
		conn, err := ParseSSHDConnection(spec)
		if err != nil {
			if wantErr == nil {
				t.Errorf("-C %s: ParseSSHDConnection: %v; sshd accepts it", spec, err)
			}
			continue
		}
		if conn.User != "" {
			if conn.Groups, _, err = SSHDUserGroups(env.fsys, conn.User); err != nil {
				t.Fatalf("SSHDUserGroups(%q): %v", conn.User, err)
			}
		}
		eff, err := facts.Effective(conn)
		effJSON, errJSON := decoded.Effective(conn)
		if (err == nil) != (errJSON == nil) || err == nil && !cmp.Equal(eff, effJSON) {
			t.Errorf("-C %s: Effective differs on facts read back from JSON: %v / %v", spec, err, errJSON)
		}
		switch {
		case wantErr != nil && err == nil:
			t.Errorf("-C %s: sshd -T rejects it (%v); Effective accepts it (matched %v)", spec, wantErr, eff.Matched)
		case wantErr != nil:
			t.Logf("-C %s: both reject: sshd: %v; gcrun: %v", spec, wantErr, err)
		case err != nil:
			t.Errorf("-C %s: Effective: %v; sshd -T accepts it", spec, err)
		default:
			if diff := sshdTextDiff(want, sshdText(t, eff.Config)); diff != "" {
				t.Errorf("-C %s: sshd -T vs Effective (-sshd +gcrun), matched %v:\n%s", spec, eff.Matched, diff)
			}
		}
	}
}

// TestSSHDOracle is the differential suite; see the top of this file.
func TestSSHDOracle(t *testing.T) {
	sshd, hostKey := sshdOracle(t)
	host, err := rootfs.New("/")
	if err != nil {
		t.Fatal(err)
	}
	cases := append(sshdFixtureCases(t), sshdCases...)
	for _, c := range sshdRejectCases {
		c.reject = true
		cases = append(cases, c)
	}
	seen := map[string]bool{}
	for _, c := range cases {
		if seen[c.name] {
			t.Fatalf("duplicate case name %q", c.name)
		}
		seen[c.name] = true
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if c.root && os.Geteuid() != 0 {
				t.Skip("needs root: sshd expands ~ for the uid it runs as")
			}
			dir := t.TempDir()
			sshdWriteCase(t, dir, c.files, hostKey)
			config := filepath.Join(dir, "sshd_config")
			sshdCompare(t, sshdDiffEnv{
				runSSHD: func(spec string) (string, error) { return sshdT(t, sshd, config, spec) },
				fsys:    host, config: config, conns: c.conns, reject: c.reject,
			})
		})
	}
}

// sshdNSPasswd and sshdNSGroup are the account databases of the namespace
// cases: users with supplementary groups, a gid named twice (getgrgid takes
// the first name), a member list with an unknown user, and the sshd
// privilege separation user sshd -T needs when run as root.
const (
	sshdNSPasswd = `root:x:0:0:root:/root:/bin/sh
# a comment line
sshd:x:100:65534::/run/sshd:/usr/sbin/nologin
alice:x:1000:1000::/home/alice:/bin/sh
bob:x:1001:1001::/home/bob:/bin/sh
carol:x:1002:3000::/home/carol:/bin/sh
dave:x:1003:4242::/home/dave:/bin/sh
nobody:x:65534:65534::/nonexistent:/usr/sbin/nologin
`
	sshdNSGroup = `root:x:0:
alice:x:1000:
bob:x:1001:
admins:x:2000:alice,carol
sftponly:x:2001:bob,ghost
staff:x:2002:alice
twin1:x:3000:
twin2:x:3000:bob
nogroup:x:65534:
`
)

// sshdNSConns are the connections of every namespace case.
var sshdNSConns = []string{
	"user=alice,host=a.example.com,addr=10.0.0.1",
	"user=bob,addr=192.168.1.20",
	"user=carol",
	"user=dave",
	"user=ghost",
	"user=root,addr=127.0.0.1",
}

// TestSSHDOracleNamespace runs, as root, cases that need sshd to see
// accounts and an /etc/ssh of the test's own: in a private mount namespace
// (unshare --mount --propagation private) the case's /etc/ssh,
// /etc/passwd and /etc/group are bind-mounted over the host's, and the
// collector scans the case directory as its root. Relative Includes then
// resolve against the case's /etc/ssh for both.
func TestSSHDOracleNamespace(t *testing.T) {
	sshd, hostKey := sshdOracle(t)
	if os.Geteuid() != 0 {
		t.Skip("needs root for a private mount namespace")
	}
	unshare, err := exec.LookPath("unshare")
	if err != nil {
		t.Skip("unshare not found")
	}
	if _, err := sshdRun(t, unshare, "--mount", "--propagation", "private", "true"); err != nil {
		t.Skipf("no private mount namespace here: %v", err)
	}
	const script = `set -e
mount --bind "$1/etc/ssh" /etc/ssh
mount --bind "$1/etc/passwd" /etc/passwd
mount --bind "$1/etc/group" /etc/group
shift
exec "$@"`
	for _, c := range sshdNSCases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			files := map[string]string{"etc/passwd": sshdNSPasswd, "etc/group": sshdNSGroup}
			for k, v := range c.files {
				files[k] = v
			}
			sshdWriteCase(t, dir, files, hostKey)
			fsys, err := rootfs.New(dir)
			if err != nil {
				t.Fatal(err)
			}
			sshdCompare(t, sshdDiffEnv{
				runSSHD: func(spec string) (string, error) {
					args := append([]string{"--mount", "--propagation", "private", "sh", "-c", script, "sh", dir, sshd},
						sshdTArgs(SSHDConfigPath, spec)...)
					return sshdRun(t, unshare, args...)
				},
				fsys: fsys, config: SSHDConfigPath, conns: append(append([]string{}, sshdNSConns...), c.conns...), reject: c.reject,
			})
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
	out, err := sshdT(t, sshd, config, "")
	if err != nil {
		t.Fatal(err)
	}
	printed := map[string]bool{}
	for _, line := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		k, _, _ := strings.Cut(line, " ")
		printed[k] = true
	}
	var missing, extra []string
	for k := range printed {
		if _, ok := sshdDefaults[k]; !ok {
			missing = append(missing, k)
		}
	}
	omitted := map[string]bool{"hostcertificate": true, "allowusers": true, "denyusers": true, "allowgroups": true,
		"denygroups": true, "acceptenv": true, "setenv": true, "subsystem": true, "logverbose": true, "channeltimeout": true}
	for k := range sshdDefaults {
		if !printed[k] && !omitted[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing) > 0 || len(extra) > 0 {
		t.Errorf("keywords printed by sshd -T without a default: %v; defaults sshd -T does not print: %v", missing, extra)
	}
}

// sshdCases are the accepted configurations of the differential suite,
// besides the fixture directories.
var sshdCases = append(sshdAcceptCases(), sshdMatchCases...)

// sshdAcceptCases are odd but valid one-file configurations.
func sshdAcceptCases() []sshdCase {
	bodies := []string{
		"",
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
		"AuthorizedKeysFile none",
		"Banner none\nPidFile /run/x.pid",
		// glibc prints IPv4-compatible addresses in dotted form.
		"ListenAddress [::1:0]\nListenAddress ::0.0.0.2\nListenAddress [::ffff:0:0]:3\nListenAddress ::a:b:0:0:0\nListenAddress 1::",
		// Scope ids as glibc reads and prints them.
		"ListenAddress [::%0]:1\nListenAddress [::1%007]:2\nListenAddress [ff02::1%lo]:3\nListenAddress fe80::1%4294967295",
	}
	var out []sshdCase
	for _, b := range bodies {
		out = append(out, sshdBody("accept/"+strings.ReplaceAll(b, "\n", "|"), b))
	}
	return out
}

// sshdRejectCases are configurations sshd refuses to start with; the
// collector must refuse them too, naming the file (and line).
var sshdRejectCases = func() []sshdCase {
	bodies := []string{
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
		"ListenAddress [::1%lo]:22",
		"ListenAddress ::1%4294967296",
		"ListenAddress ::1%1x",
		"RDomain 1",
		"Match",
		"Match User",
		"Match Foo bar",
		"Match all User x",
		"Match Address 10.0.0.1/8",
		"Match Address 10.0.0.0/8,",
		"Match LocalAddress !",
		"Match LocalPort 22,23",
		"Match LocalPort 65536",
		"Match User x\nPort 22",
		"Match User x\nProtocol 2",
		"Match User x\nInclude @DIR@/inc\n",
		"Include",
		"Include \"\"",
		"Include @DIR@/self",
		"Include @DIR@/loop-a",
		"AuthorizedKeysCommand /bin/keys",
		"AuthorizedPrincipalsCommand /bin/principals",
		"PasswordAuthentication no\nAuthenticationMethods password publickey,keyboard-interactive:pam\nKbdInteractiveAuthentication no",
		"PasswordAuthentication no\nAuthenticationMethods password\nMatch all\nPasswordAuthentication yes",
		"Match all\nPubkeyAcceptedAlgorithms ssh-ed25519,!ssh-rsa",
		"\x7fELF\x02\x01\x01\x00 binary",
	}
	var out []sshdCase
	for _, b := range bodies {
		c := sshdBody("reject/"+strings.ReplaceAll(b, "\n", "|"), b)
		// A file that includes itself, and two that include each other:
		// too deep for both. inc holds a global-only keyword, which an
		// inactive block may not set even through an Include.
		c.files["self"] = "Include @DIR@/self\n"
		c.files["loop-a"] = "Include @DIR@/loop-b\n"
		c.files["loop-b"] = "Include @DIR@/loop-a\n"
		c.files["inc"] = "Port 2222\n"
		out = append(out, c)
	}
	return out
}()

// sshdMatchCases exercise Match blocks with connections that match them,
// miss them, or make sshd -T -C fail.
var sshdMatchCases = []sshdCase{
	sshdBody("match/user patterns", `PasswordAuthentication no
Match User alice,bo?,*admin,!eve*
	PasswordAuthentication yes
	Banner /etc/issue.user`,
		"user=alice", "user=bob", "user=bobby", "user=sysadmin", "user=eve", "user=eveadmin", "user=Alice", "host=alice"),
	sshdBody("match/group of host accounts", `Match Group root
	PermitRootLogin yes
Match Group daemon,!nogroup
	X11Forwarding yes
Match Group nogroup
	AllowTcpForwarding no
Match Group *,!root
	MaxSessions 2`,
		"user=root", "user=daemon", "user=nobody", "user=nosuchuser", "user=bin", "host=x,addr=1.2.3.4"),
	sshdBody("match/host", `Match Host *.example.com,!bad.example.com
	PermitTTY no
Match Host 10.*
	MaxAuthTries 2
Match Host WWW.*,!*.ORG
	MaxSessions 1`,
		"host=a.example.com", "host=BAD.EXAMPLE.COM", "host=A.Example.Com", "host=example.com", "host=10.0.0.1", "addr=10.0.0.1",
		"host=www.example.org", "host=Www.Example.Net"),
	sshdBody("match/address", `Match Address 10.0.0.0/8,192.168.1.?,!10.1.0.0/16
	PermitRootLogin yes
Match Address 2001:db8::/32,::1
	X11Forwarding yes
Match Address !172.16.0.0/12,*
	MaxAuthTries 1`,
		"addr=10.2.3.4", "addr=10.1.2.3", "addr=192.168.1.7", "addr=192.168.1.77", "addr=172.16.0.1", "addr=172.32.0.1",
		"addr=2001:db8::1", "addr=::1", "addr=::ffff:10.0.0.1", "addr=2001:db9::1", "addr=not-an-address", "addr=010.0.0.1"),
	sshdBody("match/local address and port", `Match LocalAddress 192.0.2.1,2001:db8::/64 LocalPort 2222
	PermitRootLogin yes
Match LocalPort 22
	MaxAuthTries 1`,
		"laddr=192.0.2.1,lport=2222", "laddr=192.0.2.1,lport=22", "laddr=2001:db8::5,lport=2222", "lport=2222",
		"laddr=192.0.2.1", "user=alice,lport=0", "user=a,,lport=22", "lport=22,laddr=10.0.0.1,lport=2222"),
	sshdBody("match/rdomain", `Match RDomain vrf*,!vrf2
	AllowAgentForwarding no
Match RDomain %D
	MaxSessions 3`,
		"rdomain=vrf1", "rdomain=vrf2", "rdomain=default", "rdomain=%D", "user=root"),
	sshdBody("match/criteria are ANDed", `Match User alice Address 10.0.0.0/8 Host *.corp
	PasswordAuthentication no
	AllowUsers alice@10.*`,
		"user=alice,addr=10.1.1.1,host=pc.corp", "user=alice,addr=10.1.1.1,host=pc.home", "user=alice,host=pc.corp",
		"user=bob,addr=10.1.1.1,host=pc.corp"),
	sshdBody("match/first block wins, lists replaced", `PasswordAuthentication no
AllowUsers a b
AcceptEnv LANG
Match User alice,bob
	PasswordAuthentication yes
	AllowUsers c
	DenyUsers x
	PermitRootLogin no
Match User alice
	PasswordAuthentication no
	AllowUsers d
	AcceptEnv LC_*
	PermitRootLogin yes
	MaxAuthTries 2`,
		"user=alice", "user=bob", "user=carol"),
	sshdBody("match/last-wins keywords and split ones", `IPQoS af21
RekeyLimit 3G 2h
UnusedConnectionTimeout 5m
StreamLocalBindMask 0022
Match User alice,bob
	IPQoS cs1
	StreamLocalBindMask 0077
	RekeyLimit 1G
	UnusedConnectionTimeout 0
Match User alice
	IPQoS lowdelay throughput
	StreamLocalBindMask 0007
	RekeyLimit 2G 30m
	UnusedConnectionTimeout none
Match User carol
	RekeyLimit default none
	UnusedConnectionTimeout 10m`,
		"user=alice", "user=bob", "user=carol", "user=dave"),
	sshdBody("match/match all after a user block", `PermitRootLogin no
Match User alice
	PermitRootLogin yes
	X11Forwarding yes
Match all
	PermitRootLogin forced-commands-only
	X11Forwarding no
	MaxSessions 5`,
		"user=alice", "user=bob"),
	{name: "match/include inside a block, interleaved", files: map[string]string{
		"sshd_config": `HostKey @HOSTKEY@
AllowUsers g
Match User alice,bob
	AllowUsers a1
	Include @DIR@/inner.conf
	AllowUsers a3
	PermitRootLogin yes
	RekeyLimit 1G
	UnusedConnectionTimeout 0
Match all
	AllowUsers z`,
		"inner.conf": `PermitRootLogin no
Match all
	AllowUsers a2
	PermitRootLogin forced-commands-only
	RekeyLimit 2G 1h
Match User bob
	UnusedConnectionTimeout none
	AllowUsers b
`},
		conns: []string{"user=alice", "user=bob", "user=carol"}},
	{name: "match/blocks in top-level includes", files: map[string]string{
		"sshd_config": `HostKey @HOSTKEY@
Include @DIR@/conf.d/*.conf
PasswordAuthentication no
Match User bob
	MaxAuthTries 1`,
		"conf.d/10-users.conf": `X11Forwarding yes
Match User alice
	PasswordAuthentication yes
	AuthenticationMethods publickey
Match all
	AllowTcpForwarding no
`,
		"conf.d/20-more.conf": `PermitTTY no
Match User alice,bob
	MaxAuthTries 4
	AuthenticationMethods password
`},
		conns: []string{"user=alice", "user=bob", "user=carol"}},
	{name: "match/AuthenticationMethods any outside blocks, after an included block", files: map[string]string{
		"sshd_config": `HostKey @HOSTKEY@
Include @DIR@/a.conf
AuthenticationMethods any
Match User bob
	AuthenticationMethods password`,
		"a.conf": "Match User alice\n\tAuthenticationMethods publickey\n",
	}, conns: []string{"user=alice", "user=bob", "user=carol"}},
	{name: "match/three levels of nesting", files: map[string]string{
		"sshd_config": `HostKey @HOSTKEY@
MaxSessions 9
Match User alice,bob,carol
	Include @DIR@/l1.conf
	MaxAuthTries 5
Match all
	MaxSessions 8`,
		"l1.conf": "Match User alice,bob\n\tInclude @DIR@/l2.conf\n\tPermitTTY no\nMatch all\n\tX11Forwarding yes\n",
		"l2.conf": "Match all\n\tMaxSessions 1\nMatch User alice\n\tMaxAuthTries 2\n\tInclude @DIR@/l3.conf\n",
		"l3.conf": "Banner /etc/l3\nMatch all\n\tClientAliveCountMax 7\n\tAllowUsers deep\n",
	}, conns: []string{"user=alice", "user=bob", "user=carol", "user=dave"}},
	sshdBody("match/AuthenticationMethods any per connection", `Match User alice
	AuthenticationMethods publickey
Match User bob
	AuthenticationMethods any
Match User carol
	AuthenticationMethods publickey,password any`,
		"user=alice", "user=bob", "user=carol", "user=dave"),
	sshdBody("match/algorithms", `PubkeyAcceptedAlgorithms ssh-ed25519
Match User alice
	PubkeyAcceptedAlgorithms +ssh-rsa
	HostbasedAcceptedAlgorithms -ssh-ed25519*
	CASignatureAlgorithms ^ssh-rsa
Match User bob
	PubkeyAcceptedAlgorithms ssh-ed25519,!ssh-rsa
Match User carol
	CASignatureAlgorithms ssh-ed25519-cert-v01@openssh.com`,
		"user=alice", "user=bob", "user=carol", "user=dave"),
	sshdBody("match/none resets", `ForceCommand /bin/forced
ChrootDirectory /srv/jail
Banner /etc/issue
Match User alice
	ForceCommand none
	ChrootDirectory none
	Banner none
Match User bob
	ForceCommand internal-sftp -d /home
	ChrootDirectory %h
	TrustedUserCAKeys /etc/ssh/ca
	RevokedKeys none`,
		"user=alice", "user=bob", "user=carol"),
	sshdBody("match/one-line lists", `ChannelTimeout session=1m
LogVerbose kex.c:*
SetEnv A=1
PermitOpen any
PermitListen localhost:80
AuthorizedKeysFile .ssh/k
Match User alice
	ChannelTimeout none
	LogVerbose none
	SetEnv B=2 B=3 C=4
	SetEnv D=5
	PermitOpen none
	PermitListen 8080 [::1]:*
	AuthorizedKeysFile /etc/keys/%u .ssh/k2
	PubkeyAuthOptions verify-required
	PermitTunnel ethernet
Match User bob
	ChannelTimeout agent-connection=5m
	PermitOpen host:22 host:23
	AuthorizedPrincipalsFile /etc/principals/%u`,
		"user=alice", "user=bob", "user=carol"),
	sshdBody("match/commands", `AuthorizedPrincipalsCommand /bin/p0 %u
AuthorizedPrincipalsCommandUser nobody
Match User alice,bob
	AuthorizedKeysCommand /bin/k1 %u
	AuthorizedKeysCommandUser nobody
	AuthorizedPrincipalsCommand /bin/p1
Match User alice,carol
	AuthorizedPrincipalsCommand /bin/p2
	AuthorizedPrincipalsCommand /bin/p3
	AuthorizedKeysCommand /bin/k2`,
		"user=alice", "user=bob", "user=carol", "user=dave"),
	sshdBody("match/principals command against match all", `AuthorizedPrincipalsCommandUser nobody
AuthorizedKeysCommandUser nobody
Match User alice
	AuthorizedKeysCommand /bin/k
Match all
	AuthorizedPrincipalsCommand /bin/p`,
		"user=alice", "user=bob"),
	sshdBody("match/every matchable flag", `Match User alice
	HostbasedAuthentication yes
	HostbasedUsesNameFromPacketOnly yes
	KerberosAuthentication yes
	GSSAPIAuthentication yes
	KbdInteractiveAuthentication no
	PubkeyAuthentication no
	PermitEmptyPasswords yes
	IgnoreRhosts shosts-only
	AllowStreamLocalForwarding remote
	DisableForwarding yes
	ExposeAuthInfo yes
	GatewayPorts clientspecified
	StreamLocalBindUnlink yes
	X11DisplayOffset 20
	X11UseLocalhost no
	PermitUserRC no
	ClientAliveInterval 1m
	ClientAliveCountMax 9
	LogLevel DEBUG3
	RequiredRSASize 3072
	AllowGroups g1 g2
	DenyGroups g3`,
		"user=alice", "user=bob"),
	sshdBody("match/syntax of Match lines", `Match User=alice   Address=10.0.0.0/8 # comment
	MaxSessions 1
Match user bob
	MaxSessions 2
Match ALL
	MaxSessions 3
Match "User" "carol"
	MaxSessions 4`,
		"user=alice,addr=10.0.0.1", "user=alice", "user=bob", "user=carol"),
	sshdBody("match/local port by service name", `Match LocalPort ssh
	MaxSessions 1`,
		"lport=22", "lport=2222"),
	sshdBody("match/connection spec errors", `Match User alice
	MaxSessions 1`,
		"user=alice,port=22", "lport=x", "lport=70000", "user=alice,user=bob", ",user=alice", "user=alice,,user=bob"),
}

// sshdNSCases run in a private mount namespace (TestSSHDOracleNamespace):
// files are paths inside the scanned root.
var sshdNSCases = []sshdCase{
	{name: "relative includes and supplementary groups", files: map[string]string{
		"etc/ssh/sshd_config": `HostKey @HOSTKEY@
Include sshd_config.d/*.conf
PasswordAuthentication no
Match Group admins
	PasswordAuthentication yes
	Include admins.d/*
Match Group sftponly,!staff
	ForceCommand internal-sftp
	ChrootDirectory /srv/%u
Match Group twin1
	MaxSessions 1
Match Group twin2
	MaxSessions 2
Match Group alice,bob
	PermitTTY no
`,
		"etc/ssh/sshd_config.d/10-base.conf": "X11Forwarding yes\nMatch Group staff\n\tAllowTcpForwarding no\n",
		"etc/ssh/sshd_config.d/README":       "not included\n",
		"etc/ssh/admins.d/a":                 "MaxAuthTries 2\nMatch User carol\n\tBanner /etc/carol\n",
	}},
	{name: "tilde with the root's passwd", files: map[string]string{
		"etc/ssh/sshd_config": `HostKey @HOSTKEY@
AuthorizedKeysFile ~/.ssh/authorized_keys ~alice/keys .ssh/k2
Match Group admins
	AuthorizedKeysFile ~bob/shared
	Banner ~/banner
`,
	}},
}

// FuzzSSHDOracle runs the collector on arbitrary configurations and, where
// it accepts one, the real `sshd -T` too: a configuration sshd refuses to
// start with must be an error for the collector (or for Effective with no
// connection, which is what sshd -T without -C computes), and where both
// accept it, the output must be identical. sshd runs only on inputs the
// collector accepts, the only ones that can break the first rule, which
// keeps a 10-second run meaningful: most mutations are rejected in
// microseconds without starting a process. Without sshd the target skips.
//
// Inputs that name a host or an IPv6 zone in ListenAddress are not
// compared: sshd resolves names and interfaces on the scanning host (and
// fails if it cannot), the collector keeps them as written (see
// sshdFormatAddr and sshdScopeID).
func FuzzSSHDOracle(f *testing.F) {
	for _, c := range sshdCases {
		if body, ok := c.files["sshd_config"]; ok && len(c.files) == 1 {
			f.Add(strings.TrimPrefix(body, "HostKey @HOSTKEY@\n"))
		}
	}
	for _, c := range sshdRejectCases {
		f.Add(strings.TrimPrefix(c.files["sshd_config"], "HostKey @HOSTKEY@\n"))
	}
	sshd := oracle.Require(f, "sshd")
	keygen := oracle.Require(f, "ssh-keygen")
	if os.Geteuid() == 0 {
		if err := os.MkdirAll("/run/sshd", 0o755); err != nil {
			oracle.Missing(f, "cannot create /run/sshd: "+err.Error())
		}
	}
	keyDir := f.TempDir()
	hostKey := filepath.Join(keyDir, "hostkey")
	if out, err := exec.Command(keygen, "-q", "-t", "ed25519", "-N", "", "-f", hostKey).CombinedOutput(); err != nil {
		f.Fatalf("ssh-keygen: %v\n%s", err, out)
	}
	host, err := rootfs.New("/")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body string) {
		if strings.Contains(body, "~") && os.Geteuid() != 0 {
			t.Skip("~ expands for the uid sshd runs as")
		}
		dir := t.TempDir()
		config := filepath.Join(dir, "sshd_config")
		if err := os.WriteFile(config, []byte("HostKey "+hostKey+"\n"+body+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := SSHD{ConfigPath: config}.Collect(context.Background(), Target{Fs: host, Root: "/"})
		if err != nil {
			var ce *SSHDConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("error %T is not an *SSHDConfigError: %v", err, err)
			}
			return
		}
		facts := got.(*SSHDFacts)
		if sshdFuzzNamesHost(facts) {
			return
		}
		eff, effErr := facts.Effective(SSHDConnection{})
		want, sshdErr := sshdT(t, sshd, config, "")
		switch {
		case sshdErr != nil && effErr == nil:
			t.Fatalf("sshd -T refuses the configuration (%v); gcrun accepts it", sshdErr)
		case sshdErr != nil || effErr != nil:
			return
		}
		if diff := sshdTextDiff(want, sshdText(t, eff.Config)); diff != "" {
			t.Fatalf("sshd -T vs gcrun (-sshd +gcrun):\n%s", diff)
		}
	})
}

// sshdFuzzNamesHost reports a ListenAddress the collector left unresolved.
func sshdFuzzNamesHost(f *SSHDFacts) bool {
	las, _ := f.Config["listenaddress"].([]string)
	for _, la := range las {
		if strings.Contains(la, "%") {
			return true // interface names and indexes are the host's
		}
		h := la
		if i := strings.LastIndexByte(h, ':'); i >= 0 {
			h = h[:i]
		}
		if !strings.HasPrefix(h, "[") {
			if _, ok := sshdInetAton(h); !ok {
				return true
			}
		}
	}
	return false
}
