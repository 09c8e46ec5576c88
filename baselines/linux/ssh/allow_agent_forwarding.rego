# METADATA
# title: SSH agent forwarding is disabled
# description: >-
#   A forwarded ssh-agent socket on the server can be used by root there (or
#   anyone who compromises the session) to authenticate as the user to every
#   other host the user's keys open, for as long as the session lasts.
#   DisableForwarding yes, which overrides AllowAgentForwarding, also passes.
# custom:
#   id: GCL-SSH-020
#   severity: low
#   references:
#     dev-sec-ssh-baseline: ["sshd-40"]
#   remediation: >-
#     Set "AllowAgentForwarding no" (or "DisableForwarding yes") in
#     /etc/ssh/sshd_config, remove any Match block that enables it, and reload
#     sshd; users reach further hosts with ProxyJump instead.
#   tags: [ssh, forwarding]
package gcrun.linux.ssh.allow_agent_forwarding

import data.gcrun.linux.lib.sshd

not_applicable contains reason if some reason in sshd.not_installed

evidence := sshd.evidence(["allowagentforwarding", "disableforwarding"])

# A forwarded agent lets the server side sign in as the user elsewhere.
# sshd.forwarding also covers a Match block that sets DisableForwarding no
# and so lets a global "yes" through for its connections.
deny contains reason if {
	some s in sshd.forwarding("allowagentforwarding")
	reason := sshd.reason("allow_agent_forwarding", s, "no", sprintf("AllowAgentForwarding is %q%s and DisableForwarding does not override it, expected \"no\"", [s.value, s.where]))
}

# remediate sets AllowAgentForwarding no globally, where sshd takes the value from,
# when the global value lets forwarding through (also into a Match block
# that sets DisableForwarding no); a Match block that sets AllowAgentForwarding itself
# needs a person.
remediate contains action if some action in sshd.fix_forwarding("allowagentforwarding", "AllowAgentForwarding")
