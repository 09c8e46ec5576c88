package gcrun.linux.files.shadow_test

import data.gcrun.linux.files.shadow as rule
import data.gcrun.linux.lib.fixtures as fx

test_pass_0640 if {
	count(rule.deny) == 0 with input as fx.files([fx.file("/etc/shadow", "0640", "root", "shadow")])
}

test_pass_stricter if {
	count(rule.deny) == 0 with input as fx.files([fx.file("/etc/shadow", "0600", "root", "root")])
	count(rule.deny) == 0 with input as fx.files([fx.file("/etc/shadow", "0400", "root", "shadow")])
}

test_fail_mode if {
	reasons := rule.deny with input as fx.files([fx.file("/etc/shadow", "0644", "root", "shadow")])
	fx.codes(reasons) == ["mode"]
	fx.phrases(reasons) == ["/etc/shadow has mode 0644, expected 0640 or stricter (other read not allowed)"]
	some r in reasons
	r.expected == "0640"
	r.actual == "0644"
	r.evidence == {"file": "/etc/shadow", "mode": "0644", "owner": "root", "group": "shadow", "uid": 0, "gid": 42}
}

test_fail_world_writable_and_setuid if {
	reasons := rule.deny with input as fx.files([fx.file("/etc/shadow", "4666", "root", "shadow")])
	fx.codes(reasons) == ["mode"]
	some r in reasons
	contains(r.phrase, "setuid")
	contains(r.phrase, "other write")
}

test_fail_owner_and_group if {
	reasons := rule.deny with input as fx.files([fx.file("/etc/shadow", "0640", "bob", "bob")])
	fx.codes(reasons) == ["group", "owner"]
	fx.phrases(reasons) == [
		`/etc/shadow has group "bob" (1000), expected root or shadow`,
		`/etc/shadow is owned by "bob" (1000), expected root`,
	]
}

test_fail_unnamed_owner if {
	entry := object.union(fx.file("/etc/shadow", "0640", "", "root"), {"uid": 4242})
	fx.phrases(rule.deny) == ["/etc/shadow is owned by id 4242 (no name), expected root"] with input as fx.files([entry])
}

test_fail_symlink if {
	reasons := rule.deny with input as fx.files([fx.symlink("/etc/shadow", "/tmp/x")])
	fx.codes(reasons) == ["symlink"]
	fx.phrases(reasons) == [`/etc/shadow is a symlink to "/tmp/x", expected a regular file`]
}

test_fail_directory if {
	fx.codes(rule.deny) == ["not_regular_file"] with input as fx.files([fx.of_type("/etc/shadow", "directory")])
}

test_fail_not_collected if {
	fx.codes(rule.deny) == ["not_collected"] with input as fx.files([])
}

test_fail_missing if {
	reasons := rule.deny with input as fx.files([fx.missing_file("/etc/shadow")])
	fx.codes(reasons) == ["missing"]
	fx.phrases(reasons) == ["/etc/shadow does not exist, expected a regular file"]
	count(rule.evidence) == 1 with input as fx.files([fx.missing_file("/etc/shadow")])
}

test_evidence_stat if {
	rule.evidence == {"/etc/shadow": {"file": "/etc/shadow", "mode": "0640", "owner": "root", "group": "root", "uid": 0, "gid": 0}} with input as fx.files([fx.file("/etc/shadow", "0640", "root", "root")])
}

test_remediate_mode_and_owner if {
	inp := fx.files([fx.file("/etc/shadow", "0664", "bob", "adm")])
	rule.remediate == {
		{"type": "file.mode", "path": "/etc/shadow", "mode": "0640"},
		{"type": "file.owner", "path": "/etc/shadow", "owner": "root", "group": "shadow"},
	} with input as inp
	rule.remediate == {{"type": "file.mode", "path": "/etc/shadow", "mode": "0400"}} with input as fx.files([fx.file("/etc/shadow", "0402", "root", "root")])
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.files([fx.file("/etc/shadow", "0400", "root", "root")])
	count(rule.remediate) == 0 with input as fx.files([fx.file("/etc/shadow", "0640", "root", "shadow")])
	count(rule.remediate) == 0 with input as fx.files([fx.missing_file("/etc/shadow")])
	count(rule.remediate) == 0 with input as fx.files([fx.symlink("/etc/shadow", "/tmp/x")])
}
