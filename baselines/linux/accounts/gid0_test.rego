package gcrun.linux.accounts.gid0_test

import data.gcrun.linux.accounts.gid0 as rule
import data.gcrun.linux.lib.fixtures as fx

test_pass_root_and_sync if {
	inp := fx.users_input([fx.root_user({}), fx.system_user("sync", 4, 0, "/bin", "/bin/sync", 5), fx.user("alice", 1000, {})])
	count(rule.deny) == 0 with input as inp
}

test_fail_user_in_gid0 if {
	inp := fx.users_input([fx.root_user({}), fx.user("alice", 1000, {"gid": 0, "line": 7})])
	reasons := rule.deny with input as inp
	fx.phrases(reasons) == ["user alice (/etc/passwd:7) has primary group GID 0, expected only root, sync, shutdown, halt, operator"]
	some r in reasons
	r.evidence == {"file": "/etc/passwd", "line": 7, "user": "alice"}
}

test_fail_root_gid if {
	reasons := rule.deny with input as fx.users_input([fx.root_user({"gid": 10})])
	fx.codes(reasons) == ["root_gid"]
	fx.phrases(reasons) == ["root (/etc/passwd:1) has primary group GID 10, expected 0"]
}

test_fail_no_root if {
	fx.codes(rule.deny) == ["root_missing"] with input as fx.users_input([fx.user("alice", 1000, {})])
}

test_fail_parameter_no_exceptions if {
	inp := fx.users_input([fx.root_user({}), fx.system_user("sync", 4, 0, "/bin", "/bin/sync", 5)])
	count(rule.deny) == 0 with input as inp
	fx.phrases(rule.deny) == ["user sync (/etc/passwd:5) has primary group GID 0, expected only root"] with input as inp with data.gcrun.params.accounts_gid0_allowed as []
}

test_pass_parameter_site_exception if {
	inp := fx.users_input([fx.root_user({}), fx.user("backup", 34, {"gid": 0})])
	count(rule.deny) == 1 with input as inp
	count(rule.deny) == 0 with input as inp with data.gcrun.params.accounts_gid0_allowed as ["backup"]
}

test_not_applicable_without_passwd if {
	fx.codes(rule.not_applicable) == ["file_missing"] with input as fx.empty_host
}
