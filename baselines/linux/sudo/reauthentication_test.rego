package gcrun.linux.sudo.reauthentication_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.sudo.reauthentication as rule

test_pass_debian12 if {
	count(rule.deny) == 0 with input as {"sudoers": fx.debian12_facts.sudoers}
}

test_pass_authenticate_set if {
	count(rule.deny) == 0 with input as fx.sudo_with([fx.sudo_default("authenticate", "", true, 20)])
}

test_fail_global if {
	reasons := rule.deny with input as fx.sudo_with([fx.sudo_default("authenticate", "!", false, 20)])
	fx.codes(reasons) == ["negated"]
	fx.phrases(reasons) == ["Defaults !authenticate in /etc/sudoers:20, expected authenticate not negated: sudo would run commands without asking for a password"]
}

test_fail_bound if {
	inp := fx.sudo_with([fx.sudo_bound_default("runas", ["root"], "authenticate", "!", false, fx.sudo_dropin, 2)])
	fx.phrases(rule.deny) == ["Defaults for runas root !authenticate in /etc/sudoers.d/50-local:2, expected authenticate not negated: sudo would run commands without asking for a password"] with input as inp
	rule.evidence == {"authenticate": ["!authenticate for runas root (/etc/sudoers.d/50-local:2)"]} with input as inp
}

test_not_applicable_without_sudoers if {
	fx.codes(rule.not_applicable) == ["no_sudoers"] with input as fx.sudo_no_sudoers
}
