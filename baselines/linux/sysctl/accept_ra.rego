# METADATA
# title: IPv6 router advertisements are not accepted
# description: >-
#   A host that accepts router advertisements takes its default route and
#   addresses from any host on the link that claims to be a router; statically
#   configured servers do not need them. The rule checks the value set at boot
#   by the sysctl.d configuration and, on the live host, the running value.
# custom:
#   id: GCL-SYSCTL-011
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["3.3.11"]
#     dev-sec-linux-baseline: ["sysctl-25"]
#   remediation: >-
#     Set "net.ipv6.conf.all.accept_ra = 0", "net.ipv6.conf.default.accept_ra =
#     0" in a file in /etc/sysctl.d/ (for example /etc/sysctl.d/60-cis.conf),
#     remove any line that sets another value, and run "sysctl --system".
#   tags: [sysctl, network, ipv6]
package gcrun.linux.sysctl.accept_ra

import data.gcrun.linux.lib.sysctl

required := {
	"net.ipv6.conf.all.accept_ra": ["0"],
	"net.ipv6.conf.default.accept_ra": ["0"],
}

evidence := sysctl.evidence(required)

deny contains reason if some reason in sysctl.deny_reasons(required)

# remediate persists each failing key (in the file that sets it, or in
# /etc/sysctl.d/60-gcrun.conf) and, on the live host, sets a wrong running
# value (lib/sysctl.rego).
remediate contains action if some action in sysctl.fix(required)
