# METADATA
# title: SSH listens only on the expected ports (22 by default, parameter ssh_ports)
# description: >-
#   sshd should listen where the firewall rules, monitoring and users expect
#   it, and nowhere else: an extra or unexpected port (from a stray Port
#   line or a ListenAddress with a port) is an entry point nobody watches.
#   Moving SSH to another port is no protection in itself; list the ports
#   the site uses in parameter ssh_ports.
# custom:
#   id: GCL-SSH-039
#   severity: info
#   references:
#     dev-sec-ssh-baseline: ["sshd-07"]
#   remediation: >-
#     Set Port (and the ports of ListenAddress) in /etc/ssh/sshd_config to the
#     ports of parameter ssh_ports (22 by default), remove the others, and
#     reload sshd.
#   tags: [ssh, network]
package gcrun.linux.ssh.port

import data.gcrun.linux.lib.sshd

not_applicable contains reason if some reason in sshd.not_installed

evidence := sshd.evidence(["port", "listenaddress"])

# Parameter ssh_ports: numbers, or strings of digits.
allowed := {to_number(p) | some p in data.gcrun.params.ssh_ports}

expected := sshd.one_of([sprintf("%v", [p]) | some p in sort(allowed)])

# sshd listens on every listenaddress entry, which sshd -T derives from the
# Port lines when ListenAddress has no port: the ports of the listeners are
# the ones that count (a Port line that every ListenAddress overrides opens
# nothing).
deny contains reason if {
	some l in sshd.listeners
	not l.port in allowed
	reason := {
		"code": "port",
		"phrase": sprintf("sshd listens on %s, port %v, expected port %s", [l.entry, l.port, expected]),
		"expected": sort(allowed),
		"actual": l.port,
		"evidence": object.union(sshd.listen_source, {"listenaddress": l.entry}),
	}
}

# A listener sshd -T would never print cannot be judged: fail rather than
# pass silently.
deny contains reason if {
	some entry in input.sshd.config.listenaddress
	not sshd.listener(entry)
	reason := {
		"code": "listen_address_unparsed",
		"phrase": sprintf("sshd listens on %q, which is not address:port, expected port %s", [entry, expected]),
		"expected": sort(allowed),
		"actual": entry,
		"evidence": object.union(sshd.listen_source, {"listenaddress": entry}),
	}
}
