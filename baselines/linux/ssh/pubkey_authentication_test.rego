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

test_remediate_where_set if {
	inp := fx.sshd_input({"pubkeyauthentication": "no"}, {"pubkeyauthentication": {"file": fx.dropin_file, "line": 3}}, [])
	rule.remediate == {{"type": "config.set", "path": fx.dropin_file, "format": "sshd", "key": "PubkeyAuthentication", "value": "yes"}} with input as inp
}

test_remediate_default_in_sshd_config if {
	rule.remediate == {{"type": "config.set", "path": "/etc/ssh/sshd_config", "format": "sshd", "key": "PubkeyAuthentication", "value": "yes"}} with input as fx.sshd({"pubkeyauthentication": "no"})
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.sshd({"pubkeyauthentication": "yes"})
	count(rule.remediate) == 0 with input as fx.no_sshd
}

test_remediate_match_block_is_manual if {
	inp := fx.sshd_input({"pubkeyauthentication": "yes"}, {}, [fx.match_block({"pubkeyauthentication": "no"})])
	count(rule.deny) == 1 with input as inp
	count(rule.remediate) == 0 with input as inp
}
