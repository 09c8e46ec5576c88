package gcrun.linux.services.avahi_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.services.avahi as rule

test_pass_not_installed if {
	count(rule.deny) == 0 with input as fx.svc_units({"cron.service": "enabled"})
	count(rule.not_applicable) == 0 with input as fx.svc_units({"cron.service": "enabled"})
}

test_pass_masked_or_disabled if {
	inp := fx.svc_units({"avahi-daemon.socket": "masked", "avahi-daemon.service": "disabled"})
	count(rule.deny) == 0 with input as inp
	ev := rule.evidence with input as inp
	ev.units == {"avahi-daemon.service": "disabled", "avahi-daemon.socket": "masked"}
	ev.allowed == []
}

test_fail_enabled if {
	reasons := rule.deny with input as fx.svc_units({"avahi-daemon.socket": "enabled", "avahi-daemon.service": "enabled-runtime"})
	fx.codes(reasons) == ["in_use", "in_use"]
	fx.phrases(reasons) == [
		"avahi-daemon.service is enabled-runtime (wanted by multi-user.target), expected not enabled: mDNS advertises the host and its services on the local network",
		"avahi-daemon.socket is enabled (wanted by multi-user.target), expected not enabled: mDNS advertises the host and its services on the local network",
	]
	some r in reasons
	r.evidence.unit == "avahi-daemon.socket"
	r.evidence.links == ["/etc/systemd/system/multi-user.target.wants/avahi-daemon.socket"]
}

test_pass_allowed if {
	inp := fx.svc_units({"avahi-daemon.socket": "enabled"})
	count(rule.deny) == 0 with input as inp with data.gcrun.params.services_allowed as ["avahi-daemon"]
	ev := rule.evidence with input as inp with data.gcrun.params.services_allowed as ["avahi-daemon.socket"]
	ev.allowed == ["avahi-daemon.socket"]
}

test_fail_other_unit_allowed if {
	inp := fx.svc_units({"avahi-daemon.socket": "enabled"})
	fx.codes(rule.deny) == ["in_use"] with input as inp with data.gcrun.params.services_allowed as ["sshd", "ssh.service"]
}

test_not_applicable_without_systemd if {
	reasons := rule.not_applicable with input as fx.svc_no_systemd
	fx.codes(reasons) == ["no_systemd"]
}

test_remediate_disables_each_enabled_unit if {
	rule.remediate == {
		{"type": "service.disable", "unit": "avahi-daemon.socket"},
		{"type": "service.disable", "unit": "avahi-daemon.service"},
	} with input as fx.svc_units({"avahi-daemon.socket": "enabled", "avahi-daemon.service": "enabled"})
	rule.remediate == {{"type": "service.mask", "unit": "avahi-daemon.service"}} with input as fx.svc_units({"avahi-daemon.service": "enabled-runtime"})
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.svc_units({"avahi-daemon.socket": "disabled", "cron.service": "enabled"})
	count(rule.remediate) == 0 with input as fx.svc_units({"avahi-daemon.socket": "masked"})
	count(rule.remediate) == 0 with input as fx.svc_units({"avahi-daemon.socket": "enabled"}) with data.gcrun.params.services_allowed as ["avahi-daemon.socket"]
	count(rule.remediate) == 0 with input as fx.svc_no_systemd
}
