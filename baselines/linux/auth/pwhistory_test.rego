package gcrun.linux.auth.pwhistory_test

import data.gcrun.linux.auth.pwhistory as rule
import data.gcrun.linux.lib.fixtures as fx

hist(args) := fx.pam_password([
	fx.pam("password", "requisite", "pam_pwquality.so", ["retry=3"], 25),
	fx.pam("password", "requisite", "pam_pwhistory.so", args, 26),
	fx.pam_unix_password(["obscure", "use_authtok", "yescrypt"], 27),
])

test_pass_hardened if {
	count(rule.deny) == 0 with input as fx.hardened_host
}

test_pass_24 if {
	count(rule.deny) == 0 with input as hist(["remember=24", "enforce_for_root", "try_first_pass", "use_authtok"])
}

test_fail_default_10 if {
	reasons := rule.deny with input as hist(["use_authtok"])
	fx.phrases(reasons) == ["pam_pwhistory remember is 10 (the module's default) (service common-password, /etc/pam.d/common-password:26), expected at least 24"]
}

test_fail_5_without_use_authtok if {
	reasons := rule.deny with input as hist(["remember=5"])
	fx.codes(reasons) == ["remember", "use_authtok"]
	some r in reasons
	r.code == "use_authtok"
	r.phrase == "pam_pwhistory.so has no use_authtok argument (service common-password, /etc/pam.d/common-password:26), expected it to check the password the modules above accepted"
}

test_fail_not_a_number if {
	fx.codes(rule.deny) == ["remember"] with input as hist(["remember=many", "use_authtok"])
}

test_fail_module_missing if {
	fx.codes(rule.deny) == ["module_missing"] with input as fx.debian12_host
}

test_fail_parameter_30 if {
	fx.codes(rule.deny) == ["remember"] with input as hist(["remember=24", "use_authtok"]) with data.gcrun.params.auth_pwhistory_remember as 30
}

test_fail_parameter_services if {
	inp := fx.pam_services({"system-auth": [fx.pam("password", "requisite", "pam_pwhistory.so", ["remember=3", "use_authtok"], 4)]})
	fx.codes(rule.deny) == ["remember"] with input as inp with data.gcrun.params.auth_pam_password_services as ["system-auth"]
}

test_not_applicable_without_pam if {
	fx.codes(rule.not_applicable) == ["pam_service_missing"] with input as fx.empty_host
}
