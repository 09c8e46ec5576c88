package gcrun.linux.auth.encrypt_method_test

import data.gcrun.linux.auth.encrypt_method as rule
import data.gcrun.linux.lib.fixtures as fx

test_pass_yescrypt_and_sha512 if {
	count(rule.deny) == 0 with input as fx.login_defs({"ENCRYPT_METHOD": "YESCRYPT"})
	count(rule.deny) == 0 with input as fx.login_defs({"ENCRYPT_METHOD": "SHA512"})
}

test_fail_md5 if {
	reasons := rule.deny with input as fx.login_defs({"ENCRYPT_METHOD": "MD5"})
	fx.phrases(reasons) == ["ENCRYPT_METHOD is MD5 (/etc/login.defs:10), expected one of YESCRYPT, SHA512"]
	some r in reasons
	r.actual == "MD5"
	r.evidence == {"key": "ENCRYPT_METHOD", "value": "MD5", "file": "/etc/login.defs", "line": 10}
}

test_fail_lowercase if {
	# shadow-utils compares with strcmp: "sha512" is unknown to it (DES).
	fx.codes(rule.deny) == ["encrypt_method"] with input as fx.login_defs({"ENCRYPT_METHOD": "sha512"})
}

test_fail_unset if {
	fx.phrases(rule.deny) == ["ENCRYPT_METHOD is not set (shadow-utils then hashes with DES), expected one of YESCRYPT, SHA512"] with input as fx.login_defs({})
}

test_fail_first_of_two if {
	# pam_unix reads the first assignment (DES), shadow-utils the last.
	inp := fx.login_defs_dup("ENCRYPT_METHOD", [{"value": "DES", "line": 3}, {"value": "YESCRYPT", "line": 40}])
	fx.phrases(rule.deny) == ["ENCRYPT_METHOD is DES (/etc/login.defs:3), expected one of YESCRYPT, SHA512"] with input as inp
}

test_fail_parameter_yescrypt_only if {
	fx.codes(rule.deny) == ["encrypt_method"] with input as fx.login_defs({"ENCRYPT_METHOD": "SHA512"}) with data.gcrun.params.auth_encrypt_methods as ["YESCRYPT"]
}

test_not_applicable_without_login_defs if {
	fx.codes(rule.not_applicable) == ["login_defs_missing"] with input as fx.empty_host
}

test_remediate_sets_first_allowed if {
	rule.remediate == {{"type": "config.set", "path": "/etc/login.defs", "format": "keyvalue", "separator": "\t", "key": "ENCRYPT_METHOD", "value": "YESCRYPT"}} with input as fx.login_defs({"ENCRYPT_METHOD": "MD5"})
	rule.remediate == {{"type": "config.set", "path": "/etc/login.defs", "format": "keyvalue", "separator": "\t", "key": "ENCRYPT_METHOD", "value": "SHA512"}} with input as fx.login_defs({}) with data.gcrun.params.auth_encrypt_methods as ["SHA512"]
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.login_defs({"ENCRYPT_METHOD": "SHA512"})
	count(rule.remediate) == 0 with input as fx.login_defs({"ENCRYPT_METHOD": "MD5"}) with data.gcrun.params.auth_encrypt_methods as []
}
