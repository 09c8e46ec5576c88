# METADATA
# title: SSH X11 forwarding is disabled
# description: >-
#   X11 forwarding connects the server's programs to the user's X display.
#   A compromised server (or another user of it with access to the forwarded
#   display) can then read keystrokes and screen contents of the user's
#   desktop. Servers rarely need it. DisableForwarding yes, which overrides
#   X11Forwarding, also passes.
# custom:
#   id: GCL-SSH-004
#   severity: medium
#   references:
#     dev-sec-ssh-baseline: ["sshd-42"]
#   remediation: >-
#     Set "X11Forwarding no" (or "DisableForwarding yes") in
#     /etc/ssh/sshd_config, remove any Match block that enables it, and reload
#     sshd.
#   tags: [ssh, forwarding]
package gcrun.linux.ssh.x11_forwarding

import data.gcrun.linux.lib.sshd

not_applicable contains reason if some reason in sshd.not_installed

evidence := sshd.evidence(["x11forwarding", "disableforwarding"])

# A forwarded X11 display lets the server side snoop on the client's desktop.
# sshd.forwarding also covers a Match block that sets DisableForwarding no
# and so lets a global "yes" through for its connections.
deny contains reason if {
	some s in sshd.forwarding("x11forwarding")
	reason := sshd.reason("x11_forwarding", s, "no", sprintf("X11Forwarding is %q%s and DisableForwarding does not override it, expected \"no\"", [s.value, s.where]))
}

# remediate sets X11Forwarding no globally, where sshd takes the value from,
# when the global value lets forwarding through (also into a Match block
# that sets DisableForwarding no); a Match block that sets X11Forwarding itself
# needs a person.
remediate contains action if some action in sshd.fix_forwarding("x11forwarding", "X11Forwarding")
