# METADATA
# title: xinetd is not installed
# description: >-
#   xinetd starts network services on demand. The legacy services it is used
#   for (echo, chargen, daytime, discard, time, telnet, rsh, tftp) are
#   insecure, and services started through it escape review of the listening
#   daemons. systemd socket activation replaces it.
# custom:
#   id: GCL-PKG-005
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["2.1.19"]
#   remediation: Run "apt purge xinetd".
#   tags: [packages, network-service]
package gcrun.linux.packages.xinetd

import data.gcrun.linux.lib.packages

# The extended internet super-server.
names := ["xinetd"]

evidence := packages.evidence(names)

not_applicable contains reason if some reason in packages.not_dpkg

deny contains reason if some reason in packages.forbidden(names, "xinetd runs legacy network services on demand")

# remediate removes each installed package named (one action per package).
remediate contains action if some action in packages.remove(names)
