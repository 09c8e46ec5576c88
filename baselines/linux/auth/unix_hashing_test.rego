package gcrun.linux.auth.unix_hashing_test

import data.gcrun.linux.auth.unix_hashing as rule
import data.gcrun.linux.lib.fixtures as fx

test_pass_debian_yescrypt if {
	count(rule.deny) == 0 with input as fx.debian12_host
}

test_pass_from_login_defs if {
	inp := fx.with_login_defs(fx.pam_password([fx.pam_unix_password(["obscure"], 25)]), {"ENCRYPT_METHOD": "SHA512"})
	count(rule.deny) == 0 with input as inp
}

test_fail_md5 if {
	reasons := rule.deny with input as fx.pam_password([fx.pam_unix_password(["obscure", "md5"], 25)])
	fx.phrases(reasons) == ["pam_unix hashes new passwords with md5 (argument at /etc/pam.d/common-password:25) (service common-password, /etc/pam.d/common-password:25), expected one of yescrypt, sha512"]
}

test_fail_last_option_wins if {
	fx.codes(rule.deny) == ["hash"] with input as fx.pam_password([fx.pam_unix_password(["yescrypt", "sha256"], 25)])
	count(rule.deny) == 0 with input as fx.pam_password([fx.pam_unix_password(["sha256", "yescrypt"], 25)])
}

test_fail_des_default if {
	# No option, and a login.defs method pam_unix does not know (BCRYPT).
	inp := fx.with_login_defs(fx.pam_password([fx.pam_unix_password([], 25)]), {"ENCRYPT_METHOD": "BCRYPT"})
	fx.phrases(rule.deny) == ["pam_unix hashes new passwords with des (no hashing option and no ENCRYPT_METHOD pam_unix knows) (service common-password, /etc/pam.d/common-password:25), expected one of yescrypt, sha512"] with input as inp
}

test_fail_first_encrypt_method if {
	inp := fx.with_defs_dup(fx.pam_password([fx.pam_unix_password([], 25)]), "ENCRYPT_METHOD", [{"value": "MD5", "line": 3}, {"value": "SHA512", "line": 40}])
	fx.phrases(rule.deny) == ["pam_unix hashes new passwords with md5 (ENCRYPT_METHOD at /etc/login.defs:3) (service common-password, /etc/pam.d/common-password:25), expected one of yescrypt, sha512"] with input as inp
}

test_fail_parameter_yescrypt_only if {
	inp := fx.pam_password([fx.pam_unix_password(["sha512"], 25)])
	count(rule.deny) == 0 with input as inp
	fx.codes(rule.deny) == ["hash"] with input as inp with data.gcrun.params.auth_pam_unix_hashes as ["yescrypt"]
}

test_fail_parameter_services if {
	inp := fx.pam_services({"system-auth": [fx.pam_unix_password(["md5"], 5)]})
	fx.codes(rule.deny) == ["hash"] with input as inp with data.gcrun.params.auth_pam_password_services as ["system-auth"]
}

test_not_applicable_without_pam_unix if {
	inp := fx.pam_password([fx.pam("password", "required", "pam_sss.so", [], 25)])
	fx.codes(rule.not_applicable) == ["no_pam_unix"] with input as inp
}

test_not_applicable_without_pam if {
	fx.codes(rule.not_applicable) == ["pam_service_missing"] with input as fx.empty_host
}
