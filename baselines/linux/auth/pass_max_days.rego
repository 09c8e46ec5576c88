# METADATA
# title: login.defs PASS_MAX_DAYS is 365 or less (parameter auth_pass_max_days)
# description: >-
#   useradd gives new accounts the maximum password age of PASS_MAX_DAYS.
#   Debian ships 99999 (never expires), so a password stays valid for as
#   long as it is known, by whoever learned it. GCL-ACCT-011 checks the
#   existing accounts.
# custom:
#   id: GCL-AUTH-001
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["5.4.1.1"]
#     dev-sec-linux-baseline: ["os-05"]
#   remediation: Set "PASS_MAX_DAYS 365" (or less) in /etc/login.defs.
#   tags: [authentication, passwords]
package gcrun.linux.auth.pass_max_days

import data.gcrun.linux.lib.auth

not_applicable contains reason if some reason in auth.no_login_defs

# Parameter auth_pass_max_days: CIS 5.4.1.1 wants 365 days or less.
limit := data.gcrun.params.auth_pass_max_days

key := "PASS_MAX_DAYS"

evidence := auth.defs_evidence([key])

deny contains auth.defs_reason("pass_max_days", key, sprintf("<= %v", [limit]), object.get(n, "value", object.get(n, "invalid", null)), sprintf("PASS_MAX_DAYS %s, expected at most %v", [problem, limit])) if {
	n := auth.defs_number(key)
	problem := trouble(n)
}

trouble(n) := "is not set (shadow-utils then sets no maximum age)" if n.set == false

trouble(n) := sprintf("is %q%s, not a number (shadow-utils ignores it and sets no maximum age)", [n.invalid, auth.defs_where(key)]) if n.invalid

trouble(n) := sprintf("is %d%s (no maximum age)", [n.value, auth.defs_where(key)]) if n.value < 0

trouble(n) := sprintf("is %d%s", [n.value, auth.defs_where(key)]) if {
	n.value >= 0
	n.value > limit
}

# remediate sets PASS_MAX_DAYS in login.defs to the limit when it fails.
remediate contains auth.defs_set(key, format_int(limit, 10)) if {
	count(not_applicable) == 0
	count(deny) > 0
}
