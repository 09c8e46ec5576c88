# METADATA
# title: SSH root login is disabled
# description: >-
#   Logging in directly as root over SSH gives an attacker who guesses or
#   steals root's credentials the whole machine in one step, and leaves no
#   trace of which person used the account. Administrators log in as
#   themselves and escalate with sudo. Only "no" is accepted:
#   "prohibit-password" (printed by sshd -T as "without-password") still lets
#   a stolen root key in, and "forced-commands-only" is a special case to
#   waive explicitly.
# custom:
#   id: GCL-SSH-001
#   severity: high
#   references:
#     cis-debian-linux-12-v1.1.0: ["5.1.20"]
#     dev-sec-ssh-baseline: ["sshd-06"]
#   remediation: >-
#     Set "PermitRootLogin no" in /etc/ssh/sshd_config, remove any Match block
#     that sets PermitRootLogin to another value, and reload sshd.
#   tags: [ssh, authentication]
package gcrun.linux.ssh.permit_root_login

import data.gcrun.linux.lib.sshd

not_applicable contains reason if some reason in sshd.not_installed

evidence := sshd.evidence(["permitrootlogin"])

# Only "no": "prohibit-password" still admits a stolen root key, and a
# Match block must not re-open root login for some users or addresses.
deny contains reason if {
	some s in sshd.unequal("permitrootlogin", "no")
	reason := sshd.mismatch("permit_root_login", "PermitRootLogin", s, "no")
}

# No remediate: PermitRootLogin no locks out a host whose administrators
# log in only as root (with a key, as prohibit-password allows), and sshd -t
# cannot tell. Turning root logins off is for a person who knows how the
# host is reached.
