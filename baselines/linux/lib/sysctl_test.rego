package gcrun.linux.lib.sysctl_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.lib.sysctl

globs := {"sysctl": object.union(fx.sysctl_facts({"net.ipv4.conf.all.rp_filter": "1"}, null), {
	"configured": object.union(fx.sysctl_configured({"net.ipv4.conf.all.rp_filter": "1"}), {
		"net.ipv4.conf.*.rp_filter": fx.sysctl_glob("2", 5),
		"net.ipv4.conf.e*.rp_filter": fx.sysctl_glob("0", 7),
	}),
	"excluded": {"net.ipv4.conf.lo.rp_filter": {"file": fx.sysctl_cis_file, "line": 3}},
})}

test_setting_explicit_beats_globs if {
	s := sysctl.setting("net.ipv4.conf.all.rp_filter") with input as globs
	s.value == "1"
	s.glob == false
}

test_setting_last_glob_wins if {
	sysctl.setting("net.ipv4.conf.eth0.rp_filter").value == "0" with input as globs
	sysctl.setting("net.ipv4.conf.default.rp_filter").value == "2" with input as globs
}

test_setting_glob_does_not_cross_dots if {
	not sysctl.setting("net.ipv4.conf.a.b.rp_filter") with input as globs
}

test_setting_excluded_key if {
	not sysctl.setting("net.ipv4.conf.lo.rp_filter") with input as globs
}

test_value_ok_compares_numbers if {
	sysctl.value_ok("01", ["1"])
	sysctl.value_ok("2", ["1", "2"])
	not sysctl.value_ok("2", ["1"])
	not sysctl.value_ok("x", ["1"])
	sysctl.value_ok("32768 60999", ["32768 60999"])
}

test_expected_text if {
	sysctl.expected_text(["0"]) == "0"
	sysctl.expected_text(["1", "2"]) == "one of 1, 2"
}

test_normalize_configured_value if {
	sysctl.normalize(" 32768\t60999 ") == "32768 60999"
}

test_runtime_unreadable_and_unread if {
	inp := {"sysctl": object.union(fx.sysctl_facts({"kernel.sysrq": "0", "kernel.x": "1"}, {}), {"runtime": {
		"available": true,
		"values": {"kernel.sysrq": {"exists": true, "value": "", "error": "permission denied"}},
	}})}
	reasons := sysctl.deny_reasons({"kernel.sysrq": ["0"], "kernel.x": ["1"]}) with input as inp
	fx.phrases(reasons) == [
		"the running value of kernel.sysrq cannot be read (permission denied), expected 0",
		"the running value of kernel.x cannot be read (not read by the collector), expected 1",
	]
}

test_configured_value_with_spaces if {
	inp := {"sysctl": fx.sysctl_facts({"net.ipv4.ip_local_port_range": "1024\t65000"}, null)}
	fx.phrases(sysctl.deny_reasons({"net.ipv4.ip_local_port_range": ["32768 60999"]})) == [sprintf("net.ipv4.ip_local_port_range is set to %q in /etc/sysctl.d/60-cis.conf:1, expected 32768 60999", ["1024 65000"])] with input as inp
}

test_evidence_live_and_offline if {
	live := sysctl.evidence({"kernel.sysrq": ["0"]}) with input as {"sysctl": fx.sysctl_facts({"kernel.sysrq": "0"}, {"kernel.sysrq": "0"})}
	live["kernel.sysrq"].running == {"exists": true, "value": "0"}
	live["kernel.sysrq"].configured.file == fx.sysctl_cis_file
	offline := sysctl.evidence({"kernel.sysrq": ["0"]}) with input as {"sysctl": fx.sysctl_facts({}, null)}
	offline["kernel.sysrq"].configured == null
	offline["kernel.sysrq"].running == "not checked: /mnt/image is an offline root, so /proc/sys describes the scanning machine, not it"
}

test_fix_glob_becomes_explicit_key if {
	values := object.remove(fx.sysctl_hardened_values, ["net.ipv4.ip_forward"])
	configured := object.union(fx.sysctl_configured(values), {"net.ipv4.ip_f*": fx.sysctl_glob("1", 99)})
	inp := {"sysctl": object.union(fx.sysctl_facts(values, null), {"configured": configured})}
	sysctl.fix({"net.ipv4.ip_forward": ["0"]}) == {{"type": "config.set", "path": "/etc/sysctl.d/60-gcrun.conf", "format": "keyvalue", "separator": " = ", "key": "net.ipv4.ip_forward", "value": "0"}} with input as inp
}

test_fix_keeps_allowed_configured_value_for_running_kernel if {
	runtime := object.union(fx.sysctl_hardened_runtime, {"fs.protected_fifos": "0"})
	inp := {"sysctl": fx.sysctl_facts(object.union(fx.sysctl_hardened_values, {"fs.protected_fifos": "2"}), runtime)}
	sysctl.fix({"fs.protected_fifos": ["1", "2"]}) == {{"type": "sysctl.apply", "key": "fs.protected_fifos", "value": "2"}} with input as inp
}

test_fix_nothing_for_missing_or_unreadable_running_value if {
	facts := fx.sysctl_facts(fx.sysctl_hardened_values, fx.sysctl_hardened_runtime)
	absent := {"sysctl": object.union(facts, {"runtime": {"values": {"kernel.randomize_va_space": {"exists": false, "value": ""}}}})}
	count(sysctl.fix({"kernel.randomize_va_space": ["2"]})) == 0 with input as absent
	unreadable := {"sysctl": object.union(facts, {"runtime": {"values": {"kernel.randomize_va_space": {"exists": true, "value": "", "error": "permission denied"}}}})}
	count(sysctl.fix({"kernel.randomize_va_space": ["2"]})) == 0 with input as unreadable
}

test_fix_nothing_for_ipv6_keys_without_ipv6 if {
	facts := fx.sysctl_facts({}, fx.sysctl_hardened_runtime)
	inp := {"sysctl": object.union(facts, {"runtime": {"values": {"net.ipv6.conf.all.disable_ipv6": {"exists": false, "value": ""}}}})}
	count(sysctl.fix({"net.ipv6.conf.all.accept_ra": ["0"]})) == 0 with input as inp
	count(sysctl.fix({"net.ipv4.ip_forward": ["0"]})) == 1 with input as inp
}
