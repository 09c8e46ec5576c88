# METADATA
# title: pam_pwquality rejects weak passwords rather than only warning (parameter auth_pam_password_services)
# description: >-
#   With enforcing = 0 pam_pwquality prints its complaints and accepts the
#   password anyway. The default is to enforce; the setting comes from the
#   module's arguments, else pwquality.conf.d/*.conf and pwquality.conf.
# custom:
#   id: GCL-AUTH-008
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["5.3.3.2.7"]
#   remediation: >-
#     Remove "enforcing = 0" from /etc/security/pwquality.conf and its .d
#     files, and any enforcing=0 argument of pam_pwquality.so.
#   tags: [authentication, pam, passwords]
package gcrun.linux.auth.pwquality_enforcing

import data.gcrun.linux.lib.auth

# Parameter auth_pam_password_services: the PAM services checked.
services := data.gcrun.params.auth_pam_password_services

not_applicable contains auth.no_services(services)

entries := auth.entries(services, "password", "pam_pwquality.so")

evidence := {"services": services, "enforcing": [object.union(auth.at(e), {"effective": auth.pwquality(e, "enforcing")}) | some e in entries]}

deny contains reason if some reason in auth.missing_module(services, "password", "pam_pwquality.so", "to reject weak passwords")

deny contains auth.setting_reason("not_enforcing", e, "enforcing", x, "1", sprintf("pam_pwquality enforcing is %s (%s)%s: weak passwords are only warned about, expected 1", [x.value, auth.source_phrase(x), auth.where(e)])) if {
	some e in entries
	x := auth.pwquality(e, "enforcing")
	auth.integer(x.value) == 0
}

deny contains auth.setting_reason("enforcing_invalid", e, "enforcing", x, "1", sprintf("pam_pwquality enforcing is %q (%s)%s, not a number, expected 1", [x.value, auth.source_phrase(x), auth.where(e)])) if {
	some e in entries
	x := auth.pwquality(e, "enforcing")
	not auth.integer(x.value)
}

# remediate sets enforcing = 1 in the pwquality file that turns it off; a
# module argument and a missing pam_pwquality need a person.
remediate contains action if {
	count(not_applicable) == 0
	some e in entries
	x := auth.pwquality(e, "enforcing")
	not auth.integer(x.value) == 1
	action := auth.conf_set(x, auth.pwquality_conf, "enforcing", "1")
}
