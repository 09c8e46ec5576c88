package gcrun.linux.ssh.syslog_facility_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.ssh.syslog_facility as rule

test_pass_auth_and_authpriv if {
	count(rule.deny) == 0 with input as fx.sshd({"syslogfacility": "AUTH"})
	count(rule.deny) == 0 with input as fx.sshd({"syslogfacility": "AUTHPRIV"})
}

test_fail_local0 if {
	reasons := rule.deny with input as fx.sshd_set({"syslogfacility": "LOCAL0"}, 7)
	fx.codes(reasons) == ["syslog_facility"]
	fx.phrases(reasons) == [`SyslogFacility is "LOCAL0", expected "AUTH" or "AUTHPRIV"`]
	some r in reasons
	r.expected == ["AUTH", "AUTHPRIV"]
	r.evidence == {"keyword": "syslogfacility", "file": "/etc/ssh/sshd_config", "line": 7}
}

test_pass_parameter_local0 if {
	# A site whose log shipper reads LOCAL0.
	inp := fx.sshd({"syslogfacility": "LOCAL0"})
	count(rule.deny) == 0 with input as inp with data.gcrun.params.ssh_syslog_facilities as ["local0"]
	fx.phrases(rule.deny) == [`SyslogFacility is "AUTH", expected "LOCAL0"`] with input as fx.sshd({}) with data.gcrun.params.ssh_syslog_facilities as ["local0"]
}

test_match_block if {
	# SyslogFacility is not allowed in Match blocks; should facts ever carry
	# one, it is still checked.
	reasons := rule.deny with input as fx.sshd_match({"syslogfacility": "USER"})
	fx.codes(reasons) == ["syslog_facility_in_match"]
	some r in reasons
	contains(r.phrase, fx.match_where)
}

test_not_applicable_without_sshd if {
	fx.codes(rule.not_applicable) == ["sshd_config_missing"] with input as fx.no_sshd
}

test_remediate_sets_first_allowed if {
	inp := fx.sshd_input({"syslogfacility": "LOCAL7"}, {"syslogfacility": {"file": fx.dropin_file, "line": 8}}, [])
	rule.remediate == {{"type": "config.set", "path": fx.dropin_file, "format": "sshd", "key": "SyslogFacility", "value": "AUTH"}} with input as inp
	rule.remediate == {{"type": "config.set", "path": fx.dropin_file, "format": "sshd", "key": "SyslogFacility", "value": "DEBUG"}} with input as inp with data.gcrun.params.ssh_syslog_facilities as ["DEBUG"]
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.sshd({})
	count(rule.remediate) == 0 with input as fx.no_sshd
	count(rule.remediate) == 0 with input as fx.sshd({"syslogfacility": "LOCAL7"}) with data.gcrun.params.ssh_syslog_facilities as []
}
