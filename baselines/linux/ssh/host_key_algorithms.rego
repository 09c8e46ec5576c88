# METADATA
# title: SSH offers only strong host key algorithms (parameter ssh_allowed_host_key_algorithms)
# description: >-
#   The host key algorithm is how the server proves its identity. ssh-rsa
#   signs with SHA-1, for which chosen-prefix collisions are practical, and
#   ssh-dss (DSA) is limited to 1024-bit keys and SHA-1; both were offered by
#   default up to OpenSSH 8.7, and a HostKeyAlgorithms line (or a "+" list)
#   can bring them back. Only Ed25519, ECDSA and RSA with SHA-2 signatures
#   (rsa-sha2-256/512), their security-key and certificate variants, are
#   allowed. Every algorithm outside the list is reported on its own. Not a
#   control of dev-sec or CIS: it completes the HostKey check of GCL-SSH-041
#   and the algorithm lists of GCL-SSH-017 to 019.
# custom:
#   id: GCL-SSH-042
#   severity: medium
#   remediation: >-
#     Remove ssh-rsa, ssh-dss and their certificate variants from
#     HostKeyAlgorithms in /etc/ssh/sshd_config (or remove the line to get
#     OpenSSH 9's default list), and reload sshd.
#   tags: [ssh, crypto]
package gcrun.linux.ssh.host_key_algorithms

import data.gcrun.linux.lib.sshd

not_applicable contains reason if some reason in sshd.not_installed

evidence := sshd.evidence(["hostkeyalgorithms"])

# Parameter ssh_allowed_host_key_algorithms: OpenSSH 9's default list.
allowed := {a | some a in data.gcrun.params.ssh_allowed_host_key_algorithms}

deny contains reason if some reason in sshd.disallowed_algorithms("host_key_algorithm", "HostKeyAlgorithms", "hostkeyalgorithms", allowed)

# remediate sets HostKeyAlgorithms to its global value without the algorithms that are
# not approved, in sshd's order: only names this sshd already accepts, so
# the result is one it can load. Nothing when no approved one is left (a
# person must choose) or for a Match block.
remediate contains action if some action in sshd.fix_algorithms("hostkeyalgorithms", "HostKeyAlgorithms", allowed)
