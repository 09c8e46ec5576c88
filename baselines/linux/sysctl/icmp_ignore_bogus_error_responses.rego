# METADATA
# title: Bogus ICMP error responses are ignored
# description: >-
#   Some routers answer broadcast frames with ICMP errors that violate RFC
#   1122; logging them all lets anyone fill the logs and hide other events.
#   The rule checks the value set at boot by the sysctl.d configuration and,
#   on the live host, the running value.
# custom:
#   id: GCL-SYSCTL-003
#   severity: low
#   references:
#     cis-debian-linux-12-v1.1.0: ["3.3.3"]
#     dev-sec-linux-baseline: ["sysctl-03"]
#   remediation: >-
#     Set "net.ipv4.icmp_ignore_bogus_error_responses = 1" in a file in
#     /etc/sysctl.d/ (for example /etc/sysctl.d/60-cis.conf), remove any line
#     that sets another value, and run "sysctl --system".
#   tags: [sysctl, network]
package gcrun.linux.sysctl.icmp_ignore_bogus_error_responses

import data.gcrun.linux.lib.sysctl

required := {
	"net.ipv4.icmp_ignore_bogus_error_responses": ["1"],
}

evidence := sysctl.evidence(required)

deny contains reason if some reason in sysctl.deny_reasons(required)

# remediate persists each failing key (in the file that sets it, or in
# /etc/sysctl.d/60-gcrun.conf) and, on the live host, sets a wrong running
# value (lib/sysctl.rego).
remediate contains action if some action in sysctl.fix(required)
