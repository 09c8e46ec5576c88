package gcrun.linux.services.ftp_server_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.services.ftp_server as rule

test_pass_not_installed if {
	count(rule.deny) == 0 with input as fx.svc_units({"cron.service": "enabled"})
	count(rule.not_applicable) == 0 with input as fx.svc_units({"cron.service": "enabled"})
}

test_pass_masked_or_disabled if {
	inp := fx.svc_units({"vsftpd.service": "masked", "proftpd.service": "disabled", "pure-ftpd.service": "masked"})
	count(rule.deny) == 0 with input as inp
	ev := rule.evidence with input as inp
	ev.units == {"proftpd.service": "disabled", "pure-ftpd.service": "masked", "vsftpd.service": "masked"}
	ev.allowed == []
}

test_fail_enabled if {
	reasons := rule.deny with input as fx.svc_units({"vsftpd.service": "enabled", "proftpd.service": "enabled-runtime", "pure-ftpd.service": "enabled"})
	fx.codes(reasons) == ["in_use", "in_use", "in_use"]
	fx.phrases(reasons) == [
		"proftpd.service is enabled-runtime (wanted by multi-user.target), expected not enabled: FTP sends passwords in cleartext",
		"pure-ftpd.service is enabled (wanted by multi-user.target), expected not enabled: FTP sends passwords in cleartext",
		"vsftpd.service is enabled (wanted by multi-user.target), expected not enabled: FTP sends passwords in cleartext",
	]
	some r in reasons
	r.evidence.unit == "vsftpd.service"
	r.evidence.links == ["/etc/systemd/system/multi-user.target.wants/vsftpd.service"]
}

test_pass_allowed if {
	inp := fx.svc_units({"vsftpd.service": "enabled"})
	count(rule.deny) == 0 with input as inp with data.gcrun.params.services_allowed as ["vsftpd"]
	ev := rule.evidence with input as inp with data.gcrun.params.services_allowed as ["vsftpd.service"]
	ev.allowed == ["vsftpd.service"]
}

test_fail_other_unit_allowed if {
	inp := fx.svc_units({"vsftpd.service": "enabled"})
	fx.codes(rule.deny) == ["in_use"] with input as inp with data.gcrun.params.services_allowed as ["sshd", "ssh.service"]
}

test_not_applicable_without_systemd if {
	reasons := rule.not_applicable with input as fx.svc_no_systemd
	fx.codes(reasons) == ["no_systemd"]
}

test_remediate_disables_each_enabled_unit if {
	rule.remediate == {
		{"type": "service.disable", "unit": "vsftpd.service"},
		{"type": "service.disable", "unit": "proftpd.service"},
		{"type": "service.disable", "unit": "pure-ftpd.service"},
	} with input as fx.svc_units({"vsftpd.service": "enabled", "proftpd.service": "enabled", "pure-ftpd.service": "enabled"})
	rule.remediate == {{"type": "service.mask", "unit": "pure-ftpd.service"}} with input as fx.svc_units({"pure-ftpd.service": "enabled-runtime"})
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.svc_units({"vsftpd.service": "disabled", "cron.service": "enabled"})
	count(rule.remediate) == 0 with input as fx.svc_units({"vsftpd.service": "masked"})
	count(rule.remediate) == 0 with input as fx.svc_units({"vsftpd.service": "enabled"}) with data.gcrun.params.services_allowed as ["vsftpd.service"]
	count(rule.remediate) == 0 with input as fx.svc_no_systemd
}
