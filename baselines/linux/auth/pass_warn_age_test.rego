package gcrun.linux.auth.pass_warn_age_test

import data.gcrun.linux.auth.pass_warn_age as rule
import data.gcrun.linux.lib.fixtures as fx

test_pass_debian_7 if {
	count(rule.deny) == 0 with input as fx.debian12_host
}

test_fail_3 if {
	reasons := rule.deny with input as fx.login_defs({"PASS_WARN_AGE": "3"})
	fx.phrases(reasons) == ["PASS_WARN_AGE is 3 (/etc/login.defs:10), expected at least 7"]
}

test_fail_unset if {
	fx.phrases(rule.deny) == ["PASS_WARN_AGE is not set (shadow-utils then gives no warning), expected at least 7"] with input as fx.login_defs({})
}

test_fail_parameter_14 if {
	fx.codes(rule.deny) == ["pass_warn_age"] with input as fx.login_defs({"PASS_WARN_AGE": "7"}) with data.gcrun.params.auth_pass_warn_age as 14
}

test_not_applicable_without_login_defs if {
	fx.codes(rule.not_applicable) == ["login_defs_missing"] with input as fx.empty_host
}

test_remediate_sets_limit if {
	rule.remediate == {{"type": "config.set", "path": "/etc/login.defs", "format": "keyvalue", "separator": "\t", "key": "PASS_WARN_AGE", "value": "7"}} with input as fx.login_defs({"PASS_WARN_AGE": "3"})
	rule.remediate == {{"type": "config.set", "path": "/etc/login.defs", "format": "keyvalue", "separator": "\t", "key": "PASS_WARN_AGE", "value": "7"}} with input as fx.login_defs({})
	rule.remediate == {{"type": "config.set", "path": "/etc/login.defs", "format": "keyvalue", "separator": "\t", "key": "PASS_WARN_AGE", "value": "10"}} with input as fx.login_defs({"PASS_WARN_AGE": "3"}) with data.gcrun.params.auth_pass_warn_age as 10
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.login_defs({"PASS_WARN_AGE": "14"})
	inp := object.union(fx.login_defs({}), {"login": {"login_defs": {"exists": false}}})
	count(rule.not_applicable) > 0 with input as inp
	count(rule.remediate) == 0 with input as inp
}
