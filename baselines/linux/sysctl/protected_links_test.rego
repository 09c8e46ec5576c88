package gcrun.linux.sysctl.protected_links_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.sysctl.protected_links as rule

test_pass_hardened if {
	count(rule.deny) == 0 with input as {"sysctl": fx.hardened_facts.sysctl}
}

test_pass_offline_skips_running_values if {
	inp := {"sysctl": fx.sysctl_facts(fx.sysctl_hardened_values, null)}
	count(rule.deny) == 0 with input as inp
	ev := rule.evidence with input as inp
	startswith(ev["fs.protected_fifos"].running, "not checked: ")
	ev["fs.protected_fifos"].configured == {"value": fx.sysctl_hardened_values["fs.protected_fifos"], "file": fx.sysctl_cis_file, "line": fx.sysctl_line(fx.sysctl_hardened_values, "fs.protected_fifos"), "glob": false}
}

test_pass_glob if {
	values := object.remove(fx.sysctl_hardened_values, ["fs.protected_fifos"])
	configured := object.union(fx.sysctl_configured(values), {"fs.protected_fifo*": fx.sysctl_glob(fx.sysctl_hardened_values["fs.protected_fifos"], 99)})
	inp := {"sysctl": object.union(fx.sysctl_facts(values, fx.sysctl_hardened_runtime), {"configured": configured})}
	count(rule.deny) == 0 with input as inp
}

test_fail_not_configured if {
	reasons := rule.deny with input as {"sysctl": fx.sysctl_facts({}, null)}
	fx.codes(reasons) == ["not_configured", "not_configured", "not_configured", "not_configured"]
	some r in reasons
	r.phrase == "fs.protected_fifos is not set in any sysctl configuration file, expected one of 1, 2"
	r.evidence == {"key": "fs.protected_fifos"}
}

test_fail_configured_value if {
	values := object.union(fx.sysctl_hardened_values, {"fs.protected_fifos": "0"})
	reasons := rule.deny with input as {"sysctl": fx.sysctl_facts(values, null)}
	fx.codes(reasons) == ["configured"]
	fx.phrases(reasons) == [sprintf("fs.protected_fifos is set to \"0\" in /etc/sysctl.d/60-cis.conf:%d, expected one of 1, 2", [fx.sysctl_line(values, "fs.protected_fifos")])]
	some r in reasons
	r.actual == "0"
	r.evidence == {"key": "fs.protected_fifos", "file": fx.sysctl_cis_file, "line": fx.sysctl_line(values, "fs.protected_fifos")}
}

test_fail_running_value if {
	runtime := object.union(fx.sysctl_hardened_runtime, {"fs.protected_fifos": "0"})
	reasons := rule.deny with input as {"sysctl": fx.sysctl_facts(fx.sysctl_hardened_values, runtime)}
	fx.codes(reasons) == ["runtime"]
	fx.phrases(reasons) == ["the running value of fs.protected_fifos is \"0\", expected one of 1, 2"]
}

test_fail_running_value_absent if {
	facts := fx.sysctl_facts(fx.sysctl_hardened_values, fx.sysctl_hardened_runtime)
	inp := {"sysctl": object.union(facts, {"runtime": {"values": {"fs.protected_fifos": {"exists": false, "value": ""}}}})}
	reasons := rule.deny with input as inp
	fx.codes(reasons) == ["runtime_absent"]
	fx.phrases(reasons) == ["the running kernel has no fs.protected_fifos, expected one of 1, 2"]
}

test_pass_stock_debian12 if {
	count(rule.deny) == 0 with input as {"sysctl": fx.debian12_facts.sysctl}
}

test_remediate_not_configured if {
	rule.remediate == {
		{"type": "config.set", "path": "/etc/sysctl.d/60-gcrun.conf", "format": "keyvalue", "separator": " = ", "key": "fs.protected_fifos", "value": "1"},
		{"type": "config.set", "path": "/etc/sysctl.d/60-gcrun.conf", "format": "keyvalue", "separator": " = ", "key": "fs.protected_hardlinks", "value": "1"},
		{"type": "config.set", "path": "/etc/sysctl.d/60-gcrun.conf", "format": "keyvalue", "separator": " = ", "key": "fs.protected_regular", "value": "2"},
		{"type": "config.set", "path": "/etc/sysctl.d/60-gcrun.conf", "format": "keyvalue", "separator": " = ", "key": "fs.protected_symlinks", "value": "1"},
	} with input as {"sysctl": fx.sysctl_facts({}, null)}
}

test_remediate_configured_and_running_value if {
	values := object.union(fx.sysctl_hardened_values, {"fs.protected_fifos": "0"})
	runtime := object.union(fx.sysctl_hardened_runtime, {"fs.protected_fifos": "0"})
	rule.remediate == {
		{"type": "config.set", "path": fx.sysctl_cis_file, "format": "keyvalue", "separator": " = ", "key": "fs.protected_fifos", "value": "1"},
		{"type": "sysctl.apply", "key": "fs.protected_fifos", "value": "1"},
	} with input as {"sysctl": fx.sysctl_facts(values, runtime)}
	rule.remediate == {{"type": "sysctl.apply", "key": "fs.protected_fifos", "value": fx.sysctl_hardened_values["fs.protected_fifos"]}} with input as {"sysctl": fx.sysctl_facts(fx.sysctl_hardened_values, runtime)}
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as {"sysctl": fx.hardened_facts.sysctl}
	count(rule.remediate) == 0 with input as {"sysctl": fx.sysctl_facts(fx.sysctl_hardened_values, null)}
}
