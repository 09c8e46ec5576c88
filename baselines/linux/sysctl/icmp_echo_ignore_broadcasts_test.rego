package gcrun.linux.sysctl.icmp_echo_ignore_broadcasts_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.sysctl.icmp_echo_ignore_broadcasts as rule

test_pass_hardened if {
	count(rule.deny) == 0 with input as {"sysctl": fx.hardened_facts.sysctl}
}

test_pass_offline_skips_running_values if {
	inp := {"sysctl": fx.sysctl_facts(fx.sysctl_hardened_values, null)}
	count(rule.deny) == 0 with input as inp
	ev := rule.evidence with input as inp
	startswith(ev["net.ipv4.icmp_echo_ignore_broadcasts"].running, "not checked: ")
	ev["net.ipv4.icmp_echo_ignore_broadcasts"].configured == {"value": fx.sysctl_hardened_values["net.ipv4.icmp_echo_ignore_broadcasts"], "file": fx.sysctl_cis_file, "line": fx.sysctl_line(fx.sysctl_hardened_values, "net.ipv4.icmp_echo_ignore_broadcasts"), "glob": false}
}

test_pass_glob if {
	values := object.remove(fx.sysctl_hardened_values, ["net.ipv4.icmp_echo_ignore_broadcasts"])
	configured := object.union(fx.sysctl_configured(values), {"net.ipv4.icmp_echo_ignore_broadcast*": fx.sysctl_glob(fx.sysctl_hardened_values["net.ipv4.icmp_echo_ignore_broadcasts"], 99)})
	inp := {"sysctl": object.union(fx.sysctl_facts(values, fx.sysctl_hardened_runtime), {"configured": configured})}
	count(rule.deny) == 0 with input as inp
}

test_fail_not_configured if {
	reasons := rule.deny with input as {"sysctl": fx.sysctl_facts({}, null)}
	fx.codes(reasons) == ["not_configured"]
	some r in reasons
	r.phrase == "net.ipv4.icmp_echo_ignore_broadcasts is not set in any sysctl configuration file, expected 1"
	r.evidence == {"key": "net.ipv4.icmp_echo_ignore_broadcasts"}
}

test_fail_configured_value if {
	values := object.union(fx.sysctl_hardened_values, {"net.ipv4.icmp_echo_ignore_broadcasts": "0"})
	reasons := rule.deny with input as {"sysctl": fx.sysctl_facts(values, null)}
	fx.codes(reasons) == ["configured"]
	fx.phrases(reasons) == [sprintf("net.ipv4.icmp_echo_ignore_broadcasts is set to \"0\" in /etc/sysctl.d/60-cis.conf:%d, expected 1", [fx.sysctl_line(values, "net.ipv4.icmp_echo_ignore_broadcasts")])]
	some r in reasons
	r.actual == "0"
	r.evidence == {"key": "net.ipv4.icmp_echo_ignore_broadcasts", "file": fx.sysctl_cis_file, "line": fx.sysctl_line(values, "net.ipv4.icmp_echo_ignore_broadcasts")}
}

test_fail_running_value if {
	runtime := object.union(fx.sysctl_hardened_runtime, {"net.ipv4.icmp_echo_ignore_broadcasts": "0"})
	reasons := rule.deny with input as {"sysctl": fx.sysctl_facts(fx.sysctl_hardened_values, runtime)}
	fx.codes(reasons) == ["runtime"]
	fx.phrases(reasons) == ["the running value of net.ipv4.icmp_echo_ignore_broadcasts is \"0\", expected 1"]
}

test_fail_running_value_absent if {
	facts := fx.sysctl_facts(fx.sysctl_hardened_values, fx.sysctl_hardened_runtime)
	inp := {"sysctl": object.union(facts, {"runtime": {"values": {"net.ipv4.icmp_echo_ignore_broadcasts": {"exists": false, "value": ""}}}})}
	reasons := rule.deny with input as inp
	fx.codes(reasons) == ["runtime_absent"]
	fx.phrases(reasons) == ["the running kernel has no net.ipv4.icmp_echo_ignore_broadcasts, expected 1"]
}

test_fail_stock_debian12 if {
	fx.codes(rule.deny) == ["not_configured"] with input as {"sysctl": fx.debian12_facts.sysctl}
}

test_remediate_not_configured if {
	rule.remediate == {
		{"type": "config.set", "path": "/etc/sysctl.d/60-gcrun.conf", "format": "keyvalue", "separator": " = ", "key": "net.ipv4.icmp_echo_ignore_broadcasts", "value": "1"},
	} with input as {"sysctl": fx.sysctl_facts({}, null)}
}

test_remediate_configured_and_running_value if {
	values := object.union(fx.sysctl_hardened_values, {"net.ipv4.icmp_echo_ignore_broadcasts": "0"})
	runtime := object.union(fx.sysctl_hardened_runtime, {"net.ipv4.icmp_echo_ignore_broadcasts": "0"})
	rule.remediate == {
		{"type": "config.set", "path": fx.sysctl_cis_file, "format": "keyvalue", "separator": " = ", "key": "net.ipv4.icmp_echo_ignore_broadcasts", "value": "1"},
		{"type": "sysctl.apply", "key": "net.ipv4.icmp_echo_ignore_broadcasts", "value": "1"},
	} with input as {"sysctl": fx.sysctl_facts(values, runtime)}
	rule.remediate == {{"type": "sysctl.apply", "key": "net.ipv4.icmp_echo_ignore_broadcasts", "value": fx.sysctl_hardened_values["net.ipv4.icmp_echo_ignore_broadcasts"]}} with input as {"sysctl": fx.sysctl_facts(fx.sysctl_hardened_values, runtime)}
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as {"sysctl": fx.hardened_facts.sysctl}
	count(rule.remediate) == 0 with input as {"sysctl": fx.sysctl_facts(fx.sysctl_hardened_values, null)}
}
