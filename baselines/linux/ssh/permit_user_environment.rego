# METADATA
# title: SSH does not read users' environment files
# description: >-
#   With PermitUserEnvironment, sshd applies ~/.ssh/environment and the
#   environment= options of authorized_keys before it runs the user's shell
#   or command. A user (or whoever can write an authorized_keys file) can then
#   set LD_PRELOAD, PATH and the like to subvert a ForceCommand or a
#   restricted shell.
# custom:
#   id: GCL-SSH-008
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["5.1.21"]
#     dev-sec-ssh-baseline: ["sshd-17"]
#   remediation: >-
#     Set "PermitUserEnvironment no" in /etc/ssh/sshd_config and reload sshd.
#   tags: [ssh]
package gcrun.linux.ssh.permit_user_environment

import data.gcrun.linux.lib.sshd

not_applicable contains reason if some reason in sshd.not_installed

evidence := sshd.evidence(["permituserenvironment"])

# Anything but "no" ("yes" or a pattern list of variables) lets users inject
# LD_PRELOAD and friends into their sessions.
deny contains reason if {
	some s in sshd.unequal("permituserenvironment", "no")
	reason := sshd.mismatch("permit_user_environment", "PermitUserEnvironment", s, "no")
}

# remediate sets PermitUserEnvironment no where sshd takes its global value from (lib/sshd.rego);
# a Match block that sets it needs a person.
remediate contains action if some action in sshd.fix_unequal("permituserenvironment", "PermitUserEnvironment", "no")
