# METADATA
# title: Root's primary group is GID 0, and no other account's is (parameter accounts_gid0_allowed)
# description: >-
#   Files that root creates belong to group 0. An account whose primary
#   group is GID 0 creates files in root's group and can read and write
#   everything that is group-accessible to root. Only root, and the
#   historical sync, shutdown, halt and operator accounts, may have it.
# custom:
#   id: GCL-ACCT-002
#   severity: high
#   references:
#     cis-debian-linux-12-v1.1.0: ["5.4.2.2"]
#   remediation: >-
#     Set root's primary group to 0 ("usermod -g 0 root") and give every
#     other account its own primary group ("usermod -g GROUP NAME").
#   tags: [accounts]
package gcrun.linux.accounts.gid0

import data.gcrun.linux.lib.accounts

not_applicable contains reason if some reason in accounts.no_passwd

# Parameter accounts_gid0_allowed: the accounts besides root that may have
# GID 0 as primary group (CIS: sync, shutdown, halt, operator).
allowed := data.gcrun.params.accounts_gid0_allowed

# also names the allowed accounts in phrases.
also := sprintf(", %s", [concat(", ", allowed)]) if {
	count(allowed) > 0
} else := ""

evidence := {
	"gid0_users": [u.name | some u in input.users.users; u.gid == 0],
	"root_gid": [u.gid | some u in input.users.users; u.name == "root"],
	"allowed": allowed,
}

deny contains reason if {
	some u in input.users.users
	u.gid == 0
	u.name != "root"
	not u.name in allowed
	reason := {
		"code": "gid0",
		"phrase": sprintf("user %s (%s) has primary group GID 0, expected only root%s", [u.name, accounts.where(u), also]),
		"expected": "root",
		"actual": u.name,
		"evidence": accounts.at(u),
	}
}

deny contains reason if {
	some u in input.users.users
	u.name == "root"
	u.gid != 0
	reason := {
		"code": "root_gid",
		"phrase": sprintf("root (%s) has primary group GID %d, expected 0", [accounts.where(u), u.gid]),
		"expected": 0,
		"actual": u.gid,
		"evidence": accounts.at(u),
	}
}

deny contains reason if {
	input.users.files["/etc/passwd"].exists == true
	count([u | some u in input.users.users; u.name == "root"]) == 0
	reason := {
		"code": "root_missing",
		"phrase": "/etc/passwd has no root account, expected root with primary group GID 0",
		"expected": "root",
		"evidence": {"file": "/etc/passwd"},
	}
}
