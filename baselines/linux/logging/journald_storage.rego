# METADATA
# title: journald stores the journal on disk (Storage=persistent)
# description: >-
#   With Storage=volatile (or none) the journal lives in /run and is lost
#   at reboot, together with the evidence of what happened before it. The
#   default, auto, is persistent only while /var/log/journal exists, which
#   anyone deleting that directory can change; CIS 6.1.2.4 wants
#   "Storage=persistent" set explicitly.
# custom:
#   id: GCL-LOG-002
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["6.1.2.4"]
#   remediation: >-
#     Set "Storage=persistent" in the [Journal] section of a drop-in such as
#     /etc/systemd/journald.conf.d/60-journald.conf, and run "systemctl
#     reload-or-restart systemd-journald".
#   tags: [logging, journald]
package gcrun.linux.logging.journald_storage

import data.gcrun.linux.lib.logging

key := "Storage"

evidence := logging.journald_where(key)

not_applicable contains reason if some reason in logging.no_journald

deny contains reason if {
	v := logging.journald_value(key)
	v != "persistent"
	reason := {
		"code": "storage",
		"phrase": sprintf("journald %s, expected persistent%s", [logging.setting_phrase(key), default_note(v)]),
		"expected": "persistent",
		"actual": actual(v),
		"evidence": logging.journald_where(key),
	}
}

actual(v) := v if v != ""

else := "auto (default)"

default_note(v) := " (the default, auto, keeps the journal only while /var/log/journal exists)" if v == ""

else := ""

# remediate sets Storage=persistent where journald takes it from, or in a
# drop-in of its own when it is not set (lib/logging.rego).
remediate contains logging.journald_fix(key, "persistent") if {
	count(not_applicable) == 0
	count(deny) > 0
}
