# METADATA
# title: Every account is disabled at most 45 days after its password expires (parameter accounts_password_inactive_days)
# description: >-
#   The inactivity period (chage -I) disables an account whose password has
#   been expired that long: an abandoned account then cannot be revived by
#   whoever still knows its old password. Unset, an expired password can be
#   changed at the next login forever.
# custom:
#   id: GCL-ACCT-014
#   severity: low
#   references:
#     cis-debian-linux-12-v1.1.0: ["5.4.1.5"]
#   remediation: >-
#     Run "chage --inactive 45 NAME" for each account listed, and
#     "useradd -D -f 45" for new ones.
#   tags: [accounts, passwords]
package gcrun.linux.accounts.password_inactive

import data.gcrun.linux.lib.accounts

not_applicable contains reason if some reason in accounts.no_shadow

# Parameter accounts_password_inactive_days: CIS 5.4.1.5 wants 45 days or
# less.
limit := data.gcrun.params.accounts_password_inactive_days

evidence := accounts.aging("inactive")

deny contains reason if {
	some u in accounts.password_users
	days := object.get(u.shadow, "inactive", null)
	problem := trouble(days)
	reason := {
		"code": "password_inactive",
		"phrase": sprintf("user %s (%s) has an inactivity period %s, expected at most %v days", [u.name, accounts.shadow_where(u), problem, limit]),
		"expected": sprintf("<= %v", [limit]),
		"actual": days,
		"evidence": accounts.shadow_at(u),
	}
}

trouble(null) := "that is not set (never disabled)"

trouble(days) := sprintf("of %d days (never disabled)", [days]) if {
	days != null
	days < 0
}

trouble(days) := sprintf("of %d days", [days]) if {
	days != null
	days > limit
}
