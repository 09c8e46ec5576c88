package gcrun.linux.ssh.use_pam_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.ssh.use_pam as rule

test_pass_yes if {
	count(rule.deny) == 0 with input as fx.sshd({"usepam": "yes"})
	count(rule.not_applicable) == 0 with input as fx.sshd({"usepam": "yes"})
}

test_fail_no if {
	reasons := rule.deny with input as fx.sshd_set({"usepam": "no"}, 40)
	fx.codes(reasons) == ["use_pam"]
	some r in reasons
	r.phrase == `UsePAM is "no", expected "yes"`
	r.expected == "yes"
	r.actual == "no"
	r.evidence == {"keyword": "usepam", "file": "/etc/ssh/sshd_config", "line": 40}
}

test_match_block_sets_no if {
	reasons := rule.deny with input as fx.sshd_match({"usepam": "no"})
	fx.codes(reasons) == ["use_pam_in_match"]
	some r in reasons
	r.phrase == concat("", [`UsePAM is "no"`, fx.match_where, `, expected "yes"`])
	r.evidence.line == 121
	r.evidence.match == "User alice,!bob Address 10.0.0.0/8"
}

test_match_block_compliant if {
	count(rule.deny) == 0 with input as fx.sshd_match({"usepam": "yes"})
}

test_not_applicable_without_sshd if {
	fx.codes(rule.not_applicable) == ["sshd_config_missing"] with input as fx.no_sshd
}
