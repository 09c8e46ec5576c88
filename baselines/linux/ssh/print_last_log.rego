# METADATA
# title: SSH prints the last login only where the site wants it (PrintLastLog no by default, parameter ssh_print_last_log)
# description: >-
#   PrintLastLog makes sshd show the date, time and origin of the previous
#   login when a user logs in. dev-sec turns it off (sshd-45), which is the
#   default of parameter ssh_print_last_log; policies that want users to
#   notice logins they did not make, such as the DISA STIGs, require it on:
#   set the parameter to true there.
# custom:
#   id: GCL-SSH-037
#   severity: info
#   references:
#     dev-sec-ssh-baseline: ["sshd-45"]
#   remediation: >-
#     Set "PrintLastLog no" in /etc/ssh/sshd_config ("yes" when parameter
#     ssh_print_last_log is true) and reload sshd.
#   tags: [ssh, logging]
package gcrun.linux.ssh.print_last_log

import data.gcrun.linux.lib.sshd

not_applicable contains reason if some reason in sshd.not_installed

evidence := sshd.evidence(["printlastlog"])

# Parameter ssh_print_last_log: false (dev-sec) wants "no", true wants "yes".
want := "yes" if {
	data.gcrun.params.ssh_print_last_log == true
} else := "no"

deny contains reason if {
	some s in sshd.unequal("printlastlog", want)
	reason := sshd.mismatch("print_last_log", "PrintLastLog", s, want)
}

# remediate sets the global PrintLastLog to the wanted value, where sshd
# takes it from.
remediate contains action if some action in sshd.fix_unequal("printlastlog", "PrintLastLog", want)
