package gcrun.linux.ssh.kerberos_or_local_passwd_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.ssh.kerberos_or_local_passwd as rule

test_pass_no if {
	count(rule.deny) == 0 with input as fx.sshd({"kerberosauthentication": "yes", "kerberosorlocalpasswd": "no"})
}

test_fail_yes if {
	reasons := rule.deny with input as fx.sshd_input({"kerberosauthentication": "yes", "kerberosorlocalpasswd": "yes"}, {"kerberosorlocalpasswd": {"file": "/etc/ssh/sshd_config", "line": 42}}, [])
	fx.codes(reasons) == ["kerberos_or_local_passwd"]
	some r in reasons
	r.phrase == `KerberosOrLocalPasswd is "yes", expected "no"`
	r.expected == "no"
	r.actual == "yes"
	r.evidence == {"keyword": "kerberosorlocalpasswd", "file": "/etc/ssh/sshd_config", "line": 42}
}

test_match_block if {
	# KerberosOrLocalPasswd is not allowed in Match blocks; should facts ever
	# carry one, it is still checked.
	reasons := rule.deny with input as fx.sshd_input({"kerberosauthentication": "yes"}, {}, [fx.match_block({"kerberosorlocalpasswd": "yes"})])
	fx.codes(reasons) == ["kerberos_or_local_passwd_in_match"]
	some r in reasons
	r.evidence.match == "User alice,!bob Address 10.0.0.0/8"
	contains(r.phrase, fx.match_where)
}

test_not_applicable_without_sshd if {
	fx.codes(rule.not_applicable) == ["sshd_config_missing"] with input as fx.no_sshd
}

test_not_applicable_while_kerberos_authentication_off if {
	inp := fx.sshd({"kerberosauthentication": "no", "kerberosorlocalpasswd": "yes"})
	fx.codes(rule.not_applicable) == ["kerberos_authentication_off"] with input as inp
	fx.phrases(rule.not_applicable) == [`KerberosAuthentication is "no" in the global section and in every Match block: KerberosOrLocalPasswd only decides what happens to a password the KDC rejects`] with input as inp
}

test_match_block_enables_kerberos_authentication if {
	# A Match block that turns KerberosAuthentication on makes the rule apply.
	inp := fx.sshd_input({"kerberosauthentication": "no", "kerberosorlocalpasswd": "yes"}, {}, [fx.match_block({"kerberosauthentication": "yes"})])
	count(rule.not_applicable) == 0 with input as inp
	fx.codes(rule.deny) == ["kerberos_or_local_passwd"] with input as inp
}
