# METADATA
# title: Interactive users' home directories exist, belong to them and are mode 0750 or stricter (parameter accounts_home_max_mode)
# description: >-
#   A user with a login shell and no home directory logs in to "/"; a home
#   owned by someone else, or writable by others, lets them plant a
#   .bashrc, .profile or .ssh/authorized_keys that runs or logs in as the
#   user; a world-readable one exposes the user's files and keys.
# custom:
#   id: GCL-ACCT-016
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["7.2.9"]
#   remediation: >-
#     For each home listed: create it ("mkhomedir_helper NAME"), give it to
#     its user ("chown NAME: HOME") and remove group write and all access
#     by others ("chmod g-w,o-rwx HOME").
#   tags: [accounts, permissions]
package gcrun.linux.accounts.home_dirs

import data.gcrun.linux.lib.accounts

not_applicable contains reason if some reason in accounts.no_passwd

# Parameter accounts_home_max_mode: the loosest permissions a home
# directory may have, as octal digits (CIS 7.2.9: 0750).
max_mode := data.gcrun.params.accounts_home_max_mode

evidence := {
	"max_mode": max_mode,
	"homes": {u.name: u.home_dir | some u in accounts.interactive_users},
}

reason(u, code, expected, actual, phrase) := {
	"code": code,
	"phrase": sprintf("home directory %s of user %s (%s) %s", [u.home_dir.path, u.name, accounts.where(u), phrase]),
	"expected": expected,
	"actual": actual,
	"evidence": object.union(accounts.at(u), {"home": u.home_dir.path}),
}

deny contains reason(u, "home_missing", "a directory", "missing", "does not exist, expected a directory") if {
	some u in accounts.interactive_users
	u.home_dir.exists == false
}

deny contains reason(u, "home_type", "directory", u.home_dir.type, sprintf("is a %s, expected a directory", [u.home_dir.type])) if {
	some u in accounts.interactive_users
	u.home_dir.exists == true
	u.home_dir.type != "directory"
}

deny contains reason(u, "home_owner", u.name, owner, sprintf("is owned by %s, expected %s", [owner, u.name])) if {
	some u in accounts.interactive_users
	u.home_dir.exists == true
	u.home_dir.type == "directory"
	u.home_dir.owned_by_user == false
	owner := owner_name(u.home_dir)
}

deny contains reason(u, "home_mode", sprintf("%s or stricter", [max_mode]), u.home_dir.mode, sprintf("has mode %s, expected %s or stricter", [u.home_dir.mode, max_mode])) if {
	some u in accounts.interactive_users
	u.home_dir.exists == true
	u.home_dir.type == "directory"
	accounts.excess_mode(u.home_dir.mode, max_mode) != 0
}

owner_name(d) := sprintf("%s (UID %d)", [d.owner, d.uid]) if {
	d.owner != ""
} else := sprintf("UID %d", [d.uid])
