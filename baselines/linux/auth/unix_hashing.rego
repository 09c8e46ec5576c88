# METADATA
# title: pam_unix hashes new passwords with yescrypt or SHA-512 (parameter auth_pam_unix_hashes)
# description: >-
#   passwd stores what pam_unix computes. pam_unix takes the method from
#   its own options (yescrypt, sha512, ...), else from the first
#   ENCRYPT_METHOD of /etc/login.defs, else DES, which keeps 8 characters
#   of the password. MD5 and DES hashes are cracked in hours.
# custom:
#   id: GCL-AUTH-014
#   severity: high
#   references:
#     cis-debian-linux-12-v1.1.0: ["5.3.3.4.3"]
#   remediation: >-
#     Add yescrypt (or sha512) to the pam_unix.so line of
#     /etc/pam.d/common-password, and remove md5, bigcrypt, des and
#     blowfish options.
#   tags: [authentication, pam, passwords, crypto]
package gcrun.linux.auth.unix_hashing

import data.gcrun.linux.lib.auth

# Parameter auth_pam_password_services: the PAM services checked.
services := data.gcrun.params.auth_pam_password_services

# Parameter auth_pam_unix_hashes: the methods allowed (CIS 5.3.3.4.3:
# yescrypt or sha512).
allowed := data.gcrun.params.auth_pam_unix_hashes

entries := auth.entries(services, "password", "pam_unix.so")

not_applicable contains auth.no_services(services)

not_applicable contains reason if {
	count(auth.services(services)) > 0
	count(entries) == 0
	reason := {
		"code": "no_pam_unix",
		"phrase": sprintf("no pam_unix.so in the password stack of %s: pam_unix does not set passwords here", [concat(", ", services)]),
		"evidence": {"services": services},
	}
}

evidence := {"services": services, "allowed": allowed, "pam_unix": [object.union(auth.at(e), {"algorithm": auth.unix_algorithm(e)}) | some e in entries]}

deny contains auth.setting_reason("hash", e, "algorithm", x, allowed, sprintf("pam_unix hashes new passwords with %s (%s)%s, expected one of %s", [x.value, from(x), auth.where(e), concat(", ", allowed)])) if {
	some e in entries
	x := auth.unix_algorithm(e)
	not x.value in allowed
}

from(x) := "no hashing option and no ENCRYPT_METHOD pam_unix knows" if {
	x.source == "default"
} else := sprintf("ENCRYPT_METHOD at %s:%d", [x.file, x.line]) if {
	x.source == "file"
} else := auth.source_phrase(x)
