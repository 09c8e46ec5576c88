# METADATA
# title: SSH offers only strong ciphers
# description: >-
#   The cipher protects everything sent over the connection, passwords
#   included. CBC-mode ciphers (3des-cbc, aes*-cbc, blowfish-cbc, ...) are open
#   to plaintext-recovery attacks on SSH, RC4 (arcfour*) is broken and 64-bit
#   block ciphers fall to Sweet32-style collisions. Only authenticated
#   (chacha20-poly1305, AES-GCM) and AES-CTR ciphers are allowed (parameter
#   ssh_allowed_ciphers). Every cipher outside the list is reported on its
#   own.
# custom:
#   id: GCL-SSH-017
#   severity: high
#   references:
#     cis-debian-linux-12-v1.1.0: ["5.1.6"]
#     dev-sec-ssh-baseline: ["sshd-01"]
#   remediation: >-
#     Set "Ciphers chacha20-poly1305@openssh.com,aes256-gcm@openssh.com,aes128-gcm@openssh.com,aes256-ctr,aes192-ctr,aes128-ctr"
#     (or the list of parameter ssh_allowed_ciphers) in /etc/ssh/sshd_config
#     and reload sshd.
#   tags: [ssh, crypto]
package gcrun.linux.ssh.ciphers

import data.gcrun.linux.lib.sshd

not_applicable contains reason if some reason in sshd.not_installed

evidence := sshd.evidence(["ciphers"])

# Parameter ssh_allowed_ciphers. Its default is the dev-sec ssh-baseline
# list, which CIS's list of weak ciphers leaves alone. chacha20-poly1305
# stays: the Terrapin prefix-truncation attack (CVE-2023-48795) on it is
# fixed by "strict KEX", which Debian 12 has since openssh
# 1:9.2p1-2+deb12u2 (check the package version if in doubt).
allowed := {c | some c in data.gcrun.params.ssh_allowed_ciphers}

deny contains reason if some reason in sshd.disallowed_algorithms("cipher", "Ciphers", "ciphers", allowed)

# remediate sets Ciphers to its global value without the algorithms that are
# not approved, in sshd's order: only names this sshd already accepts, so
# the result is one it can load. Nothing when no approved one is left (a
# person must choose) or for a Match block.
remediate contains action if some action in sshd.fix_algorithms("ciphers", "Ciphers", allowed)
