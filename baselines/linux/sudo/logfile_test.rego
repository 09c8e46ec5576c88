package gcrun.linux.sudo.logfile_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.sudo.logfile as rule

test_pass_set if {
	inp := fx.sudo_with([fx.sudo_default("logfile", "=", "/var/log/sudo.log", 16)])
	count(rule.deny) == 0 with input as inp
	rule.evidence == {"logfile": ["logfile=/var/log/sudo.log (/etc/sudoers:16)"]} with input as inp
}

test_fail_debian12 if {
	reasons := rule.deny with input as {"sudoers": fx.debian12_facts.sudoers}
	fx.codes(reasons) == ["not_set"]
	fx.phrases(reasons) == ["no Defaults line sets logfile, expected a sudo log file (Defaults logfile=\"/var/log/sudo.log\")"]
}

test_fail_unset_later if {
	inp := fx.sudo_with([fx.sudo_default("logfile", "=", "/var/log/sudo.log", 16), fx.sudo_default("logfile", "!", false, 20)])
	reasons := rule.deny with input as inp
	fx.codes(reasons) == ["negated", "not_set"]
}

test_fail_negated_for_command if {
	inp := fx.sudo_with([
		fx.sudo_default("logfile", "=", "/var/log/sudo.log", 16),
		fx.sudo_bound_default("command", ["/usr/bin/less"], "logfile", "!", false, fx.sudo_file, 21),
	])
	fx.phrases(rule.deny) == ["Defaults for command /usr/bin/less !logfile in /etc/sudoers:21, expected logfile not negated: sudo then writes no log file"] with input as inp
}

test_not_applicable_without_sudoers if {
	fx.codes(rule.not_applicable) == ["no_sudoers"] with input as fx.sudo_no_sudoers
}
