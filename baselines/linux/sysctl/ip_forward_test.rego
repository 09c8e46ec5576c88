package gcrun.linux.sysctl.ip_forward_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.sysctl.ip_forward as rule

test_pass_hardened if {
	count(rule.deny) == 0 with input as {"sysctl": fx.hardened_facts.sysctl}
}

test_pass_offline_skips_running_values if {
	inp := {"sysctl": fx.sysctl_facts(fx.sysctl_hardened_values, null)}
	count(rule.deny) == 0 with input as inp
	ev := rule.evidence with input as inp
	startswith(ev["net.ipv4.ip_forward"].running, "not checked: ")
	ev["net.ipv4.ip_forward"].configured == {"value": fx.sysctl_hardened_values["net.ipv4.ip_forward"], "file": fx.sysctl_cis_file, "line": fx.sysctl_line(fx.sysctl_hardened_values, "net.ipv4.ip_forward"), "glob": false}
}

test_pass_glob if {
	values := object.remove(fx.sysctl_hardened_values, ["net.ipv4.ip_forward"])
	configured := object.union(fx.sysctl_configured(values), {"net.ipv4.ip_forwar*": fx.sysctl_glob(fx.sysctl_hardened_values["net.ipv4.ip_forward"], 99)})
	inp := {"sysctl": object.union(fx.sysctl_facts(values, fx.sysctl_hardened_runtime), {"configured": configured})}
	count(rule.deny) == 0 with input as inp
}

test_fail_not_configured if {
	reasons := rule.deny with input as {"sysctl": fx.sysctl_facts({}, null)}
	fx.codes(reasons) == ["not_configured", "not_configured"]
	some r in reasons
	r.phrase == "net.ipv4.ip_forward is not set in any sysctl configuration file, expected 0"
	r.evidence == {"key": "net.ipv4.ip_forward"}
}

test_fail_configured_value if {
	values := object.union(fx.sysctl_hardened_values, {"net.ipv4.ip_forward": "1"})
	reasons := rule.deny with input as {"sysctl": fx.sysctl_facts(values, null)}
	fx.codes(reasons) == ["configured"]
	fx.phrases(reasons) == [sprintf("net.ipv4.ip_forward is set to \"1\" in /etc/sysctl.d/60-cis.conf:%d, expected 0", [fx.sysctl_line(values, "net.ipv4.ip_forward")])]
	some r in reasons
	r.actual == "1"
	r.evidence == {"key": "net.ipv4.ip_forward", "file": fx.sysctl_cis_file, "line": fx.sysctl_line(values, "net.ipv4.ip_forward")}
}

test_fail_running_value if {
	runtime := object.union(fx.sysctl_hardened_runtime, {"net.ipv4.ip_forward": "1"})
	reasons := rule.deny with input as {"sysctl": fx.sysctl_facts(fx.sysctl_hardened_values, runtime)}
	fx.codes(reasons) == ["runtime"]
	fx.phrases(reasons) == ["the running value of net.ipv4.ip_forward is \"1\", expected 0"]
}

test_fail_running_value_absent if {
	facts := fx.sysctl_facts(fx.sysctl_hardened_values, fx.sysctl_hardened_runtime)
	inp := {"sysctl": object.union(facts, {"runtime": {"values": {"net.ipv4.ip_forward": {"exists": false, "value": ""}}}})}
	reasons := rule.deny with input as inp
	fx.codes(reasons) == ["runtime_absent"]
	fx.phrases(reasons) == ["the running kernel has no net.ipv4.ip_forward, expected 0"]
}

test_fail_stock_debian12 if {
	fx.codes(rule.deny) == ["not_configured", "not_configured"] with input as {"sysctl": fx.debian12_facts.sysctl}
}

test_not_applicable_router if {
	reasons := rule.not_applicable with data.gcrun.params.sysctl_ip_forwarding_allowed as true
	fx.codes(reasons) == ["forwarding_allowed"]
}

test_pass_not_a_router_by_default if {
	count(rule.not_applicable) == 0 with data.gcrun.params.sysctl_ip_forwarding_allowed as false
}

test_pass_without_ipv6 if {
	values := {k: v | some k, v in fx.sysctl_hardened_values; not startswith(k, "net.ipv6.")}
	runtime := {k: v | some k, v in fx.sysctl_hardened_runtime; not startswith(k, "net.ipv6.")}
	no_ipv6 := {"runtime": {"values": {"net.ipv6.conf.all.disable_ipv6": {"exists": false, "value": ""}}}}
	inp := {"sysctl": object.union(fx.sysctl_facts(values, runtime), no_ipv6)}
	count(rule.deny) == 0 with input as inp
	some key, e in rule.evidence with input as inp
	startswith(key, "net.ipv6.")
	e.applies == "no: the running kernel has no IPv6 stack"
}

test_remediate_not_configured if {
	rule.remediate == {
		{"type": "config.set", "path": "/etc/sysctl.d/60-gcrun.conf", "format": "keyvalue", "separator": " = ", "key": "net.ipv4.ip_forward", "value": "0"},
		{"type": "config.set", "path": "/etc/sysctl.d/60-gcrun.conf", "format": "keyvalue", "separator": " = ", "key": "net.ipv6.conf.all.forwarding", "value": "0"},
	} with input as {"sysctl": fx.sysctl_facts({}, null)}
}

test_remediate_configured_and_running_value if {
	values := object.union(fx.sysctl_hardened_values, {"net.ipv4.ip_forward": "1"})
	runtime := object.union(fx.sysctl_hardened_runtime, {"net.ipv4.ip_forward": "1"})
	rule.remediate == {
		{"type": "config.set", "path": fx.sysctl_cis_file, "format": "keyvalue", "separator": " = ", "key": "net.ipv4.ip_forward", "value": "0"},
		{"type": "sysctl.apply", "key": "net.ipv4.ip_forward", "value": "0"},
	} with input as {"sysctl": fx.sysctl_facts(values, runtime)}
	rule.remediate == {{"type": "sysctl.apply", "key": "net.ipv4.ip_forward", "value": fx.sysctl_hardened_values["net.ipv4.ip_forward"]}} with input as {"sysctl": fx.sysctl_facts(fx.sysctl_hardened_values, runtime)}
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as {"sysctl": fx.hardened_facts.sysctl}
	count(rule.remediate) == 0 with input as {"sysctl": fx.sysctl_facts(fx.sysctl_hardened_values, null)}
}

test_remediate_none_when_forwarding_allowed if {
	inp := {"sysctl": fx.sysctl_facts({}, null)}
	count(rule.remediate) == 0 with input as inp with data.gcrun.params.sysctl_ip_forwarding_allowed as true
}
