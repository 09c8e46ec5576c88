package gcrun.linux.auth.pwquality_enabled_test

import data.gcrun.linux.auth.pwquality_enabled as rule
import data.gcrun.linux.lib.fixtures as fx

test_pass_hardened if {
	count(rule.deny) == 0 with input as fx.hardened_host
}

test_fail_debian_without_pwquality if {
	reasons := rule.deny with input as fx.debian12_host
	fx.codes(reasons) == ["module_missing"]
	fx.phrases(reasons) == ["the password stack of PAM service common-password (/etc/pam.d/common-password) has no pam_pwquality.so, expected it to check new passwords"]
}

test_fail_optional if {
	inp := fx.pam_password([fx.pam("password", "optional", "pam_pwquality.so", ["retry=3"], 25), fx.pam_unix_password(["yescrypt"], 26)])
	reasons := rule.deny with input as inp
	fx.phrases(reasons) == ["pam_pwquality.so is optional (service common-password, /etc/pam.d/common-password:25): a rejected password does not fail the stack, expected required or requisite"]
}

test_pass_bracketed_die if {
	inp := fx.pam_password([fx.pam("password", "[success=ok default=die]", "pam_pwquality.so", [], 25), fx.pam_unix_password(["yescrypt"], 26)])
	count(rule.deny) == 0 with input as inp
}

test_fail_after_pam_unix if {
	inp := fx.pam_password([fx.pam_unix_password(["yescrypt"], 25), fx.pam("password", "requisite", "pam_pwquality.so", [], 26)])
	fx.codes(rule.deny) == ["order"] with input as inp
}

test_fail_parameter_services if {
	# Only the services named are checked: a RHEL-style system-auth.
	inp := fx.pam_services({"system-auth": [fx.pam_unix_password(["sha512"], 5)]})
	fx.codes(rule.not_applicable) == ["pam_service_missing"] with input as inp
	fx.phrases(rule.deny) == ["the password stack of PAM service system-auth (/etc/pam.d/system-auth) has no pam_pwquality.so, expected it to check new passwords"] with input as inp with data.gcrun.params.auth_pam_password_services as ["system-auth"]
}

test_not_applicable_without_pam if {
	fx.phrases(rule.not_applicable) == ["no PAM service common-password in /etc/pam.d or /usr/lib/pam.d"] with input as fx.empty_host
}
