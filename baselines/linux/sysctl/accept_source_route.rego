# METADATA
# title: Source-routed packets are not accepted
# description: >-
#   A source-routed packet names the route its replies must take, so an
#   attacker can make the host answer through a path the attacker controls,
#   around firewalls. The rule checks the value set at boot by the sysctl.d
#   configuration and, on the live host, the running value.
# custom:
#   id: GCL-SYSCTL-008
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["3.3.8"]
#     dev-sec-linux-baseline: ["sysctl-13"]
#   remediation: >-
#     Set "net.ipv4.conf.all.accept_source_route = 0",
#     "net.ipv4.conf.default.accept_source_route = 0",
#     "net.ipv6.conf.all.accept_source_route = 0",
#     "net.ipv6.conf.default.accept_source_route = 0" in a file in
#     /etc/sysctl.d/ (for example /etc/sysctl.d/60-cis.conf), remove any line
#     that sets another value, and run "sysctl --system".
#   tags: [sysctl, network, ipv6]
package gcrun.linux.sysctl.accept_source_route

import data.gcrun.linux.lib.sysctl

required := {
	"net.ipv4.conf.all.accept_source_route": ["0"],
	"net.ipv4.conf.default.accept_source_route": ["0"],
	"net.ipv6.conf.all.accept_source_route": ["0"],
	"net.ipv6.conf.default.accept_source_route": ["0"],
}

evidence := sysctl.evidence(required)

deny contains reason if some reason in sysctl.deny_reasons(required)

# remediate persists each failing key (in the file that sets it, or in
# /etc/sysctl.d/60-gcrun.conf) and, on the live host, sets a wrong running
# value (lib/sysctl.rego).
remediate contains action if some action in sysctl.fix(required)
