package gcrun.linux.ssh.ignore_rhosts_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.ssh.ignore_rhosts as rule

test_pass_yes if {
	count(rule.deny) == 0 with input as fx.sshd({"ignorerhosts": "yes"})
	count(rule.not_applicable) == 0 with input as fx.sshd({"ignorerhosts": "yes"})
}

test_fail_no if {
	reasons := rule.deny with input as fx.sshd_set({"ignorerhosts": "no"}, 40)
	fx.codes(reasons) == ["ignore_rhosts"]
	some r in reasons
	r.phrase == `IgnoreRhosts is "no", expected "yes"`
	r.expected == "yes"
	r.actual == "no"
	r.evidence == {"keyword": "ignorerhosts", "file": "/etc/ssh/sshd_config", "line": 40}
}

test_match_block_sets_no if {
	reasons := rule.deny with input as fx.sshd_match({"ignorerhosts": "no"})
	fx.codes(reasons) == ["ignore_rhosts_in_match"]
	some r in reasons
	r.phrase == concat("", [`IgnoreRhosts is "no"`, fx.match_where, `, expected "yes"`])
	r.evidence.line == 121
	r.evidence.match == "User alice,!bob Address 10.0.0.0/8"
}

test_match_block_compliant if {
	count(rule.deny) == 0 with input as fx.sshd_match({"ignorerhosts": "yes"})
}

test_not_applicable_without_sshd if {
	fx.codes(rule.not_applicable) == ["sshd_config_missing"] with input as fx.no_sshd
}

test_remediate_while_hostbased_off if {
	inp := fx.sshd_input({"ignorerhosts": "no"}, {"ignorerhosts": {"file": fx.dropin_file, "line": 3}}, [])
	rule.remediate == {{"type": "config.set", "path": fx.dropin_file, "format": "sshd", "key": "IgnoreRhosts", "value": "yes"}} with input as inp
}

test_remediate_none_while_hostbased_on if {
	inp := fx.sshd({"ignorerhosts": "no", "hostbasedauthentication": "yes"})
	count(rule.deny) == 1 with input as inp
	count(rule.remediate) == 0 with input as inp
	count(rule.remediate) == 0 with input as fx.sshd_input({"ignorerhosts": "no"}, {}, [fx.match_block({"hostbasedauthentication": "yes"})])
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.sshd({})
	count(rule.remediate) == 0 with input as fx.no_sshd
}
