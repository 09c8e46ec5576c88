# METADATA
# title: SSH GSSAPI authentication is disabled
# description: >-
#   GSSAPI (Kerberos) authentication adds a large, rarely needed
#   authentication code path to the attack surface of sshd. Enable it only on
#   hosts that use Kerberos single sign-on, and waive this rule there.
# custom:
#   id: GCL-SSH-021
#   severity: low
#   references:
#     cis-debian-linux-12-v1.1.0: ["5.1.9"]
#     dev-sec-ssh-baseline: ["sshd-33"]
#   remediation: >-
#     Set "GSSAPIAuthentication no" in /etc/ssh/sshd_config (unless the host uses
#     Kerberos) and reload sshd.
#   tags: [ssh, authentication, cis-level-2]
package gcrun.linux.ssh.gssapi_authentication

import data.gcrun.linux.lib.sshd

not_applicable contains reason if some reason in sshd.not_installed

evidence := sshd.evidence(["gssapiauthentication"])

# "yes" exposes the GSSAPI code path to unauthenticated clients.
deny contains reason if {
	some s in sshd.unequal("gssapiauthentication", "no")
	reason := sshd.mismatch("gssapi_authentication", "GSSAPIAuthentication", s, "no")
}
