# METADATA
# title: SSH Kerberos password authentication is disabled
# description: >-
#   KerberosAuthentication yes makes sshd validate the passwords of
#   password logins against the Kerberos KDC: passwords travel to the
#   server, and sshd gains a KDC-facing code path. Hosts that use Kerberos
#   single sign-on use GSSAPI instead; enable this only where a KDC really
#   checks SSH passwords, and waive the rule there.
# custom:
#   id: GCL-SSH-028
#   severity: low
#   references:
#     dev-sec-ssh-baseline: ["sshd-30"]
#   remediation: >-
#     Set "KerberosAuthentication no" in /etc/ssh/sshd_config (or remove the
#     line: no is the default), remove any Match block that sets it to "yes",
#     and reload sshd.
#   tags: [ssh, authentication, kerberos]
package gcrun.linux.ssh.kerberos_authentication

import data.gcrun.linux.lib.sshd

not_applicable contains reason if some reason in sshd.not_installed

evidence := sshd.evidence(["kerberosauthentication"])

# "yes" checks passwords against the KDC (and, by default, falls back to
# local passwords: GCL-SSH-029).
deny contains reason if {
	some s in sshd.unequal("kerberosauthentication", "no")
	reason := sshd.mismatch("kerberos_authentication", "KerberosAuthentication", s, "no")
}
