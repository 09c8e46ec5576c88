package gcrun.linux.services.mail_access_server_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.services.mail_access_server as rule

test_pass_not_installed if {
	count(rule.deny) == 0 with input as fx.svc_units({"cron.service": "enabled"})
	count(rule.not_applicable) == 0 with input as fx.svc_units({"cron.service": "enabled"})
}

test_pass_masked_or_disabled if {
	inp := fx.svc_units({"dovecot.socket": "masked", "dovecot.service": "disabled", "cyrus-imapd.service": "masked"})
	count(rule.deny) == 0 with input as inp
	ev := rule.evidence with input as inp
	ev.units == {"cyrus-imapd.service": "masked", "dovecot.service": "disabled", "dovecot.socket": "masked"}
	ev.allowed == []
}

test_fail_enabled if {
	reasons := rule.deny with input as fx.svc_units({"dovecot.socket": "enabled", "dovecot.service": "enabled-runtime", "cyrus-imapd.service": "enabled"})
	fx.codes(reasons) == ["in_use", "in_use", "in_use"]
	fx.phrases(reasons) == [
		"cyrus-imapd.service is enabled (wanted by multi-user.target), expected not enabled: an IMAP/POP3 server exposes mailboxes to the network",
		"dovecot.service is enabled-runtime (wanted by multi-user.target), expected not enabled: an IMAP/POP3 server exposes mailboxes to the network",
		"dovecot.socket is enabled (wanted by multi-user.target), expected not enabled: an IMAP/POP3 server exposes mailboxes to the network",
	]
	some r in reasons
	r.evidence.unit == "dovecot.socket"
	r.evidence.links == ["/etc/systemd/system/multi-user.target.wants/dovecot.socket"]
}

test_pass_allowed if {
	inp := fx.svc_units({"dovecot.socket": "enabled"})
	count(rule.deny) == 0 with input as inp with data.gcrun.params.services_allowed as ["dovecot"]
	ev := rule.evidence with input as inp with data.gcrun.params.services_allowed as ["dovecot.socket"]
	ev.allowed == ["dovecot.socket"]
}

test_fail_other_unit_allowed if {
	inp := fx.svc_units({"dovecot.socket": "enabled"})
	fx.codes(rule.deny) == ["in_use"] with input as inp with data.gcrun.params.services_allowed as ["sshd", "ssh.service"]
}

test_not_applicable_without_systemd if {
	reasons := rule.not_applicable with input as fx.svc_no_systemd
	fx.codes(reasons) == ["no_systemd"]
}

test_remediate_disables_each_enabled_unit if {
	rule.remediate == {
		{"type": "service.disable", "unit": "dovecot.socket"},
		{"type": "service.disable", "unit": "dovecot.service"},
		{"type": "service.disable", "unit": "cyrus-imapd.service"},
	} with input as fx.svc_units({"dovecot.socket": "enabled", "dovecot.service": "enabled", "cyrus-imapd.service": "enabled"})
	rule.remediate == {{"type": "service.mask", "unit": "cyrus-imapd.service"}} with input as fx.svc_units({"cyrus-imapd.service": "enabled-runtime"})
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.svc_units({"dovecot.socket": "disabled", "cron.service": "enabled"})
	count(rule.remediate) == 0 with input as fx.svc_units({"dovecot.socket": "masked"})
	count(rule.remediate) == 0 with input as fx.svc_units({"dovecot.socket": "enabled"}) with data.gcrun.params.services_allowed as ["dovecot.socket"]
	count(rule.remediate) == 0 with input as fx.svc_no_systemd
}
