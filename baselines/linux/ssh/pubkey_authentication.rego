# METADATA
# title: SSH public key authentication is enabled
# description: >-
#   Public keys (and certificates) are the authentication method that cannot
#   be guessed or phished from the network; with passwords disabled
#   (GCL-SSH-002) they are how users log in. Turning them off, globally or
#   in a Match block, pushes those users back to weaker methods.
# custom:
#   id: GCL-SSH-026
#   severity: low
#   references:
#     dev-sec-ssh-baseline: ["sshd-22"]
#   remediation: >-
#     Set "PubkeyAuthentication yes" in /etc/ssh/sshd_config (or remove the
#     line: yes is the default), remove any Match block that sets it to "no",
#     and reload sshd.
#   tags: [ssh, authentication]
package gcrun.linux.ssh.pubkey_authentication

import data.gcrun.linux.lib.sshd

not_applicable contains reason if some reason in sshd.not_installed

evidence := sshd.evidence(["pubkeyauthentication"])

# "no" leaves only the weaker methods to the connections it applies to.
deny contains reason if {
	some s in sshd.unequal("pubkeyauthentication", "yes")
	reason := sshd.mismatch("pubkey_authentication", "PubkeyAuthentication", s, "yes")
}

# remediate sets PubkeyAuthentication yes where sshd takes its global value from (lib/sshd.rego);
# a Match block that sets it needs a person.
remediate contains action if some action in sshd.fix_unequal("pubkeyauthentication", "PubkeyAuthentication", "yes")
