package gcrun.linux.mac.selinux_enforcing_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.mac.selinux_enforcing as rule

rhel(settings, boot, live) := fx.mac(fx.apparmor([], [], [], fx.apparmor_offline), boot, object.union(fx.selinux_config(settings), {"live": live}))

targeted := {"SELINUX": "enforcing", "SELINUXTYPE": "targeted"}

test_pass_enforcing_targeted if {
	count(rule.deny) == 0 with input as rhel(targeted, fx.no_bootloader, fx.selinux_offline)
	count(rule.deny) == 0 with input as rhel({"SELINUX": "Enforcing", "SELINUXTYPE": "mls"}, fx.bootloader("selinux=1", ""), {"available": true, "enabled": true, "enforcing": true})
}

test_fail_permissive_minimum if {
	reasons := rule.deny with input as rhel({"SELINUX": "permissive", "SELINUXTYPE": "minimum"}, fx.no_bootloader, fx.selinux_offline)
	fx.phrases(reasons) == [
		"SELINUX is \"permissive\" (/etc/selinux/config:2), expected SELINUX=enforcing",
		"SELINUXTYPE is \"minimum\" (/etc/selinux/config:3), expected SELINUXTYPE=targeted or mls",
	]
}

test_fail_unset if {
	fx.codes(rule.deny) == ["selinux", "selinuxtype"] with input as rhel({}, fx.no_bootloader, fx.selinux_offline)
}

test_fail_cmdline if {
	reasons := rule.deny with input as rhel(targeted, fx.bootloader("selinux=0", "enforcing=0"), fx.selinux_offline)
	fx.codes(reasons) == ["cmdline", "cmdline", "cmdline", "cmdline", "cmdline"]
}

test_fail_live if {
	fx.phrases(rule.deny) == ["the running kernel's SELinux is permissive, expected enforcing"] with input as rhel(targeted, fx.no_bootloader, {"available": true, "enabled": true, "enforcing": false})
	fx.phrases(rule.deny) == ["the running kernel's SELinux is disabled, expected enforcing"] with input as rhel(targeted, fx.no_bootloader, {"available": true, "enabled": false, "enforcing": false})
}

test_not_applicable_apparmor_host if {
	fx.codes(rule.not_applicable) == ["no_selinux_config"] with input as fx.debian12_host
}
