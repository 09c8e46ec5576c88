package gcrun.linux.accounts.password_max_days_test

import data.gcrun.linux.accounts.password_max_days as rule
import data.gcrun.linux.lib.fixtures as fx

test_pass_365 if {
	count(rule.deny) == 0 with input as fx.users_input([fx.root_user({}), fx.user("alice", 1000, {})])
}

test_pass_locked_and_system_accounts_ignored if {
	inp := fx.users_input([
		fx.root_user({"shadow": fx.shadow_no_password}),
		fx.system_user("daemon", 1, 1, "/usr/sbin", "/usr/sbin/nologin", 2),
		fx.user("gone", 1001, {"shadow": object.union(fx.shadow_locked, {"max_days": 99999})}),
	])
	count(rule.deny) == 0 with input as inp
}

test_fail_debian_default if {
	inp := fx.users_input([fx.user("debian", 1000, {"shadow": {"max_days": 99999, "line": 23}})])
	reasons := rule.deny with input as inp
	fx.codes(reasons) == ["password_max_days"]
	fx.phrases(reasons) == ["user debian (/etc/shadow:23) has a password maximum age of 99999 days, expected at most 365 days"]
	some r in reasons
	r.expected == "<= 365"
	r.actual == 99999
	r.evidence == {"file": "/etc/shadow", "line": 23, "user": "debian"}
}

test_fail_unset_and_negative if {
	inp := fx.users_input([
		fx.user("alice", 1000, {"shadow": {"max_days": null}}),
		fx.user("bob", 1001, {"shadow": {"max_days": -1, "line": 21}}),
	])
	fx.phrases(rule.deny) == [
		"user alice (/etc/shadow:20) has a password maximum age that is not set (never expires), expected at most 365 days",
		"user bob (/etc/shadow:21) has a password maximum age of -1 days (never expires), expected at most 365 days",
	] with input as inp
}

test_fail_parameter_90 if {
	inp := fx.users_input([fx.user("alice", 1000, {})])
	fx.phrases(rule.deny) == ["user alice (/etc/shadow:20) has a password maximum age of 365 days, expected at most 90 days"] with input as inp with data.gcrun.params.accounts_password_max_days as 90
}

test_not_applicable_without_shadow if {
	fx.codes(rule.not_applicable) == ["file_missing"] with input as fx.empty_host
}

test_evidence_every_password_user if {
	inp := fx.users_input([fx.root_user({"shadow": fx.shadow_no_password}), fx.user("alice", 1000, {"shadow": {"max_days": 99999}})])
	rule.evidence == {"users": {"alice": 99999}} with input as inp
}
