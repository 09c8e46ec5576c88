package acme.packages.monitoring_agent_test

import data.acme.packages.monitoring_agent as rule

entry(name) := {
	"name": name, "version": "2.4.1-1", "architecture": "amd64",
	"status": "install ok installed", "installed": true,
}

dpkg(names) := {"packages": {
	"format": "dpkg", "database": "/var/lib/dpkg/status", "exists": true,
	"installed": {name: [entry(name)] | some name in names},
}}

test_pass_installed if {
	inp := dpkg(["bash", "acme-monitor-agent"])
	count(rule.deny) == 0 with input as inp
	count(rule.not_applicable) == 0 with input as inp
	rule.evidence == {"checked": ["acme-monitor-agent"], "installed": {"acme-monitor-agent": ["2.4.1-1 (amd64)"]}} with input as inp
}

test_fail_not_installed if {
	reasons := rule.deny with input as dpkg(["bash"])
	[r.code | some r in reasons] == ["not_installed"]
	[r.phrase | some r in reasons] == ["package acme-monitor-agent is not installed, expected installed"]
}

test_parameter_package if {
	inp := dpkg(["acme-monitor-agent"])
	[r.code | some r in rule.deny] == ["not_installed"] with input as inp with data.gcrun.params.acme_monitoring_agent_package as "acme-agent-ng"
	count(rule.deny) == 0 with input as dpkg(["acme-agent-ng"]) with data.gcrun.params.acme_monitoring_agent_package as "acme-agent-ng"
}

test_not_applicable_without_dpkg if {
	inp := {"packages": {"format": "dpkg", "database": "/var/lib/dpkg/status", "exists": false, "installed": {}}}
	[r.code | some r in rule.not_applicable] == ["no_package_database"] with input as inp
	count(rule.deny) == 0 with input as inp
}
