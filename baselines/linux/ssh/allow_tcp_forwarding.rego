# METADATA
# title: SSH TCP forwarding is disabled
# description: >-
#   TCP forwarding turns every SSH account into a tunnel: users (or an attacker
#   with their key) reach internal services through the server and bypass
#   firewalls and network monitoring, or expose internal ports to the outside.
#   DisableForwarding yes, which overrides AllowTcpForwarding, also passes.
# custom:
#   id: GCL-SSH-014
#   severity: medium
#   references:
#     dev-sec-ssh-baseline: ["sshd-39"]
#   remediation: >-
#     Set "AllowTcpForwarding no" (or "DisableForwarding yes") in
#     /etc/ssh/sshd_config, remove any Match block that enables it (allow it
#     only in a Match block for the accounts that need it, and waive it there),
#     and reload sshd.
#   tags: [ssh, forwarding]
package gcrun.linux.ssh.allow_tcp_forwarding

import data.gcrun.linux.lib.sshd

not_applicable contains reason if some reason in sshd.not_installed

evidence := sshd.evidence(["allowtcpforwarding", "disableforwarding"])

# "yes", "all", "local" and "remote" all open tunnels through the server.
# sshd.forwarding also covers a Match block that sets DisableForwarding no
# and so lets a global "yes" through for its connections.
deny contains reason if {
	some s in sshd.forwarding("allowtcpforwarding")
	reason := sshd.reason("allow_tcp_forwarding", s, "no", sprintf("AllowTcpForwarding is %q%s and DisableForwarding does not override it, expected \"no\"", [s.value, s.where]))
}

# remediate sets AllowTcpForwarding no globally, where sshd takes the value from,
# when the global value lets forwarding through (also into a Match block
# that sets DisableForwarding no); a Match block that sets AllowTcpForwarding itself
# needs a person.
remediate contains action if some action in sshd.fix_forwarding("allowtcpforwarding", "AllowTcpForwarding")
