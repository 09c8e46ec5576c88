package gcrun.linux.ssh.client_alive_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.ssh.client_alive as rule

test_pass_300_3 if {
	count(rule.deny) == 0 with input as fx.sshd({"clientaliveinterval": "300", "clientalivecountmax": "3"})
}

test_pass_stricter if {
	count(rule.deny) == 0 with input as fx.sshd({"clientaliveinterval": "15", "clientalivecountmax": "1"})
}

test_fail_default_interval_0 if {
	reasons := rule.deny with input as fx.sshd({"clientaliveinterval": "0", "clientalivecountmax": "3"})
	fx.codes(reasons) == ["client_alive_interval"]
	fx.phrases(reasons) == ["ClientAliveInterval is 0 (no keepalive probes), expected 1 to 300 seconds"]
}

test_fail_interval_too_long if {
	reasons := rule.deny with input as fx.sshd({"clientaliveinterval": "3600"})
	fx.phrases(reasons) == ["ClientAliveInterval is 3600 seconds, expected 1 to 300 seconds"]
}

test_fail_count_max if {
	fx.phrases(rule.deny) == ["ClientAliveCountMax is 0 (never disconnects), expected 1 to 3"] with input as fx.sshd({"clientalivecountmax": "0"})
	fx.phrases(rule.deny) == ["ClientAliveCountMax is 10, expected 1 to 3"] with input as fx.sshd({"clientalivecountmax": "10"})
}

test_fail_both if {
	reasons := rule.deny with input as fx.sshd_set({"clientaliveinterval": "0", "clientalivecountmax": "5"}, 70)
	fx.codes(reasons) == ["client_alive_count_max", "client_alive_interval"]
	some r in reasons
	r.code == "client_alive_count_max"
	r.evidence == {"keyword": "clientalivecountmax", "file": "/etc/ssh/sshd_config", "line": 70}
	r.expected == "1..3"
	r.actual == "5"
}

test_match_block_disables_probes if {
	reasons := rule.deny with input as fx.sshd_match({"clientaliveinterval": "0"})
	fx.codes(reasons) == ["client_alive_interval_in_match"]
	fx.phrases(reasons) == [concat("", ["ClientAliveInterval is 0 (no keepalive probes)", fx.match_where, ", expected 1 to 300 seconds"])]
}

test_match_block_count_max if {
	fx.codes(rule.deny) == ["client_alive_count_max_in_match"] with input as fx.sshd_match({"clientalivecountmax": "100"})
}

test_match_block_compliant if {
	count(rule.deny) == 0 with input as fx.sshd_match({"clientaliveinterval": "60", "clientalivecountmax": "2"})
}

test_not_applicable_without_sshd if {
	fx.codes(rule.not_applicable) == ["sshd_config_missing"] with input as fx.no_sshd
}

test_fail_parameter_cis_interval_15 if {
	# ansible-lockdown's CIS role probes every 15 seconds.
	reasons := rule.deny with input as fx.sshd({"clientaliveinterval": "300"}) with data.gcrun.params.ssh_client_alive_interval_max as 15
	fx.phrases(reasons) == ["ClientAliveInterval is 300 seconds, expected 1 to 15 seconds"]
	some r in reasons
	r.expected == "1..15"
}

test_pass_parameter_count_max if {
	inp := fx.sshd({"clientalivecountmax": "5"})
	fx.codes(rule.deny) == ["client_alive_count_max"] with input as inp
	count(rule.deny) == 0 with input as inp with data.gcrun.params.ssh_client_alive_count_max as 5
	fx.phrases(rule.deny) == ["ClientAliveCountMax is 3, expected 1 to 2"] with input as fx.sshd({}) with data.gcrun.params.ssh_client_alive_count_max as 2
}

test_remediate_sets_limits if {
	inp := fx.sshd_input({"clientaliveinterval": "0", "clientalivecountmax": "10"}, {"clientaliveinterval": {"file": fx.dropin_file, "line": 2}}, [])
	rule.remediate == {
		{"type": "config.set", "path": fx.dropin_file, "format": "sshd", "key": "ClientAliveInterval", "value": "300"},
		{"type": "config.set", "path": "/etc/ssh/sshd_config", "format": "sshd", "key": "ClientAliveCountMax", "value": "3"},
	} with input as inp
	rule.remediate == {
		{"type": "config.set", "path": fx.dropin_file, "format": "sshd", "key": "ClientAliveInterval", "value": "15"},
		{"type": "config.set", "path": "/etc/ssh/sshd_config", "format": "sshd", "key": "ClientAliveCountMax", "value": "1"},
	} with input as inp with data.gcrun.params.ssh_client_alive_interval_max as 15 with data.gcrun.params.ssh_client_alive_count_max as 1
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.sshd({})
	count(rule.remediate) == 0 with input as fx.no_sshd
	count(rule.remediate) == 0 with input as fx.sshd_match({"clientaliveinterval": "0"})
}
