package gcrun.linux.ssh.macs_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.ssh.macs as rule

test_pass_hardened if {
	count(rule.deny) == 0 with input as fx.sshd({})
}

test_pass_sha2_etm_only if {
	count(rule.deny) == 0 with input as fx.sshd({"macs": "hmac-sha2-256-etm@openssh.com"})
}

test_fail_debian12_default if {
	reasons := rule.deny with input as fx.sshd({"macs": fx.debian12_sshd_config.macs})
	{r.actual | some r in reasons} == {
		"umac-64-etm@openssh.com", "hmac-sha1-etm@openssh.com", "umac-64@openssh.com",
		"umac-128@openssh.com", "hmac-sha2-256", "hmac-sha2-512", "hmac-sha1",
	}
	count(reasons) == 7
}

test_fail_md5 if {
	reasons := rule.deny with input as fx.sshd_set({"macs": "hmac-md5,hmac-sha2-512-etm@openssh.com"}, 61)
	fx.codes(reasons) == ["mac"]
	fx.phrases(reasons) == [`MACs allows "hmac-md5", which is not an approved algorithm (approved: hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,umac-128-etm@openssh.com)`]
	some r in reasons
	r.expected == ["hmac-sha2-256-etm@openssh.com", "hmac-sha2-512-etm@openssh.com", "umac-128-etm@openssh.com"]
	r.evidence.line == 61
}

test_match_block if {
	reasons := rule.deny with input as fx.sshd_match({"macs": "hmac-sha1"})
	fx.codes(reasons) == ["mac_in_match"]
	some r in reasons
	contains(r.phrase, fx.match_where)
}

test_match_block_compliant if {
	count(rule.deny) == 0 with input as fx.sshd_match({"macs": "^hmac-sha2-256-etm@openssh.com"})
}

test_not_applicable_without_sshd if {
	fx.codes(rule.not_applicable) == ["sshd_config_missing"] with input as fx.no_sshd
}

test_pass_parameter_allows_dev_sec_list if {
	# dev-sec's list also has the encrypt-and-MAC hmac-sha2-*.
	inp := fx.sshd({"macs": "hmac-sha2-512-etm@openssh.com,hmac-sha2-512,hmac-sha2-256"})
	fx.codes(rule.deny) == ["mac", "mac"] with input as inp
	dev_sec := ["hmac-sha2-512-etm@openssh.com", "hmac-sha2-256-etm@openssh.com", "umac-128-etm@openssh.com", "hmac-sha2-512", "hmac-sha2-256"]
	count(rule.deny) == 0 with input as inp with data.gcrun.params.ssh_allowed_macs as dev_sec
}

test_fail_parameter_narrower if {
	reasons := rule.deny with input as fx.sshd({}) with data.gcrun.params.ssh_allowed_macs as ["hmac-sha2-512-etm@openssh.com"]
	{r.actual | some r in reasons} == {"hmac-sha2-256-etm@openssh.com", "umac-128-etm@openssh.com"}
	some r in reasons
	r.phrase == `MACs allows "umac-128-etm@openssh.com", which is not an approved algorithm (approved: hmac-sha2-512-etm@openssh.com)`
}

test_remediate_keeps_approved_in_order if {
	inp := fx.sshd_input({"macs": fx.debian12_sshd_config.macs}, {"macs": {"file": fx.dropin_file, "line": 9}}, [])
	rule.remediate == {{"type": "config.set", "path": fx.dropin_file, "format": "sshd", "key": "MACs", "value": "umac-128-etm@openssh.com,hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com"}} with input as inp
}

test_remediate_follows_parameter if {
	inp := fx.sshd({"macs": "umac-128-etm@openssh.com,hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com"})
	count(rule.remediate) == 0 with input as inp
	first := split("umac-128-etm@openssh.com,hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com", ",")[0]
	rule.remediate == {{"type": "config.set", "path": "/etc/ssh/sshd_config", "format": "sshd", "key": "MACs", "value": first}} with input as inp with data.gcrun.params.ssh_allowed_macs as [first]
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.sshd({})
	count(rule.remediate) == 0 with input as fx.no_sshd
}

test_remediate_none_when_nothing_approved_is_left if {
	inp := fx.sshd({"macs": "umac-128-etm@openssh.com,hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com"})
	count(rule.deny) > 0 with input as inp with data.gcrun.params.ssh_allowed_macs as ["hmac-md5"]
	count(rule.remediate) == 0 with input as inp with data.gcrun.params.ssh_allowed_macs as ["hmac-md5"]
}
