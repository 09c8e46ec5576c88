# METADATA
# title: SSH listens on specific addresses, not on every interface
# description: >-
#   Without ListenAddress, sshd listens on the wildcard addresses (0.0.0.0
#   and ::), that is on every interface the host has or will get: a new
#   public interface, a VPN or a container bridge exposes SSH to networks
#   nobody meant to. Listing the addresses SSH should be reachable on (a
#   management network, say) keeps it off the others.
# custom:
#   id: GCL-SSH-040
#   severity: low
#   references:
#     dev-sec-ssh-baseline: ["sshd-09"]
#   remediation: >-
#     Set "ListenAddress <address>" in /etc/ssh/sshd_config for each address
#     SSH must be reachable on (not 0.0.0.0 or ::), and reload sshd.
#   tags: [ssh, network]
package gcrun.linux.ssh.listen_address

import data.gcrun.linux.lib.sshd

not_applicable contains reason if some reason in sshd.not_installed

evidence := sshd.evidence(["listenaddress"])

# The wildcard addresses, as sshd -T prints them, and what they cover.
wildcards := {"0.0.0.0": "IPv4", "::": "IPv6"}

deny contains reason if {
	some l in sshd.listeners
	family := wildcards[l.address]
	reason := {
		"code": "listen_address",
		"phrase": sprintf("sshd listens on %s, every %s address of the host, expected specific addresses (ListenAddress)", [l.entry, family]),
		"expected": "specific addresses",
		"actual": l.entry,
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
		"phrase": sprintf("sshd listens on %q, which is not address:port, expected specific addresses (ListenAddress)", [entry]),
		"expected": "specific addresses",
		"actual": entry,
		"evidence": object.union(sshd.listen_source, {"listenaddress": entry}),
	}
}
