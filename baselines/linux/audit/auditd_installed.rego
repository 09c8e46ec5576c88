# METADATA
# title: auditd and its dispatcher plugins are installed
# description: >-
#   The Linux audit daemon writes the kernel's audit records (logins,
#   privilege use, changes to critical files) to disk; audispd-plugins
#   forwards them to remote collectors. Without them none of the audit
#   rules of this pack take effect (CIS 6.2.1.1).
# custom:
#   id: GCL-AUDIT-001
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["6.2.1.1"]
#   remediation: Run "apt install auditd audispd-plugins".
#   tags: [audit, packages]
package gcrun.linux.audit.auditd_installed

import data.gcrun.linux.lib.packages

names := ["auditd", "audispd-plugins"]

evidence := packages.evidence(names)

not_applicable contains reason if some reason in packages.not_dpkg

deny contains reason if {
	input.packages.exists == true
	some name in names
	count(packages.installed([name])) == 0
	reason := {
		"code": "not_installed",
		"phrase": sprintf("package %s is not installed, expected installed", [name]),
		"expected": "installed",
		"actual": "not installed",
		"evidence": {"package": name},
	}
}

# remediate installs each missing package.
remediate contains action if {
	count(not_applicable) == 0
	some r in deny
	action := {"type": "package.install", "name": r.evidence.package}
}
