package gcrun.linux.services.web_proxy_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.services.web_proxy as rule

test_pass_not_installed if {
	count(rule.deny) == 0 with input as fx.svc_units({"cron.service": "enabled"})
	count(rule.not_applicable) == 0 with input as fx.svc_units({"cron.service": "enabled"})
}

test_pass_masked_or_disabled if {
	inp := fx.svc_units({"squid.service": "masked"})
	count(rule.deny) == 0 with input as inp
	ev := rule.evidence with input as inp
	ev.units == {"squid.service": "masked"}
	ev.allowed == []
}

test_fail_enabled if {
	reasons := rule.deny with input as fx.svc_units({"squid.service": "enabled"})
	fx.codes(reasons) == ["in_use"]
	fx.phrases(reasons) == [
		"squid.service is enabled (wanted by multi-user.target), expected not enabled: a web proxy relays other machines' traffic",
	]
	some r in reasons
	r.evidence.unit == "squid.service"
	r.evidence.links == ["/etc/systemd/system/multi-user.target.wants/squid.service"]
}

test_pass_allowed if {
	inp := fx.svc_units({"squid.service": "enabled"})
	count(rule.deny) == 0 with input as inp with data.gcrun.params.services_allowed as ["squid"]
	ev := rule.evidence with input as inp with data.gcrun.params.services_allowed as ["squid.service"]
	ev.allowed == ["squid.service"]
}

test_fail_other_unit_allowed if {
	inp := fx.svc_units({"squid.service": "enabled"})
	fx.codes(rule.deny) == ["in_use"] with input as inp with data.gcrun.params.services_allowed as ["sshd", "ssh.service"]
}

test_not_applicable_without_systemd if {
	reasons := rule.not_applicable with input as fx.svc_no_systemd
	fx.codes(reasons) == ["no_systemd"]
}

test_remediate_disables_each_enabled_unit if {
	rule.remediate == {
		{"type": "service.disable", "unit": "squid.service"},
	} with input as fx.svc_units({"squid.service": "enabled"})
	rule.remediate == {{"type": "service.mask", "unit": "squid.service"}} with input as fx.svc_units({"squid.service": "enabled-runtime"})
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.svc_units({"squid.service": "disabled", "cron.service": "enabled"})
	count(rule.remediate) == 0 with input as fx.svc_units({"squid.service": "masked"})
	count(rule.remediate) == 0 with input as fx.svc_units({"squid.service": "enabled"}) with data.gcrun.params.services_allowed as ["squid.service"]
	count(rule.remediate) == 0 with input as fx.svc_no_systemd
}
