package gcrun.linux.logging.rsyslog_no_remote_input_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.logging.rsyslog_no_remote_input as rule

server := fx.logging(fx.journald_hardened, fx.rsyslog_facts(
	[fx.rsyslog_directive("$ModLoad", "imudp", 8), fx.rsyslog_directive("$UDPServerRun", "514", 9)],
	array.concat(fx.rsyslog_local_modules, [fx.rsyslog_module("imtcp", 13), fx.rsyslog_module("imudp", 8)]),
	[
		{"type": "imudp", "port": "514", "params": {}, "file": fx.rsyslog_conf, "line": 9},
		{"type": "imtcp", "port": "514", "params": {"port": "514"}, "file": fx.rsyslog_conf, "line": 14},
		{"type": "imfile", "port": "", "params": {"file": "/var/log/app.log"}, "file": fx.rsyslog_conf, "line": 15},
	],
	[],
))

test_pass_local_only if {
	count(rule.deny) == 0 with input as fx.hardened_host
}

test_fail_network_inputs_and_modules if {
	reasons := rule.deny with input as server
	fx.codes(reasons) == ["input", "input", "module", "module"]
	"/etc/rsyslog.conf:14 defines an imtcp input on port \"514\" that accepts logs from the network; expected none on a host that is not a log server" in fx.phrases(reasons)
}

test_fail_module_without_input if {
	inp := fx.logging(fx.journald_hardened, fx.rsyslog_facts([], [fx.rsyslog_module("imrelp", 2)], [], []))
	fx.codes(rule.deny) == ["module"] with input as inp
}

test_not_applicable_log_server if {
	fx.codes(rule.not_applicable) == ["log_server"] with input as server with data.gcrun.params.logging_log_server as true
	count(rule.not_applicable) == 0 with input as server
}

test_not_applicable_without_rsyslog if {
	fx.codes(rule.not_applicable) == ["no_rsyslog"] with input as fx.empty_host
}
