# METADATA
# title: Packets with impossible addresses are logged
# description: >-
#   "Martian" packets (source addresses that cannot arrive on the interface)
#   are a sign of spoofing or misrouting; logging them lets the administrator
#   see it. The rule checks the value set at boot by the sysctl.d
#   configuration and, on the live host, the running value.
# custom:
#   id: GCL-SYSCTL-009
#   severity: low
#   references:
#     cis-debian-linux-12-v1.1.0: ["3.3.9"]
#     dev-sec-linux-baseline: ["sysctl-17"]
#   remediation: >-
#     Set "net.ipv4.conf.all.log_martians = 1",
#     "net.ipv4.conf.default.log_martians = 1" in a file in /etc/sysctl.d/ (for
#     example /etc/sysctl.d/60-cis.conf), remove any line that sets another
#     value, and run "sysctl --system".
#   tags: [sysctl, network, logging]
package gcrun.linux.sysctl.log_martians

import data.gcrun.linux.lib.sysctl

required := {
	"net.ipv4.conf.all.log_martians": ["1"],
	"net.ipv4.conf.default.log_martians": ["1"],
}

evidence := sysctl.evidence(required)

deny contains reason if some reason in sysctl.deny_reasons(required)

# remediate persists each failing key (in the file that sets it, or in
# /etc/sysctl.d/60-gcrun.conf) and, on the live host, sets a wrong running
# value (lib/sysctl.rego).
remediate contains action if some action in sysctl.fix(required)
