# METADATA
# title: SSH RSA host keys have at least 4096 bits (parameter ssh_min_rsa_bits)
# description: >-
#   Clients authenticate the server by its host key. A short RSA key is
#   cheaper to factor, and whoever recovers the private key can impersonate
#   the server to every client that trusts it. RSA host keys should have at
#   least ssh_min_rsa_bits bits; Ed25519 and ECDSA keys have fixed sizes and
#   are not checked.
# custom:
#   id: GCL-SSH-045
#   severity: medium
#   references:
#     dev-sec-ssh-baseline: ["sshd-50"]
#   remediation: >-
#     Generate a new RSA host key of 4096 bits (or at least parameter
#     ssh_min_rsa_bits): ssh-keygen -t rsa -b 4096 -N "" -f
#     /etc/ssh/ssh_host_rsa_key (after moving the old one away), reload sshd
#     and publish the new fingerprint to the clients.
#   tags: [ssh, crypto]
package gcrun.linux.ssh.host_key_size

import data.gcrun.linux.lib.sshd

# Parameter ssh_min_rsa_bits: 4096 by default, dev-sec's threshold.
min_bits := data.gcrun.params.ssh_min_rsa_bits

host_keys := object.get(input.sshd, "host_keys", [])

rsa_keys := [k | some k in host_keys; k.exists; k.type == "ssh-rsa"]

# A HostKey whose .pub file is missing has an unknown size. It is not a
# failure: sshd loads the private key alone, and a missing public key says
# nothing about the key's size (gcrun never reads private keys). Such keys
# are listed in the evidence, and when no RSA key can be measured the rule
# does not apply, as dev-sec's sshd-50 does not when there is no readable
# RSA host key.
unmeasured := [k.path | some k in host_keys; not k.exists]

not_applicable contains reason if some reason in sshd.not_installed

not_applicable contains reason if {
	input.sshd.exists == true
	_ = input.sshd.host_keys
	count(rsa_keys) == 0
	reason := {
		"code": "no_rsa_host_key",
		"phrase": sprintf("no HostKey is an RSA key with a public key file (host keys: %s)", [sshd.one_of([k.path | some k in host_keys])]),
		"evidence": {"host_keys": host_keys},
	}
}

# Facts without host_keys say nothing: the evidence says so, and deny fails.
evidence := {"host_keys": host_keys, "unmeasured": unmeasured} if {
	_ = input.sshd.host_keys
} else := {"host_keys": {"collected": false}}

deny contains reason if {
	some k in rsa_keys
	k.bits < min_bits
	reason := {
		"code": "rsa_host_key_size",
		"phrase": sprintf("RSA host key %s has %d bits, expected at least %d", [k.path, k.bits, min_bits]),
		"expected": sprintf(">= %d", [min_bits]),
		"actual": k.bits,
		"evidence": {"keyword": "hostkey", "file": k.public_key, "key": k.path, "type": k.type, "bits": k.bits},
	}
}

# Facts without host_keys (made by hand, or by a collector that predates the
# field) say nothing about the host: fail rather than pass on nothing.
deny contains reason if {
	input.sshd.exists == true
	not input.sshd.host_keys
	reason := {
		"code": "not_collected",
		"phrase": "the sshd facts carry no host_keys: the size of the RSA host keys is unknown",
		"evidence": {"field": "sshd.host_keys"},
	}
}
