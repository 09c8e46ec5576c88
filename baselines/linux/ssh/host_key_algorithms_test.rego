package gcrun.linux.ssh.host_key_algorithms_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.ssh.host_key_algorithms as rule

test_pass_hardened if {
	count(rule.deny) == 0 with input as fx.sshd({})
}

test_pass_openssh9_default if {
	count(rule.deny) == 0 with input as fx.sshd({"hostkeyalgorithms": fx.debian12_sshd_config.hostkeyalgorithms})
}

test_fail_ssh_rsa_added if {
	# "HostKeyAlgorithms +ssh-rsa,ssh-dss": sshd -T appends them to the default.
	value := concat(",", [fx.debian12_sshd_config.hostkeyalgorithms, "ssh-rsa", "ssh-dss"])
	reasons := rule.deny with input as fx.sshd_set({"hostkeyalgorithms": value}, 50)
	fx.codes(reasons) == ["host_key_algorithm", "host_key_algorithm"]
	{r.actual | some r in reasons} == {"ssh-rsa", "ssh-dss"}
	some r in reasons
	r.actual == "ssh-rsa"
	startswith(r.phrase, `HostKeyAlgorithms allows "ssh-rsa", which is not an approved algorithm (approved: ecdsa-sha2-nistp256,`)
	r.evidence.line == 50
	r.evidence.algorithm == "ssh-rsa"
}

test_fail_parameter_ed25519_only if {
	reasons := rule.deny with input as fx.sshd({}) with data.gcrun.params.ssh_allowed_host_key_algorithms as ["ssh-ed25519", "ssh-ed25519-cert-v01@openssh.com"]
	{r.actual | some r in reasons} == {"rsa-sha2-512", "rsa-sha2-256"}
	some r in reasons
	r.phrase == `HostKeyAlgorithms allows "rsa-sha2-256", which is not an approved algorithm (approved: ssh-ed25519,ssh-ed25519-cert-v01@openssh.com)`
}

test_pass_parameter_allows_ssh_rsa if {
	inp := fx.sshd({"hostkeyalgorithms": "ssh-ed25519,ssh-rsa"})
	fx.codes(rule.deny) == ["host_key_algorithm"] with input as inp
	count(rule.deny) == 0 with input as inp with data.gcrun.params.ssh_allowed_host_key_algorithms as ["ssh-ed25519", "ssh-rsa"]
}

test_match_block if {
	# HostKeyAlgorithms is not allowed in Match blocks; should facts ever
	# carry one, it is still checked.
	reasons := rule.deny with input as fx.sshd_match({"hostkeyalgorithms": "+ssh-rsa"})
	fx.codes(reasons) == ["host_key_algorithm_in_match"]
	some r in reasons
	r.evidence.match == "User alice,!bob Address 10.0.0.0/8"
}

test_not_applicable_without_sshd if {
	fx.codes(rule.not_applicable) == ["sshd_config_missing"] with input as fx.no_sshd
}

test_remediate_keeps_approved_in_order if {
	inp := fx.sshd_input({"hostkeyalgorithms": "ssh-ed25519,ssh-rsa,rsa-sha2-512,ssh-dss"}, {"hostkeyalgorithms": {"file": fx.dropin_file, "line": 9}}, [])
	rule.remediate == {{"type": "config.set", "path": fx.dropin_file, "format": "sshd", "key": "HostKeyAlgorithms", "value": "ssh-ed25519,rsa-sha2-512"}} with input as inp
}

test_remediate_follows_parameter if {
	inp := fx.sshd({"hostkeyalgorithms": "ssh-ed25519,rsa-sha2-512"})
	count(rule.remediate) == 0 with input as inp
	first := split("ssh-ed25519,rsa-sha2-512", ",")[0]
	rule.remediate == {{"type": "config.set", "path": "/etc/ssh/sshd_config", "format": "sshd", "key": "HostKeyAlgorithms", "value": first}} with input as inp with data.gcrun.params.ssh_allowed_host_key_algorithms as [first]
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.sshd({})
	count(rule.remediate) == 0 with input as fx.no_sshd
}

test_remediate_none_when_nothing_approved_is_left if {
	inp := fx.sshd({"hostkeyalgorithms": "ssh-ed25519,rsa-sha2-512"})
	count(rule.deny) > 0 with input as inp with data.gcrun.params.ssh_allowed_host_key_algorithms as ["ssh-dss"]
	count(rule.remediate) == 0 with input as inp with data.gcrun.params.ssh_allowed_host_key_algorithms as ["ssh-dss"]
}
