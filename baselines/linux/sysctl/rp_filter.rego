# METADATA
# title: Reverse path filtering is enabled
# description: >-
#   Reverse path filtering drops packets whose source address would not be
#   routed back through the interface they arrived on, which defeats most IP
#   spoofing. The rule checks the value set at boot by the sysctl.d
#   configuration and, on the live host, the running value.
# custom:
#   id: GCL-SYSCTL-007
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["3.3.7"]
#     dev-sec-linux-baseline: ["sysctl-02"]
#   remediation: >-
#     Set "net.ipv4.conf.all.rp_filter = 1", "net.ipv4.conf.default.rp_filter =
#     1" in a file in /etc/sysctl.d/ (for example /etc/sysctl.d/60-cis.conf),
#     remove any line that sets another value, and run "sysctl --system".
#   tags: [sysctl, network]
package gcrun.linux.sysctl.rp_filter

import data.gcrun.linux.lib.sysctl

# required: the modes allowed by sysctl_rp_filter_modes (1 strict, 2 loose).
modes := [sprintf("%v", [m]) | some m in data.gcrun.params.sysctl_rp_filter_modes]

required := {
	"net.ipv4.conf.all.rp_filter": modes,
	"net.ipv4.conf.default.rp_filter": modes,
}

evidence := sysctl.evidence(required)

deny contains reason if some reason in sysctl.deny_reasons(required)

# remediate persists each failing key (in the file that sets it, or in
# /etc/sysctl.d/60-gcrun.conf) and, on the live host, sets a wrong running
# value (lib/sysctl.rego).
remediate contains action if some action in sysctl.fix(required)
