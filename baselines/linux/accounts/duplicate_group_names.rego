# METADATA
# title: No group name appears twice in /etc/group
# description: >-
#   When a group name appears twice, lookups find the first entry and its
#   GID, while the members of the second get a GID nobody expects.
# custom:
#   id: GCL-ACCT-006
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["7.2.8"]
#   remediation: >-
#     Remove or rename the duplicate entries ("vigr"), keeping one per name.
#   tags: [accounts]
package gcrun.linux.accounts.duplicate_group_names

import data.gcrun.linux.lib.accounts

not_applicable contains reason if some reason in accounts.no_group

evidence := {"duplicate_group_names": input.users.duplicates.group_names}

deny contains reason if {
	some name in input.users.duplicates.group_names
	groups := [g | some g in input.users.groups; g.name == name]
	reason := {
		"code": "duplicate_group_name",
		"phrase": sprintf("group name %s appears %d times (%s), expected once", [name, count(groups), concat(", ", [sprintf("%s:%d", [accounts.group_file, g.line]) | some g in groups])]),
		"expected": 1,
		"actual": count(groups),
		"evidence": {"group": name, "entries": [{"file": accounts.group_file, "line": g.line, "gid": g.gid} | some g in groups]},
	}
}
