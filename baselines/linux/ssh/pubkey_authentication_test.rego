package gcrun.linux.ssh.pubkey_authentication_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.ssh.pubkey_authentication as rule

test_pass_yes if {
	count(rule.deny) == 0 with input as fx.sshd({"pubkeyauthentication": "yes"})
}

test_fail_no if {
	reasons := rule.deny with input as fx.sshd_input({"pubkeyauthentication": "no"}, {"pubkeyauthentication": {"file": "/etc/ssh/sshd_config", "line": 42}}, [])
	fx.codes(reasons) == ["pubkey_authentication"]
	some r in reasons
	r.phrase == `PubkeyAuthentication is "no", expected "yes"`
	r.expected == "yes"
	r.actual == "no"
	r.evidence == {"keyword": "pubkeyauthentication", "file": "/etc/ssh/sshd_config", "line": 42}
}

test_match_block_no if {
	reasons := rule.deny with input as fx.sshd_input({}, {}, [fx.match_block({"pubkeyauthentication": "no"})])
	fx.codes(reasons) == ["pubkey_authentication_in_match"]
	some r in reasons
	r.phrase == concat("", [`PubkeyAuthentication is "no"`, fx.match_where, `, expected "yes"`])
	r.evidence.keyword == "pubkeyauthentication"
	r.evidence.line == 121
	r.evidence.match == "User alice,!bob Address 10.0.0.0/8"
	r.evidence.match_criteria == fx.match_criteria
	r.evidence.match_line == 120
}

test_match_block_compliant if {
	count(rule.deny) == 0 with input as fx.sshd_match({"pubkeyauthentication": "yes"})
}

test_not_applicable_without_sshd if {
	fx.codes(rule.not_applicable) == ["sshd_config_missing"] with input as fx.no_sshd
}
