# METADATA
# title: IP forwarding is disabled
# description: >-
#   A host that forwards packets between its interfaces acts as a router: it
#   can carry traffic around firewalls and between networks that should not
#   meet. Only routers, VPN gateways and container hosts need it. The rule
#   checks the value set at boot by the sysctl.d configuration and, on the
#   live host, the running value.
# custom:
#   id: GCL-SYSCTL-001
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["3.3.1"]
#     dev-sec-linux-baseline: ["sysctl-01", "sysctl-19"]
#   remediation: >-
#     Set "net.ipv4.ip_forward = 0", "net.ipv6.conf.all.forwarding = 0" in a
#     file in /etc/sysctl.d/ (for example /etc/sysctl.d/60-cis.conf), remove any
#     line that sets another value, and run "sysctl --system".
#   tags: [sysctl, network]
package gcrun.linux.sysctl.ip_forward

import data.gcrun.linux.lib.sysctl

required := {
	"net.ipv4.ip_forward": ["0"],
	"net.ipv6.conf.all.forwarding": ["0"],
}

evidence := sysctl.evidence(required)

not_applicable contains reason if {
	data.gcrun.params.sysctl_ip_forwarding_allowed == true
	reason := {
		"code": "forwarding_allowed",
		"phrase": "the host may forward packets (parameter sysctl_ip_forwarding_allowed is true)",
	}
}

deny contains reason if some reason in sysctl.deny_reasons(required)

# remediate persists each failing key (in the file that sets it, or in
# /etc/sysctl.d/60-gcrun.conf) and, on the live host, sets a wrong running
# value (lib/sysctl.rego).
remediate contains action if {
	count(not_applicable) == 0
	some action in sysctl.fix(required)
}
