# METADATA
# title: No talk server is installed
# description: >-
#   The talk daemon lets remote users open chat sessions with local users
#   over an unauthenticated, unencrypted protocol. It is unneeded on servers
#   and adds a network-facing daemon.
# custom:
#   id: GCL-PKG-006
#   severity: low
#   remediation: Run "apt purge talkd inetutils-talkd" (whichever are installed).
#   tags: [packages, network-service]
package gcrun.linux.packages.talkd

import data.gcrun.linux.lib.packages

# The netkit and GNU inetutils talk daemons (ntalk).
names := ["talkd", "inetutils-talkd"]

evidence := packages.evidence(names)

not_applicable contains reason if some reason in packages.not_dpkg

deny contains reason if some reason in packages.forbidden(names, "talk is an unauthenticated, cleartext network service")

# remediate removes each installed package named (one action per package).
remediate contains action if some action in packages.remove(names)
