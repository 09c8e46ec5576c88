# METADATA
# title: SSH offers only strong key exchange algorithms
# description: >-
#   The key exchange sets up the session keys; a weak one lets a recorded
#   session be decrypted later. SHA-1 based exchanges and the 1024-bit group1
#   are broken or weakened (Logjam), and 2048-bit group14 is below the
#   strength of the rest of the list. Only the hybrid post-quantum,
#   Curve25519, NIST ECDH and large finite-field groups are allowed
#   (parameter ssh_allowed_kex). Every algorithm outside the list is
#   reported on its own.
# custom:
#   id: GCL-SSH-019
#   severity: high
#   references:
#     cis-debian-linux-12-v1.1.0: ["5.1.12"]
#     dev-sec-ssh-baseline: ["sshd-02"]
#   remediation: >-
#     Set "KexAlgorithms sntrup761x25519-sha512@openssh.com,curve25519-sha256,curve25519-sha256@libssh.org,diffie-hellman-group16-sha512,diffie-hellman-group18-sha512,diffie-hellman-group-exchange-sha256"
#     (or a subset of parameter ssh_allowed_kex) in /etc/ssh/sshd_config
#     (ecdh-sha2-nistp256/384/521 may stay) and reload sshd.
#   tags: [ssh, crypto]
package gcrun.linux.ssh.kex_algorithms

import data.gcrun.linux.lib.sshd

not_applicable contains reason if some reason in sshd.not_installed

evidence := sshd.evidence(["kexalgorithms"])

# Parameter ssh_allowed_kex. Its default:
#   - hybrid post-quantum exchanges: a recorded session stays safe against
#     a future quantum computer. mlkem768x25519-sha256 is the default of
#     OpenSSH 10 (Debian 13); sntrup761x25519-sha512 is the 9.9+ name of
#     sntrup761x25519-sha512@openssh.com;
#   - curve25519-sha256 (and its @libssh.org name);
#   - the NIST curves: CIS only rejects the SHA-1 exchanges (dev-sec drops
#     the curves out of distrust of their provenance, not a known attack);
#   - finite-field groups of 3072 bits or more (group-exchange: sshd picks
#     from /etc/ssh/moduli, which should hold no modulus under 3072 bits).
allowed := {k | some k in data.gcrun.params.ssh_allowed_kex}

deny contains reason if some reason in sshd.disallowed_algorithms("kex_algorithm", "KexAlgorithms", "kexalgorithms", allowed)

# remediate sets KexAlgorithms to its global value without the algorithms that are
# not approved, in sshd's order: only names this sshd already accepts, so
# the result is one it can load. Nothing when no approved one is left (a
# person must choose) or for a Match block.
remediate contains action if some action in sshd.fix_algorithms("kexalgorithms", "KexAlgorithms", allowed)
