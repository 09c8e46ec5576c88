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

test_evidence if {
	packages.evidence(["b", "a"]) == {"checked": ["a", "b"], "installed": {"a": ["1.0-1 (amd64)"]}} with input as fx.packages(["a", "c"])
}
