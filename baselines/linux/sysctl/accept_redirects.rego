# METADATA
# title: ICMP redirects are not accepted
# description: >-
#   An accepted ICMP redirect changes the host's routing table on the word of
#   any host on the link; an attacker uses it to route the host's traffic
#   through itself. The rule checks the value set at boot by the sysctl.d
#   configuration and, on the live host, the running value.
# custom:
#   id: GCL-SYSCTL-005
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["3.3.5"]
#     dev-sec-linux-baseline: ["sysctl-14", "sysctl-20"]
#   remediation: >-
#     Set "net.ipv4.conf.all.accept_redirects = 0",
#     "net.ipv4.conf.default.accept_redirects = 0",
#     "net.ipv6.conf.all.accept_redirects = 0",
#     "net.ipv6.conf.default.accept_redirects = 0" in a file in /etc/sysctl.d/
#     (for example /etc/sysctl.d/60-cis.conf), remove any line that sets another
#     value, and run "sysctl --system".
#   tags: [sysctl, network, ipv6]
package gcrun.linux.sysctl.accept_redirects

import data.gcrun.linux.lib.sysctl

required := {
	"net.ipv4.conf.all.accept_redirects": ["0"],
	"net.ipv4.conf.default.accept_redirects": ["0"],
	"net.ipv6.conf.all.accept_redirects": ["0"],
	"net.ipv6.conf.default.accept_redirects": ["0"],
}

evidence := sysctl.evidence(required)

deny contains reason if some reason in sysctl.deny_reasons(required)

# remediate persists each failing key (in the file that sets it, or in
# /etc/sysctl.d/60-gcrun.conf) and, on the live host, sets a wrong running
# value (lib/sysctl.rego).
remediate contains action if some action in sysctl.fix(required)
