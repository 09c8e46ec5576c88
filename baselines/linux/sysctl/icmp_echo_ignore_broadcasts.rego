# METADATA
# title: ICMP echo requests to broadcast addresses are ignored
# description: >-
#   Answering pings sent to a broadcast address makes the host an amplifier in
#   Smurf denial-of-service attacks and a target of network mapping. The rule
#   checks the value set at boot by the sysctl.d configuration and, on the
#   live host, the running value.
# custom:
#   id: GCL-SYSCTL-004
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["3.3.4"]
#     dev-sec-linux-baseline: ["sysctl-04"]
#   remediation: >-
#     Set "net.ipv4.icmp_echo_ignore_broadcasts = 1" in a file in /etc/sysctl.d/
#     (for example /etc/sysctl.d/60-cis.conf), remove any line that sets another
#     value, and run "sysctl --system".
#   tags: [sysctl, network]
package gcrun.linux.sysctl.icmp_echo_ignore_broadcasts

import data.gcrun.linux.lib.sysctl

required := {
	"net.ipv4.icmp_echo_ignore_broadcasts": ["1"],
}

evidence := sysctl.evidence(required)

deny contains reason if some reason in sysctl.deny_reasons(required)

# remediate persists each failing key (in the file that sets it, or in
# /etc/sysctl.d/60-gcrun.conf) and, on the live host, sets a wrong running
# value (lib/sysctl.rego).
remediate contains action if some action in sysctl.fix(required)
