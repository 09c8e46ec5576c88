package gcrun.linux.audit.disk_full_action_test

import data.gcrun.linux.audit.disk_full_action as rule
import data.gcrun.linux.lib.fixtures as fx

test_pass_halt_and_single if {
	count(rule.deny) == 0 with input as fx.hardened_host
	count(rule.deny) == 0 with input as fx.audit_conf({"disk_full_action": "SINGLE", "disk_error_action": "halt"})
}

test_fail_suspend if {
	reasons := rule.deny with input as fx.audit_conf({"disk_full_action": "suspend", "disk_error_action": "ignore"})
	fx.phrases(reasons) == [
		"disk_error_action is ignore (/etc/audit/auditd.conf:40), expected halt or single or syslog",
		"disk_full_action is suspend (/etc/audit/auditd.conf:40), expected halt or single",
	]
}

test_fail_defaults if {
	inp := {"audit": object.union(object.remove(fx.audit_hardened_facts, ["config"]), {"config": {}})}
	fx.codes(rule.deny) == ["disk_full_action"] with input as inp
}

test_fail_no_auditd_conf if {
	fx.codes(rule.deny) == ["no_auditd_conf"] with input as fx.debian12_host
}

test_remediate_sets_disk_error_action if {
	inp := fx.audit_conf({"disk_error_action": "ignore", "disk_full_action": "ignore"})
	count(rule.deny) == 2 with input as inp
	rule.remediate == {{"type": "config.set", "path": "/etc/audit/auditd.conf", "format": "keyvalue", "separator": " = ", "key": "disk_error_action", "value": "syslog"}} with input as inp
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.hardened_host
	count(rule.remediate) == 0 with input as fx.audit_conf({"disk_full_action": "suspend"})
	count(rule.remediate) == 0 with input as fx.debian12_host
}
