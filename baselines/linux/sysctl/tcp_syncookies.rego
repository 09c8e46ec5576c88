# METADATA
# title: TCP SYN cookies are enabled
# description: >-
#   SYN cookies let the kernel answer connection attempts without keeping
#   state once the SYN queue is full, so a SYN flood cannot lock out
#   legitimate clients. The rule checks the value set at boot by the sysctl.d
#   configuration and, on the live host, the running value.
# custom:
#   id: GCL-SYSCTL-010
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["3.3.10"]
#     dev-sec-linux-baseline: ["sysctl-11"]
#   remediation: >-
#     Set "net.ipv4.tcp_syncookies = 1" in a file in /etc/sysctl.d/ (for example
#     /etc/sysctl.d/60-cis.conf), remove any line that sets another value, and
#     run "sysctl --system".
#   tags: [sysctl, network]
package gcrun.linux.sysctl.tcp_syncookies

import data.gcrun.linux.lib.sysctl

required := {
	"net.ipv4.tcp_syncookies": ["1"],
}

evidence := sysctl.evidence(required)

deny contains reason if some reason in sysctl.deny_reasons(required)

# remediate persists each failing key (in the file that sets it, or in
# /etc/sysctl.d/60-gcrun.conf) and, on the live host, sets a wrong running
# value (lib/sysctl.rego).
remediate contains action if some action in sysctl.fix(required)
