# METADATA
# title: Root login disabled
# description: Root must not log in over SSH.
# custom:
#   id: T-001
#   severity: high
#   references:
#     cis: ["5.2.7"]
#   remediation: Set PermitRootLogin no.
#   tags: [ssh]
package test.root_login

import data.test.lib.util

not_applicable contains {"code": "no_sshd", "phrase": "sshd is not configured"} if not input.sshd.exists

evidence := {"permitrootlogin": util.root_login}

deny contains {"code": "root_login", "phrase": sprintf("PermitRootLogin is %q", [util.root_login]), "expected": "no", "actual": util.root_login} if {
	util.root_login != "no"
}
