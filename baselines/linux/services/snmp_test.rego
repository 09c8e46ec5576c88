package gcrun.linux.services.snmp_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.services.snmp as rule

test_pass_not_installed if {
	count(rule.deny) == 0 with input as fx.svc_units({"cron.service": "enabled"})
	count(rule.not_applicable) == 0 with input as fx.svc_units({"cron.service": "enabled"})
}

test_pass_masked_or_disabled if {
	inp := fx.svc_units({"snmpd.service": "masked"})
	count(rule.deny) == 0 with input as inp
	ev := rule.evidence with input as inp
	ev.units == {"snmpd.service": "masked"}
	ev.allowed == []
}

test_fail_enabled if {
	reasons := rule.deny with input as fx.svc_units({"snmpd.service": "enabled"})
	fx.codes(reasons) == ["in_use"]
	fx.phrases(reasons) == [
		"snmpd.service is enabled (wanted by multi-user.target), expected not enabled: SNMP exposes the host's state, v1/v2c with cleartext communities",
	]
	some r in reasons
	r.evidence.unit == "snmpd.service"
	r.evidence.links == ["/etc/systemd/system/multi-user.target.wants/snmpd.service"]
}

test_pass_allowed if {
	inp := fx.svc_units({"snmpd.service": "enabled"})
	count(rule.deny) == 0 with input as inp with data.gcrun.params.services_allowed as ["snmpd"]
	ev := rule.evidence with input as inp with data.gcrun.params.services_allowed as ["snmpd.service"]
	ev.allowed == ["snmpd.service"]
}

test_fail_other_unit_allowed if {
	inp := fx.svc_units({"snmpd.service": "enabled"})
	fx.codes(rule.deny) == ["in_use"] with input as inp with data.gcrun.params.services_allowed as ["sshd", "ssh.service"]
}

test_not_applicable_without_systemd if {
	reasons := rule.not_applicable with input as fx.svc_no_systemd
	fx.codes(reasons) == ["no_systemd"]
}

test_remediate_disables_each_enabled_unit if {
	rule.remediate == {
		{"type": "service.disable", "unit": "snmpd.service"},
	} with input as fx.svc_units({"snmpd.service": "enabled"})
	rule.remediate == {{"type": "service.mask", "unit": "snmpd.service"}} with input as fx.svc_units({"snmpd.service": "enabled-runtime"})
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.svc_units({"snmpd.service": "disabled", "cron.service": "enabled"})
	count(rule.remediate) == 0 with input as fx.svc_units({"snmpd.service": "masked"})
	count(rule.remediate) == 0 with input as fx.svc_units({"snmpd.service": "enabled"}) with data.gcrun.params.services_allowed as ["snmpd.service"]
	count(rule.remediate) == 0 with input as fx.svc_no_systemd
}
