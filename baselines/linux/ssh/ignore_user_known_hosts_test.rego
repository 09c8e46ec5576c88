package gcrun.linux.ssh.ignore_user_known_hosts_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.ssh.ignore_user_known_hosts as rule

test_pass_yes if {
	count(rule.deny) == 0 with input as fx.sshd({"hostbasedauthentication": "yes", "ignoreuserknownhosts": "yes"})
}

test_fail_no if {
	reasons := rule.deny with input as fx.sshd_input({"hostbasedauthentication": "yes", "ignoreuserknownhosts": "no"}, {"ignoreuserknownhosts": {"file": "/etc/ssh/sshd_config", "line": 42}}, [])
	fx.codes(reasons) == ["ignore_user_known_hosts"]
	some r in reasons
	r.phrase == `IgnoreUserKnownHosts is "no", expected "yes"`
	r.expected == "yes"
	r.actual == "no"
	r.evidence == {"keyword": "ignoreuserknownhosts", "file": "/etc/ssh/sshd_config", "line": 42}
}

test_match_block if {
	# IgnoreUserKnownHosts is not allowed in Match blocks; should facts ever
	# carry one, it is still checked.
	reasons := rule.deny with input as fx.sshd_input({"hostbasedauthentication": "yes"}, {}, [fx.match_block({"ignoreuserknownhosts": "no"})])
	fx.codes(reasons) == ["ignore_user_known_hosts_in_match"]
	some r in reasons
	r.evidence.match == "User alice,!bob Address 10.0.0.0/8"
	contains(r.phrase, fx.match_where)
}

test_not_applicable_without_sshd if {
	fx.codes(rule.not_applicable) == ["sshd_config_missing"] with input as fx.no_sshd
}

test_not_applicable_while_hostbased_authentication_off if {
	inp := fx.sshd({"hostbasedauthentication": "no", "ignoreuserknownhosts": "no"})
	fx.codes(rule.not_applicable) == ["hostbased_authentication_off"] with input as inp
	fx.phrases(rule.not_applicable) == [`HostbasedAuthentication is "no" in the global section and in every Match block: users' known_hosts files are only read for host-based authentication`] with input as inp
}

test_match_block_enables_hostbased_authentication if {
	# A Match block that turns HostbasedAuthentication on makes the rule apply.
	inp := fx.sshd_input({"hostbasedauthentication": "no", "ignoreuserknownhosts": "no"}, {}, [fx.match_block({"hostbasedauthentication": "yes"})])
	count(rule.not_applicable) == 0 with input as inp
	fx.codes(rule.deny) == ["ignore_user_known_hosts"] with input as inp
}
