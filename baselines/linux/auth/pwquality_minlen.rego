# METADATA
# title: pam_pwquality requires passwords of at least 14 characters (parameter auth_pwquality_minlen)
# description: >-
#   Length is what makes a password expensive to guess. pam_pwquality's
#   minlen comes from its arguments, else from pwquality.conf.d/*.conf and
#   pwquality.conf (read in that order, the main file last), else 8.
#   Without pam_pwquality in the password stack nothing enforces a length.
# custom:
#   id: GCL-AUTH-007
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["5.3.3.2.2"]
#   remediation: >-
#     Set "minlen = 14" in /etc/security/pwquality.conf (or a file of
#     /etc/security/pwquality.conf.d) and remove any lower minlen= argument
#     of pam_pwquality.so in /etc/pam.d/common-password.
#   tags: [authentication, pam, passwords]
package gcrun.linux.auth.pwquality_minlen

import data.gcrun.linux.lib.auth

# Parameter auth_pam_password_services: the PAM services checked.
services := data.gcrun.params.auth_pam_password_services

# Parameter auth_pwquality_minlen: CIS 5.3.3.2.2 wants at least 14.
limit := data.gcrun.params.auth_pwquality_minlen

not_applicable contains auth.no_services(services)

entries := auth.entries(services, "password", "pam_pwquality.so")

evidence := {
	"services": services,
	"minlen": [object.union(auth.at(e), {"effective": auth.pwquality(e, "minlen")}) | some e in entries],
	"pwquality_files": input.login.pwquality.files,
}

deny contains reason if some reason in auth.missing_module(services, "password", "pam_pwquality.so", "to require passwords of at least the minimum length")

deny contains auth.setting_reason("minlen", e, "minlen", x, sprintf(">= %v", [limit]), sprintf("pam_pwquality minlen is %s (%s)%s, expected at least %v", [x.value, auth.source_phrase(x), auth.where(e), limit])) if {
	some e in entries
	x := auth.pwquality(e, "minlen")
	n := auth.integer(x.value)
	n < limit
}

deny contains auth.setting_reason("minlen_invalid", e, "minlen", x, sprintf(">= %v", [limit]), sprintf("pam_pwquality minlen is %q (%s)%s, not a number, expected at least %v", [x.value, auth.source_phrase(x), auth.where(e), limit])) if {
	some e in entries
	x := auth.pwquality(e, "minlen")
	not auth.integer(x.value)
}

# remediate sets minlen to the limit in the pwquality file that gives the
# effective value, or in pwquality.conf when the module's default applies;
# a module argument (it overrides the files) and a missing pam_pwquality
# need a person.
remediate contains action if {
	count(not_applicable) == 0
	some e in entries
	x := auth.pwquality(e, "minlen")
	too_short(x.value)
	action := auth.conf_set(x, auth.pwquality_conf, "minlen", format_int(ceil(limit), 10))
}

too_short(v) if not auth.integer(v)

too_short(v) if auth.integer(v) < limit
