package gcrun.linux.services.samba_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.services.samba as rule

test_pass_not_installed if {
	count(rule.deny) == 0 with input as fx.svc_units({"cron.service": "enabled"})
	count(rule.not_applicable) == 0 with input as fx.svc_units({"cron.service": "enabled"})
}

test_pass_masked_or_disabled if {
	inp := fx.svc_units({"smbd.service": "masked", "nmbd.service": "disabled", "samba-ad-dc.service": "masked"})
	count(rule.deny) == 0 with input as inp
	ev := rule.evidence with input as inp
	ev.units == {"nmbd.service": "disabled", "samba-ad-dc.service": "masked", "smbd.service": "masked"}
	ev.allowed == []
}

test_fail_enabled if {
	reasons := rule.deny with input as fx.svc_units({"smbd.service": "enabled", "nmbd.service": "enabled-runtime", "samba-ad-dc.service": "enabled"})
	fx.codes(reasons) == ["in_use", "in_use", "in_use"]
	fx.phrases(reasons) == [
		"nmbd.service is enabled-runtime (wanted by multi-user.target), expected not enabled: SMB file sharing is only needed on file servers",
		"samba-ad-dc.service is enabled (wanted by multi-user.target), expected not enabled: SMB file sharing is only needed on file servers",
		"smbd.service is enabled (wanted by multi-user.target), expected not enabled: SMB file sharing is only needed on file servers",
	]
	some r in reasons
	r.evidence.unit == "smbd.service"
	r.evidence.links == ["/etc/systemd/system/multi-user.target.wants/smbd.service"]
}

test_pass_allowed if {
	inp := fx.svc_units({"smbd.service": "enabled"})
	count(rule.deny) == 0 with input as inp with data.gcrun.params.services_allowed as ["smbd"]
	ev := rule.evidence with input as inp with data.gcrun.params.services_allowed as ["smbd.service"]
	ev.allowed == ["smbd.service"]
}

test_fail_other_unit_allowed if {
	inp := fx.svc_units({"smbd.service": "enabled"})
	fx.codes(rule.deny) == ["in_use"] with input as inp with data.gcrun.params.services_allowed as ["sshd", "ssh.service"]
}

test_not_applicable_without_systemd if {
	reasons := rule.not_applicable with input as fx.svc_no_systemd
	fx.codes(reasons) == ["no_systemd"]
}

test_remediate_disables_each_enabled_unit if {
	rule.remediate == {
		{"type": "service.disable", "unit": "smbd.service"},
		{"type": "service.disable", "unit": "nmbd.service"},
		{"type": "service.disable", "unit": "samba-ad-dc.service"},
	} with input as fx.svc_units({"smbd.service": "enabled", "nmbd.service": "enabled", "samba-ad-dc.service": "enabled"})
	rule.remediate == {{"type": "service.mask", "unit": "samba-ad-dc.service"}} with input as fx.svc_units({"samba-ad-dc.service": "enabled-runtime"})
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.svc_units({"smbd.service": "disabled", "cron.service": "enabled"})
	count(rule.remediate) == 0 with input as fx.svc_units({"smbd.service": "masked"})
	count(rule.remediate) == 0 with input as fx.svc_units({"smbd.service": "enabled"}) with data.gcrun.params.services_allowed as ["smbd.service"]
	count(rule.remediate) == 0 with input as fx.svc_no_systemd
}
