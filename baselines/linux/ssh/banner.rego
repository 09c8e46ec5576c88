# METADATA
# title: SSH shows a warning banner before login
# description: >-
#   A banner shown before authentication states that access is restricted to
#   authorised users and monitored. It supports prosecution and disciplinary
#   action and is required by many policies. It must not reveal the operating
#   system or its version. (dev-sec's sshd-46 compares Banner with its input
#   sshd_banner, whose default "none" forbids a banner; gcrun follows CIS,
#   which is dev-sec with sshd_banner set to the banner file.)
# custom:
#   id: GCL-SSH-016
#   severity: low
#   references:
#     cis-debian-linux-12-v1.1.0: ["5.1.5"]
#     dev-sec-ssh-baseline: ["sshd-46"]
#   remediation: >-
#     Write the site's warning text to /etc/issue.net, set
#     "Banner /etc/issue.net" in /etc/ssh/sshd_config and reload sshd.
#   tags: [ssh, banner]
package gcrun.linux.ssh.banner

import data.gcrun.linux.lib.sshd

not_applicable contains reason if some reason in sshd.not_installed

evidence := sshd.evidence(["banner"])

# "none" (the default) shows no banner; so does an empty value.
deny contains reason if {
	some s in sshd.settings("banner")
	lower(trim_space(s.value)) in {"none", ""}
	reason := sshd.reason("banner", s, "a banner file", sprintf("Banner is %q%s, expected a banner file such as /etc/issue.net", [s.value, s.where]))
}

# remediate points a global "Banner none" at /etc/issue.net, the banner
# file the banners rules (GCL-BANNER-003, 006) keep free of system details
# and owned by root.
remediate contains action if {
	some s in sshd.global_settings("banner")
	lower(trim_space(s.value)) in {"none", ""}
	action := sshd.set("banner", "Banner", "/etc/issue.net")
}
