package gcrun.linux.ssh.max_sessions_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.ssh.max_sessions as rule

test_pass_default_10 if {
	count(rule.deny) == 0 with input as fx.sshd({"maxsessions": "10"})
}

test_pass_stricter if {
	count(rule.deny) == 0 with input as fx.sshd({"maxsessions": "1"})
}

test_fail_11 if {
	reasons := rule.deny with input as fx.sshd_set({"maxsessions": "11"}, 50)
	fx.codes(reasons) == ["max_sessions"]
	fx.phrases(reasons) == ["MaxSessions is 11, expected 10 or fewer"]
	some r in reasons
	r.evidence == {"keyword": "maxsessions", "file": "/etc/ssh/sshd_config", "line": 50}
}

test_match_block_raises_limit if {
	reasons := rule.deny with input as fx.sshd_match({"maxsessions": "64"})
	fx.codes(reasons) == ["max_sessions_in_match"]
	fx.phrases(reasons) == [concat("", ["MaxSessions is 64", fx.match_where, ", expected 10 or fewer"])]
}

test_match_block_compliant if {
	count(rule.deny) == 0 with input as fx.sshd_match({"maxsessions": "2"})
}

test_not_applicable_without_sshd if {
	fx.codes(rule.not_applicable) == ["sshd_config_missing"] with input as fx.no_sshd
}

test_fail_parameter_ansible_lockdown_8 if {
	# ansible-lockdown's CIS role sets 8: the OpenSSH default of 10 then fails.
	reasons := rule.deny with input as fx.sshd({"maxsessions": "10"}) with data.gcrun.params.ssh_max_sessions as 8
	fx.phrases(reasons) == ["MaxSessions is 10, expected 8 or fewer"]
	some r in reasons
	r.expected == "<= 8"
}

test_pass_parameter_looser if {
	inp := fx.sshd({"maxsessions": "20"})
	fx.codes(rule.deny) == ["max_sessions"] with input as inp
	count(rule.deny) == 0 with input as inp with data.gcrun.params.ssh_max_sessions as 20
}

test_remediate_sets_limit if {
	inp := fx.sshd_input({"maxsessions": "64"}, {"maxsessions": {"file": fx.dropin_file, "line": 5}}, [])
	rule.remediate == {{"type": "config.set", "path": fx.dropin_file, "format": "sshd", "key": "MaxSessions", "value": "10"}} with input as inp
	rule.remediate == {{"type": "config.set", "path": fx.dropin_file, "format": "sshd", "key": "MaxSessions", "value": "3"}} with input as inp with data.gcrun.params.ssh_max_sessions as 3.5
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.sshd({"maxsessions": "10"})
	count(rule.remediate) == 0 with input as fx.no_sshd
	count(rule.remediate) == 0 with input as fx.sshd_match({"maxsessions": "64"})
}
