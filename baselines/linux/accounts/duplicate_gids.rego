# METADATA
# title: No two groups share a GID
# description: >-
#   Groups are known by GID only: groups that share one share every file
#   and permission, so adding a user to one silently grants the other's
#   access as well.
# custom:
#   id: GCL-ACCT-004
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["7.2.6"]
#     dev-sec-linux-baseline: ["os-07"]
#   remediation: >-
#     Give each group its own GID ("groupmod -g GID NAME") and fix the group
#     ownership of its files.
#   tags: [accounts]
package gcrun.linux.accounts.duplicate_gids

import data.gcrun.linux.lib.accounts

not_applicable contains reason if some reason in accounts.no_group

evidence := {"duplicate_gids": input.users.duplicates.gids}

deny contains reason if {
	some gid, names in input.users.duplicates.gids
	groups := [g | some g in input.users.groups; sprintf("%d", [g.gid]) == gid]
	reason := {
		"code": "duplicate_gid",
		"phrase": sprintf("GID %s is shared by groups %s (%s), expected one group per GID", [gid, concat(", ", names), concat(", ", [sprintf("%s:%d", [accounts.group_file, g.line]) | some g in groups])]),
		"expected": "one group",
		"actual": names,
		"evidence": {"gid": gid, "groups": [{"file": accounts.group_file, "line": g.line, "group": g.name} | some g in groups]},
	}
}
