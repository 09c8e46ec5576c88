# METADATA
# title: Every password has a minimum age of at least 1 day (parameter accounts_password_min_days)
# description: >-
#   Without a minimum age a user forced to change a password can change it
#   again at once, back to the old one, and password history is defeated.
#   login.defs PASS_MIN_DAYS (GCL-AUTH-002) applies only to new accounts;
#   this rule checks every existing one.
# custom:
#   id: GCL-ACCT-012
#   severity: low
#   references:
#     cis-debian-linux-12-v1.1.0: ["5.4.1.2"]
#   remediation: Run "chage --mindays 1 NAME" for each account listed.
#   tags: [accounts, passwords]
package gcrun.linux.accounts.password_min_days

import data.gcrun.linux.lib.accounts

not_applicable contains reason if some reason in accounts.no_shadow

# Parameter accounts_password_min_days: CIS 5.4.1.2 wants at least 1 day.
limit := data.gcrun.params.accounts_password_min_days

evidence := accounts.aging("min_days")

deny contains reason if {
	some u in accounts.password_users
	days := object.get(u.shadow, "min_days", null)
	too_low(days)
	reason := {
		"code": "password_min_days",
		"phrase": sprintf("user %s (%s) has a password minimum age %s, expected at least %v days", [u.name, accounts.shadow_where(u), shown(days), limit]),
		"expected": sprintf(">= %v", [limit]),
		"actual": days,
		"evidence": accounts.shadow_at(u),
	}
}

too_low(null) := true

too_low(days) if {
	days != null
	days < limit
}

shown(null) := "that is not set"

shown(days) := sprintf("of %d days", [days]) if days != null
