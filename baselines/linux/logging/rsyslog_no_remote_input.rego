# METADATA
# title: rsyslog does not accept logs from the network (unless a log server)
# description: >-
#   An rsyslog that listens with imtcp, imudp, imrelp or imptcp lets anyone
#   who can reach it write into the host's logs and fill its disks. Only a
#   designated log server should load these modules and define inputs for
#   them (CIS 6.1.3.7); the parameter logging_log_server says whether this
#   host is one. Legacy directives ($ModLoad, $InputTCPServerRun,
#   $UDPServerRun) count as well as module() and input().
# custom:
#   id: GCL-LOG-005
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["6.1.3.7"]
#   remediation: >-
#     Remove the module(load="imtcp"/"imudp"/...) and input(...) lines (or
#     $ModLoad imtcp, $InputTCPServerRun, $UDPServerRun) from
#     /etc/rsyslog.conf and /etc/rsyslog.d, and run "systemctl restart
#     rsyslog".
#   tags: [logging, rsyslog, network]
package gcrun.linux.logging.rsyslog_no_remote_input

import data.gcrun.linux.lib.logging

evidence := {
	"log_server": data.gcrun.params.logging_log_server,
	"inputs": [sprintf("%s port %s (%s:%d)", [i.type, i.port, i.file, i.line]) | some i in input.logging.rsyslog.inputs],
	"modules": [sprintf("%s (%s:%d)", [m.name, m.file, m.line]) | some m in input.logging.rsyslog.modules],
}

not_applicable contains reason if some reason in logging.no_rsyslog

not_applicable contains reason if {
	data.gcrun.params.logging_log_server == true
	reason := {
		"code": "log_server",
		"phrase": "this host is a log server (logging_log_server is true): it may accept logs from the network",
	}
}

deny contains reason if {
	some i in input.logging.rsyslog.inputs
	i.type in logging.receivers
	reason := {
		"code": "input",
		"phrase": sprintf("%s:%d defines an %s input on port %q that accepts logs from the network; expected none on a host that is not a log server", [i.file, i.line, i.type, i.port]),
		"expected": "no network input",
		"actual": i.type,
		"evidence": {"file": i.file, "line": i.line, "type": i.type, "port": i.port},
	}
}

deny contains reason if {
	some m in input.logging.rsyslog.modules
	m.name in logging.receivers
	reason := {
		"code": "module",
		"phrase": sprintf("%s:%d loads %s, which receives logs from the network; expected no network input module on a host that is not a log server", [m.file, m.line, m.name]),
		"expected": "no network input module",
		"actual": m.name,
		"evidence": {"file": m.file, "line": m.line, "module": m.name},
	}
}
