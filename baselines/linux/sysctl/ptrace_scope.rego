# METADATA
# title: ptrace is restricted to descendants or administrators
# description: >-
#   With Yama's ptrace_scope at 0 any process can attach to any other process
#   of the same user and read its memory (keys, tokens, passwords). 1 limits
#   it to descendants, 2 to administrators, 3 forbids it. The rule checks the
#   value set at boot by the sysctl.d configuration and, on the live host, the
#   running value.
# custom:
#   id: GCL-SYSCTL-013
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["1.5.2"]
#   remediation: >-
#     Set "kernel.yama.ptrace_scope = 1" in a file in /etc/sysctl.d/ (for
#     example /etc/sysctl.d/60-cis.conf), remove any line that sets another
#     value, and run "sysctl --system".
#   tags: [sysctl, kernel, process-hardening]
package gcrun.linux.sysctl.ptrace_scope

import data.gcrun.linux.lib.sysctl

required := {
	"kernel.yama.ptrace_scope": ["1", "2", "3"],
}

evidence := sysctl.evidence(required)

deny contains reason if some reason in sysctl.deny_reasons(required)

# remediate persists each failing key (in the file that sets it, or in
# /etc/sysctl.d/60-gcrun.conf) and, on the live host, sets a wrong running
# value (lib/sysctl.rego).
remediate contains action if some action in sysctl.fix(required)
