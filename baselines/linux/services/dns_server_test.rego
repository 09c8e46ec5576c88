package gcrun.linux.services.dns_server_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.services.dns_server as rule

test_pass_not_installed if {
	count(rule.deny) == 0 with input as fx.svc_units({"cron.service": "enabled"})
	count(rule.not_applicable) == 0 with input as fx.svc_units({"cron.service": "enabled"})
}

test_pass_masked_or_disabled if {
	inp := fx.svc_units({"named.service": "masked", "bind9.service": "disabled"})
	count(rule.deny) == 0 with input as inp
	ev := rule.evidence with input as inp
	ev.units == {"bind9.service": "disabled", "named.service": "masked"}
	ev.allowed == []
}

test_fail_enabled if {
	reasons := rule.deny with input as fx.svc_units({"named.service": "enabled", "bind9.service": "enabled-runtime"})
	fx.codes(reasons) == ["in_use", "in_use"]
	fx.phrases(reasons) == [
		"bind9.service is enabled-runtime (wanted by multi-user.target), expected not enabled: a DNS server is a network service only name servers need",
		"named.service is enabled (wanted by multi-user.target), expected not enabled: a DNS server is a network service only name servers need",
	]
	some r in reasons
	r.evidence.unit == "named.service"
	r.evidence.links == ["/etc/systemd/system/multi-user.target.wants/named.service"]
}

test_pass_allowed if {
	inp := fx.svc_units({"named.service": "enabled"})
	count(rule.deny) == 0 with input as inp with data.gcrun.params.services_allowed as ["named"]
	ev := rule.evidence with input as inp with data.gcrun.params.services_allowed as ["named.service"]
	ev.allowed == ["named.service"]
}

test_fail_other_unit_allowed if {
	inp := fx.svc_units({"named.service": "enabled"})
	fx.codes(rule.deny) == ["in_use"] with input as inp with data.gcrun.params.services_allowed as ["sshd", "ssh.service"]
}

test_not_applicable_without_systemd if {
	reasons := rule.not_applicable with input as fx.svc_no_systemd
	fx.codes(reasons) == ["no_systemd"]
}

test_remediate_disables_each_enabled_unit if {
	rule.remediate == {
		{"type": "service.disable", "unit": "named.service"},
		{"type": "service.disable", "unit": "bind9.service"},
	} with input as fx.svc_units({"named.service": "enabled", "bind9.service": "enabled"})
	rule.remediate == {{"type": "service.mask", "unit": "bind9.service"}} with input as fx.svc_units({"bind9.service": "enabled-runtime"})
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.svc_units({"named.service": "disabled", "cron.service": "enabled"})
	count(rule.remediate) == 0 with input as fx.svc_units({"named.service": "masked"})
	count(rule.remediate) == 0 with input as fx.svc_units({"named.service": "enabled"}) with data.gcrun.params.services_allowed as ["named.service"]
	count(rule.remediate) == 0 with input as fx.svc_no_systemd
}
