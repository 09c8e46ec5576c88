# Helpers shared by the logging rules. A library: no custom.id and no deny.
# It reads input.logging (docs/facts/logging.md) and, to tell whether
# rsyslog is installed, input.packages; the rules pass their parameters in.
package gcrun.linux.lib.logging

import data.gcrun.linux.lib.packages

# systemd's boolean spellings (parse_boolean), compared in lower case.
truthy := {"1", "yes", "y", "true", "t", "on"}

falsy := {"0", "no", "n", "false", "f", "off"}

# no_journald is the not_applicable reason of the journald rules on a root
# without any journald.conf: not a systemd-journald system.
no_journald contains reason if {
	count(input.logging.journald.files) == 0
	count(input.logging.journald.masked) == 0
	reason := {
		"code": "no_journald_conf",
		"phrase": "no journald.conf in /etc/systemd, /run/systemd, /usr/local/lib/systemd or /usr/lib/systemd: journald is not configured on this root",
	}
}

# journald_value(key) is the value in effect for a [Journal] key, "" when
# no file sets it (journald's default applies; an empty assignment resets
# to the default too).
journald_value(key) := object.get(input.logging.journald.settings, [key, "value"], "")

# journald_where(key) is the evidence of a [Journal] key: where it is set,
# or that the default applies.
journald_where(key) := object.union({"key": key}, {"file": s.file, "line": s.line, "value": s.value}) if {
	s := input.logging.journald.settings[key]
} else := {"key": key, "value": "", "default": true}

# setting_phrase(key) names a key's value and origin for phrases:
# `Storage is "volatile" (/etc/systemd/journald.conf:3)` or `Storage is not
# set`.
setting_phrase(key) := sprintf("%s is %q (%s:%d)", [key, s.value, s.file, s.line]) if {
	s := input.logging.journald.settings[key]
	s.value != ""
} else := sprintf("%s is not set", [key])

# rsyslog_removed holds when the dpkg database says rsyslog is not
# installed, though its configuration may remain.
rsyslog_removed if {
	input.packages.exists == true
	object.get(input.packages, "format", "dpkg") == "dpkg"
	count(packages.installed(["rsyslog"])) == 0
}

# rsyslog_used holds when rsyslog is configured and, where a dpkg database
# says so, installed.
rsyslog_used if {
	input.logging.rsyslog.exists == true
	not rsyslog_removed
}

# no_rsyslog is the not_applicable reason of the rsyslog rules.
no_rsyslog contains reason if {
	input.logging.rsyslog.exists == false
	reason := {
		"code": "no_rsyslog",
		"phrase": sprintf("%s does not exist: rsyslog is not configured", [input.logging.rsyslog.path]),
		"evidence": {"file": input.logging.rsyslog.path},
	}
}

no_rsyslog contains reason if {
	input.logging.rsyslog.exists == true
	rsyslog_removed
	reason := {
		"code": "rsyslog_not_installed",
		"phrase": sprintf("package rsyslog is not installed (only %s remains)", [input.logging.rsyslog.path]),
		"evidence": {"file": input.logging.rsyslog.path, "package": "rsyslog"},
	}
}

# receivers are the rsyslog input modules that accept logs from the
# network.
receivers := {"imtcp", "imudp", "imrelp", "imptcp", "imgssapi"}

# forwarders are the rsyslog output modules that send logs to another host.
forwarders := {"omfwd", "omrelp", "omgssapi"}

# octal(s) is the value of an octal mode string ("0640" is 416), undefined
# when s is not one.
octal(s) := sum([bits.lsh(to_number(d), 3 * ((count(s) - 1) - i)) | some i, d in split(s, "")]) if {
	regex.match(`^[0-7]{1,4}$`, s)
}

# permission_names(mask) names the bits set in mask.
permission_names(mask) := [name |
	some [b, name] in [
		[2048, "setuid"], [1024, "setgid"], [512, "sticky"],
		[256, "owner read"], [128, "owner write"], [64, "owner execute"],
		[32, "group read"], [16, "group write"], [8, "group execute"],
		[4, "other read"], [2, "other write"], [1, "other execute"],
	]
	bits.and(mask, b) != 0
]

# file_create_modes are the places rsyslog's configuration sets the mode of
# the log files it creates: $FileCreateMode directives and the
# fileCreateMode parameter of module(load="builtin:omfile") (the global
# default) and of omfile actions.
file_create_modes contains m if {
	some d in input.logging.rsyslog.directives
	lower(d.name) == "$filecreatemode"
	m := {"value": d.value, "file": d.file, "line": d.line, "scope": "global", "where": d.name}
}

file_create_modes contains m if {
	some mod in input.logging.rsyslog.modules
	mod.name == "builtin:omfile"
	m := {"value": mod.params.filecreatemode, "file": mod.file, "line": mod.line, "scope": "global", "where": "module(load=\"builtin:omfile\")"}
}

file_create_modes contains m if {
	some a in input.logging.rsyslog.actions
	a.type == "omfile"
	m := {"value": a.params.filecreatemode, "file": a.file, "line": a.line, "scope": "action", "where": sprintf("the omfile action for %s", [a.target])}
}

# forwarding_actions are the rsyslog actions that send logs off the host.
forwarding_actions contains a if {
	rsyslog_used
	some a in input.logging.rsyslog.actions
	a.type in forwarders
}

# journal_upload_url is systemd-journal-upload's URL= when it is set and
# the package that provides it is installed (or no dpkg database says
# otherwise).
journal_upload_url := s if {
	s := input.logging.journal_upload.settings.URL
	s.value != ""
	not upload_removed
}

upload_removed if {
	input.packages.exists == true
	object.get(input.packages, "format", "dpkg") == "dpkg"
	count(packages.installed(["systemd-journal-remote"])) == 0
}

# Remediation (docs/remediation.md). journald_fix(key, value) sets a
# [Journal] key: in place in the file whose line is in effect (the last
# one journald reads, so changing it changes the value), or, when no file
# sets it, in a drop-in of its own that no other rule writes.
journald_fix(key, value) := {
	"type": "config.set",
	"path": s.file,
	"format": "keyvalue",
	"separator": "=",
	"key": key,
	"value": value,
} if {
	s := input.logging.journald.settings[key]
} else := {
	"type": "file.content",
	"path": sprintf("/etc/systemd/journald.conf.d/60-gcrun-%s.conf", [lower(key)]),
	"content": sprintf("[Journal]\n%s=%s\n", [key, value]),
}
