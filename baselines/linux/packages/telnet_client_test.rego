package gcrun.linux.packages.telnet_client_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.packages.telnet_client as rule

test_pass_not_installed if {
	count(rule.deny) == 0 with input as fx.packages(["openssh-client", "bash"])
	count(rule.not_applicable) == 0 with input as fx.packages(["openssh-client", "bash"])
}

test_fail_transitional_and_real_package if {
	reasons := rule.deny with input as fx.packages(["bash", "telnet", "inetutils-telnet"])
	fx.codes(reasons) == ["installed", "installed"]
	{r.evidence.package | some r in reasons} == {"telnet", "inetutils-telnet"}
	fx.phrases(rule.deny) == ["package telnet 1.0-1 (amd64) is installed, expected not installed: telnet sends passwords in cleartext"] with input as fx.packages(["telnet"])
}

test_not_applicable_without_dpkg if {
	fx.codes(rule.not_applicable) == ["no_package_database"] with input as fx.no_dpkg
}

test_remediate_removes_each_installed_package if {
	rule.remediate == {
		{"type": "package.remove", "name": "telnet"},
		{"type": "package.remove", "name": "inetutils-telnet"},
	} with input as fx.packages(["bash", "telnet", "inetutils-telnet"])
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.packages(["bash"])
}
