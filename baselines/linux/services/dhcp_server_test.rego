package gcrun.linux.services.dhcp_server_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.services.dhcp_server as rule

test_pass_not_installed if {
	count(rule.deny) == 0 with input as fx.svc_units({"cron.service": "enabled"})
	count(rule.not_applicable) == 0 with input as fx.svc_units({"cron.service": "enabled"})
}

test_pass_masked_or_disabled if {
	inp := fx.svc_units({"isc-dhcp-server.service": "masked", "isc-dhcp-server6.service": "disabled", "kea-dhcp4-server.service": "masked", "kea-dhcp6-server.service": "disabled"})
	count(rule.deny) == 0 with input as inp
	ev := rule.evidence with input as inp
	ev.units == {"isc-dhcp-server.service": "masked", "isc-dhcp-server6.service": "disabled", "kea-dhcp4-server.service": "masked", "kea-dhcp6-server.service": "disabled"}
	ev.allowed == []
}

test_fail_enabled if {
	reasons := rule.deny with input as fx.svc_units({"isc-dhcp-server.service": "enabled", "isc-dhcp-server6.service": "enabled-runtime", "kea-dhcp4-server.service": "enabled", "kea-dhcp6-server.service": "enabled-runtime"})
	fx.codes(reasons) == ["in_use", "in_use", "in_use", "in_use"]
	fx.phrases(reasons) == [
		"isc-dhcp-server.service is enabled (wanted by multi-user.target), expected not enabled: a DHCP server configures every client on the segment",
		"isc-dhcp-server6.service is enabled-runtime (wanted by multi-user.target), expected not enabled: a DHCP server configures every client on the segment",
		"kea-dhcp4-server.service is enabled (wanted by multi-user.target), expected not enabled: a DHCP server configures every client on the segment",
		"kea-dhcp6-server.service is enabled-runtime (wanted by multi-user.target), expected not enabled: a DHCP server configures every client on the segment",
	]
	some r in reasons
	r.evidence.unit == "isc-dhcp-server.service"
	r.evidence.links == ["/etc/systemd/system/multi-user.target.wants/isc-dhcp-server.service"]
}

test_pass_allowed if {
	inp := fx.svc_units({"isc-dhcp-server.service": "enabled"})
	count(rule.deny) == 0 with input as inp with data.gcrun.params.services_allowed as ["isc-dhcp-server"]
	ev := rule.evidence with input as inp with data.gcrun.params.services_allowed as ["isc-dhcp-server.service"]
	ev.allowed == ["isc-dhcp-server.service"]
}

test_fail_other_unit_allowed if {
	inp := fx.svc_units({"isc-dhcp-server.service": "enabled"})
	fx.codes(rule.deny) == ["in_use"] with input as inp with data.gcrun.params.services_allowed as ["sshd", "ssh.service"]
}

test_not_applicable_without_systemd if {
	reasons := rule.not_applicable with input as fx.svc_no_systemd
	fx.codes(reasons) == ["no_systemd"]
}

test_remediate_disables_each_enabled_unit if {
	rule.remediate == {
		{"type": "service.disable", "unit": "isc-dhcp-server.service"},
		{"type": "service.disable", "unit": "isc-dhcp-server6.service"},
		{"type": "service.disable", "unit": "kea-dhcp4-server.service"},
		{"type": "service.disable", "unit": "kea-dhcp6-server.service"},
	} with input as fx.svc_units({"isc-dhcp-server.service": "enabled", "isc-dhcp-server6.service": "enabled", "kea-dhcp4-server.service": "enabled", "kea-dhcp6-server.service": "enabled"})
	rule.remediate == {{"type": "service.mask", "unit": "kea-dhcp6-server.service"}} with input as fx.svc_units({"kea-dhcp6-server.service": "enabled-runtime"})
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.svc_units({"isc-dhcp-server.service": "disabled", "cron.service": "enabled"})
	count(rule.remediate) == 0 with input as fx.svc_units({"isc-dhcp-server.service": "masked"})
	count(rule.remediate) == 0 with input as fx.svc_units({"isc-dhcp-server.service": "enabled"}) with data.gcrun.params.services_allowed as ["isc-dhcp-server.service"]
	count(rule.remediate) == 0 with input as fx.svc_no_systemd
}
