# METADATA
# title: SSH uses PAM
# description: >-
#   With UsePAM no, sshd bypasses the PAM account and session stacks: account
#   expiry and lockout (pam_faillock), login restrictions (pam_access,
#   pam_time), resource limits and session logging configured there are not
#   applied to SSH logins.
# custom:
#   id: GCL-SSH-015
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["5.1.22"]
#   remediation: >-
#     Set "UsePAM yes" in /etc/ssh/sshd_config and reload sshd.
#   tags: [ssh, pam]
package gcrun.linux.ssh.use_pam

import data.gcrun.linux.lib.sshd

not_applicable contains reason if some reason in sshd.not_installed

evidence := sshd.evidence(["usepam"])

# "no" skips the PAM account and session checks (lockout, expiry, limits).
deny contains reason if {
	some s in sshd.unequal("usepam", "yes")
	reason := sshd.mismatch("use_pam", "UsePAM", s, "yes")
}

# remediate sets UsePAM yes where sshd takes its global value from (lib/sshd.rego);
# a Match block that sets it needs a person.
remediate contains action if some action in sshd.fix_unequal("usepam", "UsePAM", "yes")
