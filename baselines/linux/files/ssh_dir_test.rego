package gcrun.linux.files.ssh_dir_test

import data.gcrun.linux.files.ssh_dir as rule
import data.gcrun.linux.lib.fixtures as fx

dir(mode, owner, group) := object.union(fx.file("/etc/ssh", mode, owner, group), {"type": "directory"})

test_pass_0755 if {
	count(rule.deny) == 0 with input as fx.files([dir("0755", "root", "root")])
	count(rule.not_applicable) == 0 with input as fx.files([dir("0755", "root", "root")])
}

test_pass_stricter if {
	count(rule.deny) == 0 with input as fx.files([dir("0711", "root", "root")])
}

test_fail_group_writable if {
	reasons := rule.deny with input as fx.files([dir("0775", "root", "root")])
	fx.codes(reasons) == ["mode"]
	fx.phrases(reasons) == ["/etc/ssh has mode 0775, expected 0755 or stricter (group write not allowed)"]
}

test_fail_world_writable_sticky if {
	fx.phrases(rule.deny) == ["/etc/ssh has mode 1777, expected 0755 or stricter (sticky, group write, other write not allowed)"] with input as fx.files([dir("1777", "root", "root")])
}

test_fail_owner if {
	fx.codes(rule.deny) == ["group", "owner"] with input as fx.files([dir("0755", "bob", "staff")])
}

test_fail_symlink if {
	reasons := rule.deny with input as fx.files([fx.symlink("/etc/ssh", "/srv/ssh")])
	fx.phrases(reasons) == [`/etc/ssh is a symlink to "/srv/ssh", expected a directory`]
}

test_fail_regular_file if {
	fx.codes(rule.deny) == ["not_directory"] with input as fx.files([fx.file("/etc/ssh", "0644", "root", "root")])
}

test_fail_not_collected if {
	fx.codes(rule.deny) == ["not_collected"] with input as fx.files([])
}

test_not_applicable_without_etc_ssh if {
	fx.codes(rule.not_applicable) == ["missing"] with input as fx.files([fx.missing_file("/etc/ssh")])
}

test_evidence_directory_stat if {
	ev := rule.evidence with input as fx.files([dir("0755", "root", "root")])
	ev["/etc/ssh"] == {"file": "/etc/ssh", "type": "directory", "mode": "0755", "owner": "root", "group": "root", "uid": 0, "gid": 0}
}

test_remediate_mode_and_owner if {
	inp := fx.files([object.union(fx.file("/etc/ssh", "0777", "bob", "root"), {"type": "directory"})])
	rule.remediate == {
		{"type": "file.mode", "path": "/etc/ssh", "mode": "0755"},
		{"type": "file.owner", "path": "/etc/ssh", "owner": "root"},
	} with input as inp
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.files([fx.of_type("/etc/ssh", "directory")])
	count(rule.remediate) == 0 with input as fx.files([fx.missing_file("/etc/ssh")])
	count(rule.remediate) == 0 with input as fx.files([fx.file("/etc/ssh", "0777", "root", "root")])
}
