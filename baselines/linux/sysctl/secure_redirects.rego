# METADATA
# title: Secure ICMP redirects are not accepted
# description: >-
#   "Secure" redirects are redirects from a listed default gateway; the
#   gateway's address is easily spoofed, so they are no safer than other
#   redirects. The rule checks the value set at boot by the sysctl.d
#   configuration and, on the live host, the running value.
# custom:
#   id: GCL-SYSCTL-006
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["3.3.6"]
#     dev-sec-linux-baseline: ["sysctl-15"]
#   remediation: >-
#     Set "net.ipv4.conf.all.secure_redirects = 0",
#     "net.ipv4.conf.default.secure_redirects = 0" in a file in /etc/sysctl.d/
#     (for example /etc/sysctl.d/60-cis.conf), remove any line that sets another
#     value, and run "sysctl --system".
#   tags: [sysctl, network]
package gcrun.linux.sysctl.secure_redirects

import data.gcrun.linux.lib.sysctl

required := {
	"net.ipv4.conf.all.secure_redirects": ["0"],
	"net.ipv4.conf.default.secure_redirects": ["0"],
}

evidence := sysctl.evidence(required)

deny contains reason if some reason in sysctl.deny_reasons(required)

# remediate persists each failing key (in the file that sets it, or in
# /etc/sysctl.d/60-gcrun.conf) and, on the live host, sets a wrong running
# value (lib/sysctl.rego).
remediate contains action if some action in sysctl.fix(required)
