# METADATA
# title: sudo logs to its own log file
# description: >-
#   A dedicated sudo log file ("Defaults logfile=...") keeps a record of
#   every command run with sudo, with its arguments and working directory,
#   apart from syslog, where it is easier to review and to protect. The last
#   plain Defaults line that sets logfile must give a path, and no Defaults
#   line may negate it.
# custom:
#   id: GCL-SUDO-002
#   severity: low
#   references:
#     cis-debian-linux-12-v1.1.0: ["5.2.3"]
#   remediation: >-
#     Add "Defaults logfile=\"/var/log/sudo.log\"" to /etc/sudoers with
#     visudo (or to a file in /etc/sudoers.d/ with "visudo -f").
#   tags: [sudo, logging]
package gcrun.linux.sudo.logfile

import data.gcrun.linux.lib.sudo

evidence := sudo.evidence("logfile")

not_applicable contains reason if some reason in sudo.no_sudoers

deny contains reason if {
	not sudo.set_globally("logfile")
	reason := {
		"code": "not_set",
		"phrase": "no Defaults line sets logfile, expected a sudo log file (Defaults logfile=\"/var/log/sudo.log\")",
		"expected": "a log file",
		"actual": "not set",
		"evidence": {"file": input.sudoers.path},
	}
}

deny contains reason if some reason in sudo.negated("logfile", "sudo then writes no log file")
