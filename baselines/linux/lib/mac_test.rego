package gcrun.linux.lib.mac_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.lib.mac

test_param_last_wins if {
	mac.param(["apparmor=0", "quiet", "apparmor=1"], "apparmor") == "1"
	not mac.param(["quiet", "apparmorx=0"], "apparmor")
	mac.param(["lsm="], "lsm") == ""
}

test_apparmor_off if {
	mac.apparmor_off(["apparmor=0"]) == {"apparmor=0"}
	mac.apparmor_off(["security=selinux"]) == {"security=selinux selects another security module"}
	mac.apparmor_off(["security=selinux", "lsm=apparmor,yama"]) == set()
	mac.apparmor_off(["lsm="]) == {"lsm= does not include apparmor"}
	mac.apparmor_off(["quiet", "security="]) == set()
}

test_apparmor_explicit if {
	mac.apparmor_explicit(["apparmor=1", "security=apparmor"])
	mac.apparmor_explicit(["apparmor=1", "lsm=yama,apparmor"])
	not mac.apparmor_explicit(["apparmor=1"])
	not mac.apparmor_explicit(["security=apparmor", "apparmor=1", "apparmor=0"])
}

test_selinux_host if {
	mac.selinux_host with input as fx.mac(fx.apparmor([], [], [], fx.apparmor_offline), fx.no_bootloader, fx.selinux_config({"SELINUX": "ENFORCING"}))
	not mac.selinux_host with input as fx.mac(fx.apparmor([], [], [], fx.apparmor_offline), fx.no_bootloader, fx.selinux_config({"SELINUX": "disabled"}))
	not mac.selinux_host with input as fx.debian12_host
}

test_cmdlines_combine_default_grub if {
	lines := mac.cmdlines with input as fx.mac(fx.apparmor([], [], [], fx.apparmor_offline), fx.bootloader("a=1", "b=2"), fx.no_selinux)
	some c in lines
	c.source == "GRUB_CMDLINE_LINUX and GRUB_CMDLINE_LINUX_DEFAULT"
	c.parameters == ["a=1", "b=2"]
	count(lines) == 3
}

test_profile_mode if {
	mac.profile_mode({"mode": "complain", "disabled": true, "force_complain": true}) == "disabled"
	mac.profile_mode({"mode": "enforce", "disabled": false, "force_complain": true}) == "complain"
	mac.profile_mode({"mode": "kill", "disabled": false, "force_complain": false}) == "kill"
}
