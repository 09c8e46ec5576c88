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

test_remediate_where_set if {
	inp := fx.sshd_input({"permitemptypasswords": "yes"}, {"permitemptypasswords": {"file": fx.dropin_file, "line": 3}}, [])
	rule.remediate == {{"type": "config.set", "path": fx.dropin_file, "format": "sshd", "key": "PermitEmptyPasswords", "value": "no"}} with input as inp
}

test_remediate_default_in_sshd_config if {
	rule.remediate == {{"type": "config.set", "path": "/etc/ssh/sshd_config", "format": "sshd", "key": "PermitEmptyPasswords", "value": "no"}} with input as fx.sshd({"permitemptypasswords": "yes"})
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.sshd({"permitemptypasswords": "no"})
	count(rule.remediate) == 0 with input as fx.no_sshd
}

test_remediate_match_block_is_manual if {
	inp := fx.sshd_input({"permitemptypasswords": "no"}, {}, [fx.match_block({"permitemptypasswords": "yes"})])
	count(rule.deny) == 1 with input as inp
	count(rule.remediate) == 0 with input as inp
}
