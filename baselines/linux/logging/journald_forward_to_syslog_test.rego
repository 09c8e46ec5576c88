package gcrun.linux.logging.journald_forward_to_syslog_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.logging.journald_forward_to_syslog as rule

with_rsyslog(forward) := fx.logging({"ForwardToSyslog": forward}, fx.rsyslog_hardened)

without_rsyslog(forward) := fx.journald_only({"ForwardToSyslog": forward})

test_pass_auto if {
	count(rule.deny) == 0 with input as with_rsyslog("yes")
	count(rule.deny) == 0 with input as without_rsyslog("no")
	count(rule.deny) == 0 with input as without_rsyslog("off")
}

test_fail_auto_with_rsyslog if {
	reasons := rule.deny with input as with_rsyslog("no")
	fx.phrases(reasons) == ["journald ForwardToSyslog is \"no\" (/etc/systemd/journald.conf.d/60-cis.conf:2), which means no; expected yes because rsyslog is installed and configured"]
}

test_fail_auto_default_without_rsyslog if {
	reasons := rule.deny with input as fx.debian12_host
	fx.phrases(reasons) == ["journald ForwardToSyslog is not set, which means yes; expected no because rsyslog is not in use"]
}

test_fail_rsyslog_config_left_behind if {
	# The package is removed: its configuration does not make it the logger.
	inp := object.union(object.remove(with_rsyslog("yes"), ["packages"]), fx.packages([]))
	fx.codes(rule.deny) == ["forward_to_syslog"] with input as inp
}

test_fail_parameter if {
	count(rule.deny) == 0 with input as with_rsyslog("no") with data.gcrun.params.logging_journald_forward_to_syslog as "no"
	fx.codes(rule.deny) == ["forward_to_syslog"] with input as without_rsyslog("no") with data.gcrun.params.logging_journald_forward_to_syslog as "yes"
	fx.codes(rule.deny) == ["parameter"] with input as without_rsyslog("no") with data.gcrun.params.logging_journald_forward_to_syslog as "sometimes"
}

test_fail_invalid if {
	fx.codes(rule.deny) == ["invalid"] with input as without_rsyslog("perhaps")
}

test_not_applicable_without_journald_conf if {
	fx.codes(rule.not_applicable) == ["no_journald_conf"] with input as fx.empty_host
}

test_evidence_expected if {
	ev := rule.evidence with input as with_rsyslog("yes")
	ev.expected == "yes"
	ev.rsyslog_used == true
}

test_remediate_sets_wanted_value if {
	rule.remediate == {{"type": "file.content", "path": "/etc/systemd/journald.conf.d/60-gcrun-forwardtosyslog.conf", "content": "[Journal]\nForwardToSyslog=no\n"}} with input as fx.debian12_host
	rule.remediate == {{"type": "config.set", "path": fx.journald_dropin, "format": "keyvalue", "separator": "=", "key": "ForwardToSyslog", "value": "yes"}} with input as fx.journald_only({"ForwardToSyslog": "no"}) with data.gcrun.params.logging_journald_forward_to_syslog as "yes"
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.hardened_host
	count(rule.remediate) == 0 with input as fx.debian12_host with data.gcrun.params.logging_journald_forward_to_syslog as "sometimes"
	count(rule.remediate) == 0 with input as fx.empty_host
}
