# METADATA
# title: SSH checks the permissions of users' files before trusting them (StrictModes yes)
# description: >-
#   With StrictModes yes, sshd refuses a login when the user's home
#   directory, ~/.ssh or authorized_keys is writable by other users: anyone
#   who can write there could add their own key and log in as the user.
#   StrictModes no trusts such files anyway.
# custom:
#   id: GCL-SSH-025
#   severity: medium
#   references:
#     dev-sec-ssh-baseline: ["sshd-11"]
#   remediation: >-
#     Set "StrictModes yes" in /etc/ssh/sshd_config (or remove the line: yes
#     is the default), fix the permissions of the users' files instead, and
#     reload sshd.
#   tags: [ssh, authentication]
package gcrun.linux.ssh.strict_modes

import data.gcrun.linux.lib.sshd

not_applicable contains reason if some reason in sshd.not_installed

evidence := sshd.evidence(["strictmodes"])

# "no" trusts authorized_keys files that other users can write.
deny contains reason if {
	some s in sshd.unequal("strictmodes", "yes")
	reason := sshd.mismatch("strict_modes", "StrictModes", s, "yes")
}
