package gcrun.linux.sudo.timestamp_timeout_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.sudo.timestamp_timeout as rule

timeout(value) := fx.sudo_with([fx.sudo_default("timestamp_timeout", "=", value, 20)])

test_pass_default if {
	count(rule.deny) == 0 with input as {"sudoers": fx.debian12_facts.sudoers}
	ev := rule.evidence with input as {"sudoers": fx.debian12_facts.sudoers}
	ev == {"timestamp_timeout": [], "default_minutes": 15, "max_minutes": 15}
}

test_pass_values if {
	every v in ["15", "5", "0", "2.5", ".5", "+10", "15.", "-0"] {
		count(rule.deny) == 0 with input as timeout(v)
	}
}

test_pass_negated_is_zero if {
	count(rule.deny) == 0 with input as fx.sudo_with([fx.sudo_default("timestamp_timeout", "!", false, 20)])
}

test_fail_too_long if {
	reasons := rule.deny with input as timeout("30")
	fx.codes(reasons) == ["too_long"]
	fx.phrases(reasons) == ["timestamp_timeout is 30 minutes (/etc/sudoers:20), expected at most 15"]
	some r in reasons
	r.actual == "30"
	r.evidence.line == 20
}

test_fail_fraction_too_long if {
	fx.codes(rule.deny) == ["too_long"] with input as timeout("15.5")
}

test_fail_never_expires if {
	reasons := rule.deny with input as timeout("-1")
	fx.phrases(reasons) == ["timestamp_timeout is -1 (/etc/sudoers:20): cached credentials never expire, expected at most 15 minutes"]
}

test_fail_bound_entry if {
	inp := fx.sudo_with([fx.sudo_bound_default("user", ["alice"], "timestamp_timeout", "=", "60", fx.sudo_dropin, 9)])
	fx.phrases(rule.deny) == ["timestamp_timeout is 60 minutes for user alice (/etc/sudoers.d/50-local:9), expected at most 15"] with input as inp
}

test_fail_lower_limit if {
	reasons := rule.deny with input as {"sudoers": fx.debian12_facts.sudoers} with data.gcrun.params.sudo_timestamp_timeout_max as 5
	fx.codes(reasons) == ["default_too_long"]
	fx.phrases(reasons) == ["timestamp_timeout is not set, so sudo's default of 15 minutes applies, expected at most 5"]
	count(rule.deny) == 0 with input as timeout("5") with data.gcrun.params.sudo_timestamp_timeout_max as 5
	fx.codes(rule.deny) == ["too_long"] with input as timeout("6") with data.gcrun.params.sudo_timestamp_timeout_max as 5
}

test_fail_unreadable if {
	fx.codes(rule.deny) == ["unreadable"] with input as timeout(".")
}

test_not_applicable_without_sudoers if {
	fx.codes(rule.not_applicable) == ["no_sudoers"] with input as fx.sudo_no_sudoers
}
