package gcrun.linux.auth.pwquality_enforcing_test

import data.gcrun.linux.auth.pwquality_enforcing as rule
import data.gcrun.linux.lib.fixtures as fx

pwq := fx.pam("password", "requisite", "pam_pwquality.so", ["retry=3"], 25)

test_pass_default if {
	count(rule.deny) == 0 with input as fx.pwquality_input([pwq], {})
}

test_pass_hardened if {
	count(rule.deny) == 0 with input as fx.hardened_host
}

test_fail_conf_0 if {
	reasons := rule.deny with input as fx.pwquality_input([pwq], {"enforcing": "0"})
	fx.codes(reasons) == ["not_enforcing"]
	fx.phrases(reasons) == ["pam_pwquality enforcing is 0 (/etc/security/pwquality.conf.d/50-pwlength.conf:1) (service common-password, /etc/pam.d/common-password:25): weak passwords are only warned about, expected 1"]
}

test_fail_argument_0 if {
	e := fx.pam("password", "requisite", "pam_pwquality.so", ["enforcing=0"], 25)
	fx.codes(rule.deny) == ["not_enforcing"] with input as fx.pwquality_input([e], {"enforcing": "1"})
}

test_pass_argument_1_overrides_conf if {
	e := fx.pam("password", "requisite", "pam_pwquality.so", ["enforcing=1"], 25)
	count(rule.deny) == 0 with input as fx.pwquality_input([e], {"enforcing": "0"})
}

test_fail_module_missing if {
	fx.codes(rule.deny) == ["module_missing"] with input as fx.debian12_host
}

test_fail_parameter_services if {
	inp := fx.pam_services({"system-auth": [fx.pam("password", "requisite", "pam_pwquality.so", ["enforcing=0"], 5)]})
	fx.codes(rule.deny) == ["not_enforcing"] with input as inp with data.gcrun.params.auth_pam_password_services as ["system-auth"]
}

test_not_applicable_without_pam if {
	fx.codes(rule.not_applicable) == ["pam_service_missing"] with input as fx.empty_host
}

test_remediate_sets_enforcing if {
	rule.remediate == {{"type": "config.set", "path": fx.pwquality_dropin, "format": "keyvalue", "separator": " = ", "key": "enforcing", "value": "1"}} with input as fx.pwquality_input([pwq], {"enforcing": "0"})
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.pwquality_input([pwq], {})
	count(rule.remediate) == 0 with input as fx.pwquality_input([pwq], {"enforcing": "1"})
	arg := fx.pam("password", "requisite", "pam_pwquality.so", ["enforcing=0"], 25)
	count(rule.deny) == 1 with input as fx.pwquality_input([arg], {})
	count(rule.remediate) == 0 with input as fx.pwquality_input([arg], {})
}
