# METADATA
# title: SSH ignores .rhosts and .shosts files
# description: >-
#   .rhosts and .shosts files let a user declare other hosts (and users there)
#   trusted to log in as them without authenticating; anyone who controls such
#   a host, or its address, gets in. sshd must ignore these files.
# custom:
#   id: GCL-SSH-006
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["5.1.11"]
#     dev-sec-ssh-baseline: ["sshd-23"]
#   remediation: >-
#     Set "IgnoreRhosts yes" in /etc/ssh/sshd_config, remove any Match block that
#     sets it to another value, and reload sshd.
#   tags: [ssh, authentication]
package gcrun.linux.ssh.ignore_rhosts

import data.gcrun.linux.lib.sshd

not_applicable contains reason if some reason in sshd.not_installed

evidence := sshd.evidence(["ignorerhosts"])

# Anything but "yes" lets users trust other hosts through ~/.rhosts and ~/.shosts.
deny contains reason if {
	some s in sshd.unequal("ignorerhosts", "yes")
	reason := sshd.mismatch("ignore_rhosts", "IgnoreRhosts", s, "yes")
}

# remediate sets IgnoreRhosts yes only while host-based authentication is
# off everywhere: then no login depends on .rhosts files. With it on, a
# person checks who relies on them first.
remediate contains action if {
	not sshd.enabled("hostbasedauthentication")
	some action in sshd.fix_unequal("ignorerhosts", "IgnoreRhosts", "yes")
}
