# Cron facts for the fixture hosts and the cron rule tests (a _test.rego
# file, so the engine never loads it). Inputs follow docs/facts/cron.md.
package gcrun.linux.lib.fixtures

cron_ids := {"root": 0, "daemon": 1, "crontab": 101, "alice": 1000, "staff": 50, "users": 100, "": 4242}

# cron_stat(path, type, mode, owner, group) is an existing path as the
# collector describes it (mode an octal string such as "0640").
cron_stat(path, type, mode, owner, group) := {
	"path": path,
	"exists": true,
	"type": type,
	"mode": mode,
	"mode_bits": cron_octal(mode),
	"uid": cron_ids[owner],
	"gid": cron_ids[group],
	"owner": owner,
	"group": group,
	"size": 0,
}

# cron_octal("0640") is 416.
cron_octal(mode) := (((((cron_digit(mode, 0) * 8) + cron_digit(mode, 1)) * 8) + cron_digit(mode, 2)) * 8) + cron_digit(mode, 3)

cron_digit(mode, i) := to_number(substring(mode, i, 1))

cron_file(path, mode, owner, group) := cron_stat(path, "file", mode, owner, group)

cron_dir(path, mode, owner, group) := cron_stat(path, "directory", mode, owner, group)

cron_missing(path) := {"path": path, "exists": false}

# cron_link(path, target) is a symlink at path resolving to target.
cron_link(path, target) := object.union(cron_stat(path, "symlink", "0777", "root", "root"), {"link_target": target.path, "target": target})

cron_paths := [
	"/etc/crontab", "/etc/cron.hourly", "/etc/cron.daily", "/etc/cron.weekly", "/etc/cron.monthly",
	"/etc/cron.yearly", "/etc/cron.d", "/var/spool/cron/crontabs",
]

cron_access_paths := ["/etc/cron.allow", "/etc/cron.deny", "/etc/at.allow", "/etc/at.deny"]

cron_programs := ["/usr/sbin/cron", "/usr/bin/crontab", "/usr/sbin/atd", "/usr/bin/at"]

# cron_facts(paths, access, programs) are the collector's facts: every path
# missing unless given.
cron_facts(paths, access, programs) := {
	"paths": {p: object.get(paths, p, cron_missing(p)) | some p in cron_paths},
	"access": {p: object.get(access, p, object.union(cron_missing(p), {"users": []})) | some p in cron_access_paths},
	"programs": {p: object.get(programs, p, cron_missing(p)) | some p in cron_programs},
}

# cron_with(paths) is an input with cron installed and the given paths.
cron_with(paths) := {"cron": cron_facts(paths, {}, cron_debian12_programs)}

# cron_access(programs, access) is an input with the given programs and
# allow/deny files.
cron_access(programs, access) := {"cron": cron_facts({}, access, programs)}

cron_debian12_programs := {
	"/usr/sbin/cron": cron_file("/usr/sbin/cron", "0755", "root", "root"),
	"/usr/bin/crontab": cron_file("/usr/bin/crontab", "2755", "root", "crontab"),
}

# A stock Debian 12 server: Debian's cron package modes, no allow or deny
# file, at not installed.
debian12_facts.cron := cron_facts(
	{
		"/etc/crontab": cron_file("/etc/crontab", "0644", "root", "root"),
		"/etc/cron.hourly": cron_dir("/etc/cron.hourly", "0755", "root", "root"),
		"/etc/cron.daily": cron_dir("/etc/cron.daily", "0755", "root", "root"),
		"/etc/cron.weekly": cron_dir("/etc/cron.weekly", "0755", "root", "root"),
		"/etc/cron.monthly": cron_dir("/etc/cron.monthly", "0755", "root", "root"),
		"/etc/cron.yearly": cron_dir("/etc/cron.yearly", "0755", "root", "root"),
		"/etc/cron.d": cron_dir("/etc/cron.d", "0755", "root", "root"),
		"/var/spool/cron/crontabs": cron_dir("/var/spool/cron/crontabs", "1730", "root", "crontab"),
	},
	{},
	cron_debian12_programs,
)

# The hardened server: CIS modes, cron.allow and at.allow, at installed.
hardened_facts.cron := cron_facts(
	{
		"/etc/crontab": cron_file("/etc/crontab", "0600", "root", "root"),
		"/etc/cron.hourly": cron_dir("/etc/cron.hourly", "0700", "root", "root"),
		"/etc/cron.daily": cron_dir("/etc/cron.daily", "0700", "root", "root"),
		"/etc/cron.weekly": cron_dir("/etc/cron.weekly", "0700", "root", "root"),
		"/etc/cron.monthly": cron_dir("/etc/cron.monthly", "0700", "root", "root"),
		"/etc/cron.yearly": cron_dir("/etc/cron.yearly", "0700", "root", "root"),
		"/etc/cron.d": cron_dir("/etc/cron.d", "0700", "root", "root"),
		"/var/spool/cron/crontabs": cron_dir("/var/spool/cron/crontabs", "1730", "root", "crontab"),
	},
	{
		"/etc/cron.allow": object.union(cron_file("/etc/cron.allow", "0640", "root", "root"), {"users": [{"name": "root", "line": 1}]}),
		"/etc/at.allow": object.union(cron_file("/etc/at.allow", "0640", "root", "root"), {"users": [{"name": "root", "line": 1}]}),
		"/etc/at.deny": object.union(cron_file("/etc/at.deny", "0640", "root", "daemon"), {"users": []}),
	},
	object.union(cron_debian12_programs, {
		"/usr/sbin/atd": cron_file("/usr/sbin/atd", "0755", "root", "root"),
		"/usr/bin/at": cron_file("/usr/bin/at", "6755", "daemon", "daemon"),
	}),
)

empty_facts.cron := cron_facts({}, {}, {})

expect.debian12_host["GCL-CRON-001"] := "fail" # /etc/crontab 0644

expect.debian12_host["GCL-CRON-002"] := "fail" # directories 0755

expect.debian12_host["GCL-CRON-003"] := "fail"

expect.debian12_host["GCL-CRON-004"] := "fail"

expect.debian12_host["GCL-CRON-005"] := "fail"

expect.debian12_host["GCL-CRON-006"] := "fail"

expect.debian12_host["GCL-CRON-007"] := "fail"

expect.debian12_host["GCL-CRON-008"] := "fail" # no /etc/cron.allow

expect.debian12_host["GCL-CRON-009"] := "not_applicable" # at is not installed
