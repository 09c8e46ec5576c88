# METADATA
# title: No two users share a UID
# description: >-
#   The kernel knows users by UID only: accounts that share one share every
#   file, process and permission, and whatever one does is logged under
#   the other's name too. Duplicate UIDs are usually a manual edit or a
#   botched migration.
# custom:
#   id: GCL-ACCT-003
#   severity: high
#   references:
#     cis-debian-linux-12-v1.1.0: ["7.2.5"]
#     dev-sec-linux-baseline: ["os-07"]
#   remediation: >-
#     Give each account its own UID ("usermod -u UID NAME") and fix the
#     ownership of its files ("find / -xdev -uid OLD -exec chown NAME {} +").
#   tags: [accounts]
package gcrun.linux.accounts.duplicate_uids

import data.gcrun.linux.lib.accounts

not_applicable contains reason if some reason in accounts.no_passwd

evidence := {"duplicate_uids": input.users.duplicates.uids}

deny contains reason if {
	some uid, names in input.users.duplicates.uids
	users := [u | some u in input.users.users; sprintf("%d", [u.uid]) == uid]
	reason := {
		"code": "duplicate_uid",
		"phrase": sprintf("UID %s is shared by %s (%s), expected one user per UID", [uid, concat(", ", names), concat(", ", [accounts.where(u) | some u in users])]),
		"expected": "one user",
		"actual": names,
		"evidence": {"uid": uid, "users": [accounts.at(u) | some u in users]},
	}
}
