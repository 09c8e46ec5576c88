package gcrun.linux.ssh.kerberos_authentication_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.ssh.kerberos_authentication as rule

test_pass_no if {
	count(rule.deny) == 0 with input as fx.sshd({"kerberosauthentication": "no"})
}

test_fail_yes if {
	reasons := rule.deny with input as fx.sshd_input({"kerberosauthentication": "yes"}, {"kerberosauthentication": {"file": "/etc/ssh/sshd_config", "line": 42}}, [])
	fx.codes(reasons) == ["kerberos_authentication"]
	some r in reasons
	r.phrase == `KerberosAuthentication is "yes", expected "no"`
	r.expected == "no"
	r.actual == "yes"
	r.evidence == {"keyword": "kerberosauthentication", "file": "/etc/ssh/sshd_config", "line": 42}
}

test_match_block_yes if {
	reasons := rule.deny with input as fx.sshd_input({}, {}, [fx.match_block({"kerberosauthentication": "yes"})])
	fx.codes(reasons) == ["kerberos_authentication_in_match"]
	some r in reasons
	r.phrase == concat("", [`KerberosAuthentication is "yes"`, fx.match_where, `, expected "no"`])
	r.evidence.keyword == "kerberosauthentication"
	r.evidence.line == 121
	r.evidence.match == "User alice,!bob Address 10.0.0.0/8"
	r.evidence.match_criteria == fx.match_criteria
	r.evidence.match_line == 120
}

test_match_block_compliant if {
	count(rule.deny) == 0 with input as fx.sshd_match({"kerberosauthentication": "no"})
}

test_not_applicable_without_sshd if {
	fx.codes(rule.not_applicable) == ["sshd_config_missing"] with input as fx.no_sshd
}
