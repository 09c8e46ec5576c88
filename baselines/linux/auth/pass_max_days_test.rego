package gcrun.linux.auth.pass_max_days_test

import data.gcrun.linux.auth.pass_max_days as rule
import data.gcrun.linux.lib.fixtures as fx

test_pass_365 if {
	count(rule.deny) == 0 with input as fx.login_defs({"PASS_MAX_DAYS": "365"})
}

test_pass_hex_and_octal if {
	# shadow-utils reads numbers with strtol(s, &end, 0).
	count(rule.deny) == 0 with input as fx.login_defs({"PASS_MAX_DAYS": "0x5a"})
	count(rule.deny) == 0 with input as fx.login_defs({"PASS_MAX_DAYS": "0550"})
}

test_fail_debian_99999 if {
	reasons := rule.deny with input as fx.login_defs({"PASS_MAX_DAYS": "99999"})
	fx.codes(reasons) == ["pass_max_days"]
	fx.phrases(reasons) == ["PASS_MAX_DAYS is 99999 (/etc/login.defs:10), expected at most 365"]
	some r in reasons
	r.expected == "<= 365"
	r.actual == 99999
	r.evidence == {"key": "PASS_MAX_DAYS", "value": "99999", "file": "/etc/login.defs", "line": 10}
}

test_fail_unset if {
	reasons := rule.deny with input as fx.login_defs({})
	fx.phrases(reasons) == ["PASS_MAX_DAYS is not set (shadow-utils then sets no maximum age), expected at most 365"]
	some r in reasons
	r.evidence == {"key": "PASS_MAX_DAYS", "file": "/etc/login.defs"}
}

test_fail_not_a_number if {
	# A trailing comment is part of the value for shadow-utils.
	fx.phrases(rule.deny) == ["PASS_MAX_DAYS is \"90 # days\" (/etc/login.defs:10), not a number (shadow-utils ignores it and sets no maximum age), expected at most 365"] with input as fx.login_defs({"PASS_MAX_DAYS": "90 # days"})
}

test_fail_negative if {
	fx.phrases(rule.deny) == ["PASS_MAX_DAYS is -1 (/etc/login.defs:10) (no maximum age), expected at most 365"] with input as fx.login_defs({"PASS_MAX_DAYS": "-1"})
}

test_fail_parameter_60 if {
	# dev-sec os-05 wants 60.
	fx.codes(rule.deny) == ["pass_max_days"] with input as fx.login_defs({"PASS_MAX_DAYS": "365"}) with data.gcrun.params.auth_pass_max_days as 60
}

test_not_applicable_without_login_defs if {
	fx.codes(rule.not_applicable) == ["login_defs_missing"] with input as fx.empty_host
}

test_remediate_sets_limit if {
	rule.remediate == {{"type": "config.set", "path": "/etc/login.defs", "format": "keyvalue", "separator": "\t", "key": "PASS_MAX_DAYS", "value": "365"}} with input as fx.login_defs({"PASS_MAX_DAYS": "99999"})
	rule.remediate == {{"type": "config.set", "path": "/etc/login.defs", "format": "keyvalue", "separator": "\t", "key": "PASS_MAX_DAYS", "value": "365"}} with input as fx.login_defs({})
	rule.remediate == {{"type": "config.set", "path": "/etc/login.defs", "format": "keyvalue", "separator": "\t", "key": "PASS_MAX_DAYS", "value": "60"}} with input as fx.login_defs({"PASS_MAX_DAYS": "99999"}) with data.gcrun.params.auth_pass_max_days as 60.5
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.login_defs({"PASS_MAX_DAYS": "90"})
	inp := object.union(fx.login_defs({}), {"login": {"login_defs": {"exists": false}}})
	count(rule.not_applicable) > 0 with input as inp
	count(rule.remediate) == 0 with input as inp
}
