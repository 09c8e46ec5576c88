package gcrun.linux.lib.audit_test

import data.gcrun.linux.lib.audit
import data.gcrun.linux.lib.fixtures as fx

test_norm if {
	audit.norm("/etc/network/") == "/etc/network"
	audit.norm("/var/run/faillock") == "/run/faillock"
	audit.norm("/run/utmp") == "/run/utmp"
	audit.norm("/var/runner") == "/var/runner"
}

test_watch_as_syscall_rule if {
	r := fx.audit_rule({"action": "always", "list": "exit", "keys": ["identity"], "fields": [
		{"name": "path", "op": "=", "value": "/etc/passwd"},
		{"name": "perm", "op": "=", "value": "wa"},
	]})
	audit.watches(r, "/etc/passwd")
	not audit.watches(object.union(r, {"keys": []}), "/etc/passwd")
	not audit.watches(object.union(r, {"action": "never"}), "/etc/passwd")
	not audit.watches(object.union(r, {"op": "-d"}), "/etc/passwd")
	not audit.watches(r, "/etc/shadow")
}

test_filters if {
	r := fx.audit_rule({"fields": [{"name": "auid", "op": ">=", "value": "500"}, {"name": "auid", "op": "!=", "value": "4294967295"}, {"name": "exit", "op": "=", "value": "-EPERM"}], "comparisons": [{"name": "uid", "op": "!=", "value": "euid"}]})
	audit.filter(r, "auid_min", 1000)
	not audit.filter(r, "auid_min", 499)
	audit.filter(r, "auid_set", 1000)
	audit.filter(r, "euid!=uid", 1000)
	audit.filter(r, "exit=-EPERM", 1000)
	not audit.filter(r, "exit=-EACCES", 1000)
	strict := fx.audit_rule({"fields": [{"name": "auid", "op": ">", "value": "1000"}]})
	not audit.filter(strict, "auid_min", 1000)
	audit.filter(strict, "auid_min", 1001)
}

test_covers_arch_names if {
	r := fx.audit_rule({"action": "always", "list": "exit", "keys": ["k"], "syscalls": ["mount"], "fields": [{"name": "arch", "op": "=", "value": "x86_64"}]})
	audit.covers(r, "b64", "mount", [], 1000)
	not audit.covers(r, "b32", "mount", [], 1000)
	not audit.covers(r, "b64", "umount2", [], 1000)
}

test_compiled_rules_when_rules_d_is_empty if {
	compiled := {"path": "/etc/audit/audit.rules", "exists": true, "immutable": true, "rules": [fx.audit_c("x.rules", 1, "-e 2", "-e", "2")]}
	inp := {"audit": object.union(fx.audit_none, {"audit_rules": compiled})}
	audit.source == "/etc/audit/audit.rules" with input as inp
	audit.immutable with input as inp
	count(audit.rules) == 1 with input as inp
	audit.source == "/etc/audit/rules.d/*.rules" with input as fx.hardened_host
}

test_expected_lines if {
	audit.expected("kernel_modules", 1000) == [
		"-a always,exit -F arch=b64 -S init_module,finit_module,delete_module -F auid>=1000 -F auid!=unset -k kernel_modules",
		"-a always,exit -F path=/usr/bin/kmod -F perm=x -F auid>=1000 -F auid!=unset -k kernel_modules",
	]
	audit.expected("user_emulation", 0)[1] == "-a always,exit -F arch=b32 -S execve -C euid!=uid -F auid!=unset -k user_emulation"
}

test_conf_defaults if {
	audit.conf_value("max_log_file_action") == "ROTATE" with input as fx.debian12_host
	audit.conf_value("max_log_file_action") == "keep_logs" with input as fx.hardened_host
	audit.conf_where("space_left_action") == {"keyword": "space_left_action", "value": "SYSLOG", "default": true} with input as fx.debian12_host
}
