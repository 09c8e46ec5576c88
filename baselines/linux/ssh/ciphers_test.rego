package gcrun.linux.ssh.ciphers_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.ssh.ciphers as rule

test_pass_hardened if {
	count(rule.deny) == 0 with input as fx.sshd({})
}

test_pass_debian12_default if {
	count(rule.deny) == 0 with input as fx.sshd({"ciphers": fx.debian12_sshd_config.ciphers})
}

test_pass_subset if {
	count(rule.deny) == 0 with input as fx.sshd({"ciphers": "aes256-gcm@openssh.com"})
}

test_fail_one_reason_per_weak_cipher if {
	reasons := rule.deny with input as fx.sshd_set({"ciphers": "aes256-gcm@openssh.com,aes128-cbc,3des-cbc,aes256-ctr"}, 60)
	fx.codes(reasons) == ["cipher", "cipher"]
	{r.actual | some r in reasons} == {"aes128-cbc", "3des-cbc"}
	some r in reasons
	r.actual == "3des-cbc"
	r.phrase == `Ciphers allows "3des-cbc", which is not an approved algorithm (approved: aes128-ctr,aes128-gcm@openssh.com,aes192-ctr,aes256-ctr,aes256-gcm@openssh.com,chacha20-poly1305@openssh.com)`
	r.evidence == {
		"keyword": "ciphers",
		"file": "/etc/ssh/sshd_config",
		"line": 60,
		"algorithm": "3des-cbc",
		"value": "aes256-gcm@openssh.com,aes128-cbc,3des-cbc,aes256-ctr",
	}
}

test_fail_arcfour_and_blowfish if {
	fx.codes(rule.deny) == ["cipher", "cipher", "cipher"] with input as fx.sshd({"ciphers": "arcfour256,blowfish-cbc,rijndael-cbc@lysator.liu.se"})
}

test_match_block if {
	# Ciphers is not allowed in Match blocks; should facts
	# ever carry one,
	# it is still checked, "+" (append) prefix and all.
	reasons := rule.deny with input as fx.sshd_match({"ciphers": "+aes128-cbc"})
	fx.codes(reasons) == ["cipher_in_match"]
	some r in reasons
	r.actual == "aes128-cbc"
	r.evidence.match == "User alice,!bob Address 10.0.0.0/8"
	contains(r.phrase, fx.match_where)
}

test_match_block_removal_only if {
	count(rule.deny) == 0 with input as fx.sshd_match({"ciphers": "-aes128-cbc,3des-cbc"})
}

test_not_applicable_without_sshd if {
	fx.codes(rule.not_applicable) == ["sshd_config_missing"] with input as fx.no_sshd
}

test_pass_parameter_allows_more if {
	# A site that must serve old clients approves aes256-cbc.
	inp := fx.sshd({"ciphers": "aes256-gcm@openssh.com,aes256-cbc"})
	fx.codes(rule.deny) == ["cipher"] with input as inp
	count(rule.deny) == 0 with input as inp with data.gcrun.params.ssh_allowed_ciphers as ["aes256-gcm@openssh.com", "aes256-cbc"]
}

test_fail_parameter_narrower if {
	# The hardened list passes by default; a GCM-only policy rejects the rest.
	reasons := rule.deny with input as fx.sshd({}) with data.gcrun.params.ssh_allowed_ciphers as ["aes256-gcm@openssh.com", "aes128-gcm@openssh.com"]
	{r.actual | some r in reasons} == {"chacha20-poly1305@openssh.com", "aes256-ctr", "aes192-ctr", "aes128-ctr"}
	some r in reasons
	r.actual == "aes128-ctr"
	r.phrase == `Ciphers allows "aes128-ctr", which is not an approved algorithm (approved: aes128-gcm@openssh.com,aes256-gcm@openssh.com)`
	r.expected == ["aes128-gcm@openssh.com", "aes256-gcm@openssh.com"]
}

test_remediate_keeps_approved_in_order if {
	inp := fx.sshd_input({"ciphers": "aes256-gcm@openssh.com,aes128-cbc,3des-cbc,aes256-ctr"}, {"ciphers": {"file": fx.dropin_file, "line": 9}}, [])
	rule.remediate == {{"type": "config.set", "path": fx.dropin_file, "format": "sshd", "key": "Ciphers", "value": "aes256-gcm@openssh.com,aes256-ctr"}} with input as inp
}

test_remediate_follows_parameter if {
	inp := fx.sshd({"ciphers": "aes256-gcm@openssh.com,aes256-ctr"})
	count(rule.remediate) == 0 with input as inp
	first := split("aes256-gcm@openssh.com,aes256-ctr", ",")[0]
	rule.remediate == {{"type": "config.set", "path": "/etc/ssh/sshd_config", "format": "sshd", "key": "Ciphers", "value": first}} with input as inp with data.gcrun.params.ssh_allowed_ciphers as [first]
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.sshd({})
	count(rule.remediate) == 0 with input as fx.no_sshd
}

test_remediate_none_when_nothing_approved_is_left if {
	inp := fx.sshd({"ciphers": "aes256-gcm@openssh.com,aes256-ctr"})
	count(rule.deny) > 0 with input as inp with data.gcrun.params.ssh_allowed_ciphers as ["aes128-cbc"]
	count(rule.remediate) == 0 with input as inp with data.gcrun.params.ssh_allowed_ciphers as ["aes128-cbc"]
}
