package gcrun.linux.auth.pass_min_days_test

import data.gcrun.linux.auth.pass_min_days as rule
import data.gcrun.linux.lib.fixtures as fx

test_pass_1 if {
	count(rule.deny) == 0 with input as fx.login_defs({"PASS_MIN_DAYS": "1"})
}

test_fail_debian_0 if {
	reasons := rule.deny with input as fx.login_defs({"PASS_MIN_DAYS": "0"})
	fx.phrases(reasons) == ["PASS_MIN_DAYS is 0 (/etc/login.defs:10), expected at least 1"]
	some r in reasons
	r.actual == 0
	r.expected == ">= 1"
}

test_fail_unset if {
	fx.codes(rule.deny) == ["pass_min_days"] with input as fx.login_defs({})
}

test_fail_not_a_number if {
	fx.phrases(rule.deny) == ["PASS_MIN_DAYS is \"one\" (/etc/login.defs:10), not a number (shadow-utils ignores it and sets no minimum age), expected at least 1"] with input as fx.login_defs({"PASS_MIN_DAYS": "one"})
}

test_fail_parameter_7 if {
	# dev-sec os-05 wants 7.
	fx.phrases(rule.deny) == ["PASS_MIN_DAYS is 1 (/etc/login.defs:10), expected at least 7"] with input as fx.login_defs({"PASS_MIN_DAYS": "1"}) with data.gcrun.params.auth_pass_min_days as 7
}

test_not_applicable_without_login_defs if {
	fx.codes(rule.not_applicable) == ["login_defs_missing"] with input as fx.empty_host
}

test_remediate_sets_limit if {
	rule.remediate == {{"type": "config.set", "path": "/etc/login.defs", "format": "keyvalue", "separator": "\t", "key": "PASS_MIN_DAYS", "value": "1"}} with input as fx.login_defs({"PASS_MIN_DAYS": "0"})
	rule.remediate == {{"type": "config.set", "path": "/etc/login.defs", "format": "keyvalue", "separator": "\t", "key": "PASS_MIN_DAYS", "value": "1"}} with input as fx.login_defs({})
	rule.remediate == {{"type": "config.set", "path": "/etc/login.defs", "format": "keyvalue", "separator": "\t", "key": "PASS_MIN_DAYS", "value": "2"}} with input as fx.login_defs({"PASS_MIN_DAYS": "0"}) with data.gcrun.params.auth_pass_min_days as 1.5
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.login_defs({"PASS_MIN_DAYS": "7"})
	inp := object.union(fx.login_defs({}), {"login": {"login_defs": {"exists": false}}})
	count(rule.not_applicable) > 0 with input as inp
	count(rule.remediate) == 0 with input as inp
}
