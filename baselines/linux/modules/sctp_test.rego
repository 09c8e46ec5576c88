package gcrun.linux.modules.sctp_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.modules.sctp as rule

test_pass_hardened if {
	inp := {"kernel_modules": fx.hardened_facts.kernel_modules}
	count(rule.not_applicable) == 0 with input as inp
	count(rule.deny) == 0 with input as inp
	ev := rule.evidence with input as inp
	ev.install == {"command": "/bin/false", "file": fx.kmod_cis_file, "line": fx.kmod_line("sctp", "install")}
	ev.blacklist == {"file": fx.kmod_cis_file, "line": fx.kmod_line("sctp", "blacklist")}
	ev.loaded == false
}

test_pass_not_available if {
	available := object.remove(fx.kmod_available, ["sctp"])
	inp := {"kernel_modules": fx.kmod_facts(available, [], [], ["ext4"])}
	count(rule.deny) == 0 with input as inp
	ev := rule.evidence with input as inp
	ev.available == []
}

test_pass_offline_loaded_not_checked if {
	inp := {"kernel_modules": fx.kmod_facts(fx.kmod_available, fx.kmod_cis_modules, fx.kmod_cis_modules, null)}
	count(rule.deny) == 0 with input as inp
	startswith(rule.evidence.loaded, "not checked: ") with input as inp
}

test_fail_stock_debian12 if {
	reasons := rule.deny with input as {"kernel_modules": fx.debian12_facts.kernel_modules}
	fx.codes(reasons) == ["not_blacklisted", "not_disabled"]
	fx.phrases(reasons) == [
		"module sctp is available (/lib/modules/6.1.0-18-amd64/kernel/net/sctp/sctp.ko) and no install line disables it, expected \"install sctp /bin/false\"",
		"module sctp is available (/lib/modules/6.1.0-18-amd64/kernel/net/sctp/sctp.ko) and not blacklisted, expected \"blacklist sctp\"",
	]
}

test_fail_install_loads_it if {
	facts := fx.kmod_facts(fx.kmod_available, [], fx.kmod_cis_modules, ["ext4"])
	inp := {"kernel_modules": object.union(facts, {"install": {"sctp": [{"command": "/sbin/modprobe --ignore-install sctp", "file": "/etc/modprobe.d/local.conf", "line": 3, "order": 0}]}})}
	reasons := rule.deny with input as inp
	fx.phrases(reasons) == ["module sctp is installed with \"/sbin/modprobe --ignore-install sctp\" by /etc/modprobe.d/local.conf:3, expected /bin/false or /bin/true"]
	some r in reasons
	r.evidence == {"module": "sctp", "file": "/etc/modprobe.d/local.conf", "line": 3}
}

test_fail_blacklisted_only if {
	inp := {"kernel_modules": fx.kmod_facts(fx.kmod_available, [], fx.kmod_cis_modules, ["ext4"])}
	fx.codes(rule.deny) == ["not_disabled"] with input as inp
}

test_fail_loaded if {
	inp := {"kernel_modules": fx.kmod_facts(fx.kmod_available, fx.kmod_cis_modules, fx.kmod_cis_modules, ["ext4", "sctp"])}
	reasons := rule.deny with input as inp
	fx.phrases(reasons) == ["module sctp is loaded in the running kernel (Live), expected not loaded"]
}

test_fail_builtin if {
	facts := fx.kmod_facts(object.remove(fx.kmod_available, ["sctp"]), fx.kmod_cis_modules, fx.kmod_cis_modules, ["ext4"])
	inp := {"kernel_modules": object.union(facts, {"builtin": {"sctp": ["6.1.0-18-amd64"]}})}
	fx.phrases(rule.deny) == ["module sctp is built into kernel 6.1.0-18-amd64, so modprobe.d cannot keep it out, expected a kernel without it"] with input as inp
}

test_not_applicable_without_kernel if {
	reasons := rule.not_applicable with input as {"kernel_modules": fx.empty_facts.kernel_modules}
	fx.codes(reasons) == ["no_modules"]
}

test_not_applicable_allowed_by_parameter if {
	reasons := rule.not_applicable with input as {"kernel_modules": fx.debian12_facts.kernel_modules}
		with data.gcrun.params.modules_allowed as ["sctp"]
	fx.phrases(reasons) == ["module sctp is allowed by parameter modules_allowed"]
	count(rule.not_applicable) == 0 with input as {"kernel_modules": fx.debian12_facts.kernel_modules}
		with data.gcrun.params.modules_allowed as ["other"]
}

test_remediate_stock_debian12 if {
	rule.remediate == {
		{"type": "config.line", "path": "/etc/modprobe.d/gcrun-sctp.conf", "line": "install sctp /bin/false", "state": "present"},
		{"type": "config.line", "path": "/etc/modprobe.d/gcrun-sctp.conf", "line": "blacklist sctp", "state": "present"},
	} with input as {"kernel_modules": fx.debian12_facts.kernel_modules}
}

test_remediate_replaces_install_line_that_loads_it if {
	facts := fx.kmod_facts(fx.kmod_available, [], fx.kmod_cis_modules, ["ext4"])
	inp := {"kernel_modules": object.union(facts, {"install": {"sctp": [{"command": "/sbin/modprobe --ignore-install sctp", "file": "/etc/modprobe.d/local.conf", "line": 3, "order": 0}]}})}
	rule.remediate == {{
		"type": "config.line",
		"path": "/etc/modprobe.d/local.conf",
		"line": "install sctp /bin/false",
		"state": "present",
		"match": `^\s*install\s+sctp\s`,
	}} with input as inp
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as {"kernel_modules": fx.hardened_facts.kernel_modules}
	count(rule.remediate) == 0 with input as {"kernel_modules": fx.empty_facts.kernel_modules}
	count(rule.remediate) == 0 with input as {"kernel_modules": fx.debian12_facts.kernel_modules} with data.gcrun.params.modules_allowed as ["sctp"]
	loaded := {"kernel_modules": fx.kmod_facts(fx.kmod_available, fx.kmod_cis_modules, fx.kmod_cis_modules, ["ext4", "sctp"])}
	count(rule.deny) == 1 with input as loaded
	count(rule.remediate) == 0 with input as loaded
}
