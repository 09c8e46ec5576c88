package gcrun.linux.mac.apparmor_profiles_loaded_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.mac.apparmor_profiles_loaded as rule

profiles(ps, disabled, complain) := fx.mac(fx.apparmor(ps, disabled, complain, fx.apparmor_offline), fx.bootloader("", ""), fx.no_selinux)

test_pass_enforce_complain_kill if {
	ps := array.concat(fx.apparmor_debian12_profiles, [
		fx.apparmor_profile("/usr/sbin/a", "", ["complain"], "usr.sbin.a", 1),
		fx.apparmor_profile("b", "", ["kill", "attach_disconnected"], "b", 1),
	])
	count(rule.deny) == 0 with input as profiles(ps, [], [])
}

test_fail_unconfined_and_disabled if {
	rsyslog := object.union(fx.apparmor_profile("/usr/sbin/rsyslogd", "", [], "usr.sbin.rsyslogd", 13), {"disabled": true})
	ps := array.concat(fx.apparmor_debian12_profiles, [rsyslog, fx.apparmor_profile("firefox", "/usr/lib/firefox/firefox", ["unconfined"], "firefox", 10)])
	reasons := rule.deny with input as profiles(ps, ["usr.sbin.rsyslogd"], [])
	fx.phrases(reasons) == [
		"AppArmor profile /usr/sbin/rsyslogd (/etc/apparmor.d/usr.sbin.rsyslogd:13) is disabled (listed in /etc/apparmor.d/disable/, so not loaded), expected enforce or complain mode",
		"AppArmor profile firefox (/etc/apparmor.d/firefox:10) is in unconfined mode, expected enforce or complain mode",
	]
	fx.codes(reasons) == ["disabled", "mode"]
}

test_fail_loaded_unconfined if {
	live := {"available": true, "enabled": true, "profiles_available": true, "profiles": [{"name": "/usr/bin/man", "mode": "enforce"}, {"name": "snap.lxd", "mode": "unconfined"}]}
	inp := fx.mac(fx.apparmor(fx.apparmor_debian12_profiles, [], [], live), fx.bootloader("", ""), fx.no_selinux)
	fx.phrases(rule.deny) == ["the loaded AppArmor profile snap.lxd is in unconfined mode, expected enforce or complain mode"] with input as inp
}

test_not_applicable_no_profiles if {
	inp := fx.mac(object.union(fx.apparmor([], [], [], fx.apparmor_offline), {"exists": false}), fx.no_bootloader, fx.no_selinux)
	fx.codes(rule.not_applicable) == ["no_apparmor_profiles"] with input as inp
}

test_not_applicable_selinux_host if {
	inp := fx.mac(fx.apparmor([], [], [], fx.apparmor_offline), fx.no_bootloader, fx.selinux_config({"SELINUX": "enforcing"}))
	fx.codes(rule.not_applicable) == ["selinux"] with input as inp
}

test_evidence_modes if {
	ps := array.concat(fx.apparmor_debian12_profiles, [fx.apparmor_profile("/usr/sbin/a", "", ["complain"], "usr.sbin.a", 1)])
	ev := rule.evidence with input as profiles(ps, [], [])
	ev.profiles.complain == ["/usr/sbin/a"]
	count(ev.profiles.enforce) == 6
	ev.live == false
}
