# METADATA
# title: SSH offers no Diffie-Hellman group smaller than 2048 bits (parameter ssh_min_moduli_bits)
# description: >-
#   The diffie-hellman-group-exchange key exchanges use a prime from
#   /etc/ssh/moduli (ModuliFile). A prime that is too small lets a
#   well-funded attacker precompute the discrete logarithms for it (Logjam)
#   and decrypt recorded sessions. Every prime in the file should be at least
#   ssh_min_moduli_bits long.
# custom:
#   id: GCL-SSH-044
#   severity: medium
#   references:
#     dev-sec-ssh-baseline: ["sshd-48"]
#   remediation: >-
#     Remove the short moduli from /etc/ssh/moduli, for example with
#     awk '$5 >= 2047' /etc/ssh/moduli > /etc/ssh/moduli.new and then
#     mv /etc/ssh/moduli.new /etc/ssh/moduli (the Size field is the size in
#     bits minus one), and reload sshd.
#   tags: [ssh, crypto]
package gcrun.linux.ssh.moduli

import data.gcrun.linux.lib.sshd

not_applicable contains reason if some reason in sshd.not_installed

# Parameter ssh_min_moduli_bits: 2048 by default, dev-sec's threshold
# (sshd-48 fails on a Size field below 2047, that is a prime below 2048 bits).
min_bits := data.gcrun.params.ssh_min_moduli_bits

# fallback_bits is the smallest group sshd uses without moduli: when the file
# is missing or holds no prime, sshd falls back to its built-in RFC 3526
# groups 14, 16 and 18 (dh.c dh_new_group_fallback), the smallest of which
# (group 14, for clients asking for at most 3071 bits) has 2048 bits. dev-sec
# fails a missing file, but only because awk writes "cannot open" to
# stderr; gcrun judges the groups sshd really offers.
fallback_bits := 2048

moduli := input.sshd.moduli

# Facts without moduli say nothing: the evidence says so, and deny fails.
evidence := {"moduli": moduli} if {
	_ = input.sshd.moduli
} else := {"moduli": {"collected": false}}

# The smallest prime sshd may use, and why.
in_use := {"bits": moduli.min_bits, "from_file": true} if {
	moduli.exists
	moduli.count > 0
} else := {"bits": fallback_bits, "from_file": false}

small_sizes := sort([to_number(size) | some size, _ in moduli.sizes; to_number(size) + 1 < min_bits])

deny contains reason if {
	in_use.from_file
	in_use.bits < min_bits
	reason := {
		"code": "moduli_size",
		"phrase": sprintf("%s holds %d moduli smaller than %d bits (smallest: %d bits), expected none", [moduli.path, sum([moduli.sizes[sprintf("%d", [s])] | some s in small_sizes]), min_bits, in_use.bits]),
		"expected": sprintf(">= %d", [min_bits]),
		"actual": in_use.bits,
		"evidence": {"file": moduli.path, "min_bits": in_use.bits, "small_sizes": small_sizes},
	}
}

deny contains reason if {
	_ = moduli.exists
	not in_use.from_file
	fallback_bits < min_bits
	why := {true: "holds no modulus", false: "does not exist"}[moduli.exists]
	reason := {
		"code": "moduli_fallback",
		"phrase": sprintf("%s %s, so sshd falls back to its built-in groups, the smallest of which has %d bits, expected at least %d", [moduli.path, why, fallback_bits, min_bits]),
		"expected": sprintf(">= %d", [min_bits]),
		"actual": fallback_bits,
		"evidence": {"file": moduli.path, "exists": moduli.exists, "fallback_bits": fallback_bits},
	}
}

# Facts without moduli (made by hand, or by a collector that predates the
# field) say nothing about the host: fail rather than pass on nothing.
deny contains reason if {
	input.sshd.exists == true
	not input.sshd.moduli
	reason := {
		"code": "not_collected",
		"phrase": "the sshd facts carry no moduli: the size of the Diffie-Hellman moduli is unknown",
		"evidence": {"field": "sshd.moduli"},
	}
}
