# METADATA
# title: SSH uses encrypted client-alive probes instead of TCP keepalives (TCPKeepAlive no)
# description: >-
#   TCP keepalives travel outside the encrypted channel: anyone on the path
#   can spoof them to keep a dead session open, or suppress them to get a
#   live one dropped. The client-alive probes of GCL-SSH-011 do the same job
#   inside the encrypted channel and cannot be forged, so dev-sec turns TCP
#   keepalives off.
# custom:
#   id: GCL-SSH-032
#   severity: low
#   references:
#     dev-sec-ssh-baseline: ["sshd-35"]
#   remediation: >-
#     Set "TCPKeepAlive no" in /etc/ssh/sshd_config, together with
#     ClientAliveInterval and ClientAliveCountMax (GCL-SSH-011), and reload
#     sshd.
#   tags: [ssh, session]
package gcrun.linux.ssh.tcp_keep_alive

import data.gcrun.linux.lib.sshd

not_applicable contains reason if some reason in sshd.not_installed

evidence := sshd.evidence(["tcpkeepalive", "clientaliveinterval"])

# "yes" (the default) relies on spoofable, unencrypted probes.
deny contains reason if {
	some s in sshd.unequal("tcpkeepalive", "no")
	reason := sshd.mismatch("tcp_keep_alive", "TCPKeepAlive", s, "no")
}

# remediate sets TCPKeepAlive no where sshd takes its global value from (lib/sshd.rego);
# a Match block that sets it needs a person.
remediate contains action if some action in sshd.fix_unequal("tcpkeepalive", "TCPKeepAlive", "no")
