package gcrun.linux.ssh.log_level_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.ssh.log_level as rule

test_pass_verbose_and_info if {
	count(rule.deny) == 0 with input as fx.sshd({"loglevel": "VERBOSE"})
	count(rule.deny) == 0 with input as fx.sshd({"loglevel": "INFO"})
	count(rule.deny) == 0 with input as fx.sshd({"loglevel": "verbose"})
}

test_fail_quiet if {
	reasons := rule.deny with input as fx.sshd_set({"loglevel": "QUIET"}, 22)
	fx.codes(reasons) == ["log_level"]
	fx.phrases(reasons) == [`LogLevel is "QUIET", expected "INFO" or "VERBOSE"`]
	some r in reasons
	r.expected == ["INFO", "VERBOSE"]
	r.evidence == {"keyword": "loglevel", "file": "/etc/ssh/sshd_config", "line": 22}
}

test_fail_debug if {
	fx.codes(rule.deny) == ["log_level"] with input as fx.sshd({"loglevel": "DEBUG3"})
	fx.codes(rule.deny) == ["log_level"] with input as fx.sshd({"loglevel": "ERROR"})
}

test_match_block_silences_logging if {
	reasons := rule.deny with input as fx.sshd_match({"loglevel": "QUIET"})
	fx.codes(reasons) == ["log_level_in_match"]
	fx.phrases(reasons) == [concat("", [`LogLevel is "QUIET"`, fx.match_where, `, expected "INFO" or "VERBOSE"`])]
}

test_match_block_compliant if {
	count(rule.deny) == 0 with input as fx.sshd_match({"loglevel": "VERBOSE"})
}

test_not_applicable_without_sshd if {
	fx.codes(rule.not_applicable) == ["sshd_config_missing"] with input as fx.no_sshd
}

test_fail_parameter_dev_sec_verbose if {
	# dev-sec wants VERBOSE only (key fingerprints in the log).
	reasons := rule.deny with input as fx.sshd({"loglevel": "INFO"}) with data.gcrun.params.ssh_log_levels as ["VERBOSE"]
	fx.phrases(reasons) == [`LogLevel is "INFO", expected "VERBOSE"`]
	some r in reasons
	r.expected == ["VERBOSE"]
}

test_pass_parameter_case_insensitive if {
	inp := fx.sshd({"loglevel": "DEBUG1"})
	fx.codes(rule.deny) == ["log_level"] with input as inp
	count(rule.deny) == 0 with input as inp with data.gcrun.params.ssh_log_levels as ["info", "verbose", "debug1"]
}

test_fail_parameter_empty if {
	# An empty list approves nothing: every level fails, none passes for
	# want of a phrase.
	fx.phrases(rule.deny) == [`LogLevel is "VERBOSE", expected nothing (the list is empty)`] with input as fx.sshd({}) with data.gcrun.params.ssh_log_levels as []
}

test_remediate_sets_first_allowed if {
	inp := fx.sshd_input({"loglevel": "QUIET"}, {"loglevel": {"file": fx.dropin_file, "line": 8}}, [])
	rule.remediate == {{"type": "config.set", "path": fx.dropin_file, "format": "sshd", "key": "LogLevel", "value": "INFO"}} with input as inp
	rule.remediate == {{"type": "config.set", "path": fx.dropin_file, "format": "sshd", "key": "LogLevel", "value": "DEBUG"}} with input as inp with data.gcrun.params.ssh_log_levels as ["DEBUG"]
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.sshd({})
	count(rule.remediate) == 0 with input as fx.no_sshd
	count(rule.remediate) == 0 with input as fx.sshd({"loglevel": "QUIET"}) with data.gcrun.params.ssh_log_levels as []
}
