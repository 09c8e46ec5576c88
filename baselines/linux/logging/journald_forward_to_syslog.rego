# METADATA
# title: journald forwards to syslog exactly when rsyslog is the logger
# description: >-
#   When rsyslog writes the log files, journald must hand it every message
#   (ForwardToSyslog=yes, CIS 6.1.3.3) or rsyslog's files and remote copies
#   miss them. When journald is the only logger, forwarding to a syslog
#   socket nobody reads only costs and duplicates (CIS 6.1.2.2). The value
#   in effect counts; unset is Debian's compiled-in default, yes. The
#   parameter logging_journald_forward_to_syslog chooses yes, no or auto
#   (yes when rsyslog is installed and configured).
# custom:
#   id: GCL-LOG-003
#   severity: low
#   references:
#     cis-debian-linux-12-v1.1.0: ["6.1.2.2", "6.1.3.3"]
#   remediation: >-
#     Set "ForwardToSyslog=yes" (rsyslog in use) or "ForwardToSyslog=no"
#     (journald only) in the [Journal] section of a drop-in such as
#     /etc/systemd/journald.conf.d/60-journald.conf, and run "systemctl
#     reload-or-restart systemd-journald".
#   tags: [logging, journald, rsyslog]
package gcrun.linux.logging.journald_forward_to_syslog

import data.gcrun.linux.lib.logging

key := "ForwardToSyslog"

choice := data.gcrun.params.logging_journald_forward_to_syslog

# wanted is "yes" or "no": the parameter, or for "auto" whether rsyslog is
# in use.
wanted := "yes" if {
	choice == "yes"
} else := "no" if {
	choice == "no"
} else := "yes" if {
	choice == "auto"
	logging.rsyslog_used
} else := "no" if {
	choice == "auto"
}

why := "rsyslog is installed and configured" if {
	choice == "auto"
	logging.rsyslog_used
} else := "rsyslog is not in use" if {
	choice == "auto"
} else := sprintf("logging_journald_forward_to_syslog is %q", [choice])

# effective is the value in effect as yes or no; unset or empty is Debian's
# default, yes. Undefined for a value journald would not accept.
effective := "yes" if {
	logging.journald_value(key) == ""
} else := "yes" if {
	lower(logging.journald_value(key)) in logging.truthy
} else := "no" if {
	lower(logging.journald_value(key)) in logging.falsy
}

evidence := object.union(logging.journald_where(key), {"expected": expected, "rsyslog_used": rsyslog_used})

expected := w if {
	w := wanted
} else := "auto, yes or no"

rsyslog_used if logging.rsyslog_used

else := false

not_applicable contains reason if some reason in logging.no_journald

deny contains reason if {
	not choice in {"auto", "yes", "no"}
	reason := {
		"code": "parameter",
		"phrase": sprintf("the parameter logging_journald_forward_to_syslog is %q, expected auto, yes or no", [choice]),
		"expected": "auto, yes or no",
		"actual": choice,
	}
}

deny contains reason if {
	effective != wanted
	reason := {
		"code": "forward_to_syslog",
		"phrase": sprintf("journald %s, which means %s; expected %s because %s", [logging.setting_phrase(key), effective, wanted, why]),
		"expected": wanted,
		"actual": effective,
		"evidence": logging.journald_where(key),
	}
}

deny contains reason if {
	v := logging.journald_value(key)
	not effective
	reason := {
		"code": "invalid",
		"phrase": sprintf("journald %s, which is not a boolean (journald ignores it); expected %s", [logging.setting_phrase(key), expected]),
		"expected": expected,
		"actual": v,
		"evidence": logging.journald_where(key),
	}
}

# remediate sets ForwardToSyslog to the value wanted, where journald takes
# it from, or in a drop-in of its own when it is not set; nothing while the
# parameter is not auto, yes or no.
remediate contains logging.journald_fix(key, wanted) if {
	count(not_applicable) == 0
	choice in {"auto", "yes", "no"}
	count(deny) > 0
}
