package gcrun.linux.ssh.host_key_size_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.ssh.host_key_size as rule

with_keys(keys) := {"sshd": object.union(fx.sshd({}).sshd, {"host_keys": keys})}

key(name, type, bits) := {"path": sprintf("/etc/ssh/ssh_host_%s_key", [name]), "public_key": sprintf("/etc/ssh/ssh_host_%s_key.pub", [name]), "exists": true, "type": type, "bits": bits}

gone(name) := {"path": sprintf("/etc/ssh/ssh_host_%s_key", [name]), "public_key": sprintf("/etc/ssh/ssh_host_%s_key.pub", [name]), "exists": false, "type": "", "bits": 0}

ed25519 := key("ed25519", "ssh-ed25519", 256)

ecdsa := key("ecdsa", "ecdsa-sha2-nistp256", 256)

test_pass_rsa_4096 if {
	inp := with_keys([ed25519, ecdsa, key("rsa", "ssh-rsa", 4096)])
	count(rule.not_applicable) == 0 with input as inp
	count(rule.deny) == 0 with input as inp
	rule.evidence.unmeasured == [] with input as inp
}

test_fail_not_collected if {
	count(rule.not_applicable) == 0 with input as fx.sshd({})
	fx.codes(rule.deny) == ["not_collected"] with input as fx.sshd({})
	rule.evidence == {"host_keys": {"collected": false}} with input as fx.sshd({})
}

test_fail_rsa_2048 if {
	reasons := rule.deny with input as with_keys([ed25519, key("rsa", "ssh-rsa", 2048)])
	fx.codes(reasons) == ["rsa_host_key_size"]
	some r in reasons
	r.phrase == "RSA host key /etc/ssh/ssh_host_rsa_key has 2048 bits, expected at least 4096"
	r.expected == ">= 4096"
	r.actual == 2048
	r.evidence == {"keyword": "hostkey", "file": "/etc/ssh/ssh_host_rsa_key.pub", "key": "/etc/ssh/ssh_host_rsa_key", "type": "ssh-rsa", "bits": 2048}
}

test_fail_parameter if {
	inp := with_keys([key("rsa", "ssh-rsa", 3072), key("rsa2", "ssh-rsa", 4096)])
	reasons := rule.deny with input as inp with data.gcrun.params.ssh_min_rsa_bits as 8192
	fx.codes(reasons) == ["rsa_host_key_size", "rsa_host_key_size"]
	fx.codes(rule.deny) == ["rsa_host_key_size"] with input as inp
	count(rule.deny) == 0 with input as inp with data.gcrun.params.ssh_min_rsa_bits as 3072
}

test_pass_missing_public_key_is_not_a_failure if {
	inp := with_keys([ed25519, gone("rsa"), key("rsa2", "ssh-rsa", 4096)])
	count(rule.deny) == 0 with input as inp
	rule.evidence.unmeasured == ["/etc/ssh/ssh_host_rsa_key"] with input as inp
}

test_not_applicable_without_rsa_key if {
	inp := with_keys([ed25519, gone("rsa")])
	fx.codes(rule.not_applicable) == ["no_rsa_host_key"] with input as inp
	some r in rule.not_applicable with input as inp
	r.phrase == `no HostKey is an RSA key with a public key file (host keys: "/etc/ssh/ssh_host_ed25519_key" or "/etc/ssh/ssh_host_rsa_key")`
}

test_not_applicable_without_sshd if {
	fx.codes(rule.not_applicable) == ["sshd_config_missing"] with input as fx.no_sshd
}

test_match_blocks_ignored if {
	# HostKey is global-only: Match blocks cannot add keys.
	inp := {"sshd": object.union(fx.sshd_match({"passwordauthentication": "no"}).sshd, {"host_keys": [key("rsa", "ssh-rsa", 4096)]})}
	count(rule.deny) == 0 with input as inp
}
