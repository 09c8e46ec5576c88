package gcrun.linux.ssh.kbd_interactive_authentication_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.ssh.kbd_interactive_authentication as rule

test_pass_no if {
	count(rule.deny) == 0 with input as fx.sshd({"kbdinteractiveauthentication": "no"})
	count(rule.not_applicable) == 0 with input as fx.sshd({"kbdinteractiveauthentication": "no"})
}

test_fail_yes if {
	reasons := rule.deny with input as fx.sshd_set({"kbdinteractiveauthentication": "yes"}, 40)
	fx.codes(reasons) == ["kbd_interactive_authentication"]
	some r in reasons
	r.phrase == `KbdInteractiveAuthentication is "yes", expected "no"`
	r.expected == "no"
	r.actual == "yes"
	r.evidence == {"keyword": "kbdinteractiveauthentication", "file": "/etc/ssh/sshd_config", "line": 40}
}

test_match_block_sets_yes if {
	reasons := rule.deny with input as fx.sshd_match({"kbdinteractiveauthentication": "yes"})
	fx.codes(reasons) == ["kbd_interactive_authentication_in_match"]
	some r in reasons
	r.phrase == concat("", [`KbdInteractiveAuthentication is "yes"`, fx.match_where, `, expected "no"`])
	r.evidence.line == 121
	r.evidence.match == "User alice,!bob Address 10.0.0.0/8"
}

test_match_block_compliant if {
	count(rule.deny) == 0 with input as fx.sshd_match({"kbdinteractiveauthentication": "no"})
}

test_not_applicable_without_sshd if {
	fx.codes(rule.not_applicable) == ["sshd_config_missing"] with input as fx.no_sshd
}

test_match_block_turns_kbd_interactive_back_on if {
	# "ChallengeResponseAuthentication yes" in a block reaches the facts as
	# kbdinteractiveauthentication (its alias since OpenSSH 8.7).
	criteria := [{"type": "host", "patterns": ["*.example.com"]}, {"type": "rdomain", "patterns": ["mgmt"]}]
	inp := fx.sshd_input({"kbdinteractiveauthentication": "no"}, {}, [fx.block(criteria, fx.dropin_file, 12, {"kbdinteractiveauthentication": "yes"})])
	reasons := rule.deny with input as inp
	fx.phrases(reasons) == [`KbdInteractiveAuthentication is "yes" in Match Host *.example.com RDomain mgmt (/etc/ssh/sshd_config.d/50-admins.conf:12), expected "no"`]
	some r in reasons
	r.code == "kbd_interactive_authentication_in_match"
	r.evidence == {
		"keyword": "kbdinteractiveauthentication",
		"file": "/etc/ssh/sshd_config.d/50-admins.conf",
		"line": 13,
		"match": "Host *.example.com RDomain mgmt",
		"match_criteria": criteria,
		"match_file": "/etc/ssh/sshd_config.d/50-admins.conf",
		"match_line": 12,
	}
}

test_match_block_compliant_among_others if {
	# Only the block that turns it on is reported.
	inp := fx.sshd_input({}, {}, [
		fx.block([{"type": "user", "patterns": ["backup"]}], fx.sshd_config_file, 100, {"kbdinteractiveauthentication": "no"}),
		fx.block([{"type": "user", "patterns": ["otp-*"]}], fx.sshd_config_file, 110, {"kbdinteractiveauthentication": "yes"}),
	])
	reasons := rule.deny with input as inp
	[r.evidence.match | some r in reasons] == ["User otp-*"]
}
