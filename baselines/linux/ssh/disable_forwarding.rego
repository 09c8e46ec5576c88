# METADATA
# title: SSH forwarding of every kind is disabled (DisableForwarding yes)
# description: >-
#   DisableForwarding yes turns off X11, ssh-agent, TCP and StreamLocal
#   (Unix socket) forwarding at once and overrides the individual keywords,
#   so a forgotten or newly introduced forwarding feature cannot turn the
#   server into a tunnel or a pivot. CIS recommends it at Level 2; the
#   individual forwarding rules (GCL-SSH-004, GCL-SSH-014, GCL-SSH-020) apply
#   at Level 1. A Match block that sets DisableForwarding no lifts it for its
#   connections.
# custom:
#   id: GCL-SSH-024
#   severity: low
#   references:
#     cis-debian-linux-12-v1.1.0: ["5.1.8"]
#   remediation: >-
#     Set "DisableForwarding yes" in /etc/ssh/sshd_config, remove any Match
#     block that sets it to "no", and reload sshd.
#   tags: [ssh, forwarding, cis-level-2]
package gcrun.linux.ssh.disable_forwarding

import data.gcrun.linux.lib.sshd

not_applicable contains reason if some reason in sshd.not_installed

evidence := sshd.evidence(["disableforwarding", "x11forwarding", "allowagentforwarding", "allowtcpforwarding", "allowstreamlocalforwarding"])

# Only "yes" switches off every kind of forwarding, StreamLocal included,
# which no other rule checks.
deny contains reason if {
	some s in sshd.unequal("disableforwarding", "yes")
	reason := sshd.mismatch("disable_forwarding", "DisableForwarding", s, "yes")
}

# remediate sets DisableForwarding yes where sshd takes its global value from (lib/sshd.rego);
# a Match block that sets it needs a person.
remediate contains action if some action in sshd.fix_unequal("disableforwarding", "DisableForwarding", "yes")
