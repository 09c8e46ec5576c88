package gcrun.linux.audit.max_log_file_test

import data.gcrun.linux.audit.max_log_file as rule
import data.gcrun.linux.lib.fixtures as fx

test_pass_hardened if {
	count(rule.deny) == 0 with input as fx.hardened_host
	count(rule.deny) == 0 with input as fx.audit_conf({"max_log_file": "8"})
}

test_fail_small if {
	reasons := rule.deny with input as fx.audit_conf({"max_log_file": "4"})
	fx.phrases(reasons) == ["max_log_file is 4 (/etc/audit/auditd.conf:40) MB, expected at least 8 MB"]
}

test_fail_parameter if {
	fx.codes(rule.deny) == ["max_log_file"] with input as fx.hardened_host with data.gcrun.params.audit_max_log_file as 64
	count(rule.deny) == 0 with input as fx.audit_conf({"max_log_file": "4"}) with data.gcrun.params.audit_max_log_file as 4
}

test_fail_default_below_parameter if {
	inp := {"audit": object.union(object.remove(fx.audit_hardened_facts, ["config"]), {"config": {}})}
	fx.phrases(rule.deny) == ["max_log_file is not set (auditd's default is 8) MB, expected at least 10 MB"] with input as inp with data.gcrun.params.audit_max_log_file as 10
}

test_fail_invalid if {
	fx.codes(rule.deny) == ["invalid"] with input as fx.audit_conf({"max_log_file": "8M"})
}

test_fail_no_auditd_conf if {
	fx.phrases(rule.deny) == ["/etc/audit/auditd.conf does not exist: auditd is not installed or not configured"] with input as fx.debian12_host
}

test_remediate_raises_max_log_file if {
	rule.remediate == {{"type": "config.set", "path": "/etc/audit/auditd.conf", "format": "keyvalue", "separator": " = ", "key": "max_log_file", "value": "8"}} with input as fx.audit_conf({"max_log_file": "2"})
	rule.remediate == {{"type": "config.set", "path": "/etc/audit/auditd.conf", "format": "keyvalue", "separator": " = ", "key": "max_log_file", "value": "32"}} with input as fx.audit_conf({"max_log_file": "big"}) with data.gcrun.params.audit_max_log_file as 32
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.audit_conf({"max_log_file": "8"})
	count(rule.remediate) == 0 with input as fx.debian12_host
}
