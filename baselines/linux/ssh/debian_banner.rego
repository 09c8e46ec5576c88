# METADATA
# title: SSH does not announce the Debian release in its version string (DebianBanner no)
# description: >-
#   Debian's OpenSSH appends the distribution and package revision to the
#   version string every client sees before it authenticates
#   ("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3"). That tells an attacker
#   exactly which security updates the server lacks. DebianBanner no sends
#   the upstream version only.
# custom:
#   id: GCL-SSH-043
#   severity: low
#   references:
#     dev-sec-ssh-baseline: ["sshd-47"]
#   remediation: >-
#     Set "DebianBanner no" in the global section of /etc/ssh/sshd_config
#     (before any Match line) and reload sshd.
#   tags: [ssh]
package gcrun.linux.ssh.debian_banner

import data.gcrun.linux.lib.sshd

not_applicable contains reason if some reason in sshd.not_installed

# DebianBanner is global-only (sshd rejects it in a Match block) and sshd -T
# does not print it, so the collector reports it beside config, in
# debian_banner ("yes" by default).
evidence := {"debianbanner": object.union({"value": input.sshd.debian_banner}, object.remove(sshd.source("debianbanner"), ["keyword"]))} if {
	_ = input.sshd.debian_banner
} else := {"debianbanner": {"value": null, "collected": false}}

deny contains reason if {
	value := input.sshd.debian_banner
	value != "no"
	reason := {
		"code": "debian_banner",
		"phrase": sprintf("DebianBanner is %q, expected \"no\"", [value]),
		"expected": "no",
		"actual": value,
		"evidence": sshd.source("debianbanner"),
	}
}

# Facts without debian_banner (made by hand, or by a collector that predates the
# field) say nothing about the host: fail rather than pass on nothing.
deny contains reason if {
	input.sshd.exists == true
	not input.sshd.debian_banner
	reason := {
		"code": "not_collected",
		"phrase": "the sshd facts carry no debian_banner: whether sshd announces the Debian release is unknown",
		"evidence": {"field": "sshd.debian_banner"},
	}
}

# remediate sets DebianBanner no where it is set, or in sshd_config.
remediate contains action if {
	input.sshd.debian_banner != "no"
	action := sshd.set("debianbanner", "DebianBanner", "no")
}
