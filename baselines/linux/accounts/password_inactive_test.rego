package gcrun.linux.accounts.password_inactive_test

import data.gcrun.linux.accounts.password_inactive as rule
import data.gcrun.linux.lib.fixtures as fx

test_pass_45 if {
	count(rule.deny) == 0 with input as fx.hardened_host
}

test_pass_0 if {
	# 0 disables the account as soon as the password expires.
	count(rule.deny) == 0 with input as fx.users_input([fx.user("alice", 1000, {"shadow": {"inactive": 0}})])
}

test_fail_unset if {
	reasons := rule.deny with input as fx.debian12_host
	fx.phrases(reasons) == [
		"user debian (/etc/shadow:22) has an inactivity period that is not set (never disabled), expected at most 45 days",
		"user root (/etc/shadow:1) has an inactivity period that is not set (never disabled), expected at most 45 days",
	]
}

test_fail_too_long_and_negative if {
	inp := fx.users_input([fx.user("alice", 1000, {"shadow": {"inactive": 90}}), fx.user("bob", 1001, {"shadow": {"inactive": -1}})])
	fx.phrases(rule.deny) == [
		"user alice (/etc/shadow:20) has an inactivity period of 90 days, expected at most 45 days",
		"user bob (/etc/shadow:20) has an inactivity period of -1 days (never disabled), expected at most 45 days",
	] with input as inp
}

test_fail_parameter_30 if {
	inp := fx.users_input([fx.user("alice", 1000, {})])
	fx.codes(rule.deny) == ["password_inactive"] with input as inp with data.gcrun.params.accounts_password_inactive_days as 30
}

test_not_applicable_without_shadow if {
	fx.codes(rule.not_applicable) == ["file_missing"] with input as fx.empty_host
}
