# METADATA
# title: Links, FIFOs and regular files in sticky directories are protected
# description: >-
#   The fs.protected_* parameters stop the classic /tmp attacks: following a
#   symlink or hard link planted by another user, and opening a FIFO or file
#   another user created in a world-writable sticky directory. The rule checks
#   the value set at boot by the sysctl.d configuration and, on the live host,
#   the running value.
# custom:
#   id: GCL-SYSCTL-015
#   severity: medium
#   references:
#     dev-sec-linux-baseline: ["sysctl-34"]
#   remediation: >-
#     Set "fs.protected_fifos = 1", "fs.protected_hardlinks = 1",
#     "fs.protected_regular = 2", "fs.protected_symlinks = 1" in a file in
#     /etc/sysctl.d/ (for example /etc/sysctl.d/60-cis.conf), remove any line
#     that sets another value, and run "sysctl --system".
#   tags: [sysctl, kernel, filesystem]
package gcrun.linux.sysctl.protected_links

import data.gcrun.linux.lib.sysctl

required := {
	"fs.protected_fifos": ["1", "2"],
	"fs.protected_hardlinks": ["1"],
	"fs.protected_regular": ["2"],
	"fs.protected_symlinks": ["1"],
}

evidence := sysctl.evidence(required)

deny contains reason if some reason in sysctl.deny_reasons(required)

# remediate persists each failing key (in the file that sets it, or in
# /etc/sysctl.d/60-gcrun.conf) and, on the live host, sets a wrong running
# value (lib/sysctl.rego).
remediate contains action if some action in sysctl.fix(required)
