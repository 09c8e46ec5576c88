package gcrun.linux.lib.sudo_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.lib.sudo

test_pass_global_is_last_plain_entry if {
	inp := fx.sudo_with([
		fx.sudo_default("logfile", "=", "/a", 20),
		fx.sudo_bound_default("user", ["bob"], "logfile", "=", "/b", fx.sudo_file, 21),
		fx.sudo_default("logfile", "=", "/c", 22),
	])
	sudo.global("logfile").value == "/c" with input as inp
	count(sudo.settings("logfile")) == 3 with input as inp
	not sudo.global("lecture") with input as inp
}

test_pass_shown if {
	sudo.shown(fx.sudo_default("use_pty", "", true, 1)) == "use_pty"
	sudo.shown(fx.sudo_default("use_pty", "!", false, 1)) == "!use_pty"
	sudo.shown(fx.sudo_default("env_keep", "+=", "A B", 1)) == "env_keep+=A B"
	sudo.binding(fx.sudo_bound_default("host", ["web1", "web2"], "x", "", true, "f", 1)) == " for host web1,web2"
}

test_not_applicable_no_sudoers if {
	fx.codes(sudo.no_sudoers) == ["no_sudoers"] with input as fx.sudo_no_sudoers
	count(sudo.no_sudoers) == 0 with input as {"sudoers": fx.debian12_facts.sudoers}
}

test_pass_set_globally if {
	sudo.set_globally("use_pty") with input as {"sudoers": fx.debian12_facts.sudoers}
	not sudo.set_globally("use_pty") with input as fx.sudo_with([fx.sudo_default("use_pty", "!", false, 30)])
	not sudo.set_globally("logfile") with input as {"sudoers": fx.debian12_facts.sudoers}
}
