# METADATA
# title: SSH login grace time is at most 60 seconds (parameter ssh_login_grace_time_max)
# description: >-
#   LoginGraceTime is how long an unauthenticated connection may stay open.
#   Each one holds a slot counted by MaxStartups, so a long (or, with 0,
#   unlimited) grace time lets an attacker exhaust the slots with a few
#   idle connections and lock everyone else out.
# custom:
#   id: GCL-SSH-010
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["5.1.13"]
#     dev-sec-ssh-baseline: ["sshd-18"]
#   remediation: >-
#     Set "LoginGraceTime 60" (or lower, but not 0: at most parameter
#     ssh_login_grace_time_max) in /etc/ssh/sshd_config and reload sshd.
#   tags: [ssh, availability]
package gcrun.linux.ssh.login_grace_time

import data.gcrun.linux.lib.sshd

not_applicable contains reason if some reason in sshd.not_installed

evidence := sshd.evidence(["logingracetime"])

# Parameter ssh_login_grace_time_max: 1 to 60 seconds by default, as CIS
# wants (dev-sec: 30; OpenSSH's default is 120). sshd -T prints seconds.
limit := data.gcrun.params.ssh_login_grace_time_max

# 0 disables the limit altogether: unauthenticated connections stay forever.
deny contains reason if {
	some s in sshd.settings("logingracetime")
	sshd.number(s) == 0
	reason := sshd.reason("login_grace_time", s, sprintf("1..%v", [limit]), sprintf("LoginGraceTime is 0 (no limit)%s, expected 1 to %v seconds", [s.where, limit]))
}

deny contains reason if {
	some s in sshd.settings("logingracetime")
	sshd.number(s) > limit
	reason := sshd.reason("login_grace_time", s, sprintf("1..%v", [limit]), sprintf("LoginGraceTime is %s seconds%s, expected 1 to %v seconds", [s.value, s.where, limit]))
}

# remediate sets a global LoginGraceTime above the limit (or 0) to the limit (whole
# seconds, rounded down), where sshd takes it from.
remediate contains action if {
	some s in sshd.global_settings("logingracetime")
	n := sshd.number(s)
	sshd.out_of_range(n, limit)
	value := format_int(limit, 10)
	to_number(value) >= 1
	action := sshd.set("logingracetime", "LoginGraceTime", value)
}
