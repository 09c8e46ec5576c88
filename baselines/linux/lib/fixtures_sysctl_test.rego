# Sysctl facts for the fixture hosts and the sysctl rule tests (a _test.rego
# file, so the engine never loads it). Inputs follow docs/facts/sysctl.md.
package gcrun.linux.lib.fixtures

# sysctl_cis_file is where the hardened host sets its parameters.
sysctl_cis_file := "/etc/sysctl.d/60-cis.conf"

# sysctl_hardened_values are the values every sysctl rule wants.
sysctl_hardened_values := {
	"fs.protected_fifos": "1",
	"fs.protected_hardlinks": "1",
	"fs.protected_regular": "2",
	"fs.protected_symlinks": "1",
	"fs.suid_dumpable": "0",
	"kernel.randomize_va_space": "2",
	"kernel.yama.ptrace_scope": "1",
	"net.ipv4.conf.all.accept_redirects": "0",
	"net.ipv4.conf.all.accept_source_route": "0",
	"net.ipv4.conf.all.log_martians": "1",
	"net.ipv4.conf.all.rp_filter": "1",
	"net.ipv4.conf.all.secure_redirects": "0",
	"net.ipv4.conf.all.send_redirects": "0",
	"net.ipv4.conf.default.accept_redirects": "0",
	"net.ipv4.conf.default.accept_source_route": "0",
	"net.ipv4.conf.default.log_martians": "1",
	"net.ipv4.conf.default.rp_filter": "1",
	"net.ipv4.conf.default.secure_redirects": "0",
	"net.ipv4.conf.default.send_redirects": "0",
	"net.ipv4.icmp_echo_ignore_broadcasts": "1",
	"net.ipv4.icmp_ignore_bogus_error_responses": "1",
	"net.ipv4.ip_forward": "0",
	"net.ipv4.tcp_syncookies": "1",
	"net.ipv6.conf.all.accept_ra": "0",
	"net.ipv6.conf.all.accept_redirects": "0",
	"net.ipv6.conf.all.accept_source_route": "0",
	"net.ipv6.conf.all.forwarding": "0",
	"net.ipv6.conf.default.accept_ra": "0",
	"net.ipv6.conf.default.accept_redirects": "0",
	"net.ipv6.conf.default.accept_source_route": "0",
}

# sysctl_hardened_runtime is the running kernel of the hardened host.
sysctl_hardened_runtime := object.union(sysctl_hardened_values, {
	"net.ipv6.conf.all.disable_ipv6": "0",
	"kernel.kptr_restrict": "1",
	"kernel.dmesg_restrict": "1",
	"kernel.sysrq": "0",
})

# sysctl_debian12_runtime is the running kernel of a stock Debian 12
# server (kernel defaults, plus Debian's 99-protect-links.conf).
sysctl_debian12_runtime := {
	"fs.protected_fifos": "1",
	"fs.protected_hardlinks": "1",
	"fs.protected_regular": "2",
	"fs.protected_symlinks": "1",
	"fs.suid_dumpable": "0",
	"kernel.dmesg_restrict": "1",
	"kernel.kptr_restrict": "0",
	"kernel.randomize_va_space": "2",
	"kernel.sysrq": "438",
	"kernel.yama.ptrace_scope": "0",
	"net.ipv4.conf.all.accept_redirects": "1",
	"net.ipv4.conf.all.accept_source_route": "0",
	"net.ipv4.conf.all.log_martians": "0",
	"net.ipv4.conf.all.rp_filter": "0",
	"net.ipv4.conf.all.secure_redirects": "1",
	"net.ipv4.conf.all.send_redirects": "1",
	"net.ipv4.conf.default.accept_redirects": "1",
	"net.ipv4.conf.default.accept_source_route": "1",
	"net.ipv4.conf.default.log_martians": "0",
	"net.ipv4.conf.default.rp_filter": "0",
	"net.ipv4.conf.default.secure_redirects": "1",
	"net.ipv4.conf.default.send_redirects": "1",
	"net.ipv4.icmp_echo_ignore_broadcasts": "1",
	"net.ipv4.icmp_ignore_bogus_error_responses": "1",
	"net.ipv4.ip_forward": "0",
	"net.ipv4.tcp_syncookies": "1",
	"net.ipv6.conf.all.accept_ra": "1",
	"net.ipv6.conf.all.accept_redirects": "1",
	"net.ipv6.conf.all.accept_source_route": "0",
	"net.ipv6.conf.all.disable_ipv6": "0",
	"net.ipv6.conf.all.forwarding": "0",
	"net.ipv6.conf.default.accept_ra": "1",
	"net.ipv6.conf.default.accept_redirects": "1",
	"net.ipv6.conf.default.accept_source_route": "0",
}

# sysctl_line(values, key) is the line of key in sysctl_cis_file when
# sysctl_configured(values) writes it: keys sorted, one a line.
sysctl_line(values, key) := i + 1 if {
	some i, k in sort(object.keys(values))
	k == key
}

# sysctl_configured(values) sets each key of values in sysctl_cis_file.
sysctl_configured(values) := {k: {
	"value": values[k],
	"file": sysctl_cis_file,
	"line": i + 1,
	"ignore_failure": false,
	"glob": false,
	"order": i,
} |
	some i, k in sort(object.keys(values))
}

# sysctl_glob(value, order) is a glob assignment at line 99 of
# sysctl_cis_file.
sysctl_glob(value, order) := {
	"value": value,
	"file": sysctl_cis_file,
	"line": 99,
	"ignore_failure": false,
	"glob": true,
	"order": order,
}

# sysctl_runtime(values) is the live runtime section with the running
# values given, or the offline one for null.
sysctl_runtime(values) := {
	"available": false,
	"reason": "/mnt/image is an offline root, so /proc/sys describes the scanning machine, not it",
	"values": {},
} if {
	values == null
} else := {"available": true, "values": {k: {"exists": true, "value": v} | some k, v in values}}

# sysctl_facts(values, runtime) is a sysctl section whose configuration
# sets values in sysctl_cis_file and whose running kernel has runtime
# (null: an offline root).
sysctl_facts(values, runtime) := {
	"configured": sysctl_configured(values),
	"excluded": {},
	"files": [{"path": sysctl_cis_file, "applied": true}],
	"overridden": [],
	"ignored": [],
	"runtime": sysctl_runtime(runtime),
}

hardened_facts.sysctl := object.union(sysctl_facts(sysctl_hardened_values, sysctl_hardened_runtime), {"files": [
	{"path": "/usr/lib/sysctl.d/50-pid-max.conf", "applied": true},
	{"path": sysctl_cis_file, "applied": true},
	{"path": "/usr/lib/sysctl.d/99-protect-links.conf", "applied": true},
	{"path": "/etc/sysctl.d/99-sysctl.conf", "applied": true, "target": "/etc/sysctl.conf"},
]})

# debian12_facts.sysctl is what the collector reports on a stock Debian 12
# server: only systemd's and procps' shipped files, sysctl.conf all
# comments (checks/testdata/sysctl/debian12).
debian12_facts.sysctl := {
	"configured": {
		"kernel.pid_max": {"value": "4194304", "file": "/usr/lib/sysctl.d/50-pid-max.conf", "line": 16, "ignore_failure": false, "glob": false, "order": 0},
		"fs.protected_fifos": {"value": "1", "file": "/usr/lib/sysctl.d/99-protect-links.conf", "line": 7, "ignore_failure": false, "glob": false, "order": 1},
		"fs.protected_hardlinks": {"value": "1", "file": "/usr/lib/sysctl.d/99-protect-links.conf", "line": 8, "ignore_failure": false, "glob": false, "order": 2},
		"fs.protected_regular": {"value": "2", "file": "/usr/lib/sysctl.d/99-protect-links.conf", "line": 9, "ignore_failure": false, "glob": false, "order": 3},
		"fs.protected_symlinks": {"value": "1", "file": "/usr/lib/sysctl.d/99-protect-links.conf", "line": 10, "ignore_failure": false, "glob": false, "order": 4},
	},
	"excluded": {},
	"files": [
		{"path": "/usr/lib/sysctl.d/50-pid-max.conf", "applied": true},
		{"path": "/usr/lib/sysctl.d/99-protect-links.conf", "applied": true},
		{"path": "/etc/sysctl.d/99-sysctl.conf", "applied": true, "target": "/etc/sysctl.conf"},
	],
	"overridden": [],
	"ignored": [],
	"runtime": sysctl_runtime(sysctl_debian12_runtime),
}

empty_facts.sysctl := sysctl_facts({}, null)

# Stock Debian 12 configures none of the CIS parameters; an empty root
# configures nothing at all.
expect.debian12_host[id] := "fail" if some id in [sprintf("GCL-SYSCTL-%03d", [n]) | some n in numbers.range(1, 14)]

expect.empty_host[id] := "fail" if some id in [sprintf("GCL-SYSCTL-%03d", [n]) | some n in numbers.range(1, 15)]
