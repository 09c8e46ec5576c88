package gcrun.linux.filesystem.ungrouped_test

import data.gcrun.linux.filesystem.ungrouped as rule
import data.gcrun.linux.lib.fixtures as fx

test_pass_nothing_found if {
	count(rule.deny) == 0 with input as fx.fs_sweep({})
}

test_pass_unowned_is_not_ungrouped if {
	count(rule.deny) == 0 with input as fx.fs_found("unowned", [fx.fs_entry("/srv/x", "0644", 4242, 0, "file")])
}

test_fail_ungrouped if {
	reasons := rule.deny with input as fx.fs_found("ungrouped", [fx.fs_entry("/srv/data", "2775", 0, 4243, "directory")])
	fx.codes(reasons) == ["ungrouped"]
	fx.phrases(reasons) == ["/srv/data (directory) has gid 4243, which /etc/group does not define, expected an existing group"]
	some r in reasons
	r.actual == 4243
}

test_fail_group_unreadable if {
	inp := fx.fs_sweep({"id_databases": {"group": {"read": false, "ids": 0, "error": "read /etc/group: not a regular file"}}})
	fx.codes(rule.deny) == ["id_database_unreadable"] with input as inp
}

test_not_applicable_without_group if {
	inp := fx.fs_sweep({"id_databases": {"group": {"exists": false, "read": false, "ids": 0}}})
	fx.phrases(rule.not_applicable) == ["/etc/group does not exist, so no owner can be judged unknown"] with input as inp
}
