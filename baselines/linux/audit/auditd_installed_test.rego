package gcrun.linux.audit.auditd_installed_test

import data.gcrun.linux.audit.auditd_installed as rule
import data.gcrun.linux.lib.fixtures as fx

test_pass_installed if {
	count(rule.deny) == 0 with input as fx.packages(["auditd", "audispd-plugins", "bash"])
	count(rule.not_applicable) == 0 with input as fx.packages(["auditd", "audispd-plugins"])
}

test_fail_not_installed if {
	reasons := rule.deny with input as fx.packages(["bash"])
	fx.phrases(reasons) == ["package audispd-plugins is not installed, expected installed", "package auditd is not installed, expected installed"]
}

test_fail_plugins_missing if {
	fx.codes(rule.deny) == ["not_installed"] with input as fx.packages(["auditd"])
}

test_not_applicable_without_dpkg if {
	fx.codes(rule.not_applicable) == ["no_package_database"] with input as fx.no_dpkg
}

test_remediate_installs_missing_packages if {
	rule.remediate == {
		{"type": "package.install", "name": "auditd"},
		{"type": "package.install", "name": "audispd-plugins"},
	} with input as fx.packages(["bash"])
	rule.remediate == {{"type": "package.install", "name": "audispd-plugins"}} with input as fx.packages(["auditd"])
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.packages(["auditd", "audispd-plugins"])
	count(rule.remediate) == 0 with input as fx.no_dpkg
}
