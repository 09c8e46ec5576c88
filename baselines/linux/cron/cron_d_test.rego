package gcrun.linux.cron.cron_d_test

import data.gcrun.linux.cron.cron_d as rule
import data.gcrun.linux.lib.fixtures as fx

test_pass_root_0700 if {
	inp := fx.cron_with({"/etc/cron.d": fx.cron_dir("/etc/cron.d", "0700", "root", "root")})
	count(rule.deny) == 0 with input as inp
	count(rule.not_applicable) == 0 with input as inp
	rule.evidence == {"path": "/etc/cron.d", "exists": true, "type": "directory", "mode": "0700", "owner": "root", "group": "root"} with input as inp
}

test_pass_stricter if {
	count(rule.deny) == 0 with input as fx.cron_with({"/etc/cron.d": fx.cron_dir("/etc/cron.d", "0400", "root", "root")})
}

test_fail_debian_default if {
	reasons := rule.deny with input as fx.cron_with({"/etc/cron.d": fx.cron_dir("/etc/cron.d", "0755", "root", "root")})
	fx.codes(reasons) == ["mode"]
	fx.phrases(reasons) == ["/etc/cron.d is mode 0755, expected 0700 or stricter"]
	some r in reasons
	r.evidence == {"file": "/etc/cron.d", "mode": "0755"}
}

test_fail_owner_group_and_setgid if {
	reasons := rule.deny with input as fx.cron_with({"/etc/cron.d": fx.cron_dir("/etc/cron.d", "2700", "alice", "staff")})
	fx.codes(reasons) == ["group", "mode", "owner"]
	fx.phrases(reasons) == [
		"/etc/cron.d has group staff, expected root",
		"/etc/cron.d is mode 2700, expected 0700 or stricter",
		"/etc/cron.d is owned by alice, expected root",
	]
}

test_fail_unnamed_owner if {
	e := object.union(fx.cron_dir("/etc/cron.d", "0700", "", "root"), {"uid": 1234})
	fx.phrases(rule.deny) == ["/etc/cron.d is owned by 1234, expected root"] with input as fx.cron_with({"/etc/cron.d": e})
}

test_pass_symlink_to_strict_target if {
	inp := fx.cron_with({"/etc/cron.d": fx.cron_link("/etc/cron.d", fx.cron_dir("/srv/etc/cron.d", "0700", "root", "root"))})
	count(rule.deny) == 0 with input as inp
}

test_fail_symlink_target_mode if {
	inp := fx.cron_with({"/etc/cron.d": fx.cron_link("/etc/cron.d", fx.cron_dir("/srv/etc/cron.d", "0777", "root", "root"))})
	fx.phrases(rule.deny) == ["/etc/cron.d is mode 0777, expected 0700 or stricter"] with input as inp
}

test_fail_dangling_symlink if {
	inp := fx.cron_with({"/etc/cron.d": fx.cron_link("/etc/cron.d", {"path": "/srv/nothing", "exists": false})})
	fx.codes(rule.deny) == ["dangling"] with input as inp
}

test_not_applicable_absent if {
	reasons := rule.not_applicable with input as fx.cron_with({"/etc/cron.d": fx.cron_missing("/etc/cron.d")})
	fx.phrases(reasons) == ["/etc/cron.d does not exist"]
}

test_remediate_mode_and_owner if {
	rule.remediate == {{"type": "file.mode", "path": "/etc/cron.d", "mode": "0700"}} with input as fx.debian12_host
	rule.remediate == {
		{"type": "file.mode", "path": "/etc/cron.d", "mode": "0700"},
		{"type": "file.owner", "path": "/etc/cron.d", "owner": "root", "group": "root"},
	} with input as fx.cron_with({"/etc/cron.d": fx.cron_dir("/etc/cron.d", "2777", "alice", "staff")})
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.hardened_host
	count(rule.remediate) == 0 with input as fx.cron_with({})
	inp := fx.cron_with({"/etc/cron.d": fx.cron_link("/etc/cron.d", fx.cron_missing("/srv/x"))})
	count(rule.deny) == 1 with input as inp
	count(rule.remediate) == 0 with input as inp
}
