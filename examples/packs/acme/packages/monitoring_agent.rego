# METADATA
# title: The Acme monitoring agent package is installed
# description: >-
#   Acme's operations team watches every server through its monitoring
#   agent: a server without it fails silently, and its security events never
#   reach the SOC.
# custom:
#   id: ACME-002
#   severity: medium
#   remediation: Run "apt install acme-monitor-agent" (parameter acme_monitoring_agent_package).
#   tags: [acme, packages]
package acme.packages.monitoring_agent

import data.gcrun.linux.lib.packages

name := data.gcrun.params.acme_monitoring_agent_package

evidence := packages.evidence([name])

not_applicable contains reason if some reason in packages.not_dpkg

deny contains reason if {
	input.packages.exists == true
	count(packages.installed([name])) == 0
	reason := {
		"code": "not_installed",
		"phrase": sprintf("package %s is not installed, expected installed", [name]),
		"expected": "installed",
		"actual": "not installed",
		"evidence": {"package": name, "file": input.packages.database},
	}
}
