# METADATA
# title: pam_faillock counts failed logins in common-auth (parameter auth_pam_auth_services)
# description: >-
#   Without pam_faillock, an attacker can guess a local password for as
#   long as the service lets them try. pam_faillock needs two lines in the
#   auth stack: "preauth" before pam_unix refuses locked accounts, and
#   "authfail" after it records the failure.
# custom:
#   id: GCL-AUTH-009
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["5.3.2.2"]
#   remediation: >-
#     Enable a pam-auth-update profile for pam_faillock that adds "auth
#     requisite pam_faillock.so preauth" before pam_unix and "auth
#     [default=die] pam_faillock.so authfail" after it in common-auth (and
#     "account required pam_faillock.so" in common-account).
#   tags: [authentication, pam]
package gcrun.linux.auth.faillock_enabled

import data.gcrun.linux.lib.auth

# Parameter auth_pam_auth_services: the PAM services whose auth stack every
# login goes through (Debian: common-auth).
services := data.gcrun.params.auth_pam_auth_services

not_applicable contains auth.no_services(services)

evidence := {"services": services, "pam_faillock": [object.union(auth.at(e), {"line_text": auth.describe(e)}) | some e in auth.entries(services, "auth", "pam_faillock.so")]}

# positions(s, mode) are the indexes of s's pam_faillock.so auth entries
# with that mode argument.
positions(s, mode) := [i | some i, e in s.entries; e.type == "auth"; e.module == "pam_faillock.so"; auth.has_arg(e, mode)]

unix_positions(s) := [i | some i, e in s.entries; e.type == "auth"; e.module == "pam_unix.so"]

deny contains reason if {
	some s in auth.services(services)
	some mode in ["preauth", "authfail"]
	count(positions(s, mode)) == 0
	reason := {
		"code": sprintf("no_%s", [mode]),
		"phrase": sprintf("the auth stack of PAM service %s (%s) has no \"pam_faillock.so %s\", expected one %s pam_unix.so", [s.name, s.file, mode, side[mode]]),
		"expected": sprintf("pam_faillock.so %s", [mode]),
		"actual": "missing",
		"evidence": {"service": s.name, "file": s.file, "module": "pam_faillock.so", "mode": mode},
	}
}

side := {"preauth": "before", "authfail": "after"}

deny contains reason if {
	some s in auth.services(services)
	count(unix_positions(s)) > 0
	some i in positions(s, "preauth")
	i > min(unix_positions(s))
	reason := order_reason(s, s.entries[i], "preauth", "before")
}

deny contains reason if {
	some s in auth.services(services)
	count(unix_positions(s)) > 0
	some i in positions(s, "authfail")
	i < min(unix_positions(s))
	reason := order_reason(s, s.entries[i], "authfail", "after")
}

order_reason(s, e, mode, want) := {
	"code": "order",
	"phrase": sprintf("pam_faillock.so %s (%s:%d) is not %s pam_unix.so in service %s, expected it %s", [mode, e.file, e.line, want, s.name, want]),
	"expected": sprintf("%s pam_unix.so", [want]),
	"actual": sprintf("not %s pam_unix.so", [want]),
	"evidence": auth.at(object.union(e, {"service": s.name})),
}
