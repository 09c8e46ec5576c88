# METADATA
# title: SSH host-based authentication ignores users' known_hosts files
# description: >-
#   For host-based authentication sshd checks the client's host key against
#   the system's known hosts and, unless IgnoreUserKnownHosts is yes, also
#   against the user's own ~/.ssh/known_hosts: a user (or whoever took over
#   the account) can then declare any machine trusted. The rule does not
#   apply while HostbasedAuthentication is off everywhere (GCL-SSH-007),
#   since the files are read for nothing else.
# custom:
#   id: GCL-SSH-027
#   severity: low
#   references:
#     dev-sec-ssh-baseline: ["sshd-24"]
#   remediation: >-
#     Set "IgnoreUserKnownHosts yes" in /etc/ssh/sshd_config and reload sshd
#     (or turn HostbasedAuthentication off).
#   tags: [ssh, authentication]
package gcrun.linux.ssh.ignore_user_known_hosts

import data.gcrun.linux.lib.sshd

not_applicable contains reason if some reason in sshd.not_installed

not_applicable contains reason if some reason in sshd.unused("hostbased_authentication", "hostbasedauthentication", "HostbasedAuthentication", "users' known_hosts files are only read for host-based authentication")

evidence := sshd.evidence(["ignoreuserknownhosts", "hostbasedauthentication"])

# "no" lets users add trusted client hosts for host-based authentication.
deny contains reason if {
	some s in sshd.unequal("ignoreuserknownhosts", "yes")
	reason := sshd.mismatch("ignore_user_known_hosts", "IgnoreUserKnownHosts", s, "yes")
}
