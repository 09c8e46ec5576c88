package gcrun.linux.ssh.strict_modes_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.ssh.strict_modes as rule

test_pass_yes if {
	count(rule.deny) == 0 with input as fx.sshd({"strictmodes": "yes"})
}

test_fail_no if {
	reasons := rule.deny with input as fx.sshd_input({"strictmodes": "no"}, {"strictmodes": {"file": "/etc/ssh/sshd_config", "line": 42}}, [])
	fx.codes(reasons) == ["strict_modes"]
	some r in reasons
	r.phrase == `StrictModes is "no", expected "yes"`
	r.expected == "yes"
	r.actual == "no"
	r.evidence == {"keyword": "strictmodes", "file": "/etc/ssh/sshd_config", "line": 42}
}

test_match_block if {
	# StrictModes is not allowed in Match blocks; should facts ever
	# carry one, it is still checked.
	reasons := rule.deny with input as fx.sshd_input({}, {}, [fx.match_block({"strictmodes": "no"})])
	fx.codes(reasons) == ["strict_modes_in_match"]
	some r in reasons
	r.evidence.match == "User alice,!bob Address 10.0.0.0/8"
	contains(r.phrase, fx.match_where)
}

test_not_applicable_without_sshd if {
	fx.codes(rule.not_applicable) == ["sshd_config_missing"] with input as fx.no_sshd
}
