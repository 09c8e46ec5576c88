# METADATA
# title: The cron daemon is enabled
# description: >-
#   Scheduled maintenance (log rotation, package index updates, backups,
#   integrity checks such as AIDE) runs from cron; an installed cron that
#   does not start at boot silently skips all of it. The state is what
#   "systemctl is-enabled" says for the scanned root; a root without a cron
#   service unit has no cron to enable.
# custom:
#   id: GCL-SVC-021
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["2.4.1.1"]
#   remediation: Run "systemctl unmask cron.service" and "systemctl --now enable cron.service".
#   tags: [services, cron]
package gcrun.linux.services.cron_enabled

import data.gcrun.linux.lib.services

# units are the cron daemons' units: Debian's cron, cronie (crond on the
# RHEL family).
units := ["cron.service", "crond.service", "cronie.service"]

# present are the units that exist, aliases resolved.
present := sort([n | some n in services.checked(units); services.unit(n).state != "alias"])

enabled := [n | some n in present; services.in_use(n)]

evidence := {"units": {n: services.unit(n).state | some n in present}}

not_applicable contains reason if some reason in services.no_systemd

not_applicable contains reason if {
	input.systemd.exists == true
	count(present) == 0
	reason := {
		"code": "not_installed",
		"phrase": sprintf("none of %s exists: cron is not installed", [concat(", ", units)]),
	}
}

deny contains reason if {
	count(enabled) == 0
	some n in present
	u := services.unit(n)
	reason := {
		"code": "not_enabled",
		"phrase": sprintf("%s is %s, expected enabled", [n, u.state]),
		"expected": "enabled",
		"actual": u.state,
		"evidence": {"unit": n, "state": u.state, "file": u.fragment_path},
	}
}
