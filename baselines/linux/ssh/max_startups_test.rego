package gcrun.linux.ssh.max_startups_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.ssh.max_startups as rule

test_pass_cis if {
	count(rule.deny) == 0 with input as fx.sshd({"maxstartups": "10:30:60"})
}

test_pass_stricter if {
	count(rule.deny) == 0 with input as fx.sshd({"maxstartups": "5:50:20"})
	count(rule.deny) == 0 with input as fx.sshd({"maxstartups": "10"})
}

test_fail_default if {
	reasons := rule.deny with input as fx.sshd({"maxstartups": "10:30:100"})
	fx.codes(reasons) == ["max_startups"]
	fx.phrases(reasons) == [`MaxStartups is "10:30:100", expected 10:30:60 or stricter (full 100 > 60)`]
	some r in reasons
	r.actual == "10:30:100"
	r.evidence == {"keyword": "maxstartups", "default": true}
}

test_fail_every_part if {
	reasons := rule.deny with input as fx.sshd_set({"maxstartups": "20:10:200"}, 15)
	fx.phrases(reasons) == [`MaxStartups is "20:10:200", expected 10:30:60 or stricter (start 20 > 10, rate 10 < 30, full 200 > 60)`]
	some r in reasons
	r.evidence.line == 15
}

test_fail_single_number_too_high if {
	fx.phrases(rule.deny) == [`MaxStartups is "100", expected 10:30:60 or stricter (start 100 > 10, full 100 > 60)`] with input as fx.sshd({"maxstartups": "100"})
}

test_fail_unparsed if {
	fx.codes(rule.deny) == ["max_startups_unparsed"] with input as fx.sshd({"maxstartups": "10:30"})
}

test_match_block if {
	reasons := rule.deny with input as fx.sshd_match({"maxstartups": "10:30:100"})
	fx.codes(reasons) == ["max_startups_in_match"]
	fx.phrases(reasons) == [concat("", [`MaxStartups is "10:30:100"`, fx.match_where, ", expected 10:30:60 or stricter (full 100 > 60)"])]
}

test_match_block_compliant if {
	count(rule.deny) == 0 with input as fx.sshd_match({"maxstartups": "3:30:10"})
}

test_not_applicable_without_sshd if {
	fx.codes(rule.not_applicable) == ["sshd_config_missing"] with input as fx.no_sshd
}

test_pass_parameter_openssh_default if {
	inp := fx.sshd({"maxstartups": "10:30:100"})
	fx.codes(rule.deny) == ["max_startups"] with input as inp
	count(rule.deny) == 0 with input as inp with data.gcrun.params.ssh_max_startups as "10:30:100"
}

test_fail_parameter_stricter if {
	reasons := rule.deny with input as fx.sshd({"maxstartups": "10:30:60"}) with data.gcrun.params.ssh_max_startups as "5:50:30"
	fx.phrases(reasons) == [`MaxStartups is "10:30:60", expected 5:50:30 or stricter (start 10 > 5, rate 30 < 50, full 60 > 30)`]
	some r in reasons
	r.expected == "5:50:30 or stricter"

	# A single number N means N:100:N.
	fx.phrases(rule.deny) == [`MaxStartups is "10:30:60", expected 20 or stricter (rate 30 < 100, full 60 > 20)`] with input as fx.sshd({"maxstartups": "10:30:60"}) with data.gcrun.params.ssh_max_startups as "20"
}

test_fail_parameter_unparsed if {
	# A parameter that is not start:rate:full must not let everything pass.
	reasons := rule.deny with input as fx.sshd({}) with data.gcrun.params.ssh_max_startups as "10:30"
	fx.codes(reasons) == ["max_startups_parameter"]
	fx.phrases(reasons) == [`parameter ssh_max_startups is "10:30", which is not start:rate:full (or a single number): MaxStartups cannot be judged`]
}

test_remediate_sets_parameter if {
	inp := fx.sshd_input({"maxstartups": "10:30:100"}, {"maxstartups": {"file": fx.dropin_file, "line": 7}}, [])
	rule.remediate == {{"type": "config.set", "path": fx.dropin_file, "format": "sshd", "key": "MaxStartups", "value": "10:30:60"}} with input as inp
	rule.remediate == {{"type": "config.set", "path": fx.dropin_file, "format": "sshd", "key": "MaxStartups", "value": "5"}} with input as inp with data.gcrun.params.ssh_max_startups as "5"
}

test_remediate_unparsed if {
	rule.remediate == {{"type": "config.set", "path": "/etc/ssh/sshd_config", "format": "sshd", "key": "MaxStartups", "value": "10:30:60"}} with input as fx.sshd({"maxstartups": "10:30"})
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.sshd({})
	count(rule.remediate) == 0 with input as fx.no_sshd
	count(rule.remediate) == 0 with input as fx.sshd({"maxstartups": "10:30:100"}) with data.gcrun.params.ssh_max_startups as "10:30"
}
