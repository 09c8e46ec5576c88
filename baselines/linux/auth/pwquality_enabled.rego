# METADATA
# title: pam_pwquality checks new passwords in common-password (parameter auth_pam_password_services)
# description: >-
#   Without pam_pwquality in the password stack, passwd accepts any
#   password pam_unix does: pam_unix's "obscure" only rejects a few trivial
#   ones. pam_pwquality enforces length, character classes and a dictionary
#   check, and must come before pam_unix so that a rejected password is
#   never stored.
# custom:
#   id: GCL-AUTH-006
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["5.3.2.3"]
#   remediation: >-
#     Install libpam-pwquality: pam-auth-update then adds "password requisite
#     pam_pwquality.so retry=3" before pam_unix in /etc/pam.d/common-password.
#   tags: [authentication, pam, passwords]
package gcrun.linux.auth.pwquality_enabled

import data.gcrun.linux.lib.auth

# Parameter auth_pam_password_services: the PAM services whose password
# stack every password change goes through (Debian: common-password).
services := data.gcrun.params.auth_pam_password_services

not_applicable contains auth.no_services(services)

entries := auth.entries(services, "password", "pam_pwquality.so")

evidence := {"services": services, "pam_pwquality": [object.union(auth.at(e), {"line_text": auth.describe(e)}) | some e in entries]}

deny contains reason if some reason in auth.missing_module(services, "password", "pam_pwquality.so", "to check new passwords")

deny contains reason if {
	some e in entries
	not auth.fails_stack(e)
	reason := {
		"code": "not_enforced",
		"phrase": sprintf("pam_pwquality.so is %s%s: a rejected password does not fail the stack, expected required or requisite", [e.control, auth.where(e)]),
		"expected": "requisite",
		"actual": e.control,
		"evidence": auth.at(e),
	}
}

deny contains reason if {
	some s in auth.services(services)
	some i, e in s.entries
	e.type == "password"
	e.module == "pam_pwquality.so"
	some j, u in s.entries
	u.type == "password"
	u.module == "pam_unix.so"
	j < i
	reason := {
		"code": "order",
		"phrase": sprintf("pam_pwquality.so (%s:%d) comes after pam_unix.so (%s:%d) in service %s: the password is stored before it is checked, expected pam_pwquality.so first", [e.file, e.line, u.file, u.line, s.name]),
		"expected": "before pam_unix.so",
		"actual": "after pam_unix.so",
		"evidence": object.union(auth.at(object.union(e, {"service": s.name})), {"pam_unix_line": u.line}),
	}
}
