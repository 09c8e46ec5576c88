# METADATA
# title: SSH keyboard-interactive authentication is disabled
# description: >-
#   With UsePAM yes, keyboard-interactive authentication asks PAM, and PAM
#   asks for the account password: passwords are accepted even with
#   PasswordAuthentication no. Turn it off unless PAM is set up for a second
#   factor (then waive this rule). ChallengeResponseAuthentication is an alias
#   of KbdInteractiveAuthentication.
# custom:
#   id: GCL-SSH-022
#   severity: high
#   references:
#     dev-sec-ssh-baseline: ["sshd-29"]
#   remediation: >-
#     Set "KbdInteractiveAuthentication no" in /etc/ssh/sshd_config, remove any
#     Match block that sets it to "yes", and reload sshd.
#   tags: [ssh, authentication]
package gcrun.linux.ssh.kbd_interactive_authentication

import data.gcrun.linux.lib.sshd

not_applicable contains reason if some reason in sshd.not_installed

evidence := sshd.evidence(["kbdinteractiveauthentication"])

# "yes" lets PAM prompt for passwords even with PasswordAuthentication no.
deny contains reason if {
	some s in sshd.unequal("kbdinteractiveauthentication", "no")
	reason := sshd.mismatch("kbd_interactive_authentication", "KbdInteractiveAuthentication", s, "no")
}
