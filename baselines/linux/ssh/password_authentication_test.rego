package gcrun.linux.ssh.password_authentication_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.ssh.password_authentication as rule

test_pass_no if {
	count(rule.deny) == 0 with input as fx.sshd({"passwordauthentication": "no"})
	count(rule.not_applicable) == 0 with input as fx.sshd({"passwordauthentication": "no"})
}

test_fail_yes if {
	reasons := rule.deny with input as fx.sshd_set({"passwordauthentication": "yes"}, 40)
	fx.codes(reasons) == ["password_authentication"]
	some r in reasons
	r.phrase == `PasswordAuthentication is "yes", expected "no"`
	r.expected == "no"
	r.actual == "yes"
	r.evidence == {"keyword": "passwordauthentication", "file": "/etc/ssh/sshd_config", "line": 40}
}

test_match_block_sets_yes if {
	reasons := rule.deny with input as fx.sshd_match({"passwordauthentication": "yes"})
	fx.codes(reasons) == ["password_authentication_in_match"]
	some r in reasons
	r.phrase == concat("", [`PasswordAuthentication is "yes"`, fx.match_where, `, expected "no"`])
	r.evidence.line == 121
	r.evidence.match == "User alice,!bob Address 10.0.0.0/8"
}

test_match_block_compliant if {
	count(rule.deny) == 0 with input as fx.sshd_match({"passwordauthentication": "no"})
}

test_not_applicable_without_sshd if {
	fx.codes(rule.not_applicable) == ["sshd_config_missing"] with input as fx.no_sshd
}

test_match_blocks_turn_passwords_back_on if {
	# Global "no"; two Match blocks in a drop-in file turn passwords back on,
	# one for an address range (with an exception), one for a group on a
	# port. Each is its own reason, with the block's criteria and the line
	# that sets the keyword.
	by_address := [{"type": "address", "patterns": ["10.0.0.0/8", "!10.1.0.0/16"]}]
	by_group_and_port := [{"type": "group", "patterns": ["contractors"]}, {"type": "localport", "patterns": ["2222"]}]
	inp := fx.sshd_input({"passwordauthentication": "no"}, {}, [
		fx.block(by_address, fx.dropin_file, 3, {"passwordauthentication": "yes"}),
		fx.block(by_group_and_port, fx.dropin_file, 7, {"passwordauthentication": "yes", "pubkeyauthentication": "no"}),
	])
	reasons := rule.deny with input as inp
	fx.codes(reasons) == ["password_authentication_in_match", "password_authentication_in_match"]
	fx.phrases(reasons) == [
		`PasswordAuthentication is "yes" in Match Address 10.0.0.0/8,!10.1.0.0/16 (/etc/ssh/sshd_config.d/50-admins.conf:3), expected "no"`,
		`PasswordAuthentication is "yes" in Match Group contractors LocalPort 2222 (/etc/ssh/sshd_config.d/50-admins.conf:7), expected "no"`,
	]
	some r in reasons
	r.evidence.match_line == 7
	r.expected == "no"
	r.actual == "yes"
	r.evidence == {
		"keyword": "passwordauthentication",
		"file": "/etc/ssh/sshd_config.d/50-admins.conf",
		"line": 8,
		"match": "Group contractors LocalPort 2222",
		"match_criteria": by_group_and_port,
		"match_file": "/etc/ssh/sshd_config.d/50-admins.conf",
		"match_line": 7,
	}
}

test_match_block_and_global_both_reported if {
	inp := fx.sshd_input({"passwordauthentication": "yes"}, {}, [fx.match_block({"passwordauthentication": "yes"})])
	fx.codes(rule.deny) == ["password_authentication", "password_authentication_in_match"] with input as inp
}

test_match_block_turning_passwords_off_does_not_hide_global if {
	# A block that disables passwords for some connections leaves the global
	# "yes" for all others.
	inp := fx.sshd_input({"passwordauthentication": "yes"}, {}, [fx.match_block({"passwordauthentication": "no"})])
	fx.codes(rule.deny) == ["password_authentication"] with input as inp
}
