# Audit facts for the fixture hosts and the audit rule tests (a _test.rego
# file, so the engine never loads it). Inputs follow docs/facts/audit.md.
package gcrun.linux.lib.fixtures

# audit_hardened_facts is what the audit collector reports for
# checks/testdata/audit/hardened: auditd.conf as CIS 6.2.2.x wants it and
# the rules of CIS 6.2.3.x in /etc/audit/rules.d, ending in -e 2.
audit_hardened_facts := {
	"auditd_conf": {"path": "/etc/audit/auditd.conf", "exists": true},
	"config": {k: {"value": v[0], "file": "/etc/audit/auditd.conf", "line": v[1]} | some k, v in {"action_mail_acct": ["root", 18], "admin_space_left": ["50", 19], "admin_space_left_action": ["SINGLE", 20], "disk_error_action": ["syslog", 22], "disk_full_action": ["halt", 21], "flush": ["INCREMENTAL_ASYNC", 10], "freq": ["50", 11], "local_events": ["yes", 5], "log_file": ["/var/log/audit/audit.log", 7], "log_format": ["ENRICHED", 9], "log_group": ["adm", 8], "max_log_file": ["32", 12], "max_log_file_action": ["keep_logs", 15], "name_format": ["NONE", 14], "num_logs": ["5", 13], "space_left": ["75", 16], "space_left_action": ["email", 17], "write_logs": ["yes", 6]}},
	"rules_d": {"path": "/etc/audit/rules.d", "exists": true, "files": ["/etc/audit/rules.d/10-base-config.rules", "/etc/audit/rules.d/50-cis.rules", "/etc/audit/rules.d/99-finalize.rules"]},
	"rules": [
		audit_c("10-base-config.rules", 1, "-D", "-D", ""),
		audit_c("10-base-config.rules", 2, "-b 8192", "-b", "8192"),
		audit_c("10-base-config.rules", 3, "--backlog_wait_time 60000", "--backlog_wait_time", "60000"),
		audit_c("10-base-config.rules", 4, "-f 1", "-f", "1"),
		audit_w("50-cis.rules", 2, "-w /etc/sudoers -p wa -k scope", "/etc/sudoers", "wa", ["scope"]),
		audit_w("50-cis.rules", 3, "-w /etc/sudoers.d -p wa -k scope", "/etc/sudoers.d", "wa", ["scope"]),
		audit_s("50-cis.rules", 4, "-a always,exit -F arch=b64 -C euid!=uid -F auid!=unset -S execve -k user_emulation", ["execve"], [["arch", "=", "b64"], ["auid", "!=", "unset"]], [["euid", "!=", "uid"]], ["user_emulation"]),
		audit_s("50-cis.rules", 5, "-a always,exit -F arch=b32 -C euid!=uid -F auid!=unset -S execve -k user_emulation", ["execve"], [["arch", "=", "b32"], ["auid", "!=", "unset"]], [["euid", "!=", "uid"]], ["user_emulation"]),
		audit_s("50-cis.rules", 6, "-a always,exit -F arch=b64 -S adjtimex,settimeofday,clock_settime -k time-change", ["adjtimex", "settimeofday", "clock_settime"], [["arch", "=", "b64"]], [], ["time-change"]),
		audit_s("50-cis.rules", 7, "-a always,exit -F arch=b32 -S adjtimex,settimeofday,clock_settime -k time-change", ["adjtimex", "settimeofday", "clock_settime"], [["arch", "=", "b32"]], [], ["time-change"]),
		audit_w("50-cis.rules", 8, "-w /etc/localtime -p wa -k time-change", "/etc/localtime", "wa", ["time-change"]),
		audit_s("50-cis.rules", 9, "-a always,exit -F arch=b64 -S sethostname,setdomainname -k system-locale", ["sethostname", "setdomainname"], [["arch", "=", "b64"]], [], ["system-locale"]),
		audit_s("50-cis.rules", 10, "-a always,exit -F arch=b32 -S sethostname,setdomainname -k system-locale", ["sethostname", "setdomainname"], [["arch", "=", "b32"]], [], ["system-locale"]),
		audit_w("50-cis.rules", 11, "-w /etc/issue -p wa -k system-locale", "/etc/issue", "wa", ["system-locale"]),
		audit_w("50-cis.rules", 12, "-w /etc/issue.net -p wa -k system-locale", "/etc/issue.net", "wa", ["system-locale"]),
		audit_w("50-cis.rules", 13, "-w /etc/hosts -p wa -k system-locale", "/etc/hosts", "wa", ["system-locale"]),
		audit_w("50-cis.rules", 14, "-w /etc/networks -p wa -k system-locale", "/etc/networks", "wa", ["system-locale"]),
		audit_w("50-cis.rules", 15, "-w /etc/network/ -p wa -k system-locale", "/etc/network/", "wa", ["system-locale"]),
		audit_s("50-cis.rules", 16, "-a always,exit -F arch=b64 -S creat,open,openat,truncate,ftruncate -F exit=-EACCES -F auid>=1000 -F auid!=unset -k access", ["creat", "open", "openat", "truncate", "ftruncate"], [["arch", "=", "b64"], ["exit", "=", "-EACCES"], ["auid", ">=", "1000"], ["auid", "!=", "unset"]], [], ["access"]),
		audit_s("50-cis.rules", 17, "-a always,exit -F arch=b64 -S creat,open,openat,truncate,ftruncate -F exit=-EPERM -F auid>=1000 -F auid!=unset -k access", ["creat", "open", "openat", "truncate", "ftruncate"], [["arch", "=", "b64"], ["exit", "=", "-EPERM"], ["auid", ">=", "1000"], ["auid", "!=", "unset"]], [], ["access"]),
		audit_s("50-cis.rules", 18, "-a always,exit -F arch=b32 -S creat,open,openat,truncate,ftruncate -F exit=-EACCES -F auid>=1000 -F auid!=unset -k access", ["creat", "open", "openat", "truncate", "ftruncate"], [["arch", "=", "b32"], ["exit", "=", "-EACCES"], ["auid", ">=", "1000"], ["auid", "!=", "unset"]], [], ["access"]),
		audit_s("50-cis.rules", 19, "-a always,exit -F arch=b32 -S creat,open,openat,truncate,ftruncate -F exit=-EPERM -F auid>=1000 -F auid!=unset -k access", ["creat", "open", "openat", "truncate", "ftruncate"], [["arch", "=", "b32"], ["exit", "=", "-EPERM"], ["auid", ">=", "1000"], ["auid", "!=", "unset"]], [], ["access"]),
		audit_w("50-cis.rules", 20, "-w /etc/group -p wa -k identity", "/etc/group", "wa", ["identity"]),
		audit_w("50-cis.rules", 21, "-w /etc/passwd -p wa -k identity", "/etc/passwd", "wa", ["identity"]),
		audit_w("50-cis.rules", 22, "-w /etc/gshadow -p wa -k identity", "/etc/gshadow", "wa", ["identity"]),
		audit_w("50-cis.rules", 23, "-w /etc/shadow -p wa -k identity", "/etc/shadow", "wa", ["identity"]),
		audit_w("50-cis.rules", 24, "-w /etc/security/opasswd -p wa -k identity", "/etc/security/opasswd", "wa", ["identity"]),
		audit_w("50-cis.rules", 25, "-w /etc/nsswitch.conf -p wa -k identity", "/etc/nsswitch.conf", "wa", ["identity"]),
		audit_w("50-cis.rules", 26, "-w /etc/pam.conf -p wa -k identity", "/etc/pam.conf", "wa", ["identity"]),
		audit_w("50-cis.rules", 27, "-w /etc/pam.d -p wa -k identity", "/etc/pam.d", "wa", ["identity"]),
		audit_s("50-cis.rules", 28, "-a always,exit -F arch=b64 -S chmod,fchmod,fchmodat -F auid>=1000 -F auid!=unset -F key=perm_mod", ["chmod", "fchmod", "fchmodat"], [["arch", "=", "b64"], ["auid", ">=", "1000"], ["auid", "!=", "unset"]], [], ["perm_mod"]),
		audit_s("50-cis.rules", 29, "-a always,exit -F arch=b64 -S chown,fchown,lchown,fchownat -F auid>=1000 -F auid!=unset -F key=perm_mod", ["chown", "fchown", "lchown", "fchownat"], [["arch", "=", "b64"], ["auid", ">=", "1000"], ["auid", "!=", "unset"]], [], ["perm_mod"]),
		audit_s("50-cis.rules", 30, "-a always,exit -F arch=b64 -S setxattr,lsetxattr,fsetxattr,removexattr,lremovexattr,fremovexattr -F auid>=1000 -F auid!=unset -F key=perm_mod", ["setxattr", "lsetxattr", "fsetxattr", "removexattr", "lremovexattr", "fremovexattr"], [["arch", "=", "b64"], ["auid", ">=", "1000"], ["auid", "!=", "unset"]], [], ["perm_mod"]),
		audit_s("50-cis.rules", 31, "-a always,exit -F arch=b32 -S chmod,fchmod,fchmodat -F auid>=1000 -F auid!=unset -F key=perm_mod", ["chmod", "fchmod", "fchmodat"], [["arch", "=", "b32"], ["auid", ">=", "1000"], ["auid", "!=", "unset"]], [], ["perm_mod"]),
		audit_s("50-cis.rules", 32, "-a always,exit -F arch=b32 -S chown,fchown,lchown,fchownat -F auid>=1000 -F auid!=unset -F key=perm_mod", ["chown", "fchown", "lchown", "fchownat"], [["arch", "=", "b32"], ["auid", ">=", "1000"], ["auid", "!=", "unset"]], [], ["perm_mod"]),
		audit_s("50-cis.rules", 33, "-a always,exit -F arch=b32 -S setxattr,lsetxattr,fsetxattr,removexattr,lremovexattr,fremovexattr -F auid>=1000 -F auid!=unset -F key=perm_mod", ["setxattr", "lsetxattr", "fsetxattr", "removexattr", "lremovexattr", "fremovexattr"], [["arch", "=", "b32"], ["auid", ">=", "1000"], ["auid", "!=", "unset"]], [], ["perm_mod"]),
		audit_s("50-cis.rules", 34, "-a always,exit -F arch=b64 -S mount -F auid>=1000 -F auid!=unset -k mounts", ["mount"], [["arch", "=", "b64"], ["auid", ">=", "1000"], ["auid", "!=", "unset"]], [], ["mounts"]),
		audit_s("50-cis.rules", 35, "-a always,exit -F arch=b32 -S mount -F auid>=1000 -F auid!=unset -k mounts", ["mount"], [["arch", "=", "b32"], ["auid", ">=", "1000"], ["auid", "!=", "unset"]], [], ["mounts"]),
		audit_w("50-cis.rules", 36, "-w /var/run/utmp -p wa -k session", "/var/run/utmp", "wa", ["session"]),
		audit_w("50-cis.rules", 37, "-w /var/log/wtmp -p wa -k session", "/var/log/wtmp", "wa", ["session"]),
		audit_w("50-cis.rules", 38, "-w /var/log/btmp -p wa -k session", "/var/log/btmp", "wa", ["session"]),
		audit_w("50-cis.rules", 39, "-w /var/log/lastlog -p wa -k logins", "/var/log/lastlog", "wa", ["logins"]),
		audit_w("50-cis.rules", 40, "-w /run/faillock -p wa -k logins", "/run/faillock", "wa", ["logins"]),
		audit_s("50-cis.rules", 41, "-a always,exit -F arch=b64 -S unlink,unlinkat,rename,renameat -F auid>=1000 -F auid!=unset -k delete", ["unlink", "unlinkat", "rename", "renameat"], [["arch", "=", "b64"], ["auid", ">=", "1000"], ["auid", "!=", "unset"]], [], ["delete"]),
		audit_s("50-cis.rules", 42, "-a always,exit -F arch=b32 -S unlink,unlinkat,rename,renameat -F auid>=1000 -F auid!=unset -k delete", ["unlink", "unlinkat", "rename", "renameat"], [["arch", "=", "b32"], ["auid", ">=", "1000"], ["auid", "!=", "unset"]], [], ["delete"]),
		audit_w("50-cis.rules", 43, "-w /etc/apparmor/ -p wa -k MAC-policy", "/etc/apparmor/", "wa", ["MAC-policy"]),
		audit_w("50-cis.rules", 44, "-w /etc/apparmor.d/ -p wa -k MAC-policy", "/etc/apparmor.d/", "wa", ["MAC-policy"]),
		audit_s("50-cis.rules", 45, "-a always,exit -F path=/usr/bin/chcon -F perm=x -F auid>=1000 -F auid!=unset -k perm_chng", [], [["path", "=", "/usr/bin/chcon"], ["perm", "=", "x"], ["auid", ">=", "1000"], ["auid", "!=", "unset"]], [], ["perm_chng"]),
		audit_s("50-cis.rules", 46, "-a always,exit -F path=/usr/bin/setfacl -F perm=x -F auid>=1000 -F auid!=unset -k perm_chng", [], [["path", "=", "/usr/bin/setfacl"], ["perm", "=", "x"], ["auid", ">=", "1000"], ["auid", "!=", "unset"]], [], ["perm_chng"]),
		audit_s("50-cis.rules", 47, "-a always,exit -F path=/usr/bin/chacl -F perm=x -F auid>=1000 -F auid!=unset -k perm_chng", [], [["path", "=", "/usr/bin/chacl"], ["perm", "=", "x"], ["auid", ">=", "1000"], ["auid", "!=", "unset"]], [], ["perm_chng"]),
		audit_s("50-cis.rules", 48, "-a always,exit -F path=/usr/sbin/usermod -F perm=x -F auid>=1000 -F auid!=unset -k usermod", [], [["path", "=", "/usr/sbin/usermod"], ["perm", "=", "x"], ["auid", ">=", "1000"], ["auid", "!=", "unset"]], [], ["usermod"]),
		audit_s("50-cis.rules", 49, "-a always,exit -F path=/usr/bin/kmod -F perm=x -F auid>=1000 -F auid!=unset -k kernel_modules", [], [["path", "=", "/usr/bin/kmod"], ["perm", "=", "x"], ["auid", ">=", "1000"], ["auid", "!=", "unset"]], [], ["kernel_modules"]),
		audit_s("50-cis.rules", 50, "-a always,exit -F arch=b64 -S init_module,finit_module,delete_module -F auid>=1000 -F auid!=unset -k kernel_modules", ["init_module", "finit_module", "delete_module"], [["arch", "=", "b64"], ["auid", ">=", "1000"], ["auid", "!=", "unset"]], [], ["kernel_modules"]),
		audit_c("99-finalize.rules", 1, "-e 2", "-e", "2"),
	],
	"immutable": true,
	"audit_rules": {"path": "/etc/audit/audit.rules", "exists": false, "rules": [], "immutable": false},
}

# audit_w, audit_s and audit_c build the rules of a rules.d file (file
# name, line, rule as written, and what the collector makes of it): a
# watch, an always,exit syscall rule, a control option.
audit_w(file, line, raw, path, perms, keys) := object.union(audit_base(file, line, raw, keys), {"kind": "watch", "op": "-w", "path": path, "permissions": perms})

audit_s(file, line, raw, syscalls, fields, comparisons, keys) := object.union(audit_base(file, line, raw, keys), {
	"kind": "syscall", "op": "-a", "action": "always", "list": "exit", "syscalls": syscalls,
	"fields": [{"name": n, "op": o, "value": v} | some [n, o, v] in fields],
	"comparisons": [{"name": n, "op": o, "value": v} | some [n, o, v] in comparisons],
})

audit_c(file, line, raw, op, value) := object.union(audit_base(file, line, raw, []), object.union({"kind": "control", "op": op}, {"value": value | value != ""}))

audit_base(file, line, raw, keys) := {
	"raw": raw, "file": concat("/", ["/etc/audit/rules.d", file]), "line": line,
	"keys": keys, "syscalls": [], "fields": [], "comparisons": [],
}

audit_hardened_rules := audit_hardened_facts.rules

# audit_none is a root without auditd: no configuration, no rules.
audit_none := {
	"auditd_conf": {"path": "/etc/audit/auditd.conf", "exists": false},
	"config": {},
	"rules_d": {"path": "/etc/audit/rules.d", "exists": false, "files": []},
	"rules": [],
	"immutable": false,
	"audit_rules": {"path": "/etc/audit/audit.rules", "exists": false, "rules": [], "immutable": false},
}

audit_packages := ["auditd", "audispd-plugins"]

# audit(rules) is a host with auditd installed and the hardened auditd.conf
# whose rules.d rules are the ones given.
audit(rules) := object.union(packages(audit_packages), {"audit": object.union(audit_hardened_facts, {"rules": rules, "immutable": audit_last_enable(rules) == "2"})})

audit_last_enable(rules) := v if {
	enables := [r.value | some r in rules; r.op == "-e"]
	v := enables[count(enables) - 1]
} else := ""

# audit_conf(overrides) is the hardened host with auditd.conf keywords
# replaced (keyword -> value, set on line 40).
audit_conf(overrides) := object.union(packages(audit_packages), {"audit": object.union(audit_hardened_facts, {"config": object.union(
	audit_hardened_facts.config,
	{k: {"value": v, "file": "/etc/audit/auditd.conf", "line": 40} | some k, v in overrides},
)})})

# audit_rule(r) is a rule with the fields given and empty lists elsewhere,
# in /etc/audit/rules.d/60-test.rules.
audit_rule(r) := object.union(
	{"kind": "syscall", "op": "-a", "file": "/etc/audit/rules.d/60-test.rules", "line": 1, "keys": [], "syscalls": [], "fields": [], "comparisons": []},
	r,
)

# audit_without(keys) are the hardened rules without those whose keys
# include one of keys.
audit_without(keys) := [r | some r in audit_hardened_rules; count({k | some k in r.keys; k in keys}) == 0]

hardened_facts.audit := audit_hardened_facts

hardened_facts.packages.installed.auditd := [dpkg_entry("auditd")]

hardened_facts.packages.installed["audispd-plugins"] := [dpkg_entry("audispd-plugins")]

debian12_facts.audit := audit_none

empty_facts.audit := audit_none

# GCL-AUDIT-002 reads the systemd facts of another area: what it reports on
# each host follows from them (not_applicable without systemd, pass when
# auditd.service is enabled, fail otherwise).
auditd_service_status(facts) := "not_applicable" if {
	facts.systemd.exists == false
} else := "pass" if {
	facts.systemd.units["auditd.service"].state == "enabled"
} else := "fail"

expect.hardened_host["GCL-AUDIT-002"] := s if {
	s := auditd_service_status(hardened_facts)
	s != "pass"
}

expect.debian12_host["GCL-AUDIT-002"] := s if {
	s := auditd_service_status(debian12_facts)
	s != "pass"
}

expect.empty_host["GCL-AUDIT-002"] := s if {
	s := auditd_service_status(empty_facts)
	s != "not_applicable"
}

# Stock Debian 12 has no auditd: every audit rule fails. An empty root too,
# except the package rule (no dpkg database).
expect.debian12_host[id] := "fail" if {
	some n in numbers.range(1, 24)
	n != 2
	id := sprintf("GCL-AUDIT-%03d", [n])
}

expect.empty_host[id] := "fail" if {
	some n in numbers.range(3, 24)
	id := sprintf("GCL-AUDIT-%03d", [n])
}
