# METADATA
# title: SSH login to accounts with an empty password is refused
# description: >-
#   With PermitEmptyPasswords yes, any account whose password is empty can be
#   logged into from the network without any credential at all.
# custom:
#   id: GCL-SSH-003
#   severity: high
#   references:
#     cis-debian-linux-12-v1.1.0: ["5.1.19"]
#     dev-sec-ssh-baseline: ["sshd-28"]
#   remediation: >-
#     Set "PermitEmptyPasswords no" in /etc/ssh/sshd_config, remove any Match
#     block that sets it to "yes", and reload sshd.
#   tags: [ssh, authentication]
package gcrun.linux.ssh.permit_empty_passwords

import data.gcrun.linux.lib.sshd

not_applicable contains reason if some reason in sshd.not_installed

evidence := sshd.evidence(["permitemptypasswords"])

# "yes" lets anyone in to an account with an empty password.
deny contains reason if {
	some s in sshd.unequal("permitemptypasswords", "no")
	reason := sshd.mismatch("permit_empty_passwords", "PermitEmptyPasswords", s, "no")
}

# remediate sets PermitEmptyPasswords no where sshd takes its global value from (lib/sshd.rego);
# a Match block that sets it needs a person.
remediate contains action if some action in sshd.fix_unequal("permitemptypasswords", "PermitEmptyPasswords", "no")
