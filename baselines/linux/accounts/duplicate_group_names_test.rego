package gcrun.linux.accounts.duplicate_group_names_test

import data.gcrun.linux.accounts.duplicate_group_names as rule
import data.gcrun.linux.lib.fixtures as fx

test_pass_unique if {
	count(rule.deny) == 0 with input as fx.users_input([fx.root_user({})])
}

test_fail_twice if {
	inp := {"users": object.union(
		fx.users_facts([fx.root_user({})], [fx.group("root", 0, [], 1), fx.group("users", 100, [], 2), fx.group("users", 1001, [], 3)]),
		{"duplicates": {"group_names": ["users"]}},
	)}
	reasons := rule.deny with input as inp
	fx.phrases(reasons) == ["group name users appears 2 times (/etc/group:2, /etc/group:3), expected once"]
	some r in reasons
	r.evidence.entries == [{"file": "/etc/group", "line": 2, "gid": 100}, {"file": "/etc/group", "line": 3, "gid": 1001}]
}

test_not_applicable_without_group if {
	fx.codes(rule.not_applicable) == ["file_missing"] with input as fx.empty_host
}
