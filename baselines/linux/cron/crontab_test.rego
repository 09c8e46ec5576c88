package gcrun.linux.cron.crontab_test

import data.gcrun.linux.cron.crontab as rule
import data.gcrun.linux.lib.fixtures as fx

test_pass_root_0600 if {
	inp := fx.cron_with({"/etc/crontab": fx.cron_file("/etc/crontab", "0600", "root", "root")})
	count(rule.deny) == 0 with input as inp
	count(rule.not_applicable) == 0 with input as inp
	rule.evidence == {"path": "/etc/crontab", "exists": true, "type": "file", "mode": "0600", "owner": "root", "group": "root"} with input as inp
}

test_pass_stricter if {
	count(rule.deny) == 0 with input as fx.cron_with({"/etc/crontab": fx.cron_file("/etc/crontab", "0400", "root", "root")})
}

test_fail_debian_default if {
	reasons := rule.deny with input as fx.cron_with({"/etc/crontab": fx.cron_file("/etc/crontab", "0644", "root", "root")})
	fx.codes(reasons) == ["mode"]
	fx.phrases(reasons) == ["/etc/crontab is mode 0644, expected 0600 or stricter"]
	some r in reasons
	r.evidence == {"file": "/etc/crontab", "mode": "0644"}
}

test_fail_owner_group_and_setgid if {
	reasons := rule.deny with input as fx.cron_with({"/etc/crontab": fx.cron_file("/etc/crontab", "2600", "alice", "staff")})
	fx.codes(reasons) == ["group", "mode", "owner"]
	fx.phrases(reasons) == [
		"/etc/crontab has group staff, expected root",
		"/etc/crontab is mode 2600, expected 0600 or stricter",
		"/etc/crontab is owned by alice, expected root",
	]
}

test_fail_unnamed_owner if {
	e := object.union(fx.cron_file("/etc/crontab", "0600", "", "root"), {"uid": 1234})
	fx.phrases(rule.deny) == ["/etc/crontab is owned by 1234, expected root"] with input as fx.cron_with({"/etc/crontab": e})
}

test_pass_symlink_to_strict_target if {
	inp := fx.cron_with({"/etc/crontab": fx.cron_link("/etc/crontab", fx.cron_file("/srv/etc/crontab", "0600", "root", "root"))})
	count(rule.deny) == 0 with input as inp
}

test_fail_symlink_target_mode if {
	inp := fx.cron_with({"/etc/crontab": fx.cron_link("/etc/crontab", fx.cron_file("/srv/etc/crontab", "0777", "root", "root"))})
	fx.phrases(rule.deny) == ["/etc/crontab is mode 0777, expected 0600 or stricter"] with input as inp
}

test_fail_dangling_symlink if {
	inp := fx.cron_with({"/etc/crontab": fx.cron_link("/etc/crontab", {"path": "/srv/nothing", "exists": false})})
	fx.codes(rule.deny) == ["dangling"] with input as inp
}

test_not_applicable_absent if {
	reasons := rule.not_applicable with input as fx.cron_with({"/etc/crontab": fx.cron_missing("/etc/crontab")})
	fx.phrases(reasons) == ["/etc/crontab does not exist"]
}

test_remediate_mode_and_owner if {
	rule.remediate == {{"type": "file.mode", "path": "/etc/crontab", "mode": "0600"}} with input as fx.debian12_host
	rule.remediate == {
		{"type": "file.mode", "path": "/etc/crontab", "mode": "0600"},
		{"type": "file.owner", "path": "/etc/crontab", "owner": "root", "group": "root"},
	} with input as fx.cron_with({"/etc/crontab": fx.cron_file("/etc/crontab", "2677", "alice", "staff")})
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.hardened_host
	count(rule.remediate) == 0 with input as fx.cron_with({})
	inp := fx.cron_with({"/etc/crontab": fx.cron_link("/etc/crontab", fx.cron_missing("/srv/x"))})
	count(rule.deny) == 1 with input as inp
	count(rule.remediate) == 0 with input as inp
}
