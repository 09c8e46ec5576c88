# METADATA
# title: login.defs ENCRYPT_METHOD is YESCRYPT or SHA512 (parameter auth_encrypt_methods)
# description: >-
#   ENCRYPT_METHOD is how chpasswd, newusers and other shadow-utils tools
#   hash passwords, and pam_unix's default when its line names no method.
#   Unset or unknown, shadow-utils falls back to DES, which keeps 8
#   characters and is cracked in hours; MD5 is not much better.
# custom:
#   id: GCL-AUTH-004
#   severity: high
#   references:
#     cis-debian-linux-12-v1.1.0: ["5.4.1.4"]
#     dev-sec-linux-baseline: ["os-05"]
#   remediation: Set "ENCRYPT_METHOD YESCRYPT" (or SHA512) in /etc/login.defs, once.
#   tags: [authentication, passwords, crypto]
package gcrun.linux.auth.encrypt_method

import data.gcrun.linux.lib.auth

not_applicable contains reason if some reason in auth.no_login_defs

# Parameter auth_encrypt_methods: the values allowed, compared exactly as
# shadow-utils does (CIS 5.4.1.4: SHA512 or YESCRYPT).
allowed := data.gcrun.params.auth_encrypt_methods

key := "ENCRYPT_METHOD"

evidence := object.union(auth.defs_evidence([key]), {"assignments": auth.defs_occurrences(key)})

deny contains reason if {
	count(auth.defs_occurrences(key)) == 0
	reason := auth.defs_reason("encrypt_method", key, allowed, null, sprintf("ENCRYPT_METHOD is not set (shadow-utils then hashes with DES), expected one of %s", [concat(", ", allowed)]))
}

# Every assignment counts: shadow-utils uses the last, pam_unix the first.
deny contains reason if {
	some o in auth.defs_occurrences(key)
	not o.value in allowed
	reason := {
		"code": "encrypt_method",
		"phrase": sprintf("ENCRYPT_METHOD is %s (%s:%d), expected one of %s", [o.value, auth.login_defs_file, o.line, concat(", ", allowed)]),
		"expected": allowed,
		"actual": o.value,
		"evidence": {"key": key, "value": o.value, "file": auth.login_defs_file, "line": o.line},
	}
}

# remediate sets every ENCRYPT_METHOD in login.defs to the first allowed
# method when one fails.
remediate contains auth.defs_set(key, allowed[0]) if {
	count(not_applicable) == 0
	count(deny) > 0
}
