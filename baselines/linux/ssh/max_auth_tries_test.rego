package gcrun.linux.ssh.max_auth_tries_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.ssh.max_auth_tries as rule

test_pass_4 if {
	count(rule.deny) == 0 with input as fx.sshd({"maxauthtries": "4"})
}

test_pass_stricter if {
	count(rule.deny) == 0 with input as fx.sshd({"maxauthtries": "2"})
}

test_fail_default_6 if {
	reasons := rule.deny with input as fx.sshd({"maxauthtries": "6"})
	fx.codes(reasons) == ["max_auth_tries"]
	fx.phrases(reasons) == ["MaxAuthTries is 6, expected 4 or fewer"]
	some r in reasons
	r.expected == "<= 4"
	r.actual == "6"
	r.evidence == {"keyword": "maxauthtries", "default": true}
}

test_fail_5 if {
	fx.codes(rule.deny) == ["max_auth_tries"] with input as fx.sshd_set({"maxauthtries": "5"}, 12)
}

test_match_block_raises_limit if {
	reasons := rule.deny with input as fx.sshd_match({"maxauthtries": "10"})
	fx.codes(reasons) == ["max_auth_tries_in_match"]
	fx.phrases(reasons) == [concat("", ["MaxAuthTries is 10", fx.match_where, ", expected 4 or fewer"])]
}

test_match_block_compliant if {
	count(rule.deny) == 0 with input as fx.sshd_match({"maxauthtries": "3"})
}

test_not_applicable_without_sshd if {
	fx.codes(rule.not_applicable) == ["sshd_config_missing"] with input as fx.no_sshd
}

test_fail_parameter_dev_sec_2 if {
	# dev-sec wants 2: the CIS value 4 then fails.
	reasons := rule.deny with input as fx.sshd({"maxauthtries": "4"}) with data.gcrun.params.ssh_max_auth_tries as 2
	fx.phrases(reasons) == ["MaxAuthTries is 4, expected 2 or fewer"]
	some r in reasons
	r.expected == "<= 2"
	r.actual == "4"
}

test_pass_parameter_looser if {
	count(rule.deny) == 0 with input as fx.sshd({"maxauthtries": "6"}) with data.gcrun.params.ssh_max_auth_tries as 6
}

test_match_block_parameter if {
	inp := fx.sshd_input({"maxauthtries": "2"}, {}, [fx.match_block({"maxauthtries": "3"})])
	count(rule.deny) == 0 with input as inp
	fx.phrases(rule.deny) == [concat("", ["MaxAuthTries is 3", fx.match_where, ", expected 2 or fewer"])] with input as inp with data.gcrun.params.ssh_max_auth_tries as 2
}

test_remediate_sets_limit if {
	inp := fx.sshd_input({"maxauthtries": "6"}, {"maxauthtries": {"file": fx.dropin_file, "line": 5}}, [])
	rule.remediate == {{"type": "config.set", "path": fx.dropin_file, "format": "sshd", "key": "MaxAuthTries", "value": "4"}} with input as inp
	rule.remediate == {{"type": "config.set", "path": fx.dropin_file, "format": "sshd", "key": "MaxAuthTries", "value": "3"}} with input as inp with data.gcrun.params.ssh_max_auth_tries as 3.5
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.sshd({"maxauthtries": "4"})
	count(rule.remediate) == 0 with input as fx.no_sshd
	count(rule.remediate) == 0 with input as fx.sshd_match({"maxauthtries": "6"})
}
