# METADATA
# title: login.defs PASS_WARN_AGE is at least 7 (parameter auth_pass_warn_age)
# description: >-
#   useradd gives new accounts a password expiry warning of PASS_WARN_AGE
#   days. Without a warning, passwords expire unannounced and users are
#   locked out or rush a weak replacement. GCL-ACCT-013 checks the existing
#   accounts.
# custom:
#   id: GCL-AUTH-003
#   severity: low
#   references:
#     cis-debian-linux-12-v1.1.0: ["5.4.1.3"]
#     dev-sec-linux-baseline: ["os-05"]
#   remediation: Set "PASS_WARN_AGE 7" (or more) in /etc/login.defs.
#   tags: [authentication, passwords]
package gcrun.linux.auth.pass_warn_age

import data.gcrun.linux.lib.auth

not_applicable contains reason if some reason in auth.no_login_defs

# Parameter auth_pass_warn_age: CIS 5.4.1.3 wants at least 7 days.
limit := data.gcrun.params.auth_pass_warn_age

key := "PASS_WARN_AGE"

evidence := auth.defs_evidence([key])

deny contains auth.defs_reason("pass_warn_age", key, sprintf(">= %v", [limit]), object.get(n, "value", object.get(n, "invalid", null)), sprintf("PASS_WARN_AGE %s, expected at least %v", [problem, limit])) if {
	n := auth.defs_number(key)
	problem := trouble(n)
}

trouble(n) := "is not set (shadow-utils then gives no warning)" if n.set == false

trouble(n) := sprintf("is %q%s, not a number (shadow-utils ignores it and gives no warning)", [n.invalid, auth.defs_where(key)]) if n.invalid

trouble(n) := sprintf("is %d%s", [n.value, auth.defs_where(key)]) if n.value < limit

# remediate sets PASS_WARN_AGE in login.defs to the limit (rounded up) when it fails.
remediate contains auth.defs_set(key, format_int(ceil(limit), 10)) if {
	count(not_applicable) == 0
	count(deny) > 0
}
