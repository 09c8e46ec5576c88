# METADATA
# title: prelink is not installed
# description: >-
#   prelink rewrites binaries and libraries in place to speed up dynamic
#   linking. The rewriting breaks file-integrity checking (AIDE, debsums
#   report every prelinked file as changed, so real tampering drowns in the
#   noise) and defeats part of address space layout randomisation. CIS
#   Debian 12 v1.0.1 required its removal; v1.1.0 dropped the control.
# custom:
#   id: GCL-PKG-007
#   severity: low
#   references:
#     cis-debian-linux-12-v1.0.1: ["1.5.4"]
#   remediation: Run "apt purge prelink".
#   tags: [packages, integrity]
package gcrun.linux.packages.prelink

import data.gcrun.linux.lib.packages

# The prelink tool itself.
names := ["prelink"]

evidence := packages.evidence(names)

not_applicable contains reason if some reason in packages.not_dpkg

deny contains reason if some reason in packages.forbidden(names, "prelink rewrites binaries, which defeats integrity checking and ASLR")

# remediate removes each installed package named (one action per package).
remediate contains action if some action in packages.remove(names)
