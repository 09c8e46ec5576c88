package gcrun.linux.cron.cron_hourly_test

import data.gcrun.linux.cron.cron_hourly as rule
import data.gcrun.linux.lib.fixtures as fx

test_pass_root_0700 if {
	inp := fx.cron_with({"/etc/cron.hourly": fx.cron_dir("/etc/cron.hourly", "0700", "root", "root")})
	count(rule.deny) == 0 with input as inp
	count(rule.not_applicable) == 0 with input as inp
	rule.evidence == {"path": "/etc/cron.hourly", "exists": true, "type": "directory", "mode": "0700", "owner": "root", "group": "root"} with input as inp
}

test_pass_stricter if {
	count(rule.deny) == 0 with input as fx.cron_with({"/etc/cron.hourly": fx.cron_dir("/etc/cron.hourly", "0400", "root", "root")})
}

test_fail_debian_default if {
	reasons := rule.deny with input as fx.cron_with({"/etc/cron.hourly": fx.cron_dir("/etc/cron.hourly", "0755", "root", "root")})
	fx.codes(reasons) == ["mode"]
	fx.phrases(reasons) == ["/etc/cron.hourly is mode 0755, expected 0700 or stricter"]
	some r in reasons
	r.evidence == {"file": "/etc/cron.hourly", "mode": "0755"}
}

test_fail_owner_group_and_setgid if {
	reasons := rule.deny with input as fx.cron_with({"/etc/cron.hourly": fx.cron_dir("/etc/cron.hourly", "2700", "alice", "staff")})
	fx.codes(reasons) == ["group", "mode", "owner"]
	fx.phrases(reasons) == [
		"/etc/cron.hourly has group staff, expected root",
		"/etc/cron.hourly is mode 2700, expected 0700 or stricter",
		"/etc/cron.hourly is owned by alice, expected root",
	]
}

test_fail_unnamed_owner if {
	e := object.union(fx.cron_dir("/etc/cron.hourly", "0700", "", "root"), {"uid": 1234})
	fx.phrases(rule.deny) == ["/etc/cron.hourly is owned by 1234, expected root"] with input as fx.cron_with({"/etc/cron.hourly": e})
}

test_pass_symlink_to_strict_target if {
	inp := fx.cron_with({"/etc/cron.hourly": fx.cron_link("/etc/cron.hourly", fx.cron_dir("/srv/etc/cron.hourly", "0700", "root", "root"))})
	count(rule.deny) == 0 with input as inp
}

test_fail_symlink_target_mode if {
	inp := fx.cron_with({"/etc/cron.hourly": fx.cron_link("/etc/cron.hourly", fx.cron_dir("/srv/etc/cron.hourly", "0777", "root", "root"))})
	fx.phrases(rule.deny) == ["/etc/cron.hourly is mode 0777, expected 0700 or stricter"] with input as inp
}

test_fail_dangling_symlink if {
	inp := fx.cron_with({"/etc/cron.hourly": fx.cron_link("/etc/cron.hourly", {"path": "/srv/nothing", "exists": false})})
	fx.codes(rule.deny) == ["dangling"] with input as inp
}

test_not_applicable_absent if {
	reasons := rule.not_applicable with input as fx.cron_with({"/etc/cron.hourly": fx.cron_missing("/etc/cron.hourly")})
	fx.phrases(reasons) == ["/etc/cron.hourly does not exist"]
}

test_remediate_mode_and_owner if {
	rule.remediate == {{"type": "file.mode", "path": "/etc/cron.hourly", "mode": "0700"}} with input as fx.debian12_host
	rule.remediate == {
		{"type": "file.mode", "path": "/etc/cron.hourly", "mode": "0700"},
		{"type": "file.owner", "path": "/etc/cron.hourly", "owner": "root", "group": "root"},
	} with input as fx.cron_with({"/etc/cron.hourly": fx.cron_dir("/etc/cron.hourly", "2777", "alice", "staff")})
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.hardened_host
	count(rule.remediate) == 0 with input as fx.cron_with({})
	inp := fx.cron_with({"/etc/cron.hourly": fx.cron_link("/etc/cron.hourly", fx.cron_missing("/srv/x"))})
	count(rule.deny) == 1 with input as inp
	count(rule.remediate) == 0 with input as inp
}
