# METADATA
# title: Password hashing cost is not reduced below the algorithm's default (parameters auth_sha_crypt_min_rounds, auth_yescrypt_min_cost)
# description: >-
#   yescrypt and SHA-crypt are slow on purpose: their cost is what makes a
#   stolen /etc/shadow expensive to crack. A "rounds=" option of pam_unix,
#   or SHA_CRYPT_MIN_ROUNDS, SHA_CRYPT_MAX_ROUNDS or YESCRYPT_COST_FACTOR in
#   login.defs, can lower it below the default (5000 SHA rounds, yescrypt
#   cost 5) and make every new hash cheaper to attack.
# custom:
#   id: GCL-AUTH-015
#   severity: medium
#   remediation: >-
#     Remove rounds= options below the default from pam_unix.so in
#     /etc/pam.d/common-password, and raise or remove SHA_CRYPT_MIN_ROUNDS,
#     SHA_CRYPT_MAX_ROUNDS and YESCRYPT_COST_FACTOR in /etc/login.defs.
#   tags: [authentication, pam, passwords, crypto]
package gcrun.linux.auth.hashing_rounds

import data.gcrun.linux.lib.auth

# Parameter auth_pam_password_services: the PAM services checked.
services := data.gcrun.params.auth_pam_password_services

# Parameter auth_sha_crypt_min_rounds: the fewest SHA-crypt rounds allowed
# (glibc's and libxcrypt's default: 5000).
sha_min := data.gcrun.params.auth_sha_crypt_min_rounds

# Parameter auth_yescrypt_min_cost: the lowest yescrypt cost allowed
# (libxcrypt's and shadow-utils' default: 5).
yescrypt_min := data.gcrun.params.auth_yescrypt_min_cost

not_applicable contains reason if {
	input.login.login_defs.exists == false
	count(auth.services(services)) == 0
	reason := {
		"code": "nothing_hashes",
		"phrase": sprintf("neither %s nor a PAM service %s exists: nothing here hashes passwords", [auth.login_defs_file, concat(", ", services)]),
		"evidence": {"file": auth.login_defs_file, "services": services},
	}
}

entries := auth.entries(services, "password", "pam_unix.so")

# unix_rounds(e) is the rounds value pam_unix entry e passes on: its last
# rounds= option, else SHA_CRYPT_MAX_ROUNDS of login.defs (the first) when
# pam_unix took a SHA method from ENCRYPT_METHOD; undefined otherwise.
unix_rounds(e) := {"value": n, "source": "argument", "file": e.file, "line": e.line} if {
	n := auth.integer(auth.arg(e, "rounds"))
} else := {"value": n, "source": "file", "file": auth.login_defs_file, "line": o.line} if {
	method := auth.defs_occurrences("ENCRYPT_METHOD")[0].value
	some prefix in ["sha256", "sha512"]
	startswith(lower(method), prefix)
	o := auth.defs_occurrences("SHA_CRYPT_MAX_ROUNDS")[0]
	n := auth.integer(o.value)
}

# reduced(algorithm, n) holds when pam_unix would use cost n for algorithm
# and n is below the minimum: pam_unix resets yescrypt costs outside 3..11
# to 5 and ignores SHA rounds below 1000.
reduced(algorithm, n) if {
	algorithm in {"yescrypt", "gost_yescrypt"}
	n >= 3
	n <= 11
	n < yescrypt_min
}

reduced(algorithm, n) if {
	algorithm in {"sha256", "sha512"}
	n >= 1000
	n < sha_min
}

minimum(algorithm) := yescrypt_min if algorithm in {"yescrypt", "gost_yescrypt"}

minimum(algorithm) := sha_min if algorithm in {"sha256", "sha512"}

evidence := {
	"login_defs": auth.defs_evidence(["ENCRYPT_METHOD", "SHA_CRYPT_MIN_ROUNDS", "SHA_CRYPT_MAX_ROUNDS", "YESCRYPT_COST_FACTOR"]),
	"pam_unix": [object.union(auth.at(e), {"algorithm": auth.unix_algorithm(e).value, "rounds": object.get(unix_rounds(e), "value", null)}) | some e in entries],
}

deny contains auth.setting_reason("pam_unix_rounds", e, "rounds", x, sprintf(">= %v", [minimum(algorithm)]), sprintf("pam_unix hashes with %s at cost %d (%s)%s, expected at least %v", [algorithm, x.value, auth.source_phrase(x), auth.where(e), minimum(algorithm)])) if {
	some e in entries
	algorithm := auth.unix_algorithm(e).value
	x := unix_rounds(e)
	reduced(algorithm, x.value)
}

# The login.defs settings that apply to shadow-utils' ENCRYPT_METHOD (the
# last assignment), with the minimum each must meet.
defs_costs := {"SHA_CRYPT_MIN_ROUNDS": sha_min, "SHA_CRYPT_MAX_ROUNDS": sha_min} if {
	input.login.login_defs.settings.ENCRYPT_METHOD.value in {"SHA256", "SHA512"}
} else := {"YESCRYPT_COST_FACTOR": yescrypt_min} if {
	input.login.login_defs.settings.ENCRYPT_METHOD.value == "YESCRYPT"
} else := {}

deny contains auth.defs_reason("login_defs_rounds", key, sprintf(">= %v", [floor]), n.value, sprintf("%s is %d%s, expected at least %v for ENCRYPT_METHOD %s", [key, n.value, auth.defs_where(key), floor, input.login.login_defs.settings.ENCRYPT_METHOD.value])) if {
	some key, floor in defs_costs
	n := auth.defs_number(key)
	n.value < floor
}

# remediate raises the login.defs costs below the minimum to it; a
# pam_unix rounds= argument needs a person (a PAM edit).
remediate contains auth.defs_set(key, format_int(ceil(floor), 10)) if {
	count(not_applicable) == 0
	some key, floor in defs_costs
	auth.defs_number(key).value < floor
}
