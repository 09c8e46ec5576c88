# METADATA
# title: No telnet server is installed
# description: >-
#   Telnet sends everything, passwords included, in cleartext, and telnet
#   servers have a long history of remote root exploits. SSH replaces it.
# custom:
#   id: GCL-PKG-001
#   severity: high
#   remediation: Run "apt purge telnetd inetutils-telnetd telnetd-ssl" (whichever are installed).
#   tags: [packages, network-service]
package gcrun.linux.packages.telnetd

import data.gcrun.linux.lib.packages

# The telnet servers Debian has shipped (netkit, GNU inetutils, and the SSL
# fork of netkit).
names := ["telnetd", "inetutils-telnetd", "telnetd-ssl"]

evidence := packages.evidence(names)

not_applicable contains reason if some reason in packages.not_dpkg

deny contains reason if some reason in packages.forbidden(names, "telnet sends passwords in cleartext")

# remediate removes each installed package named (one action per package).
remediate contains action if some action in packages.remove(names)
