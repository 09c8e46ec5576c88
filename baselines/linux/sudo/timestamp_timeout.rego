# METADATA
# title: sudo credentials expire within 15 minutes
# description: >-
#   After a successful password prompt sudo caches the credentials for
#   timestamp_timeout minutes; during that time any process of the user can
#   run sudo without a password. The limit is the sudo_timestamp_timeout_max
#   parameter (CIS: 15). Every Defaults line that sets timestamp_timeout,
#   whatever its binding, must stay within it; a negative value means the
#   credentials never expire. When nothing sets it, sudo's compiled-in
#   default applies: 15 minutes on Debian.
# custom:
#   id: GCL-SUDO-005
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["5.2.6"]
#   remediation: >-
#     Set "Defaults timestamp_timeout=15" (or less) in /etc/sudoers with
#     visudo and remove larger or negative values.
#   tags: [sudo, authentication]
package gcrun.linux.sudo.timestamp_timeout

import data.gcrun.linux.lib.sudo

max_minutes := data.gcrun.params.sudo_timestamp_timeout_max

# debian_default is sudo's timestamp_timeout when nothing sets it (Debian
# builds sudo --with-timeout=15).
debian_default := 15

# minutes(d) is the value an entry sets, in minutes: "!timestamp_timeout"
# is 0 (ask every time); values are decimals with an optional sign, as
# sudo's store_timespec reads them ("5", "2.5", "-1", ".5").
minutes(d) := 0 if d.operator == "!"

minutes(d) := to_number(n) if {
	d.operator == "="
	v := trim_prefix(d.value, "+")
	regex.match(`^-?[0-9]*\.?[0-9]*$`, v)
	regex.match(`[0-9]`, v)
	n := regex.replace(regex.replace(v, `\.$`, ""), `^(-?)\.`, "${1}0.")
}

evidence := object.union(sudo.evidence("timestamp_timeout"), {"default_minutes": debian_default, "max_minutes": max_minutes})

not_applicable contains reason if some reason in sudo.no_sudoers

deny contains reason if {
	some d in sudo.settings("timestamp_timeout")
	m := minutes(d)
	m < 0
	reason := {
		"code": "never_expires",
		"phrase": sprintf("timestamp_timeout is %v%s (%s): cached credentials never expire, expected at most %v minutes", [d.value, sudo.binding(d), sudo.location(d), max_minutes]),
		"expected": sprintf("at most %v", [max_minutes]),
		"actual": d.value,
		"evidence": sudo.entry_evidence(d),
	}
}

deny contains reason if {
	some d in sudo.settings("timestamp_timeout")
	m := minutes(d)
	m > max_minutes
	reason := {
		"code": "too_long",
		"phrase": sprintf("timestamp_timeout is %v minutes%s (%s), expected at most %v", [d.value, sudo.binding(d), sudo.location(d), max_minutes]),
		"expected": sprintf("at most %v", [max_minutes]),
		"actual": d.value,
		"evidence": sudo.entry_evidence(d),
	}
}

deny contains reason if {
	count(sudo.settings("timestamp_timeout")) == 0
	debian_default > max_minutes
	reason := {
		"code": "default_too_long",
		"phrase": sprintf("timestamp_timeout is not set, so sudo's default of %d minutes applies, expected at most %v", [debian_default, max_minutes]),
		"expected": sprintf("at most %v", [max_minutes]),
		"actual": sprintf("%d (default)", [debian_default]),
		"evidence": {"file": input.sudoers.path},
	}
}

deny contains reason if {
	some d in sudo.settings("timestamp_timeout")
	d.operator == "="
	not minutes(d)
	reason := {
		"code": "unreadable",
		"phrase": sprintf("timestamp_timeout=%v%s (%s) is not a number of minutes", [d.value, sudo.binding(d), sudo.location(d)]),
		"expected": sprintf("at most %v", [max_minutes]),
		"actual": d.value,
		"evidence": sudo.entry_evidence(d),
	}
}
