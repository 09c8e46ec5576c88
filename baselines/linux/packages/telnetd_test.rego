package gcrun.linux.packages.telnetd_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.packages.telnetd as rule

test_pass_not_installed if {
	count(rule.deny) == 0 with input as fx.packages(["openssh-server", "bash"])
	count(rule.not_applicable) == 0 with input as fx.packages(["openssh-server", "bash"])
}

test_pass_config_files_only if {
	# Removed but not purged: in the database, not installed.
	inp := {"packages": object.union(fx.packages([]).packages, {"packages": [object.union(fx.dpkg_entry("telnetd"), {"status": "deinstall ok config-files", "installed": false})]})}
	count(rule.deny) == 0 with input as inp
}

test_fail_installed if {
	reasons := rule.deny with input as fx.packages(["bash", "telnetd"])
	fx.codes(reasons) == ["installed"]
	fx.phrases(reasons) == ["package telnetd 1.0-1 (amd64) is installed, expected not installed: telnet sends passwords in cleartext"]
	some r in reasons
	r.expected == "not installed"
	r.actual == "1.0-1"
	r.evidence == {"package": "telnetd", "version": "1.0-1", "architecture": "amd64", "status": "install ok installed"}
}

test_fail_multiarch if {
	i386 := object.union(fx.dpkg_entry("telnetd"), {"architecture": "i386"})
	inp := {"packages": object.union(fx.packages([]).packages, {"installed": {"telnetd": [fx.dpkg_entry("telnetd"), i386]}})}
	fx.codes(rule.deny) == ["installed", "installed"] with input as inp
}

test_fail_every_package_named if {
	reasons := rule.deny with input as fx.packages(["telnetd", "inetutils-telnetd", "telnetd-ssl"])
	fx.codes(reasons) == ["installed", "installed", "installed"]
	{r.evidence.package | some r in reasons} == {"telnetd", "inetutils-telnetd", "telnetd-ssl"}
}

test_not_applicable_without_dpkg if {
	reasons := rule.not_applicable with input as fx.no_dpkg
	fx.codes(reasons) == ["no_package_database"]
	fx.phrases(reasons) == ["/var/lib/dpkg/status does not exist: not a dpkg-based system"]
}

test_evidence_installed_versions if {
	ev := rule.evidence with input as fx.packages(["telnetd"])
	ev.checked == sort(["telnetd", "inetutils-telnetd", "telnetd-ssl"])
	ev.installed == {"telnetd": ["1.0-1 (amd64)"]}
}

test_remediate_removes_each_installed_package if {
	rule.remediate == {
		{"type": "package.remove", "name": "telnetd"},
		{"type": "package.remove", "name": "inetutils-telnetd"},
		{"type": "package.remove", "name": "telnetd-ssl"},
	} with input as fx.packages(["bash", "telnetd", "inetutils-telnetd", "telnetd-ssl"])
	rule.remediate == {{"type": "package.remove", "name": "telnetd-ssl"}} with input as fx.packages(["telnetd-ssl"])
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.packages(["bash", "openssh-server"])
	count(rule.remediate) == 0 with input as fx.no_dpkg
	rpm := {"packages": object.union(fx.packages(["telnetd"]).packages, {"format": "rpm", "database": "/var/lib/rpm/rpmdb.sqlite"})}
	count(rule.remediate) == 0 with input as rpm
}
