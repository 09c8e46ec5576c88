package gcrun.linux.services.dnsmasq_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.services.dnsmasq as rule

test_pass_not_installed if {
	count(rule.deny) == 0 with input as fx.svc_units({"cron.service": "enabled"})
	count(rule.not_applicable) == 0 with input as fx.svc_units({"cron.service": "enabled"})
}

test_pass_masked_or_disabled if {
	inp := fx.svc_units({"dnsmasq.service": "masked"})
	count(rule.deny) == 0 with input as inp
	ev := rule.evidence with input as inp
	ev.units == {"dnsmasq.service": "masked"}
	ev.allowed == []
}

test_fail_enabled if {
	reasons := rule.deny with input as fx.svc_units({"dnsmasq.service": "enabled"})
	fx.codes(reasons) == ["in_use"]
	fx.phrases(reasons) == [
		"dnsmasq.service is enabled (wanted by multi-user.target), expected not enabled: dnsmasq serves DNS and DHCP to the network",
	]
	some r in reasons
	r.evidence.unit == "dnsmasq.service"
	r.evidence.links == ["/etc/systemd/system/multi-user.target.wants/dnsmasq.service"]
}

test_pass_allowed if {
	inp := fx.svc_units({"dnsmasq.service": "enabled"})
	count(rule.deny) == 0 with input as inp with data.gcrun.params.services_allowed as ["dnsmasq"]
	ev := rule.evidence with input as inp with data.gcrun.params.services_allowed as ["dnsmasq.service"]
	ev.allowed == ["dnsmasq.service"]
}

test_fail_other_unit_allowed if {
	inp := fx.svc_units({"dnsmasq.service": "enabled"})
	fx.codes(rule.deny) == ["in_use"] with input as inp with data.gcrun.params.services_allowed as ["sshd", "ssh.service"]
}

test_not_applicable_without_systemd if {
	reasons := rule.not_applicable with input as fx.svc_no_systemd
	fx.codes(reasons) == ["no_systemd"]
}

test_remediate_disables_each_enabled_unit if {
	rule.remediate == {
		{"type": "service.disable", "unit": "dnsmasq.service"},
	} with input as fx.svc_units({"dnsmasq.service": "enabled"})
	rule.remediate == {{"type": "service.mask", "unit": "dnsmasq.service"}} with input as fx.svc_units({"dnsmasq.service": "enabled-runtime"})
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.svc_units({"dnsmasq.service": "disabled", "cron.service": "enabled"})
	count(rule.remediate) == 0 with input as fx.svc_units({"dnsmasq.service": "masked"})
	count(rule.remediate) == 0 with input as fx.svc_units({"dnsmasq.service": "enabled"}) with data.gcrun.params.services_allowed as ["dnsmasq.service"]
	count(rule.remediate) == 0 with input as fx.svc_no_systemd
}
