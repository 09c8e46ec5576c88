# Facts of the sweep collector (docs/facts/sweep.md) for the rules of the
# filesystem area, and what those rules report on the fixture hosts.
package gcrun.linux.lib.fixtures

# fs_entry(path, mode, uid, gid, type) is one finding of the sweep.
fs_entry(path, mode, uid, gid, type) := {"path": path, "mode": mode, "uid": uid, "gid": gid, "type": type}

# fs_clean_sweep is a complete sweep of "/" that found nothing.
fs_clean_sweep := {
	"paths": ["/"],
	"missing": [],
	"excludes": ["/dev", "/proc", "/run", "/sys"],
	"complete": true,
	"budget": {"hit": false, "reason": "", "max_entries": 2000000, "timeout_ms": 120000},
	"scanned": {"entries": 61234, "dirs": 7321, "duration_ms": 410},
	"id_databases": {
		"passwd": {"path": "/etc/passwd", "exists": true, "read": true, "ids": 21},
		"group": {"path": "/etc/group", "exists": true, "read": true, "ids": 41},
	},
	"world_writable_files": [],
	"world_writable_dirs_without_sticky": [],
	"unowned": [],
	"ungrouped": [],
	"suid": [],
	"sgid": [],
	"unreadable": [],
	"counts": {
		"world_writable_files": 0,
		"world_writable_dirs_without_sticky": 0,
		"unowned": 0,
		"ungrouped": 0,
		"suid": 0,
		"sgid": 0,
		"unreadable": 0,
	},
}

# fs_sweep(overrides) is the input of a host whose sweep is fs_clean_sweep
# with overrides merged in (nested objects merge, lists are replaced).
fs_sweep(overrides) := {"sweep": object.union(fs_clean_sweep, overrides)}

# fs_found(kind, entries) is a complete sweep whose only findings are
# entries, of one kind ("suid", "unowned", ...), counted exactly.
fs_found(kind, entries) := fs_sweep({kind: entries, "counts": {kind: count(entries)}})

# fs_budget_hit is a sweep stopped by its entry budget.
fs_budget_hit := {
	"complete": false,
	"budget": {"hit": true, "reason": "entry budget of 2000000 reached at /usr/share/doc/libc6"},
	"scanned": {"entries": 2000000, "dirs": 81234, "duration_ms": 14210},
}

# fs_unreadable is a sweep that could not read two directories.
fs_unreadable := {
	"complete": false,
	"unreadable": [
		{"path": "/home/alice/private", "error": "permission denied"},
		{"path": "/var/lib/docker", "error": "permission denied"},
	],
	"counts": {"unreadable": 2},
}

# The SUID and SGID programs of a stock Debian 12 server (as find / -perm
# -4000 / -2000 lists them on one).
fs_debian12_suid := [
	fs_entry("/usr/bin/chfn", "4755", 0, 0, "file"),
	fs_entry("/usr/bin/chsh", "4755", 0, 0, "file"),
	fs_entry("/usr/bin/gpasswd", "4755", 0, 0, "file"),
	fs_entry("/usr/bin/mount", "4755", 0, 0, "file"),
	fs_entry("/usr/bin/newgrp", "4755", 0, 0, "file"),
	fs_entry("/usr/bin/passwd", "4755", 0, 0, "file"),
	fs_entry("/usr/bin/su", "4755", 0, 0, "file"),
	fs_entry("/usr/bin/sudo", "4755", 0, 0, "file"),
	fs_entry("/usr/bin/umount", "4755", 0, 0, "file"),
	fs_entry("/usr/lib/dbus-1.0/dbus-daemon-launch-helper", "4754", 0, 106, "file"),
	fs_entry("/usr/lib/openssh/ssh-keysign", "4755", 0, 0, "file"),
	fs_entry("/usr/lib/polkit-1/polkit-agent-helper-1", "4755", 0, 0, "file"),
]

fs_debian12_sgid := [
	fs_entry("/usr/bin/chage", "2755", 0, 42, "file"),
	fs_entry("/usr/bin/crontab", "2755", 0, 107, "file"),
	fs_entry("/usr/bin/expiry", "2755", 0, 42, "file"),
	fs_entry("/usr/bin/ssh-agent", "2755", 0, 108, "file"),
	fs_entry("/usr/lib/x86_64-linux-gnu/utempter/utempter", "2755", 0, 22, "file"),
	fs_entry("/usr/sbin/unix_chkpwd", "2755", 0, 42, "file"),
]

# A hardened server has stripped the bits from what it does not use.
hardened_facts.sweep := fs_sweep({
	"suid": [
		fs_entry("/usr/bin/passwd", "4755", 0, 0, "file"),
		fs_entry("/usr/bin/su", "4755", 0, 0, "file"),
		fs_entry("/usr/bin/sudo", "4755", 0, 0, "file"),
	],
	"sgid": [fs_entry("/usr/sbin/unix_chkpwd", "2755", 0, 42, "file")],
	"counts": {"suid": 3, "sgid": 1},
}).sweep

debian12_facts.sweep := fs_sweep({
	"suid": fs_debian12_suid,
	"sgid": fs_debian12_sgid,
	"counts": {"suid": count(fs_debian12_suid), "sgid": count(fs_debian12_sgid)},
}).sweep

# An empty root: the sweep sees only "/", and there is no /etc/passwd or
# /etc/group to judge owners against.
empty_facts.sweep := fs_sweep({
	"scanned": {"entries": 1, "dirs": 1, "duration_ms": 0},
	"id_databases": {
		"passwd": {"exists": false, "read": false, "ids": 0},
		"group": {"exists": false, "read": false, "ids": 0},
	},
}).sweep

# With nothing found and the sweep complete, the rules without an account
# database to need pass on an empty root.
expect.empty_host["GCL-FS-001"] := "pass"

expect.empty_host["GCL-FS-002"] := "pass"

expect.empty_host["GCL-FS-005"] := "pass"

expect.empty_host["GCL-FS-006"] := "pass"
