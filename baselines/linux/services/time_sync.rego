# METADATA
# title: Exactly one time synchronization daemon is enabled
# description: >-
#   Log correlation, Kerberos, TLS certificate checks and audit trails all
#   depend on a correct clock. One daemon must keep it: with none the clock
#   drifts, with two (systemd-timesyncd and chrony, say) they fight over it.
#   CIS accepts systemd-timesyncd or chrony (parameter
#   services_time_sync_daemons); any other known daemon that is enabled
#   counts toward "more than one". The state is what "systemctl is-enabled"
#   says for the scanned root.
# custom:
#   id: GCL-SVC-020
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["2.3.1.1", "2.3.2.2", "2.3.3.3"]
#   remediation: >-
#     Enable one daemon and disable the others: "systemctl --now enable
#     systemd-timesyncd.service" (or install chrony, which replaces it on
#     Debian), then "systemctl --now mask" every other time daemon.
#   tags: [services, time]
package gcrun.linux.services.time_sync

import data.gcrun.linux.lib.services

# known are the time synchronization daemons Debian packages.
known := {"systemd-timesyncd.service", "chrony.service", "ntpsec.service", "ntp.service", "openntpd.service"}

accepted := {n | some n in data.gcrun.params.services_time_sync_daemons}

enabled := sort([n | some n in (known | accepted); services.in_use(n)])

enabled_accepted := [n | some n in enabled; n in accepted]

evidence := {
	"accepted": sort(accepted),
	"enabled": enabled,
	"units": {n: services.unit(n).state | some n in (known | accepted); services.unit(n)},
}

not_applicable contains reason if some reason in services.no_systemd

actual := concat(", ", enabled) if count(enabled) > 0

else := "none"

deny contains reason if {
	count(enabled_accepted) == 0
	reason := {
		"code": "none_enabled",
		"phrase": sprintf("no accepted time synchronization daemon is enabled (enabled: %s), expected exactly one of %s", [actual, concat(", ", sort(accepted))]),
		"expected": sprintf("one of %s", [concat(", ", sort(accepted))]),
		"actual": actual,
		"evidence": {"enabled": enabled},
	}
}

deny contains reason if {
	count(enabled) > 1
	reason := {
		"code": "several_enabled",
		"phrase": sprintf("%d time synchronization daemons are enabled (%s), expected exactly one", [count(enabled), actual]),
		"expected": "exactly one",
		"actual": actual,
		"evidence": {"enabled": enabled},
	}
}

# remediate disables the other known daemons when exactly one accepted
# daemon is enabled besides them; which daemon to keep when none or
# several accepted ones are enabled is a person's choice.
remediate contains action if {
	count(not_applicable) == 0
	count(enabled_accepted) == 1
	some n in enabled
	not n in accepted
	action := {"type": "service.disable", "unit": n}
}
