# METADATA
# title: pam_pwhistory refuses the last 24 passwords and uses the checked one (parameter auth_pwhistory_remember)
# description: >-
#   Without password history, a user made to change a password types the
#   old one back in. pam_pwhistory remembers the last "remember" passwords
#   (default 10) in /etc/security/opasswd; use_authtok makes it check the
#   password pam_pwquality already accepted instead of asking again.
# custom:
#   id: GCL-AUTH-012
#   severity: low
#   references:
#     cis-debian-linux-12-v1.1.0: ["5.3.2.4", "5.3.3.3.1", "5.3.3.3.3"]
#   remediation: >-
#     Add "password requisite pam_pwhistory.so remember=24 enforce_for_root
#     try_first_pass use_authtok" after pam_pwquality and before pam_unix in
#     /etc/pam.d/common-password (with a pam-auth-update profile).
#   tags: [authentication, pam, passwords]
package gcrun.linux.auth.pwhistory

import data.gcrun.linux.lib.auth

# Parameter auth_pam_password_services: the PAM services checked.
services := data.gcrun.params.auth_pam_password_services

# Parameter auth_pwhistory_remember: CIS 5.3.3.3.1 wants at least 24.
limit := data.gcrun.params.auth_pwhistory_remember

not_applicable contains auth.no_services(services)

entries := auth.entries(services, "password", "pam_pwhistory.so")

# remember(e) is the history size: the argument, else pam_pwhistory's 10.
remember(e) := {"value": v, "source": "argument", "file": e.file, "line": e.line} if {
	v := auth.arg(e, "remember")
} else := {"value": "10", "source": "default"}

evidence := {"services": services, "pam_pwhistory": [object.union(auth.at(e), {"line_text": auth.describe(e), "remember": remember(e).value}) | some e in entries]}

deny contains reason if some reason in auth.missing_module(services, "password", "pam_pwhistory.so", "to refuse recent passwords")

deny contains auth.setting_reason("remember", e, "remember", x, sprintf(">= %v", [limit]), sprintf("pam_pwhistory remember is %s (%s)%s, expected at least %v", [x.value, auth.source_phrase(x), auth.where(e), limit])) if {
	some e in entries
	x := remember(e)
	not at_least(x.value, limit)
}

at_least(v, limit) if auth.integer(v) >= limit

deny contains reason if {
	some e in entries
	not auth.has_arg(e, "use_authtok")
	reason := {
		"code": "use_authtok",
		"phrase": sprintf("pam_pwhistory.so has no use_authtok argument%s, expected it to check the password the modules above accepted", [auth.where(e)]),
		"expected": "use_authtok",
		"actual": e.arguments,
		"evidence": auth.at(e),
	}
}
