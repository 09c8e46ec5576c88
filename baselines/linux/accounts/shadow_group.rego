# METADATA
# title: The shadow group has no members
# description: >-
#   Members of the shadow group can read /etc/shadow and /etc/gshadow, and
#   so copy every password hash for offline cracking. Only programs that
#   need it (unix_chkpwd, setgid shadow) belong to it, not users.
# custom:
#   id: GCL-ACCT-010
#   severity: high
#   references:
#     cis-debian-linux-12-v1.1.0: ["7.2.4"]
#   remediation: >-
#     Remove every member from the shadow group ("gpasswd -d NAME shadow") and
#     give users whose primary group it is another one ("usermod -g GROUP
#     NAME").
#   tags: [accounts, passwords]
package gcrun.linux.accounts.shadow_group

import data.gcrun.linux.lib.accounts

not_applicable contains reason if some reason in accounts.no_passwd

not_applicable contains reason if some reason in accounts.no_group

not_applicable contains reason if {
	input.users.files["/etc/group"].exists == true
	count(shadow_groups) == 0
	reason := {
		"code": "no_shadow_group",
		"phrase": "/etc/group has no shadow group: /etc/shadow is readable by root only",
		"evidence": {"file": accounts.group_file},
	}
}

shadow_groups := [g | some g in input.users.groups; g.name == "shadow"]

evidence := {
	"members": sort([m | some g in shadow_groups; some m in g.members]),
	"primary": [u.name | some u in input.users.users; some g in shadow_groups; u.gid == g.gid],
}

deny contains reason if {
	some g in shadow_groups
	some m in g.members
	reason := {
		"code": "shadow_member",
		"phrase": sprintf("user %s is a member of group shadow (%s:%d), expected no members", [m, accounts.group_file, g.line]),
		"expected": "no members",
		"actual": m,
		"evidence": {"file": accounts.group_file, "line": g.line, "group": "shadow", "user": m},
	}
}

deny contains reason if {
	some g in shadow_groups
	some u in input.users.users
	u.gid == g.gid
	reason := {
		"code": "shadow_primary",
		"phrase": sprintf("user %s (%s) has shadow (GID %d) as primary group, expected no members", [u.name, accounts.where(u), g.gid]),
		"expected": "no members",
		"actual": u.name,
		"evidence": object.union(accounts.at(u), {"gid": g.gid}),
	}
}
