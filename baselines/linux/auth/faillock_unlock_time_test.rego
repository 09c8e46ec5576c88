package gcrun.linux.auth.faillock_unlock_time_test

import data.gcrun.linux.auth.faillock_unlock_time as rule
import data.gcrun.linux.lib.fixtures as fx

test_pass_hardened if {
	count(rule.deny) == 0 with input as fx.hardened_host
}

test_pass_never_and_zero if {
	count(rule.deny) == 0 with input as fx.faillock_input({"unlock_time": "never"})
	count(rule.deny) == 0 with input as fx.faillock_input({"unlock_time": "0"})
}

test_fail_default_600 if {
	reasons := rule.deny with input as fx.faillock_input({})
	fx.codes(reasons) == ["unlock_time", "unlock_time"]
	some r in reasons
	r.actual == "600"
	r.evidence.source == "default"
	r.phrase == "pam_faillock unlock_time is 600 (the module's default) (service common-auth, /etc/pam.d/common-auth:16), expected 0 (never) or at least 900 seconds"
}

test_fail_argument if {
	inp := fx.faillock_entries(
		[
			fx.pam("auth", "requisite", "pam_faillock.so", ["preauth", "unlock_time=60"], 16),
			fx.pam("auth", "[success=1 default=ignore]", "pam_unix.so", [], 17),
			fx.pam("auth", "[default=die]", "pam_faillock.so", ["authfail", "unlock_time=60"], 18),
		],
		{"unlock_time": "900"},
	)
	fx.codes(rule.deny) == ["unlock_time", "unlock_time"] with input as inp
}

test_fail_not_a_number if {
	fx.codes(rule.deny) == ["unlock_time_invalid", "unlock_time_invalid"] with input as fx.faillock_input({"unlock_time": "15m"})
}

test_fail_module_missing if {
	fx.codes(rule.deny) == ["module_missing"] with input as fx.debian12_host
}

test_fail_parameter_3600 if {
	fx.codes(rule.deny) == ["unlock_time", "unlock_time"] with input as fx.faillock_input({"unlock_time": "900"}) with data.gcrun.params.auth_faillock_unlock_time as 3600
}

test_fail_parameter_services if {
	inp := fx.pam_services({"system-auth": [fx.pam("auth", "required", "pam_faillock.so", ["preauth"], 2)]})
	fx.codes(rule.deny) == ["unlock_time"] with input as inp with data.gcrun.params.auth_pam_auth_services as ["system-auth"]
}

test_not_applicable_without_pam if {
	fx.codes(rule.not_applicable) == ["pam_service_missing"] with input as fx.empty_host
}

test_remediate_sets_unlock_time if {
	rule.remediate == {{"type": "config.set", "path": fx.faillock_conf, "format": "keyvalue", "separator": " = ", "key": "unlock_time", "value": "900"}} with input as fx.faillock_input({})
	rule.remediate == {{"type": "config.set", "path": fx.faillock_conf, "format": "keyvalue", "separator": " = ", "key": "unlock_time", "value": "900"}} with input as fx.faillock_input({"unlock_time": "60"})
	rule.remediate == {{"type": "config.set", "path": fx.faillock_conf, "format": "keyvalue", "separator": " = ", "key": "unlock_time", "value": "1200"}} with input as fx.faillock_input({"unlock_time": "soon"}) with data.gcrun.params.auth_faillock_unlock_time as 1200
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.faillock_input({"unlock_time": "900"})
	count(rule.remediate) == 0 with input as fx.faillock_input({"unlock_time": "never"})
	args := [
		fx.pam("auth", "requisite", "pam_faillock.so", ["preauth", "unlock_time=60"], 16),
		fx.pam("auth", "[default=die]", "pam_faillock.so", ["authfail", "unlock_time=60"], 18),
	]
	count(rule.deny) > 0 with input as fx.faillock_entries(args, {})
	count(rule.remediate) == 0 with input as fx.faillock_entries(args, {})
}
