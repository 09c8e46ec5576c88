package gcrun.linux.packages.tftpd_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.packages.tftpd as rule

test_pass_not_installed if {
	count(rule.deny) == 0 with input as fx.packages(["openssh-server", "bash"])
	count(rule.not_applicable) == 0 with input as fx.packages(["openssh-server", "bash"])
}

test_pass_config_files_only if {
	# Removed but not purged: in the database, not installed.
	inp := {"packages": object.union(fx.packages([]).packages, {"packages": [object.union(fx.dpkg_entry("tftpd"), {"status": "deinstall ok config-files", "installed": false})]})}
	count(rule.deny) == 0 with input as inp
}

test_fail_installed if {
	reasons := rule.deny with input as fx.packages(["bash", "tftpd"])
	fx.codes(reasons) == ["installed"]
	fx.phrases(reasons) == ["package tftpd 1.0-1 (amd64) is installed, expected not installed: TFTP serves files to anyone, without authentication"]
	some r in reasons
	r.expected == "not installed"
	r.actual == "1.0-1"
	r.evidence == {"package": "tftpd", "version": "1.0-1", "architecture": "amd64", "status": "install ok installed"}
}

test_fail_multiarch if {
	i386 := object.union(fx.dpkg_entry("tftpd"), {"architecture": "i386"})
	inp := {"packages": object.union(fx.packages([]).packages, {"installed": {"tftpd": [fx.dpkg_entry("tftpd"), i386]}})}
	fx.codes(rule.deny) == ["installed", "installed"] with input as inp
}

test_fail_every_package_named if {
	reasons := rule.deny with input as fx.packages(["tftpd", "tftpd-hpa", "atftpd"])
	fx.codes(reasons) == ["installed", "installed", "installed"]
	{r.evidence.package | some r in reasons} == {"tftpd", "tftpd-hpa", "atftpd"}
}

test_not_applicable_without_dpkg if {
	reasons := rule.not_applicable with input as fx.no_dpkg
	fx.codes(reasons) == ["no_package_database"]
	fx.phrases(reasons) == ["/var/lib/dpkg/status does not exist: not a dpkg-based system"]
}

test_evidence_installed_versions if {
	ev := rule.evidence with input as fx.packages(["tftpd"])
	ev.checked == sort(["tftpd", "tftpd-hpa", "atftpd"])
	ev.installed == {"tftpd": ["1.0-1 (amd64)"]}
}

test_remediate_removes_each_installed_package if {
	rule.remediate == {
		{"type": "package.remove", "name": "tftpd"},
		{"type": "package.remove", "name": "tftpd-hpa"},
		{"type": "package.remove", "name": "atftpd"},
	} with input as fx.packages(["bash", "tftpd", "tftpd-hpa", "atftpd"])
	rule.remediate == {{"type": "package.remove", "name": "atftpd"}} with input as fx.packages(["atftpd"])
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.packages(["bash", "openssh-server"])
	count(rule.remediate) == 0 with input as fx.no_dpkg
	rpm := {"packages": object.union(fx.packages(["tftpd"]).packages, {"format": "rpm", "database": "/var/lib/rpm/rpmdb.sqlite"})}
	count(rule.remediate) == 0 with input as rpm
}
