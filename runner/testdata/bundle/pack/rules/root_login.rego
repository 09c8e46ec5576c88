# METADATA
# title: SSH root login is disabled
# description: Root must not log in over SSH.
# custom:
#   id: BND-001
#   severity: high
#   remediation: Set PermitRootLogin no.
#   tags: [ssh]
package gcrun.bundled.root_login

import data.gcrun.bundled.lib.sshd

not_applicable contains {"code": "no_sshd", "phrase": "sshd is not configured"} if not sshd.installed

evidence := {"permitrootlogin": sshd.setting("permitrootlogin")}

deny contains reason if {
	sshd.installed
	value := sshd.setting("permitrootlogin")
	value != "no"
	reason := {
		"code": "permit_root_login",
		"phrase": sprintf("PermitRootLogin is %v, expected no", [value]),
		"expected": "no",
		"actual": value,
	}
}
