package gcrun.linux.cron.at_allow_test

import data.gcrun.linux.cron.at_allow as rule
import data.gcrun.linux.lib.fixtures as fx

installed := {"/usr/bin/at": fx.cron_file("/usr/bin/at", "0755", "root", "root"), "/usr/sbin/atd": fx.cron_file("/usr/sbin/atd", "0755", "root", "root")}

allow_file(mode, owner, group) := object.union(fx.cron_file("/etc/at.allow", mode, owner, group), {"users": [{"name": "root", "line": 1}, {"name": "alice", "line": 2}]})

input_with(access) := fx.cron_access(installed, access)

test_pass_allow_only if {
	inp := input_with({"/etc/at.allow": allow_file("0640", "root", "root")})
	count(rule.deny) == 0 with input as inp
	count(rule.not_applicable) == 0 with input as inp
	ev := rule.evidence with input as inp
	ev.allow == {"path": "/etc/at.allow", "exists": true, "type": "file", "mode": "0640", "owner": "root", "group": "root", "users": ["root", "alice"]}
	ev.deny == {"path": "/etc/at.deny", "exists": false}
}

test_pass_group_daemon if {
	inp := input_with({"/etc/at.allow": allow_file("0600", "root", "daemon"), "/etc/at.deny": fx.cron_file("/etc/at.deny", "0640", "root", "daemon")})
	count(rule.deny) == 0 with input as inp
}

test_fail_no_allow_file if {
	reasons := rule.deny with input as input_with({"/etc/at.deny": fx.cron_file("/etc/at.deny", "0640", "root", "root")})
	fx.codes(reasons) == ["allow_missing"]
	fx.phrases(reasons) == ["/etc/at.allow does not exist, expected it to list the users allowed"]
}

test_fail_modes_and_owners if {
	inp := input_with({"/etc/at.allow": allow_file("0644", "alice", "root"), "/etc/at.deny": fx.cron_file("/etc/at.deny", "0660", "root", "users")})
	reasons := rule.deny with input as inp
	fx.phrases(reasons) == [
		"/etc/at.allow is mode 0644, expected 0640 or stricter",
		"/etc/at.allow is owned by alice, expected root",
		"/etc/at.deny has group users, expected root or daemon",
		"/etc/at.deny is mode 0660, expected 0640 or stricter",
	]
}

test_not_applicable_not_installed if {
	inp := fx.cron_access({"/usr/bin/at": fx.cron_missing("/usr/bin/at"), "/usr/sbin/atd": fx.cron_missing("/usr/sbin/atd")}, {})
	reasons := rule.not_applicable with input as inp
	fx.phrases(reasons) == ["none of /usr/bin/at, /usr/sbin/atd exists: at is not installed"]
}

test_pass_installed_daemon_only if {
	inp := fx.cron_access({"/usr/bin/at": fx.cron_missing("/usr/bin/at"), "/usr/sbin/atd": fx.cron_file("/usr/sbin/atd", "0755", "root", "root")}, {"/etc/at.allow": allow_file("0640", "root", "root")})
	count(rule.not_applicable) == 0 with input as inp
	count(rule.deny) == 0 with input as inp
}

test_remediate_creates_allow_and_fixes_deny if {
	inp := fx.cron_access(installed, {"/etc/at.deny": fx.cron_file("/etc/at.deny", "0644", "alice", "staff")})
	rule.remediate == {
		{"type": "file.content", "path": "/etc/at.allow", "content": "root\n", "mode": "0640", "owner": "root", "group": "root"},
		{"type": "file.mode", "path": "/etc/at.deny", "mode": "0640"},
		{"type": "file.owner", "path": "/etc/at.deny", "owner": "root", "group": "root"},
	} with input as inp
}

test_remediate_none_when_passing if {
	inp := fx.cron_access(installed, {"/etc/at.allow": fx.cron_file("/etc/at.allow", "0600", "root", "root")})
	count(rule.remediate) == 0 with input as inp
	count(rule.remediate) == 0 with input as fx.cron_access({}, {})
}
