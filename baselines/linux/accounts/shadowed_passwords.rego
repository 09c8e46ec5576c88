# METADATA
# title: Every account in /etc/passwd uses a shadowed password ("x")
# description: >-
#   /etc/passwd is readable by every user. A password hash kept there can be
#   copied and cracked offline; an empty field means no password at all.
#   Passwords belong in /etc/shadow, which only root and the shadow group
#   can read, with "x" in /etc/passwd.
# custom:
#   id: GCL-ACCT-007
#   severity: high
#   references:
#     cis-debian-linux-12-v1.1.0: ["7.2.1"]
#     dev-sec-linux-baseline: ["os-03b"]
#   remediation: >-
#     Run "pwconv" to move the passwords into /etc/shadow, then check that
#     every second field of /etc/passwd is "x".
#   tags: [accounts, passwords]
package gcrun.linux.accounts.shadowed_passwords

import data.gcrun.linux.lib.accounts

not_applicable contains reason if some reason in accounts.no_passwd

evidence := {"password_fields": {u.name: u.password_field | some u in input.users.users}}

# What each kind of password field means, for phrases.
meaning := {
	"hash": "a password hash in /etc/passwd",
	"empty": "an empty password field (no password)",
	"locked": "a locked password in /etc/passwd instead of \"x\"",
}

deny contains reason if {
	some u in input.users.users
	u.password_field != "shadowed"
	reason := {
		"code": "not_shadowed",
		"phrase": sprintf("user %s (%s) has %s, expected \"x\" (shadowed)", [u.name, accounts.where(u), object.get(meaning, u.password_field, u.password_field)]),
		"expected": "shadowed",
		"actual": u.password_field,
		"evidence": accounts.at(u),
	}
}
