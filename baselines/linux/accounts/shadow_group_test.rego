package gcrun.linux.accounts.shadow_group_test

import data.gcrun.linux.accounts.shadow_group as rule
import data.gcrun.linux.lib.fixtures as fx

test_pass_empty if {
	count(rule.deny) == 0 with input as fx.hardened_host
	count(rule.not_applicable) == 0 with input as fx.hardened_host
}

test_fail_member if {
	inp := {"users": fx.users_facts([fx.root_user({})], [fx.group("root", 0, [], 1), fx.group("shadow", 42, ["alice", "bob"], 30)])}
	reasons := rule.deny with input as inp
	fx.phrases(reasons) == [
		"user alice is a member of group shadow (/etc/group:30), expected no members",
		"user bob is a member of group shadow (/etc/group:30), expected no members",
	]
}

test_fail_primary_group if {
	inp := fx.users_input([fx.root_user({}), fx.user("dave", 1004, {"gid": 42, "line": 12})])
	reasons := rule.deny with input as inp
	fx.codes(reasons) == ["shadow_primary"]
	fx.phrases(reasons) == ["user dave (/etc/passwd:12) has shadow (GID 42) as primary group, expected no members"]
}

test_not_applicable_no_shadow_group if {
	inp := {"users": fx.users_facts([fx.root_user({})], [fx.group("root", 0, [], 1)])}
	fx.codes(rule.not_applicable) == ["no_shadow_group"] with input as inp
}

test_not_applicable_empty_root if {
	fx.codes(rule.not_applicable) == ["file_missing", "file_missing"] with input as fx.empty_host
}
