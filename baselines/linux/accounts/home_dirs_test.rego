package gcrun.linux.accounts.home_dirs_test

import data.gcrun.linux.accounts.home_dirs as rule
import data.gcrun.linux.lib.fixtures as fx

test_pass_0700_and_0750 if {
	inp := fx.users_input([fx.root_user({}), fx.user("alice", 1000, {"home_dir": {"mode": "0750"}})])
	count(rule.deny) == 0 with input as inp
}

test_pass_system_accounts_ignored if {
	# nologin accounts are not interactive: /nonexistent and root-owned
	# homes are fine for them.
	count(rule.deny) == 0 with input as fx.debian12_host
}

test_fail_missing if {
	inp := fx.users_input([fx.user("alice", 1000, {"line": 5, "home_dir": fx.no_home("/home/alice")})])
	reasons := rule.deny with input as inp
	fx.codes(reasons) == ["home_missing"]
	fx.phrases(reasons) == ["home directory /home/alice of user alice (/etc/passwd:5) does not exist, expected a directory"]
	some r in reasons
	r.evidence == {"file": "/etc/passwd", "line": 5, "user": "alice", "home": "/home/alice"}
}

test_fail_symlink if {
	inp := fx.users_input([fx.user("alice", 1000, {"home_dir": {"type": "symlink", "mode": "0777", "owned_by_user": false}})])
	fx.phrases(rule.deny) == ["home directory /home/alice of user alice (/etc/passwd:20) is a symlink, expected a directory"] with input as inp
}

test_fail_owner_and_mode if {
	inp := fx.users_input([fx.user("alice", 1000, {"home_dir": {"uid": 0, "owner": "root", "owned_by_user": false, "mode": "0755"}})])
	fx.phrases(rule.deny) == [
		"home directory /home/alice of user alice (/etc/passwd:20) has mode 0755, expected 0750 or stricter",
		"home directory /home/alice of user alice (/etc/passwd:20) is owned by root (UID 0), expected alice",
	] with input as inp
}

test_fail_unnamed_owner if {
	inp := fx.users_input([fx.user("alice", 1000, {"home_dir": {"uid": 4000, "owner": "", "owned_by_user": false}})])
	fx.phrases(rule.deny) == ["home directory /home/alice of user alice (/etc/passwd:20) is owned by UID 4000, expected alice"] with input as inp
}

test_fail_group_writable_setgid if {
	inp := fx.users_input([fx.user("alice", 1000, {"home_dir": {"mode": "2770"}})])
	reasons := rule.deny with input as inp
	fx.codes(reasons) == ["home_mode"]
	some r in reasons
	r.actual == "2770"
	r.expected == "0750 or stricter"
}

test_fail_parameter_0700 if {
	inp := fx.users_input([fx.user("alice", 1000, {"home_dir": {"mode": "0750"}})])
	fx.phrases(rule.deny) == ["home directory /home/alice of user alice (/etc/passwd:20) has mode 0750, expected 0700 or stricter"] with input as inp with data.gcrun.params.accounts_home_max_mode as "0700"
}

test_not_applicable_without_passwd if {
	fx.codes(rule.not_applicable) == ["file_missing"] with input as fx.empty_host
}
