package gcrun.linux.mac.apparmor_bootloader_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.mac.apparmor_bootloader as rule

boot(linux, linux_default) := fx.mac(fx.apparmor(fx.apparmor_debian12_profiles, [], [], fx.apparmor_offline), fx.bootloader(linux, linux_default), fx.no_selinux)

live(enabled) := fx.mac(
	fx.apparmor(fx.apparmor_debian12_profiles, [], [], {"available": true, "enabled": enabled, "profiles_available": true, "profiles": []}),
	fx.no_bootloader,
	fx.no_selinux,
)

test_pass_debian_default if {
	count(rule.deny) == 0 with input as boot("", "quiet")
	count(rule.not_applicable) == 0 with input as boot("", "quiet")
}

test_pass_explicit_and_lsm if {
	count(rule.deny) == 0 with input as boot(fx.hardened_cmdline, "quiet")
	count(rule.deny) == 0 with input as boot("lsm=landlock,lockdown,yama,apparmor apparmor=1", "")
	count(rule.deny) == 0 with input as boot("apparmor=0 apparmor=1", "")
}

test_fail_apparmor_0 if {
	reasons := rule.deny with input as boot("", "quiet apparmor=0")
	fx.phrases(reasons) == [
		"GRUB_CMDLINE_LINUX and GRUB_CMDLINE_LINUX_DEFAULT (GRUB_CMDLINE_LINUX (/etc/default/grub:10), GRUB_CMDLINE_LINUX_DEFAULT (/etc/default/grub:9)) disable AppArmor: apparmor=0; expected AppArmor enabled",
		"the linux line at /boot/grub/grub.cfg:12 (/boot/grub/grub.cfg:12) disable AppArmor: apparmor=0; expected AppArmor enabled",
	]
}

test_fail_other_lsm if {
	fx.codes(rule.deny) == ["disabled", "disabled", "disabled"] with input as boot("security=selinux", "")
	reasons := rule.deny with input as boot("lsm=yama,selinux security=apparmor", "")
	fx.codes(reasons) == ["disabled", "disabled", "disabled"]
	every r in reasons {
		r.actual == "lsm=yama,selinux does not include apparmor"
	}
}

test_fail_explicit_parameter if {
	inp := boot("", "quiet")
	reasons := rule.deny with input as inp with data.gcrun.params.mac_apparmor_boot_params_required as true
	fx.codes(reasons) == ["not_explicit", "not_explicit", "not_explicit"]
	count(rule.deny) == 0 with input as boot(fx.hardened_cmdline, "") with data.gcrun.params.mac_apparmor_boot_params_required as true
	fx.codes(rule.deny) == ["live_disabled", "no_bootloader"] with input as live(false) with data.gcrun.params.mac_apparmor_boot_params_required as true
}

test_fail_live_disabled if {
	fx.codes(rule.deny) == ["live_disabled"] with input as live(false)
	count(rule.deny) == 0 with input as live(true)
	count(rule.not_applicable) == 0 with input as live(true)
}

test_not_applicable_no_bootloader_offline if {
	inp := fx.mac(fx.apparmor([], [], [], fx.apparmor_offline), fx.no_bootloader, fx.no_selinux)
	reasons := rule.not_applicable with input as inp
	fx.codes(reasons) == ["no_bootloader"]
}

test_not_applicable_selinux_host if {
	inp := fx.mac(fx.apparmor([], [], [], fx.apparmor_offline), fx.bootloader("selinux=1", ""), fx.selinux_config({"SELINUX": "Enforcing"}))
	fx.codes(rule.not_applicable) == ["selinux"] with input as inp
}

test_evidence_cmdlines if {
	ev := rule.evidence with input as boot("", "quiet")
	ev.live_enabled == "unknown (not the live host)"
	"the linux line at /boot/grub/grub.cfg:18: root=UUID=0b6b5d6c ro single" in ev.cmdlines
}
