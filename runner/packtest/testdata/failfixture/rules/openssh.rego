# METADATA
# title: openssh-server is at least the version with the latest security fixes
# description: >-
#   Older OpenSSH servers have known vulnerabilities.
# custom:
#   id: ACME-002
#   severity: medium
#   remediation: Run "apt-get install --only-upgrade openssh-server".
#   tags: [packages, ssh]
package acme.rules.openssh

installed := object.get(input.packages.installed, "openssh-server", [])

not_applicable contains {"code": "openssh_server_absent", "phrase": "openssh-server is not installed"} if count(installed) == 0

evidence := {"versions": [p.version | some p in installed]}

deny contains reason if {
	min := data.gcrun.params.acme_openssh_min_version
	some p in installed
	gcrun.version_compare("dpkg", p.version, min) < 0
	reason := {
		"code": "openssh_outdated",
		"phrase": sprintf("openssh-server is %s, expected %s or later", [p.version, min]),
		"expected": min,
		"actual": p.version,
	}
}
