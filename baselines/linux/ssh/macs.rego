# METADATA
# title: SSH offers only strong MACs
# description: >-
#   The MAC keeps an attacker on the network path from altering the session.
#   MD5, SHA-1 and RIPEMD-160 based MACs and 64-bit tags (umac-64) are weak,
#   and the classic encrypt-and-MAC variants authenticate the plaintext, which
#   has enabled plaintext-recovery attacks; only encrypt-then-MAC
#   (*-etm@openssh.com) MACs with SHA-2 or a 128-bit UMAC are allowed
#   (parameter ssh_allowed_macs). Every MAC outside the list is reported on
#   its own.
# custom:
#   id: GCL-SSH-018
#   severity: high
#   references:
#     cis-debian-linux-12-v1.1.0: ["5.1.15"]
#     dev-sec-ssh-baseline: ["sshd-03"]
#   remediation: >-
#     Set "MACs hmac-sha2-512-etm@openssh.com,hmac-sha2-256-etm@openssh.com,umac-128-etm@openssh.com"
#     (or the list of parameter ssh_allowed_macs) in /etc/ssh/sshd_config and
#     reload sshd.
#   tags: [ssh, crypto]
package gcrun.linux.ssh.macs

import data.gcrun.linux.lib.sshd

not_applicable contains reason if some reason in sshd.not_installed

evidence := sshd.evidence(["macs"])

# Parameter ssh_allowed_macs. Its default is encrypt-then-MAC only. This is
# stricter than CIS (which flags MD5, SHA-1, RIPEMD-160 and umac-64) and
# than dev-sec (which also keeps the non-etm hmac-sha2-*): every current
# OpenSSH client speaks the etm variants.
allowed := {m | some m in data.gcrun.params.ssh_allowed_macs}

deny contains reason if some reason in sshd.disallowed_algorithms("mac", "MACs", "macs", allowed)

# remediate sets MACs to its global value without the algorithms that are
# not approved, in sshd's order: only names this sshd already accepts, so
# the result is one it can load. Nothing when no approved one is left (a
# person must choose) or for a Match block.
remediate contains action if some action in sshd.fix_algorithms("macs", "MACs", allowed)
