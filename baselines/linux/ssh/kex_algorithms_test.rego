package gcrun.linux.ssh.kex_algorithms_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.ssh.kex_algorithms as rule

test_pass_hardened if {
	count(rule.deny) == 0 with input as fx.sshd({})
}

test_pass_nist_curves_and_mlkem if {
	count(rule.deny) == 0 with input as fx.sshd({"kexalgorithms": "mlkem768x25519-sha256,ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521"})
}

test_fail_debian12_default_group14 if {
	reasons := rule.deny with input as fx.sshd({"kexalgorithms": fx.debian12_sshd_config.kexalgorithms})
	fx.codes(reasons) == ["kex_algorithm"]
	some r in reasons
	r.actual == "diffie-hellman-group14-sha256"
	r.evidence == {
		"keyword": "kexalgorithms",
		"default": true,
		"algorithm": "diffie-hellman-group14-sha256",
		"value": fx.debian12_sshd_config.kexalgorithms,
	}
}

test_fail_sha1 if {
	reasons := rule.deny with input as fx.sshd_set({"kexalgorithms": "curve25519-sha256,diffie-hellman-group1-sha1,diffie-hellman-group14-sha1,diffie-hellman-group-exchange-sha1"}, 62)
	fx.codes(reasons) == ["kex_algorithm", "kex_algorithm", "kex_algorithm"]
	{r.actual | some r in reasons} == {"diffie-hellman-group1-sha1", "diffie-hellman-group14-sha1", "diffie-hellman-group-exchange-sha1"}
}

test_match_block if {
	reasons := rule.deny with input as fx.sshd_match({"kexalgorithms": "diffie-hellman-group1-sha1"})
	fx.codes(reasons) == ["kex_algorithm_in_match"]
	some r in reasons
	contains(r.phrase, fx.match_where)
	r.evidence.line == 121
}

test_match_block_compliant if {
	count(rule.deny) == 0 with input as fx.sshd_match({"kexalgorithms": "curve25519-sha256"})
}

test_not_applicable_without_sshd if {
	fx.codes(rule.not_applicable) == ["sshd_config_missing"] with input as fx.no_sshd
}

test_pass_parameter_allows_group14 if {
	# A site that keeps group14-sha256 for old clients accepts Debian's default.
	inp := fx.sshd({"kexalgorithms": fx.debian12_sshd_config.kexalgorithms})
	fx.codes(rule.deny) == ["kex_algorithm"] with input as inp
	allowed := array.concat(data.gcrun.params.ssh_allowed_kex, ["diffie-hellman-group14-sha256"])
	count(rule.deny) == 0 with input as inp with data.gcrun.params.ssh_allowed_kex as allowed
}

test_fail_parameter_dev_sec_list if {
	# dev-sec's list for OpenSSH 8.5 and newer drops the NIST curves and the
	# fixed finite-field groups.
	dev_sec := ["sntrup761x25519-sha512@openssh.com", "curve25519-sha256@libssh.org", "diffie-hellman-group-exchange-sha256"]
	reasons := rule.deny with input as fx.sshd({}) with data.gcrun.params.ssh_allowed_kex as dev_sec
	{r.actual | some r in reasons} == {"curve25519-sha256", "diffie-hellman-group16-sha512", "diffie-hellman-group18-sha512"}
	some r in reasons
	r.phrase == `KexAlgorithms allows "curve25519-sha256", which is not an approved algorithm (approved: curve25519-sha256@libssh.org,diffie-hellman-group-exchange-sha256,sntrup761x25519-sha512@openssh.com)`
}

test_remediate_keeps_approved_in_order if {
	inp := fx.sshd_input({"kexalgorithms": fx.debian12_sshd_config.kexalgorithms}, {"kexalgorithms": {"file": fx.dropin_file, "line": 9}}, [])
	rule.remediate == {{"type": "config.set", "path": fx.dropin_file, "format": "sshd", "key": "KexAlgorithms", "value": "sntrup761x25519-sha512@openssh.com,curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,diffie-hellman-group-exchange-sha256,diffie-hellman-group16-sha512,diffie-hellman-group18-sha512"}} with input as inp
}

test_remediate_follows_parameter if {
	inp := fx.sshd({"kexalgorithms": "sntrup761x25519-sha512@openssh.com,curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,diffie-hellman-group-exchange-sha256,diffie-hellman-group16-sha512,diffie-hellman-group18-sha512"})
	count(rule.remediate) == 0 with input as inp
	first := split("sntrup761x25519-sha512@openssh.com,curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,diffie-hellman-group-exchange-sha256,diffie-hellman-group16-sha512,diffie-hellman-group18-sha512", ",")[0]
	rule.remediate == {{"type": "config.set", "path": "/etc/ssh/sshd_config", "format": "sshd", "key": "KexAlgorithms", "value": first}} with input as inp with data.gcrun.params.ssh_allowed_kex as [first]
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.sshd({})
	count(rule.remediate) == 0 with input as fx.no_sshd
}

test_remediate_none_when_nothing_approved_is_left if {
	inp := fx.sshd({"kexalgorithms": "sntrup761x25519-sha512@openssh.com,curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,diffie-hellman-group-exchange-sha256,diffie-hellman-group16-sha512,diffie-hellman-group18-sha512"})
	count(rule.deny) > 0 with input as inp with data.gcrun.params.ssh_allowed_kex as ["diffie-hellman-group1-sha1"]
	count(rule.remediate) == 0 with input as inp with data.gcrun.params.ssh_allowed_kex as ["diffie-hellman-group1-sha1"]
}
