package gcrun.linux.services.rpcbind_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.services.rpcbind as rule

test_pass_not_installed if {
	count(rule.deny) == 0 with input as fx.svc_units({"cron.service": "enabled"})
	count(rule.not_applicable) == 0 with input as fx.svc_units({"cron.service": "enabled"})
}

test_pass_masked_or_disabled if {
	inp := fx.svc_units({"rpcbind.socket": "masked", "rpcbind.service": "disabled"})
	count(rule.deny) == 0 with input as inp
	ev := rule.evidence with input as inp
	ev.units == {"rpcbind.service": "disabled", "rpcbind.socket": "masked"}
	ev.allowed == []
}

test_fail_enabled if {
	reasons := rule.deny with input as fx.svc_units({"rpcbind.socket": "enabled", "rpcbind.service": "enabled-runtime"})
	fx.codes(reasons) == ["in_use", "in_use"]
	fx.phrases(reasons) == [
		"rpcbind.service is enabled-runtime (wanted by multi-user.target), expected not enabled: rpcbind is only needed by NFS and NIS",
		"rpcbind.socket is enabled (wanted by multi-user.target), expected not enabled: rpcbind is only needed by NFS and NIS",
	]
	some r in reasons
	r.evidence.unit == "rpcbind.socket"
	r.evidence.links == ["/etc/systemd/system/multi-user.target.wants/rpcbind.socket"]
}

test_pass_allowed if {
	inp := fx.svc_units({"rpcbind.socket": "enabled"})
	count(rule.deny) == 0 with input as inp with data.gcrun.params.services_allowed as ["rpcbind"]
	ev := rule.evidence with input as inp with data.gcrun.params.services_allowed as ["rpcbind.socket"]
	ev.allowed == ["rpcbind.socket"]
}

test_fail_other_unit_allowed if {
	inp := fx.svc_units({"rpcbind.socket": "enabled"})
	fx.codes(rule.deny) == ["in_use"] with input as inp with data.gcrun.params.services_allowed as ["sshd", "ssh.service"]
}

test_not_applicable_without_systemd if {
	reasons := rule.not_applicable with input as fx.svc_no_systemd
	fx.codes(reasons) == ["no_systemd"]
}

test_remediate_disables_each_enabled_unit if {
	rule.remediate == {
		{"type": "service.disable", "unit": "rpcbind.socket"},
		{"type": "service.disable", "unit": "rpcbind.service"},
	} with input as fx.svc_units({"rpcbind.socket": "enabled", "rpcbind.service": "enabled"})
	rule.remediate == {{"type": "service.mask", "unit": "rpcbind.service"}} with input as fx.svc_units({"rpcbind.service": "enabled-runtime"})
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.svc_units({"rpcbind.socket": "disabled", "cron.service": "enabled"})
	count(rule.remediate) == 0 with input as fx.svc_units({"rpcbind.socket": "masked"})
	count(rule.remediate) == 0 with input as fx.svc_units({"rpcbind.socket": "enabled"}) with data.gcrun.params.services_allowed as ["rpcbind.socket"]
	count(rule.remediate) == 0 with input as fx.svc_no_systemd
}
