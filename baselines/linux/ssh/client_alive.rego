# METADATA
# title: SSH closes unresponsive sessions within 15 minutes (parameters ssh_client_alive_interval_max, ssh_client_alive_count_max)
# description: >-
#   With ClientAliveInterval set, sshd probes a silent client every interval
#   and drops the connection after ClientAliveCountMax unanswered probes. A
#   session whose client vanished (laptop closed, network cut) is then torn
#   down instead of lingering, logged in, for someone to hijack, and it
#   frees its resources. ClientAliveInterval 0 disables the probes; since
#   OpenSSH 8.2 ClientAliveCountMax 0 disables the disconnection.
# custom:
#   id: GCL-SSH-011
#   severity: low
#   references:
#     cis-debian-linux-12-v1.1.0: ["5.1.7"]
#     dev-sec-ssh-baseline: ["sshd-36", "sshd-37"]
#   remediation: >-
#     Set "ClientAliveInterval 300" (or lower, but not 0) and
#     "ClientAliveCountMax 3" (1 to 3) in /etc/ssh/sshd_config (or values
#     within parameters ssh_client_alive_interval_max and
#     ssh_client_alive_count_max), remove any Match block that sets other
#     values, and reload sshd.
#   tags: [ssh, session]
package gcrun.linux.ssh.client_alive

import data.gcrun.linux.lib.sshd

not_applicable contains reason if some reason in sshd.not_installed

evidence := sshd.evidence(["clientaliveinterval", "clientalivecountmax"])

# interval × count bounds how long a dead client's session survives:
# with the defaults of parameters ssh_client_alive_interval_max and
# ssh_client_alive_count_max (dev-sec's values; CIS wants both above 0),
# 300 s × 3 = 15 minutes at most.
max_interval := data.gcrun.params.ssh_client_alive_interval_max

max_count := data.gcrun.params.ssh_client_alive_count_max

deny contains reason if {
	some s in sshd.settings("clientaliveinterval")
	sshd.number(s) == 0
	reason := sshd.reason("client_alive_interval", s, sprintf("1..%v", [max_interval]), sprintf("ClientAliveInterval is 0 (no keepalive probes)%s, expected 1 to %v seconds", [s.where, max_interval]))
}

deny contains reason if {
	some s in sshd.settings("clientaliveinterval")
	sshd.number(s) > max_interval
	reason := sshd.reason("client_alive_interval", s, sprintf("1..%v", [max_interval]), sprintf("ClientAliveInterval is %s seconds%s, expected 1 to %v seconds", [s.value, s.where, max_interval]))
}

deny contains reason if {
	some s in sshd.settings("clientalivecountmax")
	sshd.number(s) == 0
	reason := sshd.reason("client_alive_count_max", s, sprintf("1..%v", [max_count]), sprintf("ClientAliveCountMax is 0 (never disconnects)%s, expected 1 to %v", [s.where, max_count]))
}

deny contains reason if {
	some s in sshd.settings("clientalivecountmax")
	sshd.number(s) > max_count
	reason := sshd.reason("client_alive_count_max", s, sprintf("1..%v", [max_count]), sprintf("ClientAliveCountMax is %s%s, expected 1 to %v", [s.value, s.where, max_count]))
}

# remediate sets a global ClientAliveInterval or ClientAliveCountMax that is
# 0 or above its limit to the limit (rounded down), where sshd takes it
# from.
remediate contains action if {
	some kw, fix in {
		"clientaliveinterval": {"name": "ClientAliveInterval", "max": max_interval},
		"clientalivecountmax": {"name": "ClientAliveCountMax", "max": max_count},
	}
	some s in sshd.global_settings(kw)
	n := sshd.number(s)
	sshd.out_of_range(n, fix.max)
	value := format_int(fix.max, 10)
	to_number(value) >= 1
	action := sshd.set(kw, fix.name, value)
}
