package gcrun.linux.ssh.disable_forwarding_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.ssh.disable_forwarding as rule

test_pass_yes if {
	count(rule.deny) == 0 with input as fx.sshd({"disableforwarding": "yes"})
}

test_fail_no if {
	reasons := rule.deny with input as fx.sshd_input({"disableforwarding": "no"}, {"disableforwarding": {"file": "/etc/ssh/sshd_config", "line": 42}}, [])
	fx.codes(reasons) == ["disable_forwarding"]
	some r in reasons
	r.phrase == `DisableForwarding is "no", expected "yes"`
	r.expected == "yes"
	r.actual == "no"
	r.evidence == {"keyword": "disableforwarding", "file": "/etc/ssh/sshd_config", "line": 42}
}

test_match_block_no if {
	reasons := rule.deny with input as fx.sshd_input({}, {}, [fx.match_block({"disableforwarding": "no"})])
	fx.codes(reasons) == ["disable_forwarding_in_match"]
	some r in reasons
	r.phrase == concat("", [`DisableForwarding is "no"`, fx.match_where, `, expected "yes"`])
	r.evidence.keyword == "disableforwarding"
	r.evidence.line == 121
	r.evidence.match == "User alice,!bob Address 10.0.0.0/8"
	r.evidence.match_criteria == fx.match_criteria
	r.evidence.match_line == 120
}

test_match_block_compliant if {
	count(rule.deny) == 0 with input as fx.sshd_match({"disableforwarding": "yes"})
}

test_not_applicable_without_sshd if {
	fx.codes(rule.not_applicable) == ["sshd_config_missing"] with input as fx.no_sshd
}
