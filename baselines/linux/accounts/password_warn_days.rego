# METADATA
# title: Every password warns at least 7 days before it expires (parameter accounts_password_warn_days)
# description: >-
#   Without a warning period, a password expires unannounced and its user is
#   locked out, or rushes a weak replacement. login.defs PASS_WARN_AGE
#   (GCL-AUTH-003) applies only to new accounts; this rule checks every
#   existing one.
# custom:
#   id: GCL-ACCT-013
#   severity: low
#   references:
#     cis-debian-linux-12-v1.1.0: ["5.4.1.3"]
#   remediation: Run "chage --warndays 7 NAME" for each account listed.
#   tags: [accounts, passwords]
package gcrun.linux.accounts.password_warn_days

import data.gcrun.linux.lib.accounts

not_applicable contains reason if some reason in accounts.no_shadow

# Parameter accounts_password_warn_days: CIS 5.4.1.3 wants at least 7 days.
limit := data.gcrun.params.accounts_password_warn_days

evidence := accounts.aging("warn_days")

deny contains reason if {
	some u in accounts.password_users
	days := object.get(u.shadow, "warn_days", null)
	too_low(days)
	reason := {
		"code": "password_warn_days",
		"phrase": sprintf("user %s (%s) has a password warning period %s, expected at least %v days", [u.name, accounts.shadow_where(u), shown(days), limit]),
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
