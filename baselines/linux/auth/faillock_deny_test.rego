package gcrun.linux.auth.faillock_deny_test

import data.gcrun.linux.auth.faillock_deny as rule
import data.gcrun.linux.lib.fixtures as fx

test_pass_hardened if {
	count(rule.deny) == 0 with input as fx.hardened_host
}

test_pass_default_3 if {
	count(rule.deny) == 0 with input as fx.faillock_input({})
}

test_fail_conf_10 if {
	reasons := rule.deny with input as fx.faillock_input({"deny": "10"})
	fx.codes(reasons) == ["deny", "deny"]
	fx.phrases(reasons) == [
		"pam_faillock deny is 10 (/etc/security/faillock.conf:7) (service common-auth, /etc/pam.d/common-auth:16), expected 1 to 5",
		"pam_faillock deny is 10 (/etc/security/faillock.conf:7) (service common-auth, /etc/pam.d/common-auth:18), expected 1 to 5",
	]
}

test_fail_zero_never_locks if {
	fx.codes(rule.deny) == ["deny", "deny"] with input as fx.faillock_input({"deny": "0"})
}

test_fail_argument_overrides_conf if {
	inp := fx.faillock_entries(
		[
			fx.pam("auth", "requisite", "pam_faillock.so", ["preauth", "deny=8"], 16),
			fx.pam("auth", "[success=1 default=ignore]", "pam_unix.so", [], 17),
			fx.pam("auth", "[default=die]", "pam_faillock.so", ["authfail"], 18),
		],
		{"deny": "4"},
	)
	fx.phrases(rule.deny) == ["pam_faillock deny is 8 (argument at /etc/pam.d/common-auth:16) (service common-auth, /etc/pam.d/common-auth:16), expected 1 to 5"] with input as inp
}

test_fail_not_a_number if {
	fx.codes(rule.deny) == ["deny_invalid", "deny_invalid"] with input as fx.faillock_input({"deny": "five"})
}

test_fail_module_missing if {
	fx.codes(rule.deny) == ["module_missing"] with input as fx.debian12_host
}

test_fail_parameter_3 if {
	fx.codes(rule.deny) == ["deny", "deny"] with input as fx.faillock_input({"deny": "5"}) with data.gcrun.params.auth_faillock_deny as 3
}

test_fail_parameter_services if {
	inp := fx.pam_services({"system-auth": [fx.pam("auth", "required", "pam_faillock.so", ["preauth", "deny=9"], 2)]})
	fx.codes(rule.deny) == ["deny"] with input as inp with data.gcrun.params.auth_pam_auth_services as ["system-auth"]
}

test_not_applicable_without_pam if {
	fx.codes(rule.not_applicable) == ["pam_service_missing"] with input as fx.empty_host
}

test_remediate_sets_deny if {
	rule.remediate == {{"type": "config.set", "path": fx.faillock_conf, "format": "keyvalue", "separator": " = ", "key": "deny", "value": "5"}} with input as fx.faillock_input({"deny": "0"})
	rule.remediate == {{"type": "config.set", "path": fx.faillock_conf, "format": "keyvalue", "separator": " = ", "key": "deny", "value": "5"}} with input as fx.faillock_input({"deny": "many"})
	rule.remediate == {{"type": "config.set", "path": fx.faillock_conf, "format": "keyvalue", "separator": " = ", "key": "deny", "value": "2"}} with input as fx.faillock_input({}) with data.gcrun.params.auth_faillock_deny as 2
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.faillock_input({"deny": "5"})
	count(rule.remediate) == 0 with input as fx.faillock_input({})
	args := [
		fx.pam("auth", "requisite", "pam_faillock.so", ["preauth", "deny=10"], 16),
		fx.pam("auth", "[default=die]", "pam_faillock.so", ["authfail", "deny=10"], 18),
	]
	count(rule.deny) > 0 with input as fx.faillock_entries(args, {})
	count(rule.remediate) == 0 with input as fx.faillock_entries(args, {})
}
