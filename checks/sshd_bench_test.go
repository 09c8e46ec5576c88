package checks

import (
	"context"
	"testing"

	"github.com/spf13/afero"

	"github.com/gcrun/gcrun/checks/rootfs"
)

// sshdTypicalRoot is a typical server: Debian's stock sshd_config with a
// drop-in directory, two Include lines (one a glob) and three Match
// blocks.
var sshdTypicalRoot = map[string]string{
	SSHDConfigPath: `# This is the sshd server system-wide configuration file.  See
# sshd_config(5) for more information.

Include /etc/ssh/sshd_config.d/*.conf

#Port 22
#AddressFamily any
#ListenAddress 0.0.0.0
#ListenAddress ::

#HostKey /etc/ssh/ssh_host_rsa_key
#HostKey /etc/ssh/ssh_host_ecdsa_key
#HostKey /etc/ssh/ssh_host_ed25519_key

# Logging
#SyslogFacility AUTH
LogLevel VERBOSE

# Authentication:
#LoginGraceTime 2m
PermitRootLogin prohibit-password
#StrictModes yes
MaxAuthTries 4
#MaxSessions 10
#PubkeyAuthentication yes
AuthorizedKeysFile	.ssh/authorized_keys .ssh/authorized_keys2
#AuthorizedPrincipalsFile none
#HostbasedAuthentication no
#IgnoreUserKnownHosts no
#IgnoreRhosts yes
PasswordAuthentication no
#PermitEmptyPasswords no
KbdInteractiveAuthentication no
UsePAM yes
#AllowAgentForwarding yes
#AllowTcpForwarding yes
#GatewayPorts no
X11Forwarding yes
#X11DisplayOffset 10
#X11UseLocalhost yes
#PermitTTY yes
PrintMotd no
#PrintLastLog yes
#TCPKeepAlive yes
#PermitUserEnvironment no
#Compression delayed
ClientAliveInterval 300
ClientAliveCountMax 2
#UseDNS no
#PidFile /run/sshd.pid
#MaxStartups 10:30:100
#PermitTunnel no
#ChrootDirectory none
#VersionAddendum none
#Banner none

# Allow client to pass locale environment variables
AcceptEnv LANG LC_*

# override default of no subsystems
Subsystem	sftp	/usr/lib/openssh/sftp-server

Include /etc/ssh/match.conf

Match Group sftponly
	ChrootDirectory /srv/sftp/%u
	ForceCommand internal-sftp
	AllowTcpForwarding no
	X11Forwarding no
Match User deploy Address 10.0.0.0/8,!10.9.0.0/16
	PasswordAuthentication yes
	AuthenticationMethods publickey,password
Match all
	PermitRootLogin no
`,
	"/etc/ssh/sshd_config.d/50-cloud-init.conf": "PasswordAuthentication no\nCiphers -aes128-cbc,3des-cbc\n",
	"/etc/ssh/match.conf": `# Administrators may forward agents from the management network.
Match Address 192.0.2.0/24
	AllowAgentForwarding yes
	PermitTTY yes
`,
}

// BenchmarkSSHDTypical measures collecting a typical configuration on an
// in-memory root: reading three files, parsing, defaults and the Match
// blocks' replay for sshd -T's view. The target is under 100 µs.
func BenchmarkSSHDTypical(b *testing.B) {
	mem := afero.NewMemMapFs()
	for p, c := range sshdTypicalRoot {
		if err := afero.WriteFile(mem, p, []byte(c), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	target := Target{Fs: rootfs.Wrap(mem), Root: "/"}
	ctx := context.Background()
	got, err := SSHD{}.Collect(ctx, target)
	if err != nil {
		b.Fatal(err)
	}
	if f := got.(*SSHDFacts); len(f.Files) != 3 || len(f.Match) != 4 {
		b.Fatalf("unexpected facts: files %v, %d Match blocks", f.Files, len(f.Match))
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := (SSHD{}).Collect(ctx, target); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSSHDEffective measures one connection's configuration from
// collected facts, what a Rego built-in pays per call.
func BenchmarkSSHDEffective(b *testing.B) {
	mem := afero.NewMemMapFs()
	for p, c := range sshdTypicalRoot {
		if err := afero.WriteFile(mem, p, []byte(c), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	got, err := SSHD{}.Collect(context.Background(), Target{Fs: rootfs.Wrap(mem), Root: "/"})
	if err != nil {
		b.Fatal(err)
	}
	facts := got.(*SSHDFacts)
	conn := SSHDConnection{User: "deploy", Addr: "10.1.2.3", Groups: []string{"deploy", "sftponly"}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := facts.Effective(conn); err != nil {
			b.Fatal(err)
		}
	}
}
