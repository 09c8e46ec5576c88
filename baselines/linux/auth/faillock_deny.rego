# METADATA
# title: pam_faillock locks an account after at most 5 failed logins (parameter auth_faillock_deny)
# description: >-
#   deny is how many consecutive failures pam_faillock allows before it
#   locks the account; 0 never locks. The value comes from the module's
#   arguments, else /etc/security/faillock.conf, else 3.
# custom:
#   id: GCL-AUTH-010
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["5.3.3.1.1"]
#   remediation: >-
#     Set "deny = 5" (or fewer) in /etc/security/faillock.conf and remove
#     any higher deny= argument of pam_faillock.so.
#   tags: [authentication, pam]
package gcrun.linux.auth.faillock_deny

import data.gcrun.linux.lib.auth

# Parameter auth_pam_auth_services: the PAM services checked.
services := data.gcrun.params.auth_pam_auth_services

# Parameter auth_faillock_deny: CIS 5.3.3.1.1 wants 5 or fewer (not 0).
limit := data.gcrun.params.auth_faillock_deny

not_applicable contains auth.no_services(services)

entries := auth.entries(services, "auth", "pam_faillock.so")

evidence := {"services": services, "deny": [object.union(auth.at(e), {"effective": auth.faillock(e, "deny")}) | some e in entries]}

deny contains reason if some reason in auth.missing_module(services, "auth", "pam_faillock.so", "to lock accounts after failed logins")

deny contains auth.setting_reason("deny", e, "deny", x, sprintf("1..%v", [limit]), sprintf("pam_faillock deny is %s (%s)%s, expected 1 to %v", [x.value, auth.source_phrase(x), auth.where(e), limit])) if {
	some e in entries
	x := auth.faillock(e, "deny")
	n := auth.integer(x.value)
	not between(n, 1, limit)
}

deny contains auth.setting_reason("deny_invalid", e, "deny", x, sprintf("1..%v", [limit]), sprintf("pam_faillock deny is %q (%s)%s, not a number, expected 1 to %v", [x.value, auth.source_phrase(x), auth.where(e), limit])) if {
	some e in entries
	x := auth.faillock(e, "deny")
	not auth.integer(x.value)
}

between(n, lo, hi) if {
	n >= lo
	n <= hi
}

# remediate sets deny to the limit in faillock.conf when the value in
# effect comes from it (or is the module's default); a module argument and
# a missing pam_faillock need a person.
remediate contains action if {
	count(not_applicable) == 0
	limit >= 1
	some e in entries
	x := auth.faillock(e, "deny")
	bad_deny(x.value)
	action := auth.conf_set(x, auth.faillock_conf, "deny", format_int(limit, 10))
}

bad_deny(v) if not auth.integer(v)

bad_deny(v) if not between(auth.integer(v), 1, limit)
