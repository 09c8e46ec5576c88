# METADATA
# title: sudo authentication is not disabled (no !authenticate)
# description: >-
#   "Defaults !authenticate" turns off sudo's password prompt altogether, for
#   everybody or for the users, hosts or commands it is bound to: anyone in
#   control of such a session becomes root without a password.
# custom:
#   id: GCL-SUDO-004
#   severity: high
#   references:
#     cis-debian-linux-12-v1.1.0: ["5.2.5"]
#   remediation: Remove every "!authenticate" from /etc/sudoers and /etc/sudoers.d/ with visudo.
#   tags: [sudo, authentication]
package gcrun.linux.sudo.reauthentication

import data.gcrun.linux.lib.sudo

evidence := sudo.evidence("authenticate")

not_applicable contains reason if some reason in sudo.no_sudoers

deny contains reason if some reason in sudo.negated("authenticate", "sudo would run commands without asking for a password")
