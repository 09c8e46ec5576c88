package gcrun.linux.ssh.host_keys_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.ssh.host_keys as rule

test_pass_default_keys if {
	count(rule.deny) == 0 with input as fx.sshd({"hostkey": ["/etc/ssh/ssh_host_rsa_key", "/etc/ssh/ssh_host_ecdsa_key", "/etc/ssh/ssh_host_ed25519_key"]})
}

test_pass_fewer if {
	count(rule.deny) == 0 with input as fx.sshd({"hostkey": ["/etc/ssh/ssh_host_ed25519_key"]})
}

test_fail_dsa_key if {
	inp := fx.sshd_set({"hostkey": ["/etc/ssh/ssh_host_ed25519_key", "/etc/ssh/ssh_host_dsa_key"]}, 30)
	reasons := rule.deny with input as inp
	fx.codes(reasons) == ["host_key"]
	fx.phrases(reasons) == ["sshd loads host key /etc/ssh/ssh_host_dsa_key, which is not an approved host key (approved: /etc/ssh/ssh_host_ecdsa_key, /etc/ssh/ssh_host_ed25519_key, /etc/ssh/ssh_host_rsa_key)"]
	some r in reasons
	r.actual == "/etc/ssh/ssh_host_dsa_key"
	r.evidence == {"keyword": "hostkey", "file": "/etc/ssh/sshd_config", "line": 30, "host_key": "/etc/ssh/ssh_host_dsa_key"}
}

test_fail_stray_key if {
	fx.codes(rule.deny) == ["host_key"] with input as fx.sshd({"hostkey": ["/srv/keys/old_host_key"]})
}

test_pass_parameter_custom_path if {
	inp := fx.sshd({"hostkey": ["/etc/ssh/keys/host_ed25519"]})
	fx.codes(rule.deny) == ["host_key"] with input as inp
	count(rule.deny) == 0 with input as inp with data.gcrun.params.ssh_host_keys as ["/etc/ssh/keys/host_ed25519"]
}

test_fail_parameter_ed25519_only if {
	inp := fx.sshd({"hostkey": ["/etc/ssh/ssh_host_ed25519_key", "/etc/ssh/ssh_host_rsa_key"]})
	fx.phrases(rule.deny) == ["sshd loads host key /etc/ssh/ssh_host_rsa_key, which is not an approved host key (approved: /etc/ssh/ssh_host_ed25519_key)"] with input as inp with data.gcrun.params.ssh_host_keys as ["/etc/ssh/ssh_host_ed25519_key"]
}

test_match_blocks_cannot_add_keys if {
	# HostKey is global only: a Match block in the facts changes nothing.
	count(rule.deny) == 0 with input as fx.sshd_match({"passwordauthentication": "no"})
}

test_not_applicable_without_sshd if {
	fx.codes(rule.not_applicable) == ["sshd_config_missing"] with input as fx.no_sshd
}
