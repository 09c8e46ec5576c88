package gcrun.linux.ssh.permit_tunnel_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.ssh.permit_tunnel as rule

test_pass_no if {
	count(rule.deny) == 0 with input as fx.sshd({"permittunnel": "no"})
}

test_fail_yes if {
	reasons := rule.deny with input as fx.sshd_input({"permittunnel": "yes"}, {"permittunnel": {"file": "/etc/ssh/sshd_config", "line": 42}}, [])
	fx.codes(reasons) == ["permit_tunnel"]
	some r in reasons
	r.phrase == `PermitTunnel is "yes", expected "no"`
	r.expected == "no"
	r.actual == "yes"
	r.evidence == {"keyword": "permittunnel", "file": "/etc/ssh/sshd_config", "line": 42}
}

test_fail_every_other_value if {
	fx.codes(rule.deny) == ["permit_tunnel"] with input as fx.sshd({"permittunnel": "point-to-point"})
	fx.codes(rule.deny) == ["permit_tunnel"] with input as fx.sshd({"permittunnel": "ethernet"})
}

test_match_block_yes if {
	reasons := rule.deny with input as fx.sshd_input({}, {}, [fx.match_block({"permittunnel": "yes"})])
	fx.codes(reasons) == ["permit_tunnel_in_match"]
	some r in reasons
	r.phrase == concat("", [`PermitTunnel is "yes"`, fx.match_where, `, expected "no"`])
	r.evidence.keyword == "permittunnel"
	r.evidence.line == 121
	r.evidence.match == "User alice,!bob Address 10.0.0.0/8"
	r.evidence.match_criteria == fx.match_criteria
	r.evidence.match_line == 120
}

test_match_block_compliant if {
	count(rule.deny) == 0 with input as fx.sshd_match({"permittunnel": "no"})
}

test_not_applicable_without_sshd if {
	fx.codes(rule.not_applicable) == ["sshd_config_missing"] with input as fx.no_sshd
}

test_remediate_where_set if {
	inp := fx.sshd_input({"permittunnel": "yes"}, {"permittunnel": {"file": fx.dropin_file, "line": 3}}, [])
	rule.remediate == {{"type": "config.set", "path": fx.dropin_file, "format": "sshd", "key": "PermitTunnel", "value": "no"}} with input as inp
}

test_remediate_default_in_sshd_config if {
	rule.remediate == {{"type": "config.set", "path": "/etc/ssh/sshd_config", "format": "sshd", "key": "PermitTunnel", "value": "no"}} with input as fx.sshd({"permittunnel": "yes"})
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.sshd({"permittunnel": "no"})
	count(rule.remediate) == 0 with input as fx.no_sshd
}

test_remediate_match_block_is_manual if {
	inp := fx.sshd_input({"permittunnel": "no"}, {}, [fx.match_block({"permittunnel": "yes"})])
	count(rule.deny) == 1 with input as inp
	count(rule.remediate) == 0 with input as inp
}
