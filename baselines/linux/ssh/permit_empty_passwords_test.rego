package gcrun.linux.ssh.permit_empty_passwords_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.ssh.permit_empty_passwords as rule

test_pass_no if {
	count(rule.deny) == 0 with input as fx.sshd({"permitemptypasswords": "no"})
	count(rule.not_applicable) == 0 with input as fx.sshd({"permitemptypasswords": "no"})
}

test_fail_yes if {
	reasons := rule.deny with input as fx.sshd_set({"permitemptypasswords": "yes"}, 40)
	fx.codes(reasons) == ["permit_empty_passwords"]
	some r in reasons
	r.phrase == `PermitEmptyPasswords is "yes", expected "no"`
	r.expected == "no"
	r.actual == "yes"
	r.evidence == {"keyword": "permitemptypasswords", "file": "/etc/ssh/sshd_config", "line": 40}
}

test_match_block_sets_yes if {
	reasons := rule.deny with input as fx.sshd_match({"permitemptypasswords": "yes"})
	fx.codes(reasons) == ["permit_empty_passwords_in_match"]
	some r in reasons
	r.phrase == concat("", [`PermitEmptyPasswords is "yes"`, fx.match_where, `, expected "no"`])
	r.evidence.line == 121
	r.evidence.match == "User alice,!bob Address 10.0.0.0/8"
}

test_match_block_compliant if {
	count(rule.deny) == 0 with input as fx.sshd_match({"permitemptypasswords": "no"})
}

test_not_applicable_without_sshd if {
	fx.codes(rule.not_applicable) == ["sshd_config_missing"] with input as fx.no_sshd
}
