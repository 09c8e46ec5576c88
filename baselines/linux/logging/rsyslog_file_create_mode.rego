# METADATA
# title: rsyslog creates log files with mode 0640 or stricter
# description: >-
#   Logs hold user names, host names and sometimes mistyped passwords.
#   rsyslog creates its files with mode 0644 unless $FileCreateMode (or
#   fileCreateMode of module(load="builtin:omfile") or of an omfile
#   action) says otherwise, so every user could read them. CIS 6.1.3.4
#   wants 0640 or stricter. Every mode the configuration sets is checked,
#   and a global one must be set.
# custom:
#   id: GCL-LOG-004
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["6.1.3.4"]
#   remediation: >-
#     Set "$FileCreateMode 0640" near the top of /etc/rsyslog.conf (or in a
#     file of /etc/rsyslog.d), remove looser fileCreateMode settings, and
#     run "systemctl restart rsyslog".
#   tags: [logging, rsyslog]
package gcrun.linux.logging.rsyslog_file_create_mode

import data.gcrun.linux.lib.logging

evidence := {"file_create_modes": sort([m | some m in logging.file_create_modes])}

not_applicable contains reason if some reason in logging.no_rsyslog

deny contains reason if {
	count({m | some m in logging.file_create_modes; m.scope == "global"}) == 0
	reason := {
		"code": "not_set",
		"phrase": "rsyslog's $FileCreateMode is not set, so log files are created with its default 0644; expected 0640 or stricter",
		"expected": "0640",
		"actual": "0644 (default)",
		"evidence": {"files": input.logging.rsyslog.files},
	}
}

deny contains reason if {
	some m in logging.file_create_modes
	excess := bits.and(logging.octal(m.value), bits.negate(416))
	excess != 0
	reason := {
		"code": "mode",
		"phrase": sprintf("%s sets %s in %s:%d, expected 0640 or stricter (%s not allowed)", [m.where, m.value, m.file, m.line, concat(", ", logging.permission_names(excess))]),
		"expected": "0640",
		"actual": m.value,
		"evidence": {"file": m.file, "line": m.line},
	}
}

deny contains reason if {
	some m in logging.file_create_modes
	not logging.octal(m.value)
	reason := {
		"code": "invalid",
		"phrase": sprintf("%s sets %q in %s:%d, which is not an octal mode; expected 0640 or stricter", [m.where, m.value, m.file, m.line]),
		"expected": "0640",
		"actual": m.value,
		"evidence": {"file": m.file, "line": m.line},
	}
}
