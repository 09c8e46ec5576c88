package gcrun.linux.accounts.password_warn_days_test

import data.gcrun.linux.accounts.password_warn_days as rule
import data.gcrun.linux.lib.fixtures as fx

test_pass_7 if {
	count(rule.deny) == 0 with input as fx.debian12_host
}

test_fail_3 if {
	reasons := rule.deny with input as fx.users_input([fx.user("alice", 1000, {"shadow": {"warn_days": 3}})])
	fx.phrases(reasons) == ["user alice (/etc/shadow:20) has a password warning period of 3 days, expected at least 7 days"]
}

test_fail_unset if {
	fx.codes(rule.deny) == ["password_warn_days"] with input as fx.users_input([fx.user("alice", 1000, {"shadow": {"warn_days": null}})])
}

test_fail_parameter_14 if {
	inp := fx.users_input([fx.user("alice", 1000, {})])
	fx.phrases(rule.deny) == ["user alice (/etc/shadow:20) has a password warning period of 7 days, expected at least 14 days"] with input as inp with data.gcrun.params.accounts_password_warn_days as 14
}

test_not_applicable_without_shadow if {
	fx.codes(rule.not_applicable) == ["file_missing"] with input as fx.empty_host
}
