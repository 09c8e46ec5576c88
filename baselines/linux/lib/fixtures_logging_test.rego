# Logging facts for the fixture hosts and the logging rule tests (a
# _test.rego file, so the engine never loads it). Inputs follow
# docs/facts/logging.md.
package gcrun.linux.lib.fixtures

journald_conf := "/etc/systemd/journald.conf"

journald_dropin := "/etc/systemd/journald.conf.d/60-cis.conf"

rsyslog_conf := "/etc/rsyslog.conf"

# systemd_conf(settings) is a journald or journal-upload section whose
# keys are set in the CIS drop-in on consecutive lines.
systemd_conf(files, settings) := {
	"settings": {k: {"value": v, "file": journald_dropin, "line": i + 2} |
		some i, k in sort([k | some k, _ in settings])
		v := settings[k]
	},
	"files": files,
	"masked": [],
	"warnings": [],
}

no_systemd_conf := {"settings": {}, "files": [], "masked": [], "warnings": []}

# rsyslog_debian_actions are the rules of Debian's rsyslog.conf.
rsyslog_debian_actions := [
	{"selector": "*.*;auth,authpriv.none", "type": "omfile", "target": "/var/log/syslog", "file": rsyslog_conf, "line": 55},
	{"selector": "auth,authpriv.*", "type": "omfile", "target": "/var/log/auth.log", "file": rsyslog_conf, "line": 60},
	{"selector": "*.emerg", "type": "omusrmsg", "target": "*", "file": rsyslog_conf, "line": 69},
]

# rsyslog_facts(directives, modules, inputs, actions) is an rsyslog.conf
# with those statements.
rsyslog_facts(directives, modules, inputs, actions) := {
	"path": rsyslog_conf,
	"exists": true,
	"files": [rsyslog_conf],
	"includes": [],
	"directives": directives,
	"modules": modules,
	"inputs": inputs,
	"actions": actions,
}

no_rsyslog_facts := {
	"path": rsyslog_conf, "exists": false, "files": [], "includes": [],
	"directives": [], "modules": [], "inputs": [], "actions": [],
}

rsyslog_directive(name, value, line) := {"name": name, "value": value, "file": rsyslog_conf, "line": line}

rsyslog_module(name, line) := {"name": name, "params": {}, "file": rsyslog_conf, "line": line}

rsyslog_local_modules := [rsyslog_module("imuxsock", 11), rsyslog_module("imklog", 12)]

# rsyslog_hardened is a CIS rsyslog: 0640 files, no network input, a copy
# of everything to a log host over TCP.
rsyslog_hardened := rsyslog_facts(
	[rsyslog_directive("$FileOwner", "root", 31), rsyslog_directive("$FileGroup", "adm", 32), rsyslog_directive("$FileCreateMode", "0640", 33)],
	rsyslog_local_modules,
	[],
	array.concat(rsyslog_debian_actions, [{
		"selector": "*.*", "type": "omfwd", "target": "loghost.example.com", "port": "6514", "protocol": "tcp",
		"params": {"type": "omfwd", "target": "loghost.example.com", "port": "6514", "protocol": "tcp"},
		"file": "/etc/rsyslog.d/60-remote.conf", "line": 1,
	}]),
)

journald_hardened := {"Storage": "persistent", "Compress": "yes", "ForwardToSyslog": "yes"}

# logging(journald, rsyslog) is an input with the journald settings given
# (key -> value) and the rsyslog facts given, rsyslog installed.
logging(journald, rsyslog) := object.union(packages(["rsyslog"]), {"logging": {
	"journald": systemd_conf([journald_conf, journald_dropin], journald),
	"journal_upload": no_systemd_conf,
	"rsyslog": rsyslog,
	"logrotate": {"path": "/etc/logrotate.conf", "exists": true},
}})

# journald_only(journald) is a host without rsyslog.
journald_only(journald) := object.union(packages([]), {"logging": {
	"journald": systemd_conf([journald_conf, journald_dropin], object.union(journald_hardened, journald)),
	"journal_upload": no_systemd_conf,
	"rsyslog": no_rsyslog_facts,
	"logrotate": {"path": "/etc/logrotate.conf", "exists": true},
}})

hardened_facts.logging := logging(journald_hardened, rsyslog_hardened).logging

hardened_facts.packages.installed.rsyslog := [dpkg_entry("rsyslog")]

# A stock Debian 12 server: journald.conf all comments, no rsyslog.
debian12_facts.logging := {
	"journald": {"settings": {}, "files": [journald_conf], "masked": [], "warnings": []},
	"journal_upload": no_systemd_conf,
	"rsyslog": no_rsyslog_facts,
	"logrotate": {"path": "/etc/logrotate.conf", "exists": true},
}

empty_facts.logging := {
	"journald": no_systemd_conf,
	"journal_upload": no_systemd_conf,
	"rsyslog": no_rsyslog_facts,
	"logrotate": {"path": "/etc/logrotate.conf", "exists": false},
}

# Sending logs off the host is not required by default.
expect.hardened_host["GCL-LOG-006"] := "not_applicable"

expect.debian12_host["GCL-LOG-002"] := "fail" # Storage unset (auto)

expect.debian12_host["GCL-LOG-003"] := "fail" # ForwardToSyslog defaults to yes without rsyslog

expect.debian12_host["GCL-LOG-004"] := "not_applicable" # no rsyslog

expect.debian12_host["GCL-LOG-005"] := "not_applicable"

expect.debian12_host["GCL-LOG-006"] := "not_applicable"
