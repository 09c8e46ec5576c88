# METADATA
# title: No user name appears twice in /etc/passwd
# description: >-
#   When a name appears twice, programs look it up and find the first entry,
#   while the second keeps its own UID, home and shell: who logs in as that
#   name, and with which rights, depends on which tool answers.
# custom:
#   id: GCL-ACCT-005
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["7.2.7"]
#   remediation: >-
#     Remove or rename the duplicate entries ("vipw"), keeping one per name.
#   tags: [accounts]
package gcrun.linux.accounts.duplicate_user_names

import data.gcrun.linux.lib.accounts

not_applicable contains reason if some reason in accounts.no_passwd

evidence := {"duplicate_user_names": input.users.duplicates.user_names}

deny contains reason if {
	some name in input.users.duplicates.user_names
	users := [u | some u in input.users.users; u.name == name]
	reason := {
		"code": "duplicate_user_name",
		"phrase": sprintf("user name %s appears %d times (%s), expected once", [name, count(users), concat(", ", [accounts.where(u) | some u in users])]),
		"expected": 1,
		"actual": count(users),
		"evidence": {"user": name, "entries": [accounts.at(u) | some u in users]},
	}
}
