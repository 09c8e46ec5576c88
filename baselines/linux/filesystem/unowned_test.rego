package gcrun.linux.filesystem.unowned_test

import data.gcrun.linux.filesystem.unowned as rule
import data.gcrun.linux.lib.fixtures as fx

test_pass_nothing_found if {
	count(rule.deny) == 0 with input as fx.fs_sweep({})
	count(rule.not_applicable) == 0 with input as fx.fs_sweep({})
}

test_fail_unowned if {
	reasons := rule.deny with input as fx.fs_found("unowned", [
		fx.fs_entry("/home/olduser/.bashrc", "0644", 1003, 1003, "file"),
		fx.fs_entry("/opt/tool/bin", "0777", 4242, 0, "symlink"),
	])
	fx.codes(reasons) == ["unowned", "unowned"]
	fx.phrases(reasons) == [
		"/home/olduser/.bashrc (file) is owned by uid 1003, which /etc/passwd does not define, expected an existing user",
		"/opt/tool/bin (symlink) is owned by uid 4242, which /etc/passwd does not define, expected an existing user",
	]
}

test_fail_passwd_unreadable if {
	inp := fx.fs_sweep({"id_databases": {"passwd": {"read": false, "ids": 0, "error": "read /etc/passwd: file too large: 10737418240 bytes, limit 4194304"}}})
	reasons := rule.deny with input as inp
	fx.codes(reasons) == ["id_database_unreadable"]
	fx.phrases(reasons) == ["/etc/passwd could not be read (read /etc/passwd: file too large: 10737418240 bytes, limit 4194304), expected a readable account database to judge ownership against"]
	count(rule.not_applicable) == 0 with input as inp
}

test_fail_incomplete_sweep if {
	fx.codes(rule.deny) == ["sweep_incomplete"] with input as fx.fs_sweep(fx.fs_budget_hit)
}

test_not_applicable_without_passwd if {
	inp := fx.fs_sweep({"id_databases": {"passwd": {"exists": false, "read": false, "ids": 0}}})
	reasons := rule.not_applicable with input as inp
	fx.codes(reasons) == ["no_id_database"]
	fx.phrases(reasons) == ["/etc/passwd does not exist, so no owner can be judged unknown"]
}

test_not_applicable_only_for_passwd if {
	inp := fx.fs_sweep({"id_databases": {"group": {"exists": false, "read": false, "ids": 0}}})
	count(rule.not_applicable) == 0 with input as inp
}

test_evidence_database if {
	ev := rule.evidence with input as fx.fs_sweep({})
	ev.database == {"path": "/etc/passwd", "exists": true, "read": true, "ids": 21}
}
