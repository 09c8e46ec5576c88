# METADATA
# title: AppArmor and its utilities are installed
# description: >-
#   AppArmor confines programs to the files and capabilities their profiles
#   allow, so a compromised service cannot roam the system. The apparmor
#   package loads the profiles at boot; apparmor-utils provides aa-status,
#   aa-enforce and aa-complain to inspect and manage them (CIS 1.3.1.1).
# custom:
#   id: GCL-MAC-001
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["1.3.1.1"]
#   remediation: Run "apt install apparmor apparmor-utils".
#   tags: [mac, apparmor, packages]
package gcrun.linux.mac.apparmor_installed

import data.gcrun.linux.lib.mac
import data.gcrun.linux.lib.packages

names := ["apparmor", "apparmor-utils"]

evidence := packages.evidence(names)

not_applicable contains reason if some reason in mac.apparmor_not_applicable

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

# remediate installs each missing package (Debian installs apparmor by
# default; its profiles start in the mode their package ships them in).
remediate contains action if {
	count(not_applicable) == 0
	some r in deny
	action := {"type": "package.install", "name": r.evidence.package}
}
