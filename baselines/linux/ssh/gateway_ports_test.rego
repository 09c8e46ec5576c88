package gcrun.linux.ssh.gateway_ports_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.ssh.gateway_ports as rule

test_pass_no if {
	count(rule.deny) == 0 with input as fx.sshd({"gatewayports": "no"})
}

test_fail_yes if {
	reasons := rule.deny with input as fx.sshd_input({"gatewayports": "yes"}, {"gatewayports": {"file": "/etc/ssh/sshd_config", "line": 42}}, [])
	fx.codes(reasons) == ["gateway_ports"]
	some r in reasons
	r.phrase == `GatewayPorts is "yes", expected "no"`
	r.expected == "no"
	r.actual == "yes"
	r.evidence == {"keyword": "gatewayports", "file": "/etc/ssh/sshd_config", "line": 42}
}

test_fail_every_other_value if {
	fx.codes(rule.deny) == ["gateway_ports"] with input as fx.sshd({"gatewayports": "clientspecified"})
}

test_match_block_yes if {
	reasons := rule.deny with input as fx.sshd_input({}, {}, [fx.match_block({"gatewayports": "yes"})])
	fx.codes(reasons) == ["gateway_ports_in_match"]
	some r in reasons
	r.phrase == concat("", [`GatewayPorts is "yes"`, fx.match_where, `, expected "no"`])
	r.evidence.keyword == "gatewayports"
	r.evidence.line == 121
	r.evidence.match == "User alice,!bob Address 10.0.0.0/8"
	r.evidence.match_criteria == fx.match_criteria
	r.evidence.match_line == 120
}

test_match_block_compliant if {
	count(rule.deny) == 0 with input as fx.sshd_match({"gatewayports": "no"})
}

test_not_applicable_without_sshd if {
	fx.codes(rule.not_applicable) == ["sshd_config_missing"] with input as fx.no_sshd
}

test_remediate_where_set if {
	inp := fx.sshd_input({"gatewayports": "clientspecified"}, {"gatewayports": {"file": fx.dropin_file, "line": 3}}, [])
	rule.remediate == {{"type": "config.set", "path": fx.dropin_file, "format": "sshd", "key": "GatewayPorts", "value": "no"}} with input as inp
}

test_remediate_default_in_sshd_config if {
	rule.remediate == {{"type": "config.set", "path": "/etc/ssh/sshd_config", "format": "sshd", "key": "GatewayPorts", "value": "no"}} with input as fx.sshd({"gatewayports": "clientspecified"})
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.sshd({"gatewayports": "no"})
	count(rule.remediate) == 0 with input as fx.no_sshd
}

test_remediate_match_block_is_manual if {
	inp := fx.sshd_input({"gatewayports": "no"}, {}, [fx.match_block({"gatewayports": "clientspecified"})])
	count(rule.deny) == 1 with input as inp
	count(rule.remediate) == 0 with input as inp
}
