# METADATA
# title: login.defs PASS_MIN_DAYS is at least 1 (parameter auth_pass_min_days)
# description: >-
#   useradd gives new accounts the minimum password age of PASS_MIN_DAYS.
#   Debian ships 0: a user made to change a password can change it straight
#   back, which defeats expiry and password history. GCL-ACCT-012 checks
#   the existing accounts.
# custom:
#   id: GCL-AUTH-002
#   severity: low
#   references:
#     cis-debian-linux-12-v1.1.0: ["5.4.1.2"]
#     dev-sec-linux-baseline: ["os-05"]
#   remediation: Set "PASS_MIN_DAYS 1" (or more) in /etc/login.defs.
#   tags: [authentication, passwords]
package gcrun.linux.auth.pass_min_days

import data.gcrun.linux.lib.auth

not_applicable contains reason if some reason in auth.no_login_defs

# Parameter auth_pass_min_days: CIS 5.4.1.2 wants at least 1 day.
limit := data.gcrun.params.auth_pass_min_days

key := "PASS_MIN_DAYS"

evidence := auth.defs_evidence([key])

deny contains auth.defs_reason("pass_min_days", key, sprintf(">= %v", [limit]), object.get(n, "value", object.get(n, "invalid", null)), sprintf("PASS_MIN_DAYS %s, expected at least %v", [problem, limit])) if {
	n := auth.defs_number(key)
	problem := trouble(n)
}

trouble(n) := "is not set (shadow-utils then sets no minimum age)" if n.set == false

trouble(n) := sprintf("is %q%s, not a number (shadow-utils ignores it and sets no minimum age)", [n.invalid, auth.defs_where(key)]) if n.invalid

trouble(n) := sprintf("is %d%s", [n.value, auth.defs_where(key)]) if n.value < limit

# remediate sets PASS_MIN_DAYS in login.defs to the limit (rounded up) when it fails.
remediate contains auth.defs_set(key, format_int(ceil(limit), 10)) if {
	count(not_applicable) == 0
	count(deny) > 0
}
