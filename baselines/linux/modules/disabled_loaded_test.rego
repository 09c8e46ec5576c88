package gcrun.linux.modules.disabled_loaded_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.modules.disabled_loaded as rule

test_pass_hardened if {
	inp := {"kernel_modules": fx.hardened_facts.kernel_modules}
	count(rule.not_applicable) == 0 with input as inp
	count(rule.deny) == 0 with input as inp
	rule.evidence.loaded == sort(fx.kmod_running) with input as inp
}

test_pass_stock_debian12 if {
	count(rule.deny) == 0 with input as {"kernel_modules": fx.debian12_facts.kernel_modules}
}

test_pass_kernel_without_modules if {
	facts := object.union(fx.hardened_facts.kernel_modules, {"loaded": {"supported": false, "modules": null}})
	inp := {"kernel_modules": object.union(facts, {"loaded": {"modules": {}}})}
	count(rule.deny) == 0 with input as inp
	rule.evidence == {"kernel_supports_modules": false, "loaded": []} with input as inp
}

test_fail_disabled_and_loaded if {
	inp := {"kernel_modules": fx.kmod_facts(fx.kmod_available, fx.kmod_cis_modules, fx.kmod_cis_modules, ["ext4", "sctp", "udf"])}
	reasons := rule.deny with input as inp
	fx.codes(reasons) == ["loaded_disabled", "loaded_disabled"]
	fx.phrases(reasons) == [
		sprintf("module sctp is loaded (Live) although /etc/modprobe.d/cis.conf:%d disables it with \"/bin/false\", expected not loaded", [fx.kmod_line("sctp", "install")]),
		sprintf("module udf is loaded (Live) although /etc/modprobe.d/cis.conf:%d disables it with \"/bin/false\", expected not loaded", [fx.kmod_line("udf", "install")]),
	]
}

test_fail_blacklisted_and_loaded if {
	inp := {"kernel_modules": fx.kmod_facts(fx.kmod_available, [], ["dccp"], ["dccp"])}
	reasons := rule.deny with input as inp
	fx.phrases(reasons) == [sprintf("module dccp is loaded (Live) although /etc/modprobe.d/cis.conf:%d blacklists it, expected not loaded", [fx.kmod_line("dccp", "blacklist")])]
}

test_not_applicable_offline if {
	reasons := rule.not_applicable with input as {"kernel_modules": fx.empty_facts.kernel_modules}
	fx.phrases(reasons) == ["the loaded kernel modules can only be read on the live host: /mnt/image is an offline root, so /proc/modules describes the scanning machine, not it"]
}
