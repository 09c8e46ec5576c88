package gcrun.linux.lib.packages_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.lib.packages

test_installed if {
	count(packages.installed(["telnetd", "xinetd"])) == 1 with input as fx.packages(["bash", "xinetd"])
	count(packages.installed(["telnetd"])) == 0 with input as fx.packages(["bash"])
}

test_not_dpkg_only_when_facts_say_so if {
	count(packages.not_dpkg) == 1 with input as fx.no_dpkg
	count(packages.not_dpkg) == 0 with input as fx.packages([])
	count(packages.not_dpkg) == 0 with input as {}
}

rpm_host(exists) := {"packages": {
	"format": "rpm",
	"database": "/var/lib/rpm/rpmdb.sqlite",
	"exists": exists,
	"installed": {"telnetd": [{"name": "telnetd", "version": "1:0.17-85.el9", "architecture": "x86_64", "status": "installed", "installed": true}]},
	"packages": [],
}}

test_not_dpkg_on_rpm_and_apk_hosts if {
	reasons := packages.not_dpkg with input as rpm_host(true)
	[r.code | some r in reasons] == ["not_dpkg"]
	[r.phrase | some r in reasons] == ["the package database is rpm's (/var/lib/rpm/rpmdb.sqlite), not dpkg's: not a dpkg-based system"]

	# A missing rpm database says the same, once.
	[r.code | some r in packages.not_dpkg] == ["not_dpkg"] with input as rpm_host(false)
	count(packages.not_dpkg) == 1 with input as {"packages": {"format": "apk", "database": "/lib/apk/db/installed", "exists": true, "installed": {}, "packages": []}}
}

test_evidence if {
	packages.evidence(["b", "a"]) == {"checked": ["a", "b"], "installed": {"a": ["1.0-1 (amd64)"]}} with input as fx.packages(["a", "c"])
}

test_remove_one_action_per_package_name if {
	i386 := object.union(fx.dpkg_entry("telnetd"), {"architecture": "i386"})
	inp := {"packages": object.union(fx.packages(["telnetd"]).packages, {"installed": {"telnetd": [fx.dpkg_entry("telnetd"), i386]}})}
	packages.remove(["telnetd", "xinetd"]) == {{"type": "package.remove", "name": "telnetd"}} with input as inp
}
