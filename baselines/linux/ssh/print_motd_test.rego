package gcrun.linux.ssh.print_motd_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.ssh.print_motd as rule

test_pass_no if {
	count(rule.deny) == 0 with input as fx.sshd({"printmotd": "no"})
}

test_fail_yes if {
	reasons := rule.deny with input as fx.sshd_input({"printmotd": "yes"}, {"printmotd": {"file": "/etc/ssh/sshd_config", "line": 42}}, [])
	fx.codes(reasons) == ["print_motd"]
	some r in reasons
	r.phrase == `PrintMotd is "yes", expected "no"`
	r.expected == "no"
	r.actual == "yes"
	r.evidence == {"keyword": "printmotd", "file": "/etc/ssh/sshd_config", "line": 42}
}

test_match_block if {
	# PrintMotd is not allowed in Match blocks; should facts ever
	# carry one, it is still checked.
	reasons := rule.deny with input as fx.sshd_input({}, {}, [fx.match_block({"printmotd": "yes"})])
	fx.codes(reasons) == ["print_motd_in_match"]
	some r in reasons
	r.evidence.match == "User alice,!bob Address 10.0.0.0/8"
	contains(r.phrase, fx.match_where)
}

test_not_applicable_without_sshd if {
	fx.codes(rule.not_applicable) == ["sshd_config_missing"] with input as fx.no_sshd
}

test_remediate_where_set if {
	inp := fx.sshd_input({"printmotd": "yes"}, {"printmotd": {"file": fx.dropin_file, "line": 3}}, [])
	rule.remediate == {{"type": "config.set", "path": fx.dropin_file, "format": "sshd", "key": "PrintMotd", "value": "no"}} with input as inp
}

test_remediate_default_in_sshd_config if {
	rule.remediate == {{"type": "config.set", "path": "/etc/ssh/sshd_config", "format": "sshd", "key": "PrintMotd", "value": "no"}} with input as fx.sshd({"printmotd": "yes"})
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.sshd({"printmotd": "no"})
	count(rule.remediate) == 0 with input as fx.no_sshd
}

test_remediate_match_block_is_manual if {
	inp := fx.sshd_input({"printmotd": "no"}, {}, [fx.match_block({"printmotd": "yes"})])
	count(rule.deny) == 1 with input as inp
	count(rule.remediate) == 0 with input as inp
}
