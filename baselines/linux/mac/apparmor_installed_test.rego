package gcrun.linux.mac.apparmor_installed_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.mac.apparmor_installed as rule

with_packages(names) := object.union(fx.mac_hardened, fx.packages(names))

test_pass_installed if {
	count(rule.deny) == 0 with input as with_packages(["apparmor", "apparmor-utils"])
	count(rule.not_applicable) == 0 with input as with_packages(["apparmor", "apparmor-utils"])
}

test_fail_utils_missing if {
	reasons := rule.deny with input as with_packages(["apparmor"])
	fx.phrases(reasons) == ["package apparmor-utils is not installed, expected installed"]
}

test_fail_none if {
	fx.codes(rule.deny) == ["not_installed", "not_installed"] with input as with_packages([])
}

test_not_applicable_selinux_host if {
	inp := object.union(fx.mac(fx.apparmor([], [], [], fx.apparmor_offline), fx.no_bootloader, fx.selinux_config({"SELINUX": "enforcing", "SELINUXTYPE": "targeted"})), fx.packages([]))
	reasons := rule.not_applicable with input as inp
	fx.phrases(reasons) == ["/etc/selinux/config:2 selects SELinux enforcing: the host uses SELinux, not AppArmor"]
}

test_not_applicable_without_dpkg if {
	fx.codes(rule.not_applicable) == ["no_package_database"] with input as object.union(fx.mac_hardened, fx.no_dpkg)
}

test_remediate_installs_missing_packages if {
	rule.remediate == {
		{"type": "package.install", "name": "apparmor"},
		{"type": "package.install", "name": "apparmor-utils"},
	} with input as with_packages([])
	rule.remediate == {{"type": "package.install", "name": "apparmor-utils"}} with input as with_packages(["apparmor"])
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as with_packages(["apparmor", "apparmor-utils"])
	inp := object.union(fx.mac(fx.apparmor([], [], [], fx.apparmor_offline), fx.no_bootloader, fx.selinux_config({"SELINUX": "enforcing", "SELINUXTYPE": "targeted"})), fx.packages([]))
	count(rule.not_applicable) > 0 with input as inp
	count(rule.remediate) == 0 with input as inp
}
