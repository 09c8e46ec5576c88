# METADATA
# title: SSH leaves the message of the day to PAM (PrintMotd no)
# description: >-
#   On Debian the message of the day is shown by PAM (pam_motd) at login;
#   with PrintMotd yes sshd shows /etc/motd a second time, from its own
#   code. dev-sec leaves the job to one place, and to PAM.
# custom:
#   id: GCL-SSH-036
#   severity: info
#   references:
#     dev-sec-ssh-baseline: ["sshd-44"]
#   remediation: >-
#     Set "PrintMotd no" in /etc/ssh/sshd_config (Debian's shipped file does)
#     and reload sshd.
#   tags: [ssh]
package gcrun.linux.ssh.print_motd

import data.gcrun.linux.lib.sshd

not_applicable contains reason if some reason in sshd.not_installed

evidence := sshd.evidence(["printmotd"])

deny contains reason if {
	some s in sshd.unequal("printmotd", "no")
	reason := sshd.mismatch("print_motd", "PrintMotd", s, "no")
}

# remediate sets PrintMotd no where sshd takes its global value from (lib/sshd.rego);
# a Match block that sets it needs a person.
remediate contains action if some action in sshd.fix_unequal("printmotd", "PrintMotd", "no")
