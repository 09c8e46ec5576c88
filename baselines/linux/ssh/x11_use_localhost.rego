# METADATA
# title: SSH binds forwarded X11 displays to the loopback address (X11UseLocalhost yes)
# description: >-
#   With X11UseLocalhost no, the proxy display sshd creates for a forwarded
#   X11 session listens on every address of the server, so other hosts can
#   try to connect to the user's desktop through it. With yes (the default)
#   only local programs can. The rule does not apply while X11 forwarding is
#   off everywhere (X11Forwarding no or DisableForwarding yes in the global
#   section and in every Match block, GCL-SSH-004).
# custom:
#   id: GCL-SSH-035
#   severity: low
#   references:
#     dev-sec-ssh-baseline: ["sshd-43"]
#   remediation: >-
#     Set "X11UseLocalhost yes" in /etc/ssh/sshd_config (or remove the line:
#     yes is the default), remove any Match block that sets it to "no", and
#     reload sshd.
#   tags: [ssh, forwarding]
package gcrun.linux.ssh.x11_use_localhost

import data.gcrun.linux.lib.sshd

not_applicable contains reason if some reason in sshd.not_installed

# Without X11 forwarding there is no proxy display to bind.
not_applicable contains reason if {
	input.sshd.exists == true
	count(sshd.forwarding("x11forwarding")) == 0
	reason := {
		"code": "x11_forwarding_off",
		"phrase": "X11 forwarding is off in the global section and in every Match block (X11Forwarding no or DisableForwarding yes): sshd creates no X11 proxy display",
		"evidence": sshd.source("x11forwarding"),
	}
}

evidence := sshd.evidence(["x11uselocalhost", "x11forwarding", "disableforwarding"])

# "no" exposes forwarded X11 displays to the network.
deny contains reason if {
	some s in sshd.unequal("x11uselocalhost", "yes")
	reason := sshd.mismatch("x11_use_localhost", "X11UseLocalhost", s, "yes")
}

# remediate sets X11UseLocalhost yes where sshd takes its global value from (lib/sshd.rego);
# a Match block that sets it needs a person.
remediate contains action if {
	count(not_applicable) == 0
	some action in sshd.fix_unequal("x11uselocalhost", "X11UseLocalhost", "yes")
}
