package gcrun.linux.packages.prelink_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.packages.prelink as rule

test_pass_not_installed if {
	count(rule.deny) == 0 with input as fx.packages(["openssh-server", "bash"])
	count(rule.not_applicable) == 0 with input as fx.packages(["openssh-server", "bash"])
}

test_pass_config_files_only if {
	# Removed but not purged: in the database, not installed.
	inp := {"packages": object.union(fx.packages([]).packages, {"packages": [object.union(fx.dpkg_entry("prelink"), {"status": "deinstall ok config-files", "installed": false})]})}
	count(rule.deny) == 0 with input as inp
}

test_fail_installed if {
	reasons := rule.deny with input as fx.packages(["bash", "prelink"])
	fx.codes(reasons) == ["installed"]
	fx.phrases(reasons) == ["package prelink 1.0-1 (amd64) is installed, expected not installed: prelink rewrites binaries, which defeats integrity checking and ASLR"]
	some r in reasons
	r.expected == "not installed"
	r.actual == "1.0-1"
	r.evidence == {"package": "prelink", "version": "1.0-1", "architecture": "amd64", "status": "install ok installed"}
}

test_fail_multiarch if {
	i386 := object.union(fx.dpkg_entry("prelink"), {"architecture": "i386"})
	inp := {"packages": object.union(fx.packages([]).packages, {"installed": {"prelink": [fx.dpkg_entry("prelink"), i386]}})}
	fx.codes(rule.deny) == ["installed", "installed"] with input as inp
}

test_not_applicable_without_dpkg if {
	reasons := rule.not_applicable with input as fx.no_dpkg
	fx.codes(reasons) == ["no_package_database"]
	fx.phrases(reasons) == ["/var/lib/dpkg/status does not exist: not a dpkg-based system"]
}

test_evidence_installed_versions if {
	ev := rule.evidence with input as fx.packages(["prelink"])
	ev.checked == sort(["prelink"])
	ev.installed == {"prelink": ["1.0-1 (amd64)"]}
}

test_remediate_removes_each_installed_package if {
	rule.remediate == {
		{"type": "package.remove", "name": "prelink"},
	} with input as fx.packages(["bash", "prelink"])
	rule.remediate == {{"type": "package.remove", "name": "prelink"}} with input as fx.packages(["prelink"])
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.packages(["bash", "openssh-server"])
	count(rule.remediate) == 0 with input as fx.no_dpkg
	rpm := {"packages": object.union(fx.packages(["prelink"]).packages, {"format": "rpm", "database": "/var/lib/rpm/rpmdb.sqlite"})}
	count(rule.remediate) == 0 with input as rpm
}
