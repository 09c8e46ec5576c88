package gcrun.linux.auth.pwquality_minlen_test

import data.gcrun.linux.auth.pwquality_minlen as rule
import data.gcrun.linux.lib.fixtures as fx

pwq := fx.pam("password", "requisite", "pam_pwquality.so", ["retry=3"], 25)

test_pass_conf_14 if {
	count(rule.deny) == 0 with input as fx.pwquality_input([pwq], {"minlen": "14"})
}

test_pass_hardened if {
	count(rule.deny) == 0 with input as fx.hardened_host
}

test_fail_default_8 if {
	reasons := rule.deny with input as fx.pwquality_input([pwq], {})
	fx.phrases(reasons) == ["pam_pwquality minlen is 8 (the module's default) (service common-password, /etc/pam.d/common-password:25), expected at least 14"]
	some r in reasons
	r.actual == "8"
	r.evidence.source == "default"
}

test_fail_conf_8 if {
	reasons := rule.deny with input as fx.pwquality_input([pwq], {"minlen": "8"})
	fx.phrases(reasons) == ["pam_pwquality minlen is 8 (/etc/security/pwquality.conf.d/50-pwlength.conf:1) (service common-password, /etc/pam.d/common-password:25), expected at least 14"]
	some r in reasons
	r.evidence.setting_file == "/etc/security/pwquality.conf.d/50-pwlength.conf"
}

test_fail_argument_overrides_conf if {
	# Module arguments override pwquality.conf (names case-insensitive).
	e := fx.pam("password", "requisite", "pam_pwquality.so", ["retry=3", "MINLEN=10"], 25)
	reasons := rule.deny with input as fx.pwquality_input([e], {"minlen": "14"})
	fx.phrases(reasons) == ["pam_pwquality minlen is 10 (argument at /etc/pam.d/common-password:25) (service common-password, /etc/pam.d/common-password:25), expected at least 14"]
}

test_pass_argument_raises if {
	e := fx.pam("password", "requisite", "pam_pwquality.so", ["minlen=16"], 25)
	count(rule.deny) == 0 with input as fx.pwquality_input([e], {"minlen": "8"})
}

test_fail_not_a_number if {
	e := fx.pam("password", "requisite", "pam_pwquality.so", ["minlen=long"], 25)
	fx.codes(rule.deny) == ["minlen_invalid"] with input as fx.pwquality_input([e], {})
}

test_fail_module_missing if {
	fx.codes(rule.deny) == ["module_missing"] with input as fx.debian12_host
}

test_fail_parameter_16 if {
	fx.codes(rule.deny) == ["minlen"] with input as fx.pwquality_input([pwq], {"minlen": "14"}) with data.gcrun.params.auth_pwquality_minlen as 16
}

test_fail_parameter_services if {
	inp := fx.pam_services({"system-auth": [pwq]})
	count(rule.deny) == 0 with input as inp
	fx.codes(rule.deny) == ["minlen"] with input as inp with data.gcrun.params.auth_pam_password_services as ["system-auth"]
}

test_not_applicable_without_pam if {
	fx.codes(rule.not_applicable) == ["pam_service_missing"] with input as fx.empty_host
}

test_remediate_sets_minlen_where_set if {
	rule.remediate == {{"type": "config.set", "path": fx.pwquality_dropin, "format": "keyvalue", "separator": " = ", "key": "minlen", "value": "14"}} with input as fx.pwquality_input([pwq], {"minlen": "8"})
	rule.remediate == {{"type": "config.set", "path": fx.pwquality_conf, "format": "keyvalue", "separator": " = ", "key": "minlen", "value": "14"}} with input as fx.pwquality_input([pwq], {})
	rule.remediate == {{"type": "config.set", "path": fx.pwquality_conf, "format": "keyvalue", "separator": " = ", "key": "minlen", "value": "16"}} with input as fx.pwquality_input([pwq], {}) with data.gcrun.params.auth_pwquality_minlen as 16
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.pwquality_input([pwq], {"minlen": "14"})
	arg := fx.pam("password", "requisite", "pam_pwquality.so", ["minlen=8"], 25)
	count(rule.deny) == 1 with input as fx.pwquality_input([arg], {})
	count(rule.remediate) == 0 with input as fx.pwquality_input([arg], {})
	count(rule.remediate) == 0 with input as fx.pam_password([])
}
