# METADATA
# title: SSH destroys users' delegated GSSAPI credentials at logout
# description: >-
#   With GSSAPI authentication on, clients may delegate their Kerberos
#   credentials to the server; GSSAPICleanupCredentials yes (the default)
#   destroys them at logout. Left behind, they let root or whoever
#   compromises the server act as the user across the realm until they
#   expire. The rule does not apply while GSSAPIAuthentication is off
#   everywhere (GCL-SSH-021).
# custom:
#   id: GCL-SSH-031
#   severity: low
#   references:
#     dev-sec-ssh-baseline: ["sshd-34"]
#   remediation: >-
#     Set "GSSAPICleanupCredentials yes" in /etc/ssh/sshd_config (or remove
#     the line: yes is the default) and reload sshd.
#   tags: [ssh, authentication, kerberos]
package gcrun.linux.ssh.gssapi_cleanup_credentials

import data.gcrun.linux.lib.sshd

not_applicable contains reason if some reason in sshd.not_installed

not_applicable contains reason if some reason in sshd.unused("gssapi_authentication", "gssapiauthentication", "GSSAPIAuthentication", "no client can delegate credentials to clean up")

evidence := sshd.evidence(["gssapicleanupcredentials", "gssapiauthentication"])

# "no" leaves delegated credentials on the server after logout.
deny contains reason if {
	some s in sshd.unequal("gssapicleanupcredentials", "yes")
	reason := sshd.mismatch("gssapi_cleanup_credentials", "GSSAPICleanupCredentials", s, "yes")
}

# remediate sets GSSAPICleanupCredentials yes where sshd takes its global value from (lib/sshd.rego);
# a Match block that sets it needs a person.
remediate contains action if {
	count(not_applicable) == 0
	some action in sshd.fix_unequal("gssapicleanupcredentials", "GSSAPICleanupCredentials", "yes")
}
