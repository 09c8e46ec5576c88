package gcrun.linux.files.group_backup_test

import data.gcrun.linux.files.group_backup as rule
import data.gcrun.linux.lib.fixtures as fx

test_pass_0644 if {
	count(rule.deny) == 0 with input as fx.files([fx.file("/etc/group-", "0644", "root", "root")])
}

test_pass_stricter if {
	count(rule.deny) == 0 with input as fx.files([fx.file("/etc/group-", "0600", "root", "root")])
	count(rule.deny) == 0 with input as fx.files([fx.file("/etc/group-", "0400", "root", "root")])
}

test_fail_mode if {
	reasons := rule.deny with input as fx.files([fx.file("/etc/group-", "0664", "root", "root")])
	fx.codes(reasons) == ["mode"]
	fx.phrases(reasons) == ["/etc/group- has mode 0664, expected 0644 or stricter (group write not allowed)"]
	some r in reasons
	r.expected == "0644"
	r.actual == "0664"
	r.evidence == {"file": "/etc/group-", "mode": "0664", "owner": "root", "group": "root", "uid": 0, "gid": 0}
}

test_fail_world_writable_and_setuid if {
	reasons := rule.deny with input as fx.files([fx.file("/etc/group-", "4666", "root", "root")])
	fx.codes(reasons) == ["mode"]
	some r in reasons
	contains(r.phrase, "setuid")
	contains(r.phrase, "other write")
}

test_fail_owner_and_group if {
	reasons := rule.deny with input as fx.files([fx.file("/etc/group-", "0644", "bob", "bob")])
	fx.codes(reasons) == ["group", "owner"]
	fx.phrases(reasons) == [
		`/etc/group- has group "bob" (1000), expected root`,
		`/etc/group- is owned by "bob" (1000), expected root`,
	]
}

test_fail_unnamed_owner if {
	entry := object.union(fx.file("/etc/group-", "0644", "", "root"), {"uid": 4242})
	fx.phrases(rule.deny) == ["/etc/group- is owned by id 4242 (no name), expected root"] with input as fx.files([entry])
}

test_fail_symlink if {
	reasons := rule.deny with input as fx.files([fx.symlink("/etc/group-", "/tmp/x")])
	fx.codes(reasons) == ["symlink"]
	fx.phrases(reasons) == [`/etc/group- is a symlink to "/tmp/x", expected a regular file`]
}

test_fail_directory if {
	fx.codes(rule.deny) == ["not_regular_file"] with input as fx.files([fx.of_type("/etc/group-", "directory")])
}

test_fail_not_collected if {
	fx.codes(rule.deny) == ["not_collected"] with input as fx.files([])
}

test_not_applicable_missing if {
	fx.codes(rule.not_applicable) == ["missing"] with input as fx.files([fx.missing_file("/etc/group-")])
	fx.phrases(rule.not_applicable) == ["/etc/group- does not exist"] with input as fx.files([fx.missing_file("/etc/group-")])
	count(rule.not_applicable) == 0 with input as fx.files([fx.file("/etc/group-", "0644", "root", "root")])
}

test_evidence_stat if {
	rule.evidence == {"/etc/group-": {"file": "/etc/group-", "mode": "0644", "owner": "root", "group": "root", "uid": 0, "gid": 0}} with input as fx.files([fx.file("/etc/group-", "0644", "root", "root")])
}

test_remediate_mode_and_owner if {
	inp := fx.files([fx.file("/etc/group-", "0666", "bob", "adm")])
	rule.remediate == {
		{"type": "file.mode", "path": "/etc/group-", "mode": "0644"},
		{"type": "file.owner", "path": "/etc/group-", "owner": "root", "group": "root"},
	} with input as inp
	rule.remediate == {{"type": "file.mode", "path": "/etc/group-", "mode": "0400"}} with input as fx.files([fx.file("/etc/group-", "0402", "root", "root")])
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.files([fx.file("/etc/group-", "0400", "root", "root")])
	count(rule.remediate) == 0 with input as fx.files([fx.file("/etc/group-", "0644", "root", "root")])
	count(rule.remediate) == 0 with input as fx.files([fx.missing_file("/etc/group-")])
	count(rule.remediate) == 0 with input as fx.files([fx.symlink("/etc/group-", "/tmp/x")])
}
