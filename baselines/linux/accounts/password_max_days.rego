# METADATA
# title: Every password expires within 365 days (parameter accounts_password_max_days)
# description: >-
#   A password that never expires stays valid for as long as it is known, by
#   whoever learned it. The maximum age in /etc/shadow (chage -M) forces a
#   change. login.defs PASS_MAX_DAYS (GCL-AUTH-001) applies only to
#   accounts created after it was set; this rule checks every existing one.
# custom:
#   id: GCL-ACCT-011
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["5.4.1.1"]
#   remediation: >-
#     Run "chage --maxdays 365 NAME" for each account listed (and set
#     PASS_MAX_DAYS 365 in /etc/login.defs for new ones).
#   tags: [accounts, passwords]
package gcrun.linux.accounts.password_max_days

import data.gcrun.linux.lib.accounts

not_applicable contains reason if some reason in accounts.no_shadow

# Parameter accounts_password_max_days: CIS 5.4.1.1 wants 365 days or less.
limit := data.gcrun.params.accounts_password_max_days

evidence := accounts.aging("max_days")

deny contains reason if {
	some u in accounts.password_users
	problem := trouble(object.get(u.shadow, "max_days", null))
	reason := {
		"code": "password_max_days",
		"phrase": sprintf("user %s (%s) has a password maximum age %s, expected at most %v days", [u.name, accounts.shadow_where(u), problem, limit]),
		"expected": sprintf("<= %v", [limit]),
		"actual": object.get(u.shadow, "max_days", null),
		"evidence": accounts.shadow_at(u),
	}
}

# trouble(days) says what is wrong with a maximum age; undefined when it
# is fine. Empty or negative means the password never expires.
trouble(days) := "that is not set (never expires)" if days == null

trouble(days) := sprintf("of %d days (never expires)", [days]) if {
	days != null
	days < 0
}

trouble(days) := sprintf("of %d days", [days]) if {
	days != null
	days > limit
}
