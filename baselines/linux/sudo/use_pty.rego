# METADATA
# title: sudo runs commands in a pseudo-terminal (use_pty)
# description: >-
#   Without use_pty a command run with sudo shares the user's terminal, and
#   a malicious program run as root can keep running in the background and
#   push input into the user's terminal after sudo returns (CVE-2005-4890,
#   TIOCSTI). "Defaults use_pty" must be set, and no Defaults line may
#   negate it.
# custom:
#   id: GCL-SUDO-001
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["5.2.2"]
#   remediation: >-
#     Add "Defaults use_pty" to /etc/sudoers with visudo (or to a file in
#     /etc/sudoers.d/ with "visudo -f"), and remove every "!use_pty".
#   tags: [sudo]
package gcrun.linux.sudo.use_pty

import data.gcrun.linux.lib.sudo

evidence := sudo.evidence("use_pty")

not_applicable contains reason if some reason in sudo.no_sudoers

deny contains reason if {
	not sudo.set_globally("use_pty")
	reason := {
		"code": "not_set",
		"phrase": "no Defaults line sets use_pty, expected \"Defaults use_pty\"",
		"expected": "use_pty",
		"actual": "not set",
		"evidence": {"file": input.sudoers.path},
	}
}

deny contains reason if some reason in sudo.negated("use_pty", "without a pseudo-terminal a root command can inject input into the user's terminal")
