package gcrun.linux.logging.rsyslog_file_create_mode_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.logging.rsyslog_file_create_mode as rule

rsyslog(directives, modules, actions) := fx.logging(fx.journald_hardened, fx.rsyslog_facts(directives, modules, [], actions))

mode(value) := rsyslog([fx.rsyslog_directive("$FileCreateMode", value, 33)], [], [])

test_pass_0640_and_stricter if {
	count(rule.deny) == 0 with input as mode("0640")
	count(rule.deny) == 0 with input as mode("0600")
	count(rule.deny) == 0 with input as mode("640")
	count(rule.not_applicable) == 0 with input as mode("0640")
}

test_pass_builtin_omfile_module if {
	m := {"name": "builtin:omfile", "params": {"filecreatemode": "0600"}, "file": fx.rsyslog_conf, "line": 3}
	count(rule.deny) == 0 with input as rsyslog([], [m], [])
}

test_fail_not_set if {
	reasons := rule.deny with input as rsyslog([fx.rsyslog_directive("$filegroup", "adm", 1)], fx.rsyslog_local_modules, [])
	fx.codes(reasons) == ["not_set"]
}

test_fail_loose_modes if {
	action := {
		"selector": "user.*", "type": "omfile", "target": "/var/log/user.log",
		"params": {"type": "omfile", "file": "/var/log/user.log", "filecreatemode": "0644"},
		"file": "/etc/rsyslog.d/50-user.conf", "line": 4,
	}
	reasons := rule.deny with input as rsyslog([fx.rsyslog_directive("$FILECREATEMODE", "0666", 33)], [], [action])
	fx.phrases(reasons) == [
		"$FILECREATEMODE sets 0666 in /etc/rsyslog.conf:33, expected 0640 or stricter (group write, other read, other write not allowed)",
		"the omfile action for /var/log/user.log sets 0644 in /etc/rsyslog.d/50-user.conf:4, expected 0640 or stricter (other read not allowed)",
	]
}

test_fail_invalid if {
	fx.codes(rule.deny) == ["invalid"] with input as mode("rw-r-----")
}

test_not_applicable_without_rsyslog if {
	fx.codes(rule.not_applicable) == ["no_rsyslog"] with input as fx.debian12_host
	fx.codes(rule.not_applicable) == ["rsyslog_not_installed"] with input as object.union(object.remove(mode("0640"), ["packages"]), fx.packages(["bash"]))
}

test_evidence_lists_modes if {
	ev := rule.evidence with input as mode("0640")
	ev.file_create_modes == [{"value": "0640", "file": fx.rsyslog_conf, "line": 33, "scope": "global", "where": "$FileCreateMode"}]
}
