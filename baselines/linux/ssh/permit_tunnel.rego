# METADATA
# title: SSH tun device forwarding is disabled (PermitTunnel no)
# description: >-
#   PermitTunnel lets a user create a tun (layer 3) or tap (layer 2) device
#   on the server and route whole networks through it: a VPN into the
#   server's networks that bypasses firewalls and monitoring, for anyone
#   holding an account's key. DisableForwarding does not cover it.
# custom:
#   id: GCL-SSH-033
#   severity: medium
#   references:
#     dev-sec-ssh-baseline: ["sshd-38"]
#   remediation: >-
#     Set "PermitTunnel no" in /etc/ssh/sshd_config (or remove the line: no is
#     the default), remove any Match block that sets another value, and reload
#     sshd.
#   tags: [ssh, forwarding]
package gcrun.linux.ssh.permit_tunnel

import data.gcrun.linux.lib.sshd

not_applicable contains reason if some reason in sshd.not_installed

evidence := sshd.evidence(["permittunnel"])

# "yes", "point-to-point" and "ethernet" all let users bridge networks.
deny contains reason if {
	some s in sshd.unequal("permittunnel", "no")
	reason := sshd.mismatch("permit_tunnel", "PermitTunnel", s, "no")
}

# remediate sets PermitTunnel no where sshd takes its global value from (lib/sshd.rego);
# a Match block that sets it needs a person.
remediate contains action if some action in sshd.fix_unequal("permittunnel", "PermitTunnel", "no")
