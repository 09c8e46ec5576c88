package gcrun.linux.sysctl.ptrace_scope_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.sysctl.ptrace_scope as rule

test_pass_hardened if {
	count(rule.deny) == 0 with input as {"sysctl": fx.hardened_facts.sysctl}
}

test_pass_offline_skips_running_values if {
	inp := {"sysctl": fx.sysctl_facts(fx.sysctl_hardened_values, null)}
	count(rule.deny) == 0 with input as inp
	ev := rule.evidence with input as inp
	startswith(ev["kernel.yama.ptrace_scope"].running, "not checked: ")
	ev["kernel.yama.ptrace_scope"].configured == {"value": fx.sysctl_hardened_values["kernel.yama.ptrace_scope"], "file": fx.sysctl_cis_file, "line": fx.sysctl_line(fx.sysctl_hardened_values, "kernel.yama.ptrace_scope"), "glob": false}
}

test_pass_glob if {
	values := object.remove(fx.sysctl_hardened_values, ["kernel.yama.ptrace_scope"])
	configured := object.union(fx.sysctl_configured(values), {"kernel.yama.ptrace_scop*": fx.sysctl_glob(fx.sysctl_hardened_values["kernel.yama.ptrace_scope"], 99)})
	inp := {"sysctl": object.union(fx.sysctl_facts(values, fx.sysctl_hardened_runtime), {"configured": configured})}
	count(rule.deny) == 0 with input as inp
}

test_fail_not_configured if {
	reasons := rule.deny with input as {"sysctl": fx.sysctl_facts({}, null)}
	fx.codes(reasons) == ["not_configured"]
	some r in reasons
	r.phrase == "kernel.yama.ptrace_scope is not set in any sysctl configuration file, expected one of 1, 2, 3"
	r.evidence == {"key": "kernel.yama.ptrace_scope"}
}

test_fail_configured_value if {
	values := object.union(fx.sysctl_hardened_values, {"kernel.yama.ptrace_scope": "0"})
	reasons := rule.deny with input as {"sysctl": fx.sysctl_facts(values, null)}
	fx.codes(reasons) == ["configured"]
	fx.phrases(reasons) == [sprintf("kernel.yama.ptrace_scope is set to \"0\" in /etc/sysctl.d/60-cis.conf:%d, expected one of 1, 2, 3", [fx.sysctl_line(values, "kernel.yama.ptrace_scope")])]
	some r in reasons
	r.actual == "0"
	r.evidence == {"key": "kernel.yama.ptrace_scope", "file": fx.sysctl_cis_file, "line": fx.sysctl_line(values, "kernel.yama.ptrace_scope")}
}

test_fail_running_value if {
	runtime := object.union(fx.sysctl_hardened_runtime, {"kernel.yama.ptrace_scope": "0"})
	reasons := rule.deny with input as {"sysctl": fx.sysctl_facts(fx.sysctl_hardened_values, runtime)}
	fx.codes(reasons) == ["runtime"]
	fx.phrases(reasons) == ["the running value of kernel.yama.ptrace_scope is \"0\", expected one of 1, 2, 3"]
}

test_fail_running_value_absent if {
	facts := fx.sysctl_facts(fx.sysctl_hardened_values, fx.sysctl_hardened_runtime)
	inp := {"sysctl": object.union(facts, {"runtime": {"values": {"kernel.yama.ptrace_scope": {"exists": false, "value": ""}}}})}
	reasons := rule.deny with input as inp
	fx.codes(reasons) == ["runtime_absent"]
	fx.phrases(reasons) == ["the running kernel has no kernel.yama.ptrace_scope, expected one of 1, 2, 3"]
}

test_fail_stock_debian12 if {
	fx.codes(rule.deny) == ["not_configured", "runtime"] with input as {"sysctl": fx.debian12_facts.sysctl}
}

test_pass_stricter_scopes if {
	every scope in ["2", "3"] {
		values := object.union(fx.sysctl_hardened_values, {"kernel.yama.ptrace_scope": scope})
		runtime := object.union(fx.sysctl_hardened_runtime, {"kernel.yama.ptrace_scope": scope})
		count(rule.deny) == 0 with input as {"sysctl": fx.sysctl_facts(values, runtime)}
	}
}

test_remediate_not_configured if {
	rule.remediate == {
		{"type": "config.set", "path": "/etc/sysctl.d/60-gcrun.conf", "format": "keyvalue", "separator": " = ", "key": "kernel.yama.ptrace_scope", "value": "1"},
	} with input as {"sysctl": fx.sysctl_facts({}, null)}
}

test_remediate_configured_and_running_value if {
	values := object.union(fx.sysctl_hardened_values, {"kernel.yama.ptrace_scope": "0"})
	runtime := object.union(fx.sysctl_hardened_runtime, {"kernel.yama.ptrace_scope": "0"})
	rule.remediate == {
		{"type": "config.set", "path": fx.sysctl_cis_file, "format": "keyvalue", "separator": " = ", "key": "kernel.yama.ptrace_scope", "value": "1"},
		{"type": "sysctl.apply", "key": "kernel.yama.ptrace_scope", "value": "1"},
	} with input as {"sysctl": fx.sysctl_facts(values, runtime)}
	rule.remediate == {{"type": "sysctl.apply", "key": "kernel.yama.ptrace_scope", "value": fx.sysctl_hardened_values["kernel.yama.ptrace_scope"]}} with input as {"sysctl": fx.sysctl_facts(fx.sysctl_hardened_values, runtime)}
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as {"sysctl": fx.hardened_facts.sysctl}
	count(rule.remediate) == 0 with input as {"sysctl": fx.sysctl_facts(fx.sysctl_hardened_values, null)}
}
