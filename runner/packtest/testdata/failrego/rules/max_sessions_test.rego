package acme.rules.max_sessions_test

import data.acme.rules.max_sessions

facts(v) := {"config": {"maxsessions": v}}

test_pass if count(max_sessions.deny) == 0 with input.sshd as facts("10")

# Wrong on purpose: 11 sessions are a finding, so deny is not empty.
test_fail_wrong if {
	deny := max_sessions.deny with input.sshd as facts("11")
	print("deny:", deny)
	count(deny) == 0
}

# Strict builtin errors: to_number("ten") is an error, not undefined.
test_error_not_a_number if count(max_sessions.deny) == 0 with input.sshd as facts("ten")

todo_test_later if false
