package gcrun.linux.files.passwd_test

import data.gcrun.linux.files.passwd as rule
import data.gcrun.linux.lib.fixtures as fx

test_pass_0644 if {
	count(rule.deny) == 0 with input as fx.files([fx.file("/etc/passwd", "0644", "root", "root")])
}

test_pass_stricter if {
	count(rule.deny) == 0 with input as fx.files([fx.file("/etc/passwd", "0600", "root", "root")])
	count(rule.deny) == 0 with input as fx.files([fx.file("/etc/passwd", "0400", "root", "root")])
}

test_fail_mode if {
	reasons := rule.deny with input as fx.files([fx.file("/etc/passwd", "0664", "root", "root")])
	fx.codes(reasons) == ["mode"]
	fx.phrases(reasons) == ["/etc/passwd has mode 0664, expected 0644 or stricter (group write not allowed)"]
	some r in reasons
	r.expected == "0644"
	r.actual == "0664"
	r.evidence == {"file": "/etc/passwd", "mode": "0664", "owner": "root", "group": "root", "uid": 0, "gid": 0}
}

test_fail_world_writable_and_setuid if {
	reasons := rule.deny with input as fx.files([fx.file("/etc/passwd", "4666", "root", "root")])
	fx.codes(reasons) == ["mode"]
	some r in reasons
	contains(r.phrase, "setuid")
	contains(r.phrase, "other write")
}

test_fail_owner_and_group if {
	reasons := rule.deny with input as fx.files([fx.file("/etc/passwd", "0644", "bob", "bob")])
	fx.codes(reasons) == ["group", "owner"]
	fx.phrases(reasons) == [
		`/etc/passwd has group "bob" (1000), expected root`,
		`/etc/passwd is owned by "bob" (1000), expected root`,
	]
}

test_fail_unnamed_owner if {
	entry := object.union(fx.file("/etc/passwd", "0644", "", "root"), {"uid": 4242})
	fx.phrases(rule.deny) == ["/etc/passwd is owned by id 4242 (no name), expected root"] with input as fx.files([entry])
}

test_fail_symlink if {
	reasons := rule.deny with input as fx.files([fx.symlink("/etc/passwd", "/tmp/x")])
	fx.codes(reasons) == ["symlink"]
	fx.phrases(reasons) == [`/etc/passwd is a symlink to "/tmp/x", expected a regular file`]
}

test_fail_directory if {
	fx.codes(rule.deny) == ["not_regular_file"] with input as fx.files([fx.of_type("/etc/passwd", "directory")])
}

test_fail_not_collected if {
	fx.codes(rule.deny) == ["not_collected"] with input as fx.files([])
}

test_fail_missing if {
	reasons := rule.deny with input as fx.files([fx.missing_file("/etc/passwd")])
	fx.codes(reasons) == ["missing"]
	fx.phrases(reasons) == ["/etc/passwd does not exist, expected a regular file"]
	count(rule.evidence) == 1 with input as fx.files([fx.missing_file("/etc/passwd")])
}

test_evidence_stat if {
	rule.evidence == {"/etc/passwd": {"file": "/etc/passwd", "mode": "0644", "owner": "root", "group": "root", "uid": 0, "gid": 0}} with input as fx.files([fx.file("/etc/passwd", "0644", "root", "root")])
}

test_remediate_mode_and_owner if {
	inp := fx.files([fx.file("/etc/passwd", "0666", "bob", "adm")])
	rule.remediate == {
		{"type": "file.mode", "path": "/etc/passwd", "mode": "0644"},
		{"type": "file.owner", "path": "/etc/passwd", "owner": "root", "group": "root"},
	} with input as inp
	rule.remediate == {{"type": "file.mode", "path": "/etc/passwd", "mode": "0400"}} with input as fx.files([fx.file("/etc/passwd", "0402", "root", "root")])
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.files([fx.file("/etc/passwd", "0400", "root", "root")])
	count(rule.remediate) == 0 with input as fx.files([fx.file("/etc/passwd", "0644", "root", "root")])
	count(rule.remediate) == 0 with input as fx.files([fx.missing_file("/etc/passwd")])
	count(rule.remediate) == 0 with input as fx.files([fx.symlink("/etc/passwd", "/tmp/x")])
}
