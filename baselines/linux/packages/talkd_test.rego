package gcrun.linux.packages.talkd_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.packages.talkd as rule

test_pass_not_installed if {
	count(rule.deny) == 0 with input as fx.packages(["openssh-server", "bash"])
	count(rule.not_applicable) == 0 with input as fx.packages(["openssh-server", "bash"])
}

test_pass_config_files_only if {
	# Removed but not purged: in the database, not installed.
	inp := {"packages": object.union(fx.packages([]).packages, {"packages": [object.union(fx.dpkg_entry("talkd"), {"status": "deinstall ok config-files", "installed": false})]})}
	count(rule.deny) == 0 with input as inp
}

test_fail_installed if {
	reasons := rule.deny with input as fx.packages(["bash", "talkd"])
	fx.codes(reasons) == ["installed"]
	fx.phrases(reasons) == ["package talkd 1.0-1 (amd64) is installed, expected not installed: talk is an unauthenticated, cleartext network service"]
	some r in reasons
	r.expected == "not installed"
	r.actual == "1.0-1"
	r.evidence == {"package": "talkd", "version": "1.0-1", "architecture": "amd64", "status": "install ok installed"}
}

test_fail_multiarch if {
	i386 := object.union(fx.dpkg_entry("talkd"), {"architecture": "i386"})
	inp := {"packages": object.union(fx.packages([]).packages, {"installed": {"talkd": [fx.dpkg_entry("talkd"), i386]}})}
	fx.codes(rule.deny) == ["installed", "installed"] with input as inp
}

test_fail_every_package_named if {
	reasons := rule.deny with input as fx.packages(["talkd", "inetutils-talkd"])
	fx.codes(reasons) == ["installed", "installed"]
	{r.evidence.package | some r in reasons} == {"talkd", "inetutils-talkd"}
}

test_not_applicable_without_dpkg if {
	reasons := rule.not_applicable with input as fx.no_dpkg
	fx.codes(reasons) == ["no_package_database"]
	fx.phrases(reasons) == ["/var/lib/dpkg/status does not exist: not a dpkg-based system"]
}

test_evidence_installed_versions if {
	ev := rule.evidence with input as fx.packages(["talkd"])
	ev.checked == sort(["talkd", "inetutils-talkd"])
	ev.installed == {"talkd": ["1.0-1 (amd64)"]}
}

test_remediate_removes_each_installed_package if {
	rule.remediate == {
		{"type": "package.remove", "name": "talkd"},
		{"type": "package.remove", "name": "inetutils-talkd"},
	} with input as fx.packages(["bash", "talkd", "inetutils-talkd"])
	rule.remediate == {{"type": "package.remove", "name": "inetutils-talkd"}} with input as fx.packages(["inetutils-talkd"])
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.packages(["bash", "openssh-server"])
	count(rule.remediate) == 0 with input as fx.no_dpkg
	rpm := {"packages": object.union(fx.packages(["talkd"]).packages, {"format": "rpm", "database": "/var/lib/rpm/rpmdb.sqlite"})}
	count(rule.remediate) == 0 with input as rpm
}
