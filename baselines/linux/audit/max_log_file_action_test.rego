package gcrun.linux.audit.max_log_file_action_test

import data.gcrun.linux.audit.max_log_file_action as rule
import data.gcrun.linux.lib.fixtures as fx

test_pass_keep_logs_any_case if {
	count(rule.deny) == 0 with input as fx.hardened_host
	count(rule.deny) == 0 with input as fx.audit_conf({"max_log_file_action": "KEEP_LOGS"})
}

test_fail_rotate if {
	reasons := rule.deny with input as fx.audit_conf({"max_log_file_action": "ROTATE"})
	fx.phrases(reasons) == ["max_log_file_action is ROTATE (/etc/audit/auditd.conf:40), expected keep_logs"]
	[r.evidence | some r in reasons] == [{"keyword": "max_log_file_action", "file": "/etc/audit/auditd.conf", "line": 40, "value": "ROTATE"}]
}

test_fail_default if {
	inp := {"audit": object.union(object.remove(fx.audit_hardened_facts, ["config"]), {"config": {}})}
	fx.phrases(rule.deny) == ["max_log_file_action is not set (auditd's default is ROTATE), expected keep_logs"] with input as inp
}

test_fail_no_auditd_conf if {
	fx.codes(rule.deny) == ["no_auditd_conf"] with input as fx.debian12_host
}

test_remediate_sets_keep_logs if {
	rule.remediate == {{"type": "config.set", "path": "/etc/audit/auditd.conf", "format": "keyvalue", "separator": " = ", "key": "max_log_file_action", "value": "keep_logs"}} with input as fx.audit_conf({"max_log_file_action": "ROTATE"})
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.hardened_host
	count(rule.remediate) == 0 with input as fx.debian12_host
}
