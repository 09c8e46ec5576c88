package gcrun.linux.accounts.password_min_days_test

import data.gcrun.linux.accounts.password_min_days as rule
import data.gcrun.linux.lib.fixtures as fx

test_pass_1 if {
	count(rule.deny) == 0 with input as fx.users_input([fx.root_user({}), fx.user("alice", 1000, {})])
}

test_fail_0 if {
	reasons := rule.deny with input as fx.users_input([fx.user("debian", 1000, {"shadow": {"min_days": 0}})])
	fx.phrases(reasons) == ["user debian (/etc/shadow:20) has a password minimum age of 0 days, expected at least 1 days"]
	some r in reasons
	r.actual == 0
	r.expected == ">= 1"
}

test_fail_unset if {
	fx.phrases(rule.deny) == ["user alice (/etc/shadow:20) has a password minimum age that is not set, expected at least 1 days"] with input as fx.users_input([fx.user("alice", 1000, {"shadow": {"min_days": null}})])
}

test_fail_parameter_7 if {
	inp := fx.users_input([fx.user("alice", 1000, {})])
	count(rule.deny) == 0 with input as inp
	fx.codes(rule.deny) == ["password_min_days"] with input as inp with data.gcrun.params.accounts_password_min_days as 7
}

test_pass_locked_ignored if {
	count(rule.deny) == 0 with input as fx.users_input([fx.user("gone", 1000, {"shadow": object.union(fx.shadow_locked, {"min_days": 0})})])
}

test_not_applicable_without_shadow if {
	fx.codes(rule.not_applicable) == ["file_missing"] with input as fx.empty_host
}
