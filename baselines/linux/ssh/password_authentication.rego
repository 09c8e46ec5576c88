# METADATA
# title: SSH password authentication is disabled
# description: >-
#   Passwords can be guessed, sprayed from botnets, reused from other breaches
#   and phished; a server that accepts them is exposed to all of that from the
#   whole network. With password authentication off, users log in with keys (or
#   certificates), which cannot be brute-forced. Keyboard-interactive
#   authentication must be off too (GCL-SSH-022), or PAM still asks for the
#   password.
# custom:
#   id: GCL-SSH-002
#   severity: high
#   references:
#     dev-sec-ssh-baseline: ["sshd-27"]
#   remediation: >-
#     Set "PasswordAuthentication no" in /etc/ssh/sshd_config (after giving
#     every user a key), remove any Match block that sets it to "yes", and
#     reload sshd.
#   tags: [ssh, authentication]
package gcrun.linux.ssh.password_authentication

import data.gcrun.linux.lib.sshd

not_applicable contains reason if some reason in sshd.not_installed

evidence := sshd.evidence(["passwordauthentication"])

# Only "no" stops sshd from accepting passwords over the network.
deny contains reason if {
	some s in sshd.unequal("passwordauthentication", "no")
	reason := sshd.mismatch("password_authentication", "PasswordAuthentication", s, "no")
}
