package gcrun.linux.services.tftp_server_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.services.tftp_server as rule

test_pass_not_installed if {
	count(rule.deny) == 0 with input as fx.svc_units({"cron.service": "enabled"})
	count(rule.not_applicable) == 0 with input as fx.svc_units({"cron.service": "enabled"})
}

test_pass_masked_or_disabled if {
	inp := fx.svc_units({"tftpd-hpa.service": "masked", "atftpd.service": "disabled"})
	count(rule.deny) == 0 with input as inp
	ev := rule.evidence with input as inp
	ev.units == {"atftpd.service": "disabled", "tftpd-hpa.service": "masked"}
	ev.allowed == []
}

test_fail_enabled if {
	reasons := rule.deny with input as fx.svc_units({"tftpd-hpa.service": "enabled", "atftpd.service": "enabled-runtime"})
	fx.codes(reasons) == ["in_use", "in_use"]
	fx.phrases(reasons) == [
		"atftpd.service is enabled-runtime (wanted by multi-user.target), expected not enabled: TFTP has no authentication",
		"tftpd-hpa.service is enabled (wanted by multi-user.target), expected not enabled: TFTP has no authentication",
	]
	some r in reasons
	r.evidence.unit == "tftpd-hpa.service"
	r.evidence.links == ["/etc/systemd/system/multi-user.target.wants/tftpd-hpa.service"]
}

test_pass_allowed if {
	inp := fx.svc_units({"tftpd-hpa.service": "enabled"})
	count(rule.deny) == 0 with input as inp with data.gcrun.params.services_allowed as ["tftpd-hpa"]
	ev := rule.evidence with input as inp with data.gcrun.params.services_allowed as ["tftpd-hpa.service"]
	ev.allowed == ["tftpd-hpa.service"]
}

test_fail_other_unit_allowed if {
	inp := fx.svc_units({"tftpd-hpa.service": "enabled"})
	fx.codes(rule.deny) == ["in_use"] with input as inp with data.gcrun.params.services_allowed as ["sshd", "ssh.service"]
}

test_not_applicable_without_systemd if {
	reasons := rule.not_applicable with input as fx.svc_no_systemd
	fx.codes(reasons) == ["no_systemd"]
}

test_remediate_disables_each_enabled_unit if {
	rule.remediate == {
		{"type": "service.disable", "unit": "tftpd-hpa.service"},
		{"type": "service.disable", "unit": "atftpd.service"},
	} with input as fx.svc_units({"tftpd-hpa.service": "enabled", "atftpd.service": "enabled"})
	rule.remediate == {{"type": "service.mask", "unit": "atftpd.service"}} with input as fx.svc_units({"atftpd.service": "enabled-runtime"})
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.svc_units({"tftpd-hpa.service": "disabled", "cron.service": "enabled"})
	count(rule.remediate) == 0 with input as fx.svc_units({"tftpd-hpa.service": "masked"})
	count(rule.remediate) == 0 with input as fx.svc_units({"tftpd-hpa.service": "enabled"}) with data.gcrun.params.services_allowed as ["tftpd-hpa.service"]
	count(rule.remediate) == 0 with input as fx.svc_no_systemd
}
