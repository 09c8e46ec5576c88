package gcrun.linux.services.nfs_server_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.services.nfs_server as rule

test_pass_not_installed if {
	count(rule.deny) == 0 with input as fx.svc_units({"cron.service": "enabled"})
	count(rule.not_applicable) == 0 with input as fx.svc_units({"cron.service": "enabled"})
}

test_pass_masked_or_disabled if {
	inp := fx.svc_units({"nfs-server.service": "masked", "nfs-kernel-server.service": "disabled"})
	count(rule.deny) == 0 with input as inp
	ev := rule.evidence with input as inp
	ev.units == {"nfs-kernel-server.service": "disabled", "nfs-server.service": "masked"}
	ev.allowed == []
}

test_fail_enabled if {
	reasons := rule.deny with input as fx.svc_units({"nfs-server.service": "enabled", "nfs-kernel-server.service": "enabled-runtime"})
	fx.codes(reasons) == ["in_use", "in_use"]
	fx.phrases(reasons) == [
		"nfs-kernel-server.service is enabled-runtime (wanted by multi-user.target), expected not enabled: the NFS server exports file systems to the network",
		"nfs-server.service is enabled (wanted by multi-user.target), expected not enabled: the NFS server exports file systems to the network",
	]
	some r in reasons
	r.evidence.unit == "nfs-server.service"
	r.evidence.links == ["/etc/systemd/system/multi-user.target.wants/nfs-server.service"]
}

test_pass_allowed if {
	inp := fx.svc_units({"nfs-server.service": "enabled"})
	count(rule.deny) == 0 with input as inp with data.gcrun.params.services_allowed as ["nfs-server"]
	ev := rule.evidence with input as inp with data.gcrun.params.services_allowed as ["nfs-server.service"]
	ev.allowed == ["nfs-server.service"]
}

test_fail_other_unit_allowed if {
	inp := fx.svc_units({"nfs-server.service": "enabled"})
	fx.codes(rule.deny) == ["in_use"] with input as inp with data.gcrun.params.services_allowed as ["sshd", "ssh.service"]
}

test_not_applicable_without_systemd if {
	reasons := rule.not_applicable with input as fx.svc_no_systemd
	fx.codes(reasons) == ["no_systemd"]
}

test_remediate_disables_each_enabled_unit if {
	rule.remediate == {
		{"type": "service.disable", "unit": "nfs-server.service"},
		{"type": "service.disable", "unit": "nfs-kernel-server.service"},
	} with input as fx.svc_units({"nfs-server.service": "enabled", "nfs-kernel-server.service": "enabled"})
	rule.remediate == {{"type": "service.mask", "unit": "nfs-kernel-server.service"}} with input as fx.svc_units({"nfs-kernel-server.service": "enabled-runtime"})
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.svc_units({"nfs-server.service": "disabled", "cron.service": "enabled"})
	count(rule.remediate) == 0 with input as fx.svc_units({"nfs-server.service": "masked"})
	count(rule.remediate) == 0 with input as fx.svc_units({"nfs-server.service": "enabled"}) with data.gcrun.params.services_allowed as ["nfs-server.service"]
	count(rule.remediate) == 0 with input as fx.svc_no_systemd
}
