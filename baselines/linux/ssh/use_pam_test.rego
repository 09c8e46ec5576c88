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

test_remediate_where_set if {
	inp := fx.sshd_input({"usepam": "no"}, {"usepam": {"file": fx.dropin_file, "line": 3}}, [])
	rule.remediate == {{"type": "config.set", "path": fx.dropin_file, "format": "sshd", "key": "UsePAM", "value": "yes"}} with input as inp
}

test_remediate_default_in_sshd_config if {
	rule.remediate == {{"type": "config.set", "path": "/etc/ssh/sshd_config", "format": "sshd", "key": "UsePAM", "value": "yes"}} with input as fx.sshd({"usepam": "no"})
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.sshd({"usepam": "yes"})
	count(rule.remediate) == 0 with input as fx.no_sshd
}

test_remediate_match_block_is_manual if {
	inp := fx.sshd_input({"usepam": "yes"}, {}, [fx.match_block({"usepam": "no"})])
	count(rule.deny) == 1 with input as inp
	count(rule.remediate) == 0 with input as inp
}
