package gcrun.linux.ssh.permit_user_environment_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.ssh.permit_user_environment as rule

test_pass_no if {
	count(rule.deny) == 0 with input as fx.sshd({"permituserenvironment": "no"})
	count(rule.not_applicable) == 0 with input as fx.sshd({"permituserenvironment": "no"})
}

test_fail_yes if {
	reasons := rule.deny with input as fx.sshd_set({"permituserenvironment": "yes"}, 40)
	fx.codes(reasons) == ["permit_user_environment"]
	some r in reasons
	r.phrase == `PermitUserEnvironment is "yes", expected "no"`
	r.expected == "no"
	r.actual == "yes"
	r.evidence == {"keyword": "permituserenvironment", "file": "/etc/ssh/sshd_config", "line": 40}
}

test_match_block_sets_yes if {
	reasons := rule.deny with input as fx.sshd_match({"permituserenvironment": "yes"})
	fx.codes(reasons) == ["permit_user_environment_in_match"]
	some r in reasons
	r.phrase == concat("", [`PermitUserEnvironment is "yes"`, fx.match_where, `, expected "no"`])
	r.evidence.line == 121
	r.evidence.match == "User alice,!bob Address 10.0.0.0/8"
}

test_match_block_compliant if {
	count(rule.deny) == 0 with input as fx.sshd_match({"permituserenvironment": "no"})
}

test_not_applicable_without_sshd if {
	fx.codes(rule.not_applicable) == ["sshd_config_missing"] with input as fx.no_sshd
}
