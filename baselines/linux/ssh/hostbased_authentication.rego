# METADATA
# title: SSH host-based authentication is disabled
# description: >-
#   Host-based authentication trusts the client machine instead of the user:
#   whoever gains root on (or the host key of) a trusted client logs in as any
#   user of this server. Users authenticate themselves.
# custom:
#   id: GCL-SSH-007
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["5.1.10"]
#     dev-sec-ssh-baseline: ["sshd-25"]
#   remediation: >-
#     Set "HostbasedAuthentication no" in /etc/ssh/sshd_config, remove any Match
#     block that sets it to "yes", and reload sshd.
#   tags: [ssh, authentication]
package gcrun.linux.ssh.hostbased_authentication

import data.gcrun.linux.lib.sshd

not_applicable contains reason if some reason in sshd.not_installed

evidence := sshd.evidence(["hostbasedauthentication"])

# "yes" trusts whole client machines (their host keys) instead of users.
deny contains reason if {
	some s in sshd.unequal("hostbasedauthentication", "no")
	reason := sshd.mismatch("hostbased_authentication", "HostbasedAuthentication", s, "no")
}
