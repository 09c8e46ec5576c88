package gcrun.linux.auth.faillock_enabled_test

import data.gcrun.linux.auth.faillock_enabled as rule
import data.gcrun.linux.lib.fixtures as fx

test_pass_hardened if {
	count(rule.deny) == 0 with input as fx.hardened_host
}

test_fail_debian if {
	reasons := rule.deny with input as fx.debian12_host
	fx.codes(reasons) == ["no_authfail", "no_preauth"]
	fx.phrases(reasons) == [
		"the auth stack of PAM service common-auth (/etc/pam.d/common-auth) has no \"pam_faillock.so authfail\", expected one after pam_unix.so",
		"the auth stack of PAM service common-auth (/etc/pam.d/common-auth) has no \"pam_faillock.so preauth\", expected one before pam_unix.so",
	]
}

test_fail_wrong_order if {
	inp := fx.pam_auth([
		fx.pam("auth", "[default=die]", "pam_faillock.so", ["authfail"], 16),
		fx.pam("auth", "[success=1 default=ignore]", "pam_unix.so", [], 17),
		fx.pam("auth", "requisite", "pam_faillock.so", ["preauth"], 18),
	])
	reasons := rule.deny with input as inp
	fx.phrases(reasons) == [
		"pam_faillock.so authfail (/etc/pam.d/common-auth:16) is not after pam_unix.so in service common-auth, expected it after",
		"pam_faillock.so preauth (/etc/pam.d/common-auth:18) is not before pam_unix.so in service common-auth, expected it before",
	]
}

test_fail_parameter_services if {
	inp := fx.pam_services({"system-auth": [fx.pam("auth", "sufficient", "pam_unix.so", [], 3)]})
	fx.codes(rule.deny) == ["no_authfail", "no_preauth"] with input as inp with data.gcrun.params.auth_pam_auth_services as ["system-auth"]
}

test_not_applicable_without_pam if {
	fx.codes(rule.not_applicable) == ["pam_service_missing"] with input as fx.empty_host
}
