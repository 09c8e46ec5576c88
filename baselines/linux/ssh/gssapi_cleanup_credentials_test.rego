package gcrun.linux.ssh.gssapi_cleanup_credentials_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.ssh.gssapi_cleanup_credentials as rule

test_pass_yes if {
	count(rule.deny) == 0 with input as fx.sshd({"gssapiauthentication": "yes", "gssapicleanupcredentials": "yes"})
}

test_fail_no if {
	reasons := rule.deny with input as fx.sshd_input({"gssapiauthentication": "yes", "gssapicleanupcredentials": "no"}, {"gssapicleanupcredentials": {"file": "/etc/ssh/sshd_config", "line": 42}}, [])
	fx.codes(reasons) == ["gssapi_cleanup_credentials"]
	some r in reasons
	r.phrase == `GSSAPICleanupCredentials is "no", expected "yes"`
	r.expected == "yes"
	r.actual == "no"
	r.evidence == {"keyword": "gssapicleanupcredentials", "file": "/etc/ssh/sshd_config", "line": 42}
}

test_match_block if {
	# GSSAPICleanupCredentials is not allowed in Match blocks; should facts ever
	# carry one, it is still checked.
	reasons := rule.deny with input as fx.sshd_input({"gssapiauthentication": "yes"}, {}, [fx.match_block({"gssapicleanupcredentials": "no"})])
	fx.codes(reasons) == ["gssapi_cleanup_credentials_in_match"]
	some r in reasons
	r.evidence.match == "User alice,!bob Address 10.0.0.0/8"
	contains(r.phrase, fx.match_where)
}

test_not_applicable_without_sshd if {
	fx.codes(rule.not_applicable) == ["sshd_config_missing"] with input as fx.no_sshd
}

test_not_applicable_while_gssapi_authentication_off if {
	inp := fx.sshd({"gssapiauthentication": "no", "gssapicleanupcredentials": "no"})
	fx.codes(rule.not_applicable) == ["gssapi_authentication_off"] with input as inp
	fx.phrases(rule.not_applicable) == [`GSSAPIAuthentication is "no" in the global section and in every Match block: no client can delegate credentials to clean up`] with input as inp
}

test_match_block_enables_gssapi_authentication if {
	# A Match block that turns GSSAPIAuthentication on makes the rule apply.
	inp := fx.sshd_input({"gssapiauthentication": "no", "gssapicleanupcredentials": "no"}, {}, [fx.match_block({"gssapiauthentication": "yes"})])
	count(rule.not_applicable) == 0 with input as inp
	fx.codes(rule.deny) == ["gssapi_cleanup_credentials"] with input as inp
}

test_remediate_where_set if {
	inp := fx.sshd_input({"gssapiauthentication": "yes", "gssapicleanupcredentials": "no"}, {"gssapicleanupcredentials": {"file": fx.dropin_file, "line": 3}}, [])
	rule.remediate == {{"type": "config.set", "path": fx.dropin_file, "format": "sshd", "key": "GSSAPICleanupCredentials", "value": "yes"}} with input as inp
}

test_remediate_default_in_sshd_config if {
	rule.remediate == {{"type": "config.set", "path": "/etc/ssh/sshd_config", "format": "sshd", "key": "GSSAPICleanupCredentials", "value": "yes"}} with input as fx.sshd({"gssapiauthentication": "yes", "gssapicleanupcredentials": "no"})
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.sshd({"gssapiauthentication": "yes", "gssapicleanupcredentials": "yes"})
	count(rule.remediate) == 0 with input as fx.no_sshd
}

test_remediate_match_block_is_manual if {
	inp := fx.sshd_input({"gssapiauthentication": "yes", "gssapicleanupcredentials": "yes"}, {}, [fx.match_block({"gssapicleanupcredentials": "no"})])
	count(rule.deny) == 1 with input as inp
	count(rule.remediate) == 0 with input as inp
}

test_remediate_none_when_not_applicable if {
	inp := fx.sshd({"gssapiauthentication": "no", "gssapicleanupcredentials": "no"})
	count(rule.not_applicable) > 0 with input as inp
	count(rule.remediate) == 0 with input as inp
}
