package gcrun.linux.ssh.kerberos_ticket_cleanup_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.ssh.kerberos_ticket_cleanup as rule

test_pass_yes if {
	count(rule.deny) == 0 with input as fx.sshd({"kerberosauthentication": "yes", "kerberosticketcleanup": "yes"})
}

test_fail_no if {
	reasons := rule.deny with input as fx.sshd_input({"kerberosauthentication": "yes", "kerberosticketcleanup": "no"}, {"kerberosticketcleanup": {"file": "/etc/ssh/sshd_config", "line": 42}}, [])
	fx.codes(reasons) == ["kerberos_ticket_cleanup"]
	some r in reasons
	r.phrase == `KerberosTicketCleanup is "no", expected "yes"`
	r.expected == "yes"
	r.actual == "no"
	r.evidence == {"keyword": "kerberosticketcleanup", "file": "/etc/ssh/sshd_config", "line": 42}
}

test_match_block if {
	# KerberosTicketCleanup is not allowed in Match blocks; should facts ever
	# carry one, it is still checked.
	reasons := rule.deny with input as fx.sshd_input({"kerberosauthentication": "yes"}, {}, [fx.match_block({"kerberosticketcleanup": "no"})])
	fx.codes(reasons) == ["kerberos_ticket_cleanup_in_match"]
	some r in reasons
	r.evidence.match == "User alice,!bob Address 10.0.0.0/8"
	contains(r.phrase, fx.match_where)
}

test_not_applicable_without_sshd if {
	fx.codes(rule.not_applicable) == ["sshd_config_missing"] with input as fx.no_sshd
}

test_not_applicable_while_kerberos_authentication_off if {
	inp := fx.sshd({"kerberosauthentication": "no", "kerberosticketcleanup": "no"})
	fx.codes(rule.not_applicable) == ["kerberos_authentication_off"] with input as inp
	fx.phrases(rule.not_applicable) == [`KerberosAuthentication is "no" in the global section and in every Match block: sshd obtains no Kerberos tickets to clean up`] with input as inp
}

test_match_block_enables_kerberos_authentication if {
	# A Match block that turns KerberosAuthentication on makes the rule apply.
	inp := fx.sshd_input({"kerberosauthentication": "no", "kerberosticketcleanup": "no"}, {}, [fx.match_block({"kerberosauthentication": "yes"})])
	count(rule.not_applicable) == 0 with input as inp
	fx.codes(rule.deny) == ["kerberos_ticket_cleanup"] with input as inp
}

test_remediate_where_set if {
	inp := fx.sshd_input({"kerberosauthentication": "yes", "kerberosticketcleanup": "no"}, {"kerberosticketcleanup": {"file": fx.dropin_file, "line": 3}}, [])
	rule.remediate == {{"type": "config.set", "path": fx.dropin_file, "format": "sshd", "key": "KerberosTicketCleanup", "value": "yes"}} with input as inp
}

test_remediate_default_in_sshd_config if {
	rule.remediate == {{"type": "config.set", "path": "/etc/ssh/sshd_config", "format": "sshd", "key": "KerberosTicketCleanup", "value": "yes"}} with input as fx.sshd({"kerberosauthentication": "yes", "kerberosticketcleanup": "no"})
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.sshd({"kerberosauthentication": "yes", "kerberosticketcleanup": "yes"})
	count(rule.remediate) == 0 with input as fx.no_sshd
}

test_remediate_match_block_is_manual if {
	inp := fx.sshd_input({"kerberosauthentication": "yes", "kerberosticketcleanup": "yes"}, {}, [fx.match_block({"kerberosticketcleanup": "no"})])
	count(rule.deny) == 1 with input as inp
	count(rule.remediate) == 0 with input as inp
}

test_remediate_none_when_not_applicable if {
	inp := fx.sshd({"kerberosauthentication": "no", "kerberosticketcleanup": "no"})
	count(rule.not_applicable) > 0 with input as inp
	count(rule.remediate) == 0 with input as inp
}
