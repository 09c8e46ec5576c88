# METADATA
# title: SSH allows at most 10 sessions per connection (parameter ssh_max_sessions)
# description: >-
#   One authenticated connection can multiplex many shell, login and
#   subsystem sessions. Bounding them limits what one stolen connection (or a
#   runaway client) can consume, and keeps session activity attributable.
# custom:
#   id: GCL-SSH-013
#   severity: low
#   references:
#     cis-debian-linux-12-v1.1.0: ["5.1.17"]
#     dev-sec-ssh-baseline: ["sshd-20"]
#   remediation: >-
#     Set "MaxSessions 10" (or lower: at most parameter ssh_max_sessions) in
#     /etc/ssh/sshd_config, remove any Match block that raises it, and reload
#     sshd.
#   tags: [ssh]
package gcrun.linux.ssh.max_sessions

import data.gcrun.linux.lib.sshd

not_applicable contains reason if some reason in sshd.not_installed

evidence := sshd.evidence(["maxsessions"])

# Parameter ssh_max_sessions: 10 or fewer by default, as CIS and dev-sec
# want (OpenSSH's default is 10), so that one connection cannot open an
# unbounded number of sessions.
limit := data.gcrun.params.ssh_max_sessions

deny contains reason if {
	some s in sshd.settings("maxsessions")
	sshd.number(s) > limit
	reason := sshd.reason("max_sessions", s, sprintf("<= %v", [limit]), sprintf("MaxSessions is %s%s, expected %v or fewer", [s.value, s.where, limit]))
}

# remediate sets a global MaxSessions above the limit to the limit (whole
# number, rounded down), where sshd takes it from.
remediate contains action if {
	some s in sshd.global_settings("maxsessions")
	n := sshd.number(s)
	n > limit
	value := format_int(limit, 10)
	to_number(value) >= 1
	action := sshd.set("maxsessions", "MaxSessions", value)
}
