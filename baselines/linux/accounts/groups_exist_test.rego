package gcrun.linux.accounts.groups_exist_test

import data.gcrun.linux.accounts.groups_exist as rule
import data.gcrun.linux.lib.fixtures as fx

test_pass_all_exist if {
	count(rule.deny) == 0 with input as fx.hardened_host
}

test_fail_missing if {
	inp := fx.users_with([fx.root_user({}), fx.user("carol", 1003, {"gid": 4242, "line": 8})], {"missing_groups": [{"name": "carol", "gid": 4242, "line": 8}]})
	reasons := rule.deny with input as inp
	fx.phrases(reasons) == ["user carol (/etc/passwd:8) has primary GID 4242, which no group of /etc/group has"]
	some r in reasons
	r.actual == 4242
	r.evidence == {"file": "/etc/passwd", "line": 8, "user": "carol", "gid": 4242}
}

test_not_applicable_without_passwd if {
	fx.codes(rule.not_applicable) == ["file_missing"] with input as fx.empty_host
}
