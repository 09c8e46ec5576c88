package gcrun.linux.ssh.tcp_keep_alive_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.ssh.tcp_keep_alive as rule

test_pass_no if {
	count(rule.deny) == 0 with input as fx.sshd({"tcpkeepalive": "no"})
}

test_fail_yes if {
	reasons := rule.deny with input as fx.sshd_input({"tcpkeepalive": "yes"}, {"tcpkeepalive": {"file": "/etc/ssh/sshd_config", "line": 42}}, [])
	fx.codes(reasons) == ["tcp_keep_alive"]
	some r in reasons
	r.phrase == `TCPKeepAlive is "yes", expected "no"`
	r.expected == "no"
	r.actual == "yes"
	r.evidence == {"keyword": "tcpkeepalive", "file": "/etc/ssh/sshd_config", "line": 42}
}

test_match_block if {
	# TCPKeepAlive is not allowed in Match blocks; should facts ever
	# carry one, it is still checked.
	reasons := rule.deny with input as fx.sshd_input({}, {}, [fx.match_block({"tcpkeepalive": "yes"})])
	fx.codes(reasons) == ["tcp_keep_alive_in_match"]
	some r in reasons
	r.evidence.match == "User alice,!bob Address 10.0.0.0/8"
	contains(r.phrase, fx.match_where)
}

test_not_applicable_without_sshd if {
	fx.codes(rule.not_applicable) == ["sshd_config_missing"] with input as fx.no_sshd
}

test_remediate_where_set if {
	inp := fx.sshd_input({"tcpkeepalive": "yes"}, {"tcpkeepalive": {"file": fx.dropin_file, "line": 3}}, [])
	rule.remediate == {{"type": "config.set", "path": fx.dropin_file, "format": "sshd", "key": "TCPKeepAlive", "value": "no"}} with input as inp
}

test_remediate_default_in_sshd_config if {
	rule.remediate == {{"type": "config.set", "path": "/etc/ssh/sshd_config", "format": "sshd", "key": "TCPKeepAlive", "value": "no"}} with input as fx.sshd({"tcpkeepalive": "yes"})
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.sshd({"tcpkeepalive": "no"})
	count(rule.remediate) == 0 with input as fx.no_sshd
}

test_remediate_match_block_is_manual if {
	inp := fx.sshd_input({"tcpkeepalive": "no"}, {}, [fx.match_block({"tcpkeepalive": "yes"})])
	count(rule.deny) == 1 with input as inp
	count(rule.remediate) == 0 with input as inp
}
