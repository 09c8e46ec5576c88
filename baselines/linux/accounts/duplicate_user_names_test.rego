package gcrun.linux.accounts.duplicate_user_names_test

import data.gcrun.linux.accounts.duplicate_user_names as rule
import data.gcrun.linux.lib.fixtures as fx

test_pass_unique if {
	count(rule.deny) == 0 with input as fx.users_input([fx.root_user({}), fx.user("alice", 1000, {})])
}

test_fail_twice if {
	inp := fx.users_with(
		[fx.root_user({}), fx.user("alice", 1000, {"line": 5}), fx.user("alice", 1002, {"line": 9})],
		{"duplicates": {"user_names": ["alice"]}},
	)
	reasons := rule.deny with input as inp
	fx.codes(reasons) == ["duplicate_user_name"]
	fx.phrases(reasons) == ["user name alice appears 2 times (/etc/passwd:5, /etc/passwd:9), expected once"]
}

test_not_applicable_without_passwd if {
	fx.codes(rule.not_applicable) == ["file_missing"] with input as fx.empty_host
}
