# METADATA
# title: Setuid programs do not dump core
# description: >-
#   A core dump of a setuid program holds memory its user must not read
#   (password hashes, keys). fs.suid_dumpable = 0 stops such programs from
#   dumping core. The rule checks the value set at boot by the sysctl.d
#   configuration and, on the live host, the running value.
# custom:
#   id: GCL-SYSCTL-014
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["1.5.3"]
#     dev-sec-linux-baseline: ["sysctl-31a"]
#   remediation: >-
#     Set "fs.suid_dumpable = 0" in a file in /etc/sysctl.d/ (for example
#     /etc/sysctl.d/60-cis.conf), remove any line that sets another value, and
#     run "sysctl --system".
#   tags: [sysctl, kernel, process-hardening]
package gcrun.linux.sysctl.suid_dumpable

import data.gcrun.linux.lib.sysctl

required := {
	"fs.suid_dumpable": ["0"],
}

evidence := sysctl.evidence(required)

deny contains reason if some reason in sysctl.deny_reasons(required)

# remediate persists each failing key (in the file that sets it, or in
# /etc/sysctl.d/60-gcrun.conf) and, on the live host, sets a wrong running
# value (lib/sysctl.rego).
remediate contains action if some action in sysctl.fix(required)
