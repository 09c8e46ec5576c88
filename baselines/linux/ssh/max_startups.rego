# METADATA
# title: SSH limits concurrent unauthenticated connections (MaxStartups 10:30:60 or stricter, parameter ssh_max_startups)
# description: >-
#   MaxStartups start:rate:full makes sshd drop new unauthenticated
#   connections with probability rate% once start of them are pending, and
#   all of them once full are. Without a tight limit, a flood of
#   half-open logins exhausts the server's memory and processes and locks
#   out administrators (the default full of 100 is generous).
# custom:
#   id: GCL-SSH-012
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["5.1.18"]
#     dev-sec-ssh-baseline: ["sshd-21"]
#   remediation: >-
#     Set "MaxStartups 10:30:60" (or stricter than parameter
#     ssh_max_startups) in /etc/ssh/sshd_config and reload sshd.
#   tags: [ssh, availability]
package gcrun.linux.ssh.max_startups

import data.gcrun.linux.lib.sshd

not_applicable contains reason if some reason in sshd.not_installed

evidence := sshd.evidence(["maxstartups"])

# Parameter ssh_max_startups, in sshd's own syntax: 10:30:60 by default, as
# CIS and dev-sec want. Stricter means: start dropping no later (start <=
# 10), drop at least as often (rate >= 30) and refuse everything no later
# (full <= 60).
limit := data.gcrun.params.ssh_max_startups

wanted := limits(limit)

# limits(value) parses "start:rate:full". A single number N means: refuse
# everything beyond N, i.e. N:100:N.
limits(value) := {"start": to_number(p[0]), "rate": to_number(p[1]), "full": to_number(p[2])} if {
	p := split(value, ":")
	count(p) == 3
}

limits(value) := {"start": n, "rate": 100, "full": n} if {
	not contains(value, ":")
	n := to_number(value)
}

# problems(l) lists what is looser than wanted: ["full 100 > 60"].
problems(l) := [p |
	some check in [
		{"part": "start", "bad": l.start > wanted.start, "op": ">"},
		{"part": "rate", "bad": l.rate < wanted.rate, "op": "<"},
		{"part": "full", "bad": l.full > wanted.full, "op": ">"},
	]
	check.bad
	p := sprintf("%s %v %s %v", [check.part, l[check.part], check.op, wanted[check.part]])
]

expected := sprintf("%s or stricter", [limit])

deny contains reason if {
	some s in sshd.settings("maxstartups")
	bad := problems(limits(s.value))
	count(bad) > 0
	reason := sshd.reason("max_startups", s, expected, sprintf("MaxStartups is %q%s, expected %s (%s)", [s.value, s.where, expected, concat(", ", bad)]))
}

# A value sshd -T would never print (e.g. "10:30") cannot be judged: fail
# rather than pass silently.
deny contains reason if {
	some s in sshd.settings("maxstartups")
	not limits(s.value)
	reason := sshd.reason("max_startups_unparsed", s, expected, sprintf("MaxStartups is %q%s, which is not start:rate:full, expected %s", [s.value, s.where, expected]))
}

# Nor can anything be judged against a parameter that is not
# start:rate:full: fail rather than pass every value.
deny contains reason if {
	not wanted
	reason := {
		"code": "max_startups_parameter",
		"phrase": sprintf("parameter ssh_max_startups is %q, which is not start:rate:full (or a single number): MaxStartups cannot be judged", [limit]),
		"expected": "start:rate:full",
		"actual": limit,
		"evidence": {"parameter": "ssh_max_startups"},
	}
}

# remediate sets a global MaxStartups looser than the parameter (or not
# parseable) to the parameter's value, where sshd takes it from.
remediate contains action if {
	_ = wanted
	some s in sshd.global_settings("maxstartups")
	too_loose(s.value)
	action := sshd.set("maxstartups", "MaxStartups", limit)
}

too_loose(value) if not limits(value)

too_loose(value) if count(problems(limits(value))) > 0
