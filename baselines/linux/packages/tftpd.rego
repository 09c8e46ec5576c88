# METADATA
# title: No TFTP server is installed
# description: >-
#   TFTP has no authentication and no encryption: anyone who can reach the
#   server reads (and often writes) the files it serves. It belongs only on
#   dedicated network-boot servers, where this rule should be waived.
# custom:
#   id: GCL-PKG-004
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["2.1.16"]
#   remediation: Run "apt purge tftpd tftpd-hpa atftpd" (whichever are installed).
#   tags: [packages, network-service]
package gcrun.linux.packages.tftpd

import data.gcrun.linux.lib.packages

# The TFTP servers in Debian: netkit tftpd, tftpd-hpa and atftpd.
names := ["tftpd", "tftpd-hpa", "atftpd"]

evidence := packages.evidence(names)

not_applicable contains reason if some reason in packages.not_dpkg

deny contains reason if some reason in packages.forbidden(names, "TFTP serves files to anyone, without authentication")

# remediate removes each installed package named (one action per package).
remediate contains action if some action in packages.remove(names)
