# METADATA
# title: No rsh/rlogin/rexec server is installed
# description: >-
#   The Berkeley r-services (rshd, rlogind, rexecd) authenticate by client
#   address and .rhosts files, or by cleartext passwords, so anyone who can
#   spoof an address or sniff the network gets in. SSH replaces them.
# custom:
#   id: GCL-PKG-002
#   severity: high
#   remediation: Run "apt purge rsh-server rsh-redone-server" (whichever are installed).
#   tags: [packages, network-service]
package gcrun.linux.packages.rsh_server

import data.gcrun.linux.lib.packages

# The netkit and redone implementations of rshd/rlogind/rexecd.
names := ["rsh-server", "rsh-redone-server"]

evidence := packages.evidence(names)

not_applicable contains reason if some reason in packages.not_dpkg

deny contains reason if some reason in packages.forbidden(names, "rsh, rlogin and rexec trust client addresses and send passwords in cleartext")

# remediate removes each installed package named (one action per package).
remediate contains action if some action in packages.remove(names)
