package gcrun.linux.accounts.duplicate_uids_test

import data.gcrun.linux.accounts.duplicate_uids as rule
import data.gcrun.linux.lib.fixtures as fx

test_pass_unique if {
	count(rule.deny) == 0 with input as fx.users_input([fx.root_user({}), fx.user("alice", 1000, {})])
}

test_fail_shared_uid if {
	inp := fx.users_with(
		[fx.root_user({}), fx.user("alice", 1000, {"line": 5}), fx.user("bob", 1000, {"line": 6})],
		{"duplicates": {"uids": {"1000": ["alice", "bob"]}}},
	)
	reasons := rule.deny with input as inp
	fx.codes(reasons) == ["duplicate_uid"]
	fx.phrases(reasons) == ["UID 1000 is shared by alice, bob (/etc/passwd:5, /etc/passwd:6), expected one user per UID"]
	some r in reasons
	r.actual == ["alice", "bob"]
	r.evidence.users == [{"file": "/etc/passwd", "line": 5, "user": "alice"}, {"file": "/etc/passwd", "line": 6, "user": "bob"}]
}

test_fail_two_uids if {
	inp := fx.users_with(
		[fx.root_user({}), fx.user("toor", 0, {}), fx.user("alice", 1000, {}), fx.user("bob", 1000, {})],
		{"duplicates": {"uids": {"0": ["root", "toor"], "1000": ["alice", "bob"]}}},
	)
	fx.codes(rule.deny) == ["duplicate_uid", "duplicate_uid"] with input as inp
}

test_not_applicable_without_passwd if {
	fx.codes(rule.not_applicable) == ["file_missing"] with input as fx.empty_host
}
