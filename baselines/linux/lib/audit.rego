# Helpers shared by the audit rules. A library: no custom.id and no deny.
# It reads input.audit (docs/facts/audit.md) only; the rules pass their
# parameters in.
#
# The audit rules in effect are those of /etc/audit/rules.d/*.rules, which
# augenrules compiles into /etc/audit/audit.rules at every start of
# auditd; without rules.d files, the compiled file itself. Each CIS 6.2.3.x
# control is data (controls below): watches (files whose writes and
# attribute changes are audited), syscalls per architecture with the
# filters they need, and executables whose execution is audited. A
# requirement is met by an always,exit rule with a key (-k or -F key=), as
# CIS's audits require; extra filters on a rule are not judged.
package gcrun.linux.lib.audit

# from_rules_d holds when rules.d has rules files.
from_rules_d if count(input.audit.rules_d.files) > 0

rules := input.audit.rules if from_rules_d

else := input.audit.audit_rules.rules

immutable := input.audit.immutable if from_rules_d

else := input.audit.audit_rules.immutable

# source names where the rules in effect come from, for phrases.
source := "/etc/audit/rules.d/*.rules" if {
	from_rules_d
} else := input.audit.audit_rules.path if {
	input.audit.audit_rules.exists == true
} else := "no rules file (/etc/audit/rules.d has no *.rules and /etc/audit/audit.rules does not exist)"

# The values auditctl accepts for an unset login uid.
unset_values := {"unset", "-1", "4294967295"}

# arch names per word size.
archs := {
	"b64": {"b64", "x86_64", "aarch64", "ppc64", "ppc64le", "s390x", "riscv64"},
	"b32": {"b32", "i386", "i486", "i586", "i686", "armv7l", "armeb", "ppc", "s390"},
}

# controls are the CIS Debian Linux 12 v1.1.0 6.2.3.x audit rules, as data.
controls := {
	"scope": {"key": "scope", "watches": ["/etc/sudoers", "/etc/sudoers.d"]},
	"user_emulation": {"key": "user_emulation", "syscalls": [{"archs": ["b64", "b32"], "names": ["execve"], "filters": ["euid!=uid", "auid_set"]}]},
	"time_change": {
		"key": "time-change",
		"syscalls": [{"archs": ["b64", "b32"], "names": ["adjtimex", "settimeofday", "clock_settime"], "filters": []}],
		"watches": ["/etc/localtime"],
	},
	"system_locale": {
		"key": "system-locale",
		"syscalls": [{"archs": ["b64", "b32"], "names": ["sethostname", "setdomainname"], "filters": []}],
		"watches": ["/etc/issue", "/etc/issue.net", "/etc/hosts", "/etc/networks", "/etc/network"],
	},
	"access": {"key": "access", "syscalls": [
		{"archs": ["b64", "b32"], "names": ["creat", "open", "openat", "truncate", "ftruncate"], "filters": ["exit=-EACCES", "auid_min", "auid_set"]},
		{"archs": ["b64", "b32"], "names": ["creat", "open", "openat", "truncate", "ftruncate"], "filters": ["exit=-EPERM", "auid_min", "auid_set"]},
	]},
	"identity": {"key": "identity", "watches": [
		"/etc/group", "/etc/passwd", "/etc/gshadow", "/etc/shadow", "/etc/security/opasswd",
		"/etc/nsswitch.conf", "/etc/pam.conf", "/etc/pam.d",
	]},
	"perm_mod": {"key": "perm_mod", "syscalls": [
		{"archs": ["b64", "b32"], "names": ["chmod", "fchmod", "fchmodat"], "filters": ["auid_min", "auid_set"]},
		{"archs": ["b64", "b32"], "names": ["chown", "fchown", "lchown", "fchownat"], "filters": ["auid_min", "auid_set"]},
		{"archs": ["b64", "b32"], "names": ["setxattr", "lsetxattr", "fsetxattr", "removexattr", "lremovexattr", "fremovexattr"], "filters": ["auid_min", "auid_set"]},
	]},
	"mounts": {"key": "mounts", "syscalls": [{"archs": ["b64", "b32"], "names": ["mount"], "filters": ["auid_min", "auid_set"]}]},
	"session": {"key": "session", "watches": ["/var/run/utmp", "/var/log/wtmp", "/var/log/btmp"]},
	"logins": {"key": "logins", "watches": ["/var/log/lastlog", "/var/run/faillock"]},
	"delete": {"key": "delete", "syscalls": [{"archs": ["b64", "b32"], "names": ["unlink", "unlinkat", "rename", "renameat"], "filters": ["auid_min", "auid_set"]}]},
	"mac_policy": {"key": "MAC-policy", "watches": ["/etc/apparmor", "/etc/apparmor.d"]},
	"chcon": {"key": "perm_chng", "executables": ["/usr/bin/chcon"]},
	"setfacl": {"key": "perm_chng", "executables": ["/usr/bin/setfacl"]},
	"chacl": {"key": "perm_chng", "executables": ["/usr/bin/chacl"]},
	"usermod": {"key": "usermod", "executables": ["/usr/sbin/usermod"]},
	"kernel_modules": {
		"key": "kernel_modules",
		"syscalls": [{"archs": ["b64"], "names": ["init_module", "finit_module", "delete_module"], "filters": ["auid_min", "auid_set"]}],
		"executables": ["/usr/bin/kmod"],
	},
}

# norm(p) compares paths: no trailing slash, /var/run is /run.
norm(p) := concat("", ["/run", substring(t, count("/var/run"), -1)]) if {
	t := trim_right(p, "/")
	startswith(t, "/var/run/")
} else := trim_right(p, "/")

# exit_rule(r) holds for an always,exit rule that is added (not deleted)
# and has a key.
exit_rule(r) if {
	r.kind == "syscall"
	r.op in {"-a", "-A"}
	r.action == "always"
	r.list == "exit"
	count(r.keys) > 0
}

field_values(r, name, op) := {f.value | some f in r.fields; f.name == name; f.op == op}

# has_perms(granted, wanted) holds when every letter of wanted is in
# granted.
has_perms(granted, wanted) if every c in split(wanted, "") {
	contains(granted, c)
}

# watches(r, path) holds when r audits writes and attribute changes of
# path: -w path -p wa, or an always,exit rule on -F path= or -F dir= with
# -F perm=wa.
watches(r, path) if {
	r.kind == "watch"
	r.op == "-w"
	norm(r.path) == norm(path)
	has_perms(r.permissions, "wa")
	count(r.keys) > 0
}

watches(r, path) if {
	exit_rule(r)
	some f in r.fields
	f.name in {"path", "dir"}
	f.op == "="
	norm(f.value) == norm(path)
	some perm in field_values(r, "perm", "=")
	has_perms(perm, "wa")
}

# executes(r, path) holds when r audits executions of path.
executes(r, path, uid_min) if {
	exit_rule(r)
	some p in field_values(r, "path", "=")
	norm(p) == norm(path)
	some perm in field_values(r, "perm", "=")
	contains(perm, "x")
	filter(r, "auid_min", uid_min)
	filter(r, "auid_set", uid_min)
}

# filter(r, name, uid_min) holds when r has the filter named.
filter(r, "auid_min", uid_min) if {
	some f in r.fields
	f.name == "auid"
	regex.match(`^[0-9]+$`, f.value)
	at_most(f.op, to_number(f.value), uid_min)
}

filter(r, "auid_set", _) if {
	some v in field_values(r, "auid", "!=")
	v in unset_values
}

filter(r, "euid!=uid", _) if {
	some c in r.comparisons
	c.op == "!="
	{c.name, c.value} == {"euid", "uid"}
}

filter(r, name, _) if {
	startswith(name, "exit=")
	substring(name, count("exit="), -1) in field_values(r, "exit", "=")
}

# at_most(op, n, uid_min): "auid >= n" or "auid > n" starts at or below
# uid_min.
at_most(">=", n, uid_min) if n <= uid_min

at_most(">", n, uid_min) if n < uid_min

# covers(r, arch, name, filters, uid_min) holds when r audits syscall name
# for the word size arch with every filter.
covers(r, arch, name, filters, uid_min) if {
	exit_rule(r)
	some a in field_values(r, "arch", "=")
	a in archs[arch]
	name in r.syscalls
	every f in filters {
		filter(r, f, uid_min)
	}
}

# filter_text(filters, uid_min) spells the filters as auditctl options.
filter_text(filters, uid_min) := concat("", [t |
	some f in filters
	t := filter_option(f, uid_min)
])

filter_option("auid_min", uid_min) := sprintf(" -F auid>=%d", [uid_min])

filter_option("auid_set", _) := " -F auid!=unset"

filter_option("euid!=uid", _) := " -C euid!=uid"

filter_option(f, _) := sprintf(" -F %s", [f]) if startswith(f, "exit=")

watch_line(path, key) := sprintf("-w %s -p wa -k %s", [path, key])

syscall_line(arch, names, filters, key, uid_min) := sprintf("-a always,exit -F arch=%s -S %s%s -k %s", [arch, concat(",", names), filter_text(filters, uid_min), key])

exec_line(path, key, uid_min) := sprintf("-a always,exit -F path=%s -F perm=x -F auid>=%d -F auid!=unset -k %s", [path, uid_min, key])

# expected(name, uid_min) are the rules lines that meet control name.
expected(name, uid_min) := array.concat(
	array.concat(
		[syscall_line(arch, s.names, s.filters, c.key, uid_min) | c := controls[name]; some s in object.get(c, "syscalls", []); some arch in s.archs],
		[watch_line(p, c.key) | c := controls[name]; some p in object.get(c, "watches", [])],
	),
	[exec_line(p, c.key, uid_min) | c := controls[name]; some p in object.get(c, "executables", [])],
)

# findings(name, uid_min) are the deny reasons of control name: one per
# watch, per architecture and syscall group, and per executable that no
# rule covers.
findings(name, uid_min) := (missing_watches(name) | missing_syscalls(name, uid_min)) | missing_executables(name, uid_min)

missing_watches(name) := {reason |
	c := controls[name]
	some path in object.get(c, "watches", [])
	not watched(path)
	reason := {
		"code": "watch",
		"phrase": sprintf("no audit rule watches %s for writes and attribute changes in %s; expected %s", [path, source, watch_line(path, c.key)]),
		"expected": watch_line(path, c.key),
		"actual": "none",
		"evidence": {"path": path, "source": source},
	}
}

watched(path) if {
	some r in rules
	watches(r, path)
}

missing_syscalls(name, uid_min) := {reason |
	c := controls[name]
	some s in object.get(c, "syscalls", [])
	some arch in s.archs
	missing := [n | some n in s.names; not covered(arch, n, s.filters, uid_min)]
	count(missing) > 0
	line := syscall_line(arch, s.names, s.filters, c.key, uid_min)
	reason := {
		"code": "syscall",
		"phrase": sprintf("no always,exit audit rule with a key audits %s for arch=%s%s in %s; expected %s", [concat(", ", missing), arch, filter_text(s.filters, uid_min), source, line]),
		"expected": line,
		"actual": "none",
		"evidence": {"arch": arch, "syscalls": missing, "source": source},
	}
}

covered(arch, name, filters, uid_min) if {
	some r in rules
	covers(r, arch, name, filters, uid_min)
}

missing_executables(name, uid_min) := {reason |
	c := controls[name]
	some path in object.get(c, "executables", [])
	not executed(path, uid_min)
	line := exec_line(path, c.key, uid_min)
	reason := {
		"code": "executable",
		"phrase": sprintf("no always,exit audit rule with a key audits executions of %s by users (auid>=%d, auid set) in %s; expected %s", [path, uid_min, source, line]),
		"expected": line,
		"actual": "none",
		"evidence": {"path": path, "source": source},
	}
}

executed(path, uid_min) if {
	some r in rules
	executes(r, path, uid_min)
}

# matching(name, uid_min) are the rules that meet a requirement of control
# name, as "file:line: rule".
matching(name, uid_min) := sort([sprintf("%s:%d: %s", [r.file, r.line, r.raw]) |
	some r in rules
	meets(r, controls[name], uid_min)
])

meets(r, c, _) if {
	some path in object.get(c, "watches", [])
	watches(r, path)
}

meets(r, c, uid_min) if {
	some s in object.get(c, "syscalls", [])
	some arch in s.archs
	some n in s.names
	covers(r, arch, n, s.filters, uid_min)
}

meets(r, c, uid_min) if {
	some path in object.get(c, "executables", [])
	executes(r, path, uid_min)
}

# evidence(name, uid_min) is a rule's evidence: where the rules come from,
# the rules that meet the control and the lines it expects.
evidence(name, uid_min) := {
	"source": source,
	"matching": matching(name, uid_min),
	"expected": expected(name, uid_min),
}

# auditd.conf

# defaults are auditd's built-in values of the keywords the rules read
# (auditd.conf(5)).
defaults := {
	"max_log_file": "8",
	"max_log_file_action": "ROTATE",
	"space_left_action": "SYSLOG",
	"admin_space_left_action": "SUSPEND",
	"disk_full_action": "SUSPEND",
	"disk_error_action": "SYSLOG",
}

# no_conf is the deny reason of an auditd.conf rule when the file is
# missing: auditd is not configured.
no_conf contains reason if {
	input.audit.auditd_conf.exists == false
	reason := {
		"code": "no_auditd_conf",
		"phrase": sprintf("%s does not exist: auditd is not installed or not configured", [input.audit.auditd_conf.path]),
		"expected": "a configured auditd",
		"actual": "missing",
		"evidence": {"file": input.audit.auditd_conf.path},
	}
}

# conf_value(key) is the keyword's value as written, or auditd's default.
conf_value(key) := input.audit.config[key].value if {
	input.audit.auditd_conf.exists == true
} else := defaults[key]

# conf_where(key) locates the keyword for evidence and phrases.
conf_where(key) := {"keyword": key, "file": s.file, "line": s.line, "value": s.value} if {
	s := input.audit.config[key]
} else := {"keyword": key, "value": defaults[key], "default": true}

conf_phrase(key) := sprintf("%s is %s (%s:%d)", [key, s.value, s.file, s.line]) if {
	s := input.audit.config[key]
} else := sprintf("%s is not set (auditd's default is %s)", [key, defaults[key]])

# conf_choice(key, allowed) is the deny reason when the keyword's value
# (case-insensitive, as auditd reads it) is not one of allowed.
conf_choice(key, allowed) := {reason |
	input.audit.auditd_conf.exists == true
	v := conf_value(key)
	not lower(v) in allowed
	reason := {
		"code": key,
		"phrase": sprintf("%s, expected %s", [conf_phrase(key), concat(" or ", sort(allowed))]),
		"expected": concat(" or ", sort(allowed)),
		"actual": v,
		"evidence": conf_where(key),
	}
}

# Remediation (docs/remediation.md).

# rules_file is where remediation adds the audit rules a control misses:
# a rules.d file of its own, which augenrules compiles with the others
# (it also moves the -e control to the end).
rules_file := "/etc/audit/rules.d/60-gcrun.rules"

# rules_fix(name, uid_min) adds the rule line each finding of control name
# expects. Only while the rules in effect come from rules.d: the first
# file there would make augenrules replace a hand-written audit.rules.
rules_fix(name, uid_min) := {a |
	from_rules_d
	some r in findings(name, uid_min)
	a := {"type": "config.line", "path": rules_file, "line": r.expected, "state": "present"}
}

# conf_fix(key, value) sets an auditd.conf keyword; nothing while
# auditd.conf is missing (auditd is not installed).
conf_fix(key, value) := {a |
	input.audit.auditd_conf.exists == true
	a := {
		"type": "config.set",
		"path": input.audit.auditd_conf.path,
		"format": "keyvalue",
		"separator": " = ",
		"key": key,
		"value": value,
	}
}
