# METADATA
# title: Address space layout randomization is fully enabled
# description: >-
#   With kernel.randomize_va_space = 2 the stack, memory mappings, the heap
#   and the vDSO are placed at random addresses, which makes memory corruption
#   exploits far harder to write. The rule checks the value set at boot by the
#   sysctl.d configuration and, on the live host, the running value.
# custom:
#   id: GCL-SYSCTL-012
#   severity: high
#   references:
#     cis-debian-linux-12-v1.1.0: ["1.5.1"]
#     dev-sec-linux-baseline: ["sysctl-32"]
#   remediation: >-
#     Set "kernel.randomize_va_space = 2" in a file in /etc/sysctl.d/ (for
#     example /etc/sysctl.d/60-cis.conf), remove any line that sets another
#     value, and run "sysctl --system".
#   tags: [sysctl, kernel, process-hardening]
package gcrun.linux.sysctl.randomize_va_space

import data.gcrun.linux.lib.sysctl

required := {
	"kernel.randomize_va_space": ["2"],
}

evidence := sysctl.evidence(required)

deny contains reason if some reason in sysctl.deny_reasons(required)

# remediate persists each failing key (in the file that sets it, or in
# /etc/sysctl.d/60-gcrun.conf) and, on the live host, sets a wrong running
# value (lib/sysctl.rego).
remediate contains action if some action in sysctl.fix(required)
