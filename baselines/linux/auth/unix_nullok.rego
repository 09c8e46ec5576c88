# METADATA
# title: pam_unix does not accept empty passwords (parameters auth_pam_auth_services, auth_pam_password_services)
# description: >-
#   With nullok, pam_unix lets an account whose password field is empty log
#   in, or change its password, without any password. Debian's
#   common-auth ships with nullok.
# custom:
#   id: GCL-AUTH-013
#   severity: high
#   references:
#     cis-debian-linux-12-v1.1.0: ["5.3.3.4.1"]
#   remediation: >-
#     Remove nullok from every pam_unix.so line of /etc/pam.d/common-auth
#     and common-password (in Debian's pam-auth-update profile
#     /usr/share/pam-configs/unix, then run pam-auth-update).
#   tags: [authentication, pam, passwords]
package gcrun.linux.auth.unix_nullok

import data.gcrun.linux.lib.auth

# Parameters auth_pam_auth_services and auth_pam_password_services: the
# PAM services checked.
services := array.concat(data.gcrun.params.auth_pam_auth_services, data.gcrun.params.auth_pam_password_services)

not_applicable contains auth.no_services(services)

entries := [e |
	some s in auth.services(services)
	some x in s.entries
	x.module == "pam_unix.so"
	e := object.union(x, {"service": s.name})
]

evidence := {"services": services, "pam_unix": [object.union(auth.at(e), {"line_text": auth.describe(e)}) | some e in entries]}

deny contains reason if {
	some e in entries
	some a in e.arguments
	startswith(a, "nullok")
	reason := {
		"code": "nullok",
		"phrase": sprintf("pam_unix.so has argument %s%s, expected no nullok", [a, auth.where(e)]),
		"expected": "no nullok",
		"actual": a,
		"evidence": object.union(auth.at(e), {"type": e.type}),
	}
}
