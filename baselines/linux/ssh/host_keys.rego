# METADATA
# title: SSH loads only the approved host keys (Ed25519, ECDSA, RSA; parameter ssh_host_keys)
# description: >-
#   Each HostKey is an identity the server can prove to clients. A key of a
#   weak type (DSA, limited to 1024 bits and SHA-1) or a stray key file
#   nobody manages (an old key copied from another machine, a key in a
#   world-readable place) is an identity an attacker may be able to
#   impersonate. sshd should load exactly the keys the site manages, by
#   default the Ed25519, ECDSA and RSA keys in /etc/ssh; loading fewer is
#   fine.
# custom:
#   id: GCL-SSH-041
#   severity: low
#   references:
#     dev-sec-ssh-baseline: ["sshd-14"]
#   remediation: >-
#     List only approved keys (parameter ssh_host_keys) in HostKey lines of
#     /etc/ssh/sshd_config, remove the other HostKey lines (and the key
#     files), and reload sshd.
#   tags: [ssh, crypto]
package gcrun.linux.ssh.host_keys

import data.gcrun.linux.lib.sshd

not_applicable contains reason if some reason in sshd.not_installed

evidence := sshd.evidence(["hostkey"])

# Parameter ssh_host_keys: dev-sec's keys, /etc/ssh/ssh_host_{ed25519,ecdsa,rsa}_key.
allowed := {k | some k in data.gcrun.params.ssh_host_keys}

deny contains reason if {
	some key in input.sshd.config.hostkey
	not key in allowed
	reason := {
		"code": "host_key",
		"phrase": sprintf("sshd loads host key %s, which is not an approved host key (approved: %s)", [key, concat(", ", sort(allowed))]),
		"expected": sort(allowed),
		"actual": key,
		"evidence": object.union(sshd.source("hostkey"), {"host_key": key}),
	}
}
