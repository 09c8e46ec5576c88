# METADATA
# title: No account has an empty password in /etc/shadow
# description: >-
#   An empty password field lets anyone log in as that account without a
#   password wherever PAM allows empty passwords (pam_unix's nullok, which
#   Debian's common-auth sets).
# custom:
#   id: GCL-ACCT-008
#   severity: critical
#   references:
#     cis-debian-linux-12-v1.1.0: ["7.2.2"]
#   remediation: >-
#     Lock each such account ("passwd -l NAME") or give it a password
#     ("passwd NAME").
#   tags: [accounts, passwords]
package gcrun.linux.accounts.empty_passwords

import data.gcrun.linux.lib.accounts

not_applicable contains reason if some reason in accounts.no_shadow

evidence := {"empty": [u.name | some u in input.users.users; u.shadow.status == "empty"]}

deny contains reason if {
	some u in input.users.users
	u.shadow.status == "empty"
	reason := {
		"code": "empty_password",
		"phrase": sprintf("user %s (%s) has an empty password, expected a password or a locked account", [u.name, accounts.shadow_where(u)]),
		"expected": "a password or locked",
		"actual": "empty",
		"evidence": accounts.shadow_at(u),
	}
}
