package gcrun.linux.ssh.print_last_log_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.ssh.print_last_log as rule

test_pass_no if {
	count(rule.deny) == 0 with input as fx.sshd({"printlastlog": "no"})
}

test_fail_default_yes if {
	reasons := rule.deny with input as fx.sshd({"printlastlog": "yes"})
	fx.codes(reasons) == ["print_last_log"]
	fx.phrases(reasons) == [`PrintLastLog is "yes", expected "no"`]
	some r in reasons
	r.evidence == {"keyword": "printlastlog", "default": true}
}

test_pass_parameter_wants_last_log if {
	# With ssh_print_last_log true (as the STIGs want) the verdicts swap.
	count(rule.deny) == 0 with input as fx.sshd({"printlastlog": "yes"}) with data.gcrun.params.ssh_print_last_log as true
	fx.phrases(rule.deny) == [`PrintLastLog is "no", expected "yes"`] with input as fx.sshd({"printlastlog": "no"}) with data.gcrun.params.ssh_print_last_log as true
}

test_match_block if {
	# PrintLastLog is not allowed in Match blocks; should facts ever carry
	# one, it is still checked.
	reasons := rule.deny with input as fx.sshd_match({"printlastlog": "yes"})
	fx.codes(reasons) == ["print_last_log_in_match"]
	some r in reasons
	contains(r.phrase, fx.match_where)
}

test_not_applicable_without_sshd if {
	fx.codes(rule.not_applicable) == ["sshd_config_missing"] with input as fx.no_sshd
}

test_remediate_sets_wanted_value if {
	inp := fx.sshd_input({"printlastlog": "yes"}, {"printlastlog": {"file": fx.dropin_file, "line": 6}}, [])
	rule.remediate == {{"type": "config.set", "path": fx.dropin_file, "format": "sshd", "key": "PrintLastLog", "value": "no"}} with input as inp
	count(rule.remediate) == 0 with input as inp with data.gcrun.params.ssh_print_last_log as true
	rule.remediate == {{"type": "config.set", "path": "/etc/ssh/sshd_config", "format": "sshd", "key": "PrintLastLog", "value": "yes"}} with input as fx.sshd({}) with data.gcrun.params.ssh_print_last_log as true
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.sshd({})
	count(rule.remediate) == 0 with input as fx.no_sshd
}
