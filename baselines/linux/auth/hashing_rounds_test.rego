package gcrun.linux.auth.hashing_rounds_test

import data.gcrun.linux.auth.hashing_rounds as rule
import data.gcrun.linux.lib.fixtures as fx

test_pass_hardened if {
	count(rule.deny) == 0 with input as fx.hardened_host
}

test_pass_debian if {
	count(rule.deny) == 0 with input as fx.debian12_host
}

test_pass_raised_rounds if {
	count(rule.deny) == 0 with input as fx.pam_password([fx.pam_unix_password(["sha512", "rounds=65536"], 25)])
	count(rule.deny) == 0 with input as fx.pam_password([fx.pam_unix_password(["yescrypt", "rounds=8"], 25)])
}

test_pass_ignored_values if {
	# pam_unix ignores SHA rounds below 1000 and resets yescrypt costs
	# outside 3..11 to 5.
	count(rule.deny) == 0 with input as fx.pam_password([fx.pam_unix_password(["sha512", "rounds=500"], 25)])
	count(rule.deny) == 0 with input as fx.pam_password([fx.pam_unix_password(["yescrypt", "rounds=1"], 25)])
}

test_fail_pam_yescrypt_3 if {
	reasons := rule.deny with input as fx.pam_password([fx.pam_unix_password(["yescrypt", "rounds=3"], 25)])
	fx.phrases(reasons) == ["pam_unix hashes with yescrypt at cost 3 (argument at /etc/pam.d/common-password:25) (service common-password, /etc/pam.d/common-password:25), expected at least 5"]
}

test_fail_pam_sha_from_login_defs if {
	inp := fx.with_login_defs(fx.pam_password([fx.pam_unix_password([], 25)]), {"ENCRYPT_METHOD": "SHA512", "SHA_CRYPT_MAX_ROUNDS": "1000"})
	reasons := rule.deny with input as inp
	fx.codes(reasons) == ["login_defs_rounds", "pam_unix_rounds"]
	some r in reasons
	r.code == "pam_unix_rounds"
	r.phrase == "pam_unix hashes with sha512 at cost 1000 (/etc/login.defs:10) (service common-password, /etc/pam.d/common-password:25), expected at least 5000"
}

test_fail_login_defs_sha if {
	reasons := rule.deny with input as fx.login_defs({"ENCRYPT_METHOD": "SHA512", "SHA_CRYPT_MIN_ROUNDS": "2000", "SHA_CRYPT_MAX_ROUNDS": "0x1388"})
	fx.phrases(reasons) == ["SHA_CRYPT_MIN_ROUNDS is 2000 (/etc/login.defs:10), expected at least 5000 for ENCRYPT_METHOD SHA512"]
}

test_fail_login_defs_yescrypt if {
	reasons := rule.deny with input as fx.login_defs({"ENCRYPT_METHOD": "YESCRYPT", "YESCRYPT_COST_FACTOR": "2", "SHA_CRYPT_MIN_ROUNDS": "1000"})
	fx.phrases(reasons) == ["YESCRYPT_COST_FACTOR is 2 (/etc/login.defs:10), expected at least 5 for ENCRYPT_METHOD YESCRYPT"]
}

test_fail_parameter_sha_min if {
	inp := fx.pam_password([fx.pam_unix_password(["sha512", "rounds=65536"], 25)])
	fx.codes(rule.deny) == ["pam_unix_rounds"] with input as inp with data.gcrun.params.auth_sha_crypt_min_rounds as 100000
}

test_fail_parameter_yescrypt_min if {
	inp := fx.login_defs({"ENCRYPT_METHOD": "YESCRYPT", "YESCRYPT_COST_FACTOR": "5"})
	fx.codes(rule.deny) == ["login_defs_rounds"] with input as inp with data.gcrun.params.auth_yescrypt_min_cost as 7
}

test_fail_parameter_services if {
	inp := fx.pam_services({"system-auth": [fx.pam_unix_password(["yescrypt", "rounds=4"], 5)]})
	count(rule.deny) == 0 with input as inp
	fx.codes(rule.deny) == ["pam_unix_rounds"] with input as inp with data.gcrun.params.auth_pam_password_services as ["system-auth"]
}

test_not_applicable_empty_root if {
	fx.codes(rule.not_applicable) == ["nothing_hashes"] with input as fx.empty_host
}

test_remediate_raises_login_defs_costs if {
	inp := fx.with_login_defs(fx.pam_password([fx.pam_unix_password([], 25)]), {"ENCRYPT_METHOD": "SHA512", "SHA_CRYPT_MAX_ROUNDS": "1000"})
	rule.remediate == {{"type": "config.set", "path": "/etc/login.defs", "format": "keyvalue", "separator": "\t", "key": "SHA_CRYPT_MAX_ROUNDS", "value": "5000"}} with input as inp
	inp2 := fx.with_login_defs(fx.pam_password([fx.pam_unix_password([], 25)]), {"ENCRYPT_METHOD": "YESCRYPT", "YESCRYPT_COST_FACTOR": "3"})
	rule.remediate == {{"type": "config.set", "path": "/etc/login.defs", "format": "keyvalue", "separator": "\t", "key": "YESCRYPT_COST_FACTOR", "value": "7"}} with input as inp2 with data.gcrun.params.auth_yescrypt_min_cost as 7
	rule.remediate == {{"type": "config.set", "path": "/etc/login.defs", "format": "keyvalue", "separator": "\t", "key": "SHA_CRYPT_MAX_ROUNDS", "value": "6000"}} with input as inp with data.gcrun.params.auth_sha_crypt_min_rounds as 6000
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.debian12_host
	inp := fx.pam_password([fx.pam_unix_password(["yescrypt", "rounds=3"], 25)])
	count(rule.deny) == 1 with input as inp
	count(rule.remediate) == 0 with input as inp
}
