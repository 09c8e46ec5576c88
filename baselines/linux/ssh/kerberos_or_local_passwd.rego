# METADATA
# title: SSH does not fall back to local passwords when Kerberos rejects one
# description: >-
#   With Kerberos password authentication on, KerberosOrLocalPasswd yes (the
#   default) checks a password that the KDC rejects against /etc/shadow as
#   well: a stale or weak local password still opens the account, and the
#   central Kerberos password policy is bypassed. The rule does not apply
#   while KerberosAuthentication is off everywhere (GCL-SSH-028), since the
#   setting then has no effect.
# custom:
#   id: GCL-SSH-029
#   severity: low
#   references:
#     dev-sec-ssh-baseline: ["sshd-31"]
#   remediation: >-
#     Set "KerberosOrLocalPasswd no" in /etc/ssh/sshd_config and reload sshd
#     (or turn KerberosAuthentication off).
#   tags: [ssh, authentication, kerberos]
package gcrun.linux.ssh.kerberos_or_local_passwd

import data.gcrun.linux.lib.sshd

not_applicable contains reason if some reason in sshd.not_installed

not_applicable contains reason if some reason in sshd.unused("kerberos_authentication", "kerberosauthentication", "KerberosAuthentication", "KerberosOrLocalPasswd only decides what happens to a password the KDC rejects")

evidence := sshd.evidence(["kerberosorlocalpasswd", "kerberosauthentication"])

# "yes" accepts a local password that the KDC has rejected.
deny contains reason if {
	some s in sshd.unequal("kerberosorlocalpasswd", "no")
	reason := sshd.mismatch("kerberos_or_local_passwd", "KerberosOrLocalPasswd", s, "no")
}
