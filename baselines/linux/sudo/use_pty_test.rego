package gcrun.linux.sudo.use_pty_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.sudo.use_pty as rule

test_pass_debian12 if {
	count(rule.deny) == 0 with input as {"sudoers": fx.debian12_facts.sudoers}
	rule.evidence == {"use_pty": ["use_pty (/etc/sudoers:15)"]} with input as {"sudoers": fx.debian12_facts.sudoers}
}

test_fail_not_set if {
	inp := fx.sudo_input([fx.sudo_default("env_reset", "", true, 9)], [])
	reasons := rule.deny with input as inp
	fx.codes(reasons) == ["not_set"]
	fx.phrases(reasons) == ["no Defaults line sets use_pty, expected \"Defaults use_pty\""]
}

test_fail_only_bound if {
	# Set for one user only: not for everybody.
	inp := fx.sudo_input([fx.sudo_bound_default("user", ["alice"], "use_pty", "", true, fx.sudo_dropin, 3)], [])
	fx.codes(rule.deny) == ["not_set"] with input as inp
}

test_fail_negated_for_a_user if {
	inp := fx.sudo_with([fx.sudo_bound_default("user", ["%admins", "bob"], "use_pty", "!", false, fx.sudo_dropin, 4)])
	reasons := rule.deny with input as inp
	fx.codes(reasons) == ["negated"]
	fx.phrases(reasons) == ["Defaults for user %admins,bob !use_pty in /etc/sudoers.d/50-local:4, expected use_pty not negated: without a pseudo-terminal a root command can inject input into the user's terminal"]
	some r in reasons
	r.evidence == {"file": fx.sudo_dropin, "line": 4, "setting": "!use_pty", "binding": "user", "targets": ["%admins", "bob"]}
}

test_fail_negated_after_set if {
	inp := fx.sudo_with([fx.sudo_default("use_pty", "!", false, 30)])
	fx.codes(rule.deny) == ["negated", "not_set"] with input as inp
}

test_not_applicable_without_sudoers if {
	reasons := rule.not_applicable with input as fx.sudo_no_sudoers
	fx.phrases(reasons) == ["/etc/sudoers does not exist: sudo is not installed"]
}
