# METADATA
# title: Every user's primary group exists in /etc/group
# description: >-
#   A primary GID without a group is a group nobody manages: if a group
#   with that GID is created later, for anything, its members get access
#   to every file this user created.
# custom:
#   id: GCL-ACCT-009
#   severity: low
#   references:
#     cis-debian-linux-12-v1.1.0: ["7.2.3"]
#   remediation: >-
#     Create the missing group ("groupadd -g GID NAME") or give the user an
#     existing primary group ("usermod -g GROUP NAME").
#   tags: [accounts]
package gcrun.linux.accounts.groups_exist

import data.gcrun.linux.lib.accounts

not_applicable contains reason if some reason in accounts.no_passwd

evidence := {"missing_groups": input.users.missing_groups}

deny contains reason if {
	some m in input.users.missing_groups
	reason := {
		"code": "missing_group",
		"phrase": sprintf("user %s (%s:%d) has primary GID %d, which no group of /etc/group has", [m.name, accounts.passwd_file, m.line, m.gid]),
		"expected": "an existing group",
		"actual": m.gid,
		"evidence": {"file": accounts.passwd_file, "line": m.line, "user": m.name, "gid": m.gid},
	}
}
