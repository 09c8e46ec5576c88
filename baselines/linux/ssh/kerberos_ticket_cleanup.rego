# METADATA
# title: SSH destroys users' Kerberos tickets at logout
# description: >-
#   With Kerberos password authentication on, sshd obtains a ticket for the
#   user; KerberosTicketCleanup yes (the default) destroys its cache at
#   logout. Left behind, the ticket can be used by root or by whoever
#   compromises the server to act as the user across the realm until it
#   expires. The rule does not apply while KerberosAuthentication is off
#   everywhere (GCL-SSH-028).
# custom:
#   id: GCL-SSH-030
#   severity: low
#   references:
#     dev-sec-ssh-baseline: ["sshd-32"]
#   remediation: >-
#     Set "KerberosTicketCleanup yes" in /etc/ssh/sshd_config (or remove the
#     line: yes is the default) and reload sshd.
#   tags: [ssh, authentication, kerberos]
package gcrun.linux.ssh.kerberos_ticket_cleanup

import data.gcrun.linux.lib.sshd

not_applicable contains reason if some reason in sshd.not_installed

not_applicable contains reason if some reason in sshd.unused("kerberos_authentication", "kerberosauthentication", "KerberosAuthentication", "sshd obtains no Kerberos tickets to clean up")

evidence := sshd.evidence(["kerberosticketcleanup", "kerberosauthentication"])

# "no" leaves the user's ticket cache on the server after logout.
deny contains reason if {
	some s in sshd.unequal("kerberosticketcleanup", "yes")
	reason := sshd.mismatch("kerberos_ticket_cleanup", "KerberosTicketCleanup", s, "yes")
}

# remediate sets KerberosTicketCleanup yes where sshd takes its global value from (lib/sshd.rego);
# a Match block that sets it needs a person.
remediate contains action if {
	count(not_applicable) == 0
	some action in sshd.fix_unequal("kerberosticketcleanup", "KerberosTicketCleanup", "yes")
}
