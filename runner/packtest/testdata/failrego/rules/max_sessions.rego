# METADATA
# title: sshd allows at most 10 sessions per connection
# description: Many sessions per connection hide abuse of one login.
# custom:
#   id: ACME-101
#   severity: low
package acme.rules.max_sessions

value := to_number(input.sshd.config.maxsessions)

evidence := {"maxsessions": value}

deny contains reason if {
	value > data.gcrun.params.acme_max_sessions
	reason := {
		"code": "max_sessions",
		"phrase": sprintf("MaxSessions is %d, expected at most %d", [value, data.gcrun.params.acme_max_sessions]),
	}
}
