# METADATA
# title: journald compresses large journal entries (Compress=yes)
# description: >-
#   Uncompressed journals fill /var/log sooner, and a full log partition
#   loses the events that matter. journald compresses objects larger than
#   a threshold unless Compress= turns it off; CIS 6.1.2.3 wants it on. The
#   value in effect is the last one in journald.conf and its drop-ins;
#   unset (or empty) is journald's default, yes.
# custom:
#   id: GCL-LOG-001
#   severity: low
#   references:
#     cis-debian-linux-12-v1.1.0: ["6.1.2.3"]
#   remediation: >-
#     Set "Compress=yes" in the [Journal] section of a drop-in such as
#     /etc/systemd/journald.conf.d/60-journald.conf, and run "systemctl
#     reload-or-restart systemd-journald".
#   tags: [logging, journald]
package gcrun.linux.logging.journald_compress

import data.gcrun.linux.lib.logging

key := "Compress"

evidence := logging.journald_where(key)

not_applicable contains reason if some reason in logging.no_journald

# journald accepts a boolean or a size threshold (Compress=512K), which
# also turns compression on.
enabled(v) if v == ""

enabled(v) if lower(v) in logging.truthy

enabled(v) if regex.match(`^[0-9]+(\.[0-9]+)?\s*[KMGTPE]?$`, v)

deny contains reason if {
	v := logging.journald_value(key)
	lower(v) in logging.falsy
	reason := {
		"code": "compress",
		"phrase": sprintf("journald %s, expected yes", [logging.setting_phrase(key)]),
		"expected": "yes",
		"actual": v,
		"evidence": logging.journald_where(key),
	}
}

deny contains reason if {
	v := logging.journald_value(key)
	not lower(v) in logging.falsy
	not enabled(v)
	reason := {
		"code": "invalid",
		"phrase": sprintf("journald %s, which is neither a boolean nor a size (journald ignores it); expected yes", [logging.setting_phrase(key)]),
		"expected": "yes",
		"actual": v,
		"evidence": logging.journald_where(key),
	}
}

# remediate sets Compress=yes where journald takes it from (lib/logging.rego).
remediate contains logging.journald_fix(key, "yes") if {
	count(not_applicable) == 0
	count(deny) > 0
}
