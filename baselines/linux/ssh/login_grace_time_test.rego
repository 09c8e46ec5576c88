package gcrun.linux.ssh.login_grace_time_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.ssh.login_grace_time as rule

test_pass_60 if {
	count(rule.deny) == 0 with input as fx.sshd({"logingracetime": "60"})
}

test_pass_30 if {
	count(rule.deny) == 0 with input as fx.sshd({"logingracetime": "30"})
}

test_fail_default_120 if {
	reasons := rule.deny with input as fx.sshd({"logingracetime": "120"})
	fx.codes(reasons) == ["login_grace_time"]
	fx.phrases(reasons) == ["LoginGraceTime is 120 seconds, expected 1 to 60 seconds"]
	some r in reasons
	r.expected == "1..60"
	r.actual == "120"
}

test_fail_zero_is_unlimited if {
	reasons := rule.deny with input as fx.sshd_set({"logingracetime": "0"}, 7)
	fx.codes(reasons) == ["login_grace_time"]
	fx.phrases(reasons) == ["LoginGraceTime is 0 (no limit), expected 1 to 60 seconds"]
}

test_match_block if {
	# LoginGraceTime is not allowed in Match blocks; should facts ever carry
	# one, it is still checked.
	reasons := rule.deny with input as fx.sshd_match({"logingracetime": "600"})
	fx.codes(reasons) == ["login_grace_time_in_match"]
	fx.phrases(reasons) == [concat("", ["LoginGraceTime is 600 seconds", fx.match_where, ", expected 1 to 60 seconds"])]
}

test_match_block_compliant if {
	count(rule.deny) == 0 with input as fx.sshd_match({"logingracetime": "20"})
}

test_not_applicable_without_sshd if {
	fx.codes(rule.not_applicable) == ["sshd_config_missing"] with input as fx.no_sshd
}

test_fail_parameter_dev_sec_30 if {
	reasons := rule.deny with input as fx.sshd({"logingracetime": "60"}) with data.gcrun.params.ssh_login_grace_time_max as 30
	fx.phrases(reasons) == ["LoginGraceTime is 60 seconds, expected 1 to 30 seconds"]
	some r in reasons
	r.expected == "1..30"
}

test_pass_parameter_looser if {
	inp := fx.sshd({"logingracetime": "120"})
	fx.codes(rule.deny) == ["login_grace_time"] with input as inp
	count(rule.deny) == 0 with input as inp with data.gcrun.params.ssh_login_grace_time_max as 120

	# 0 (no limit) fails whatever the parameter.
	fx.codes(rule.deny) == ["login_grace_time"] with input as fx.sshd({"logingracetime": "0"}) with data.gcrun.params.ssh_login_grace_time_max as 120
}

test_remediate_sets_limit if {
	inp := fx.sshd_input({"logingracetime": "120"}, {"logingracetime": {"file": fx.dropin_file, "line": 5}}, [])
	rule.remediate == {{"type": "config.set", "path": fx.dropin_file, "format": "sshd", "key": "LoginGraceTime", "value": "60"}} with input as inp
	rule.remediate == {{"type": "config.set", "path": fx.dropin_file, "format": "sshd", "key": "LoginGraceTime", "value": "3"}} with input as inp with data.gcrun.params.ssh_login_grace_time_max as 3.5
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.sshd({"logingracetime": "60"})
	count(rule.remediate) == 0 with input as fx.no_sshd
	count(rule.remediate) == 0 with input as fx.sshd_match({"logingracetime": "120"})
}

test_remediate_zero if {
	rule.remediate == {{"type": "config.set", "path": "/etc/ssh/sshd_config", "format": "sshd", "key": "LoginGraceTime", "value": "60"}} with input as fx.sshd({"logingracetime": "0"})
}
