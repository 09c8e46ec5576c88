# METADATA
# title: SSH allows few authentication attempts
# description: Many attempts per connection help password guessing.
# custom:
#   id: BND-002
#   severity: medium
#   remediation: Set MaxAuthTries to at most the parameter bundled_max_auth_tries.
#   tags: [ssh]
package gcrun.bundled.max_auth_tries

import data.gcrun.bundled.lib.sshd

not_applicable contains {"code": "no_sshd", "phrase": "sshd is not configured"} if not sshd.installed

evidence := {"maxauthtries": sshd.setting("maxauthtries")}

deny contains reason if {
	sshd.installed
	value := to_number(sshd.setting("maxauthtries"))
	value > data.gcrun.params.bundled_max_auth_tries
	reason := {
		"code": "max_auth_tries",
		"phrase": sprintf("MaxAuthTries is %v, expected at most %v", [value, data.gcrun.params.bundled_max_auth_tries]),
		"expected": data.gcrun.params.bundled_max_auth_tries,
		"actual": value,
	}
}
