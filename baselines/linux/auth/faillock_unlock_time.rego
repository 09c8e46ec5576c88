# METADATA
# title: pam_faillock keeps an account locked for at least 900 seconds, or until unlocked (parameter auth_faillock_unlock_time)
# description: >-
#   A short lock only slows guessing down: with pam_faillock's default of
#   600 seconds and deny 3, an attacker still gets hundreds of guesses a
#   day. unlock_time 0 (or "never") keeps the account locked until an
#   administrator runs faillock --reset. The value comes from the module's
#   arguments, else /etc/security/faillock.conf, else 600.
# custom:
#   id: GCL-AUTH-011
#   severity: low
#   references:
#     cis-debian-linux-12-v1.1.0: ["5.3.3.1.2"]
#   remediation: >-
#     Set "unlock_time = 900" (or more, or 0) in
#     /etc/security/faillock.conf and remove any lower unlock_time= argument
#     of pam_faillock.so.
#   tags: [authentication, pam]
package gcrun.linux.auth.faillock_unlock_time

import data.gcrun.linux.lib.auth

# Parameter auth_pam_auth_services: the PAM services checked.
services := data.gcrun.params.auth_pam_auth_services

# Parameter auth_faillock_unlock_time: CIS 5.3.3.1.2 wants 0 (never) or at
# least 900 seconds.
limit := data.gcrun.params.auth_faillock_unlock_time

not_applicable contains auth.no_services(services)

entries := auth.entries(services, "auth", "pam_faillock.so")

evidence := {"services": services, "unlock_time": [object.union(auth.at(e), {"effective": auth.faillock(e, "unlock_time")}) | some e in entries]}

deny contains reason if some reason in auth.missing_module(services, "auth", "pam_faillock.so", "to lock accounts after failed logins")

# seconds(v) is unlock_time in seconds; "never" is 0.
seconds("never") := 0

seconds(v) := auth.integer(v) if v != "never"

deny contains auth.setting_reason("unlock_time", e, "unlock_time", x, sprintf("0 or >= %v", [limit]), sprintf("pam_faillock unlock_time is %s (%s)%s, expected 0 (never) or at least %v seconds", [x.value, auth.source_phrase(x), auth.where(e), limit])) if {
	some e in entries
	x := auth.faillock(e, "unlock_time")
	n := seconds(x.value)
	n != 0
	n < limit
}

deny contains auth.setting_reason("unlock_time_invalid", e, "unlock_time", x, sprintf("0 or >= %v", [limit]), sprintf("pam_faillock unlock_time is %q (%s)%s, not a number, expected 0 (never) or at least %v seconds", [x.value, auth.source_phrase(x), auth.where(e), limit])) if {
	some e in entries
	x := auth.faillock(e, "unlock_time")
	not seconds(x.value)
}

# remediate sets unlock_time to the limit in faillock.conf when the value
# in effect comes from it (or is the module's default); a module argument
# and a missing pam_faillock need a person.
remediate contains action if {
	count(not_applicable) == 0
	some e in entries
	x := auth.faillock(e, "unlock_time")
	bad_unlock_time(x.value)
	action := auth.conf_set(x, auth.faillock_conf, "unlock_time", format_int(ceil(limit), 10))
}

bad_unlock_time(v) if not seconds(v)

bad_unlock_time(v) if {
	n := seconds(v)
	n != 0
	n < limit
}
