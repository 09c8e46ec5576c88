package gcrun.linux.mac.apparmor_profiles_enforcing_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.mac.apparmor_profiles_enforcing as rule

profiles(ps, disabled, complain) := fx.mac(fx.apparmor(ps, disabled, complain, fx.apparmor_offline), fx.bootloader("", ""), fx.no_selinux)

test_pass_all_enforcing if {
	count(rule.deny) == 0 with input as profiles(fx.apparmor_debian12_profiles, [], [])
	count(rule.not_applicable) == 0 with input as profiles(fx.apparmor_debian12_profiles, [], [])
}

test_fail_complain_and_force_complain if {
	forced := object.union(fx.apparmor_profile("/usr/sbin/b", "", [], "usr.sbin.b", 2), {"force_complain": true})
	ps := array.concat(fx.apparmor_debian12_profiles, [fx.apparmor_profile("/usr/sbin/a", "", ["complain"], "usr.sbin.a", 1), forced])
	reasons := rule.deny with input as profiles(ps, [], ["usr.sbin.b"])
	fx.phrases(reasons) == [
		"AppArmor profile /usr/sbin/a (/etc/apparmor.d/usr.sbin.a:1) is in complain mode, expected enforce mode",
		"AppArmor profile /usr/sbin/b (/etc/apparmor.d/usr.sbin.b:2) is in complain mode, expected enforce mode",
	]
}

test_fail_loaded_complain if {
	live := {"available": true, "enabled": true, "profiles_available": true, "profiles": [{"name": "nvidia_modprobe//kmod", "mode": "complain"}]}
	inp := fx.mac(fx.apparmor(fx.apparmor_debian12_profiles, [], [], live), fx.bootloader("", ""), fx.no_selinux)
	fx.codes(rule.deny) == ["loaded_mode"] with input as inp
}

test_not_applicable_no_profiles if {
	fx.codes(rule.not_applicable) == ["no_apparmor_profiles"] with input as fx.empty_host
}
