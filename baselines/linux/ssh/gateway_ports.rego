# METADATA
# title: SSH remote port forwardings listen on the loopback address only (GatewayPorts no)
# description: >-
#   With GatewayPorts yes or clientspecified, a remote forwarding (ssh -R)
#   can listen on every address of the server, so other hosts on the
#   network reach whatever the client forwards, often a service that was
#   meant to stay on the client's side. With no, forwarded ports bind to
#   the loopback address only.
# custom:
#   id: GCL-SSH-034
#   severity: low
#   references:
#     dev-sec-ssh-baseline: ["sshd-41"]
#   remediation: >-
#     Set "GatewayPorts no" in /etc/ssh/sshd_config (or remove the line: no is
#     the default), remove any Match block that sets another value, and reload
#     sshd.
#   tags: [ssh, forwarding]
package gcrun.linux.ssh.gateway_ports

import data.gcrun.linux.lib.sshd

not_applicable contains reason if some reason in sshd.not_installed

evidence := sshd.evidence(["gatewayports"])

# "yes" and "clientspecified" expose forwarded ports to the network.
deny contains reason if {
	some s in sshd.unequal("gatewayports", "no")
	reason := sshd.mismatch("gateway_ports", "GatewayPorts", s, "no")
}

# remediate sets GatewayPorts no where sshd takes its global value from (lib/sshd.rego);
# a Match block that sets it needs a person.
remediate contains action if some action in sshd.fix_unequal("gatewayports", "GatewayPorts", "no")
