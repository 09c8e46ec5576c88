# METADATA
# title: No telnet client is installed
# description: >-
#   The telnet client sends everything, passwords included, in cleartext; a
#   host that has it invites people to log in to other machines insecurely.
#   SSH replaces it.
# custom:
#   id: GCL-PKG-008
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["2.2.4"]
#   remediation: Run "apt purge telnet inetutils-telnet" (whichever are installed).
#   tags: [packages, client]
package gcrun.linux.packages.telnet_client

import data.gcrun.linux.lib.packages

# Debian 12's "telnet" is a transitional package for GNU inetutils' client;
# both are named so that removing one cannot leave the other behind.
names := ["telnet", "inetutils-telnet", "telnet-ssl"]

evidence := packages.evidence(names)

not_applicable contains reason if some reason in packages.not_dpkg

deny contains reason if some reason in packages.forbidden(names, "telnet sends passwords in cleartext")

# remediate removes each installed package named (one action per package).
remediate contains action if some action in packages.remove(names)
