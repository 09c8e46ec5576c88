package gcrun.linux.services.print_server_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.services.print_server as rule

test_pass_not_installed if {
	count(rule.deny) == 0 with input as fx.svc_units({"cron.service": "enabled"})
	count(rule.not_applicable) == 0 with input as fx.svc_units({"cron.service": "enabled"})
}

test_pass_masked_or_disabled if {
	inp := fx.svc_units({"cups.socket": "masked", "cups.path": "disabled", "cups.service": "masked", "cups-browsed.service": "disabled"})
	count(rule.deny) == 0 with input as inp
	ev := rule.evidence with input as inp
	ev.units == {"cups-browsed.service": "disabled", "cups.path": "disabled", "cups.service": "masked", "cups.socket": "masked"}
	ev.allowed == []
}

test_fail_enabled if {
	reasons := rule.deny with input as fx.svc_units({"cups.socket": "enabled", "cups.path": "enabled-runtime", "cups.service": "enabled", "cups-browsed.service": "enabled-runtime"})
	fx.codes(reasons) == ["in_use", "in_use", "in_use", "in_use"]
	fx.phrases(reasons) == [
		"cups-browsed.service is enabled-runtime (wanted by multi-user.target), expected not enabled: a print server is not needed on a server that does not print",
		"cups.path is enabled-runtime (wanted by multi-user.target), expected not enabled: a print server is not needed on a server that does not print",
		"cups.service is enabled (wanted by multi-user.target), expected not enabled: a print server is not needed on a server that does not print",
		"cups.socket is enabled (wanted by multi-user.target), expected not enabled: a print server is not needed on a server that does not print",
	]
	some r in reasons
	r.evidence.unit == "cups.socket"
	r.evidence.links == ["/etc/systemd/system/multi-user.target.wants/cups.socket"]
}

test_pass_allowed if {
	inp := fx.svc_units({"cups.socket": "enabled"})
	count(rule.deny) == 0 with input as inp with data.gcrun.params.services_allowed as ["cups"]
	ev := rule.evidence with input as inp with data.gcrun.params.services_allowed as ["cups.socket"]
	ev.allowed == ["cups.socket"]
}

test_fail_other_unit_allowed if {
	inp := fx.svc_units({"cups.socket": "enabled"})
	fx.codes(rule.deny) == ["in_use"] with input as inp with data.gcrun.params.services_allowed as ["sshd", "ssh.service"]
}

test_not_applicable_without_systemd if {
	reasons := rule.not_applicable with input as fx.svc_no_systemd
	fx.codes(reasons) == ["no_systemd"]
}

test_remediate_disables_each_enabled_unit if {
	rule.remediate == {
		{"type": "service.disable", "unit": "cups.socket"},
		{"type": "service.disable", "unit": "cups.path"},
		{"type": "service.disable", "unit": "cups.service"},
		{"type": "service.disable", "unit": "cups-browsed.service"},
	} with input as fx.svc_units({"cups.socket": "enabled", "cups.path": "enabled", "cups.service": "enabled", "cups-browsed.service": "enabled"})
	rule.remediate == {{"type": "service.mask", "unit": "cups-browsed.service"}} with input as fx.svc_units({"cups-browsed.service": "enabled-runtime"})
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.svc_units({"cups.socket": "disabled", "cron.service": "enabled"})
	count(rule.remediate) == 0 with input as fx.svc_units({"cups.socket": "masked"})
	count(rule.remediate) == 0 with input as fx.svc_units({"cups.socket": "enabled"}) with data.gcrun.params.services_allowed as ["cups.socket"]
	count(rule.remediate) == 0 with input as fx.svc_no_systemd
}
