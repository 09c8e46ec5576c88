package gcrun.linux.services.nis_server_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.services.nis_server as rule

test_pass_not_installed if {
	count(rule.deny) == 0 with input as fx.svc_units({"cron.service": "enabled"})
	count(rule.not_applicable) == 0 with input as fx.svc_units({"cron.service": "enabled"})
}

test_pass_masked_or_disabled if {
	inp := fx.svc_units({"ypserv.service": "masked"})
	count(rule.deny) == 0 with input as inp
	ev := rule.evidence with input as inp
	ev.units == {"ypserv.service": "masked"}
	ev.allowed == []
}

test_fail_enabled if {
	reasons := rule.deny with input as fx.svc_units({"ypserv.service": "enabled"})
	fx.codes(reasons) == ["in_use"]
	fx.phrases(reasons) == [
		"ypserv.service is enabled (wanted by multi-user.target), expected not enabled: NIS serves password hashes without encryption",
	]
	some r in reasons
	r.evidence.unit == "ypserv.service"
	r.evidence.links == ["/etc/systemd/system/multi-user.target.wants/ypserv.service"]
}

test_pass_allowed if {
	inp := fx.svc_units({"ypserv.service": "enabled"})
	count(rule.deny) == 0 with input as inp with data.gcrun.params.services_allowed as ["ypserv"]
	ev := rule.evidence with input as inp with data.gcrun.params.services_allowed as ["ypserv.service"]
	ev.allowed == ["ypserv.service"]
}

test_fail_other_unit_allowed if {
	inp := fx.svc_units({"ypserv.service": "enabled"})
	fx.codes(rule.deny) == ["in_use"] with input as inp with data.gcrun.params.services_allowed as ["sshd", "ssh.service"]
}

test_not_applicable_without_systemd if {
	reasons := rule.not_applicable with input as fx.svc_no_systemd
	fx.codes(reasons) == ["no_systemd"]
}

test_remediate_disables_each_enabled_unit if {
	rule.remediate == {
		{"type": "service.disable", "unit": "ypserv.service"},
	} with input as fx.svc_units({"ypserv.service": "enabled"})
	rule.remediate == {{"type": "service.mask", "unit": "ypserv.service"}} with input as fx.svc_units({"ypserv.service": "enabled-runtime"})
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.svc_units({"ypserv.service": "disabled", "cron.service": "enabled"})
	count(rule.remediate) == 0 with input as fx.svc_units({"ypserv.service": "masked"})
	count(rule.remediate) == 0 with input as fx.svc_units({"ypserv.service": "enabled"}) with data.gcrun.params.services_allowed as ["ypserv.service"]
	count(rule.remediate) == 0 with input as fx.svc_no_systemd
}
