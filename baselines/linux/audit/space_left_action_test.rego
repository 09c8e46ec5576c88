package gcrun.linux.audit.space_left_action_test

import data.gcrun.linux.audit.space_left_action as rule
import data.gcrun.linux.lib.fixtures as fx

test_pass_email_and_single if {
	count(rule.deny) == 0 with input as fx.hardened_host
	count(rule.deny) == 0 with input as fx.audit_conf({"space_left_action": "exec", "admin_space_left_action": "HALT"})
}

test_fail_syslog_and_suspend if {
	reasons := rule.deny with input as fx.audit_conf({"space_left_action": "SYSLOG", "admin_space_left_action": "SUSPEND"})
	fx.codes(reasons) == ["admin_space_left_action", "space_left_action"]
}

test_fail_defaults if {
	inp := {"audit": object.union(object.remove(fx.audit_hardened_facts, ["config"]), {"config": {}})}
	fx.phrases(rule.deny) == [
		"admin_space_left_action is not set (auditd's default is SUSPEND), expected halt or single",
		"space_left_action is not set (auditd's default is SYSLOG), expected email or exec or halt or single",
	] with input as inp
}

test_fail_no_auditd_conf if {
	fx.codes(rule.deny) == ["no_auditd_conf"] with input as fx.debian12_host
}

test_remediate_sets_space_left_action if {
	inp := fx.audit_conf({"space_left_action": "SYSLOG", "admin_space_left_action": "suspend"})
	count(rule.deny) == 2 with input as inp
	rule.remediate == {{"type": "config.set", "path": "/etc/audit/auditd.conf", "format": "keyvalue", "separator": " = ", "key": "space_left_action", "value": "email"}} with input as inp
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.hardened_host
	count(rule.remediate) == 0 with input as fx.audit_conf({"admin_space_left_action": "suspend"})
	count(rule.remediate) == 0 with input as fx.debian12_host
}
