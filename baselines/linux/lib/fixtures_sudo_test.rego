# Sudoers facts for the fixture hosts and the sudo rule tests (a _test.rego
# file, so the engine never loads it). Inputs follow docs/facts/sudoers.md.
package gcrun.linux.lib.fixtures

sudo_file := "/etc/sudoers"

sudo_dropin := "/etc/sudoers.d/50-local"

# sudo_default(name, op, value, line) is a plain Defaults entry in
# /etc/sudoers.
sudo_default(name, op, value, line) := sudo_bound_default("", [], name, op, value, sudo_file, line)

sudo_bound_default(binding, targets, name, op, value, file, line) := {
	"binding": binding, "targets": targets, "name": name, "operator": op,
	"value": value, "file": file, "line": line,
}

# sudo_cmd(command, tags) is a command of a user specification.
sudo_cmd(command, tags) := {"command": command, "negated": false, "tags": tags, "options": {}, "digests": []}

# sudo_spec(users, commands, file, line) grants commands on ALL hosts as
# (ALL:ALL).
sudo_spec(users, commands, file, line) := {
	"users": users, "hosts": ["ALL"], "runas_specified": true, "runas_users": ["ALL"], "runas_groups": ["ALL"],
	"commands": commands, "file": file, "line": line,
}

# sudo_debian12_defaults are the Defaults lines of Debian 12's
# /etc/sudoers (sudo 1.9.13p3-1+deb12u1).
sudo_debian12_defaults := [
	sudo_default("env_reset", "", true, 9),
	sudo_default("mail_badpass", "", true, 10),
	sudo_default("secure_path", "=", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", 11),
	sudo_default("use_pty", "", true, 15),
]

sudo_debian12_specs := [
	sudo_spec(["root"], [sudo_cmd("ALL", ["SETENV"])], sudo_file, 47),
	sudo_spec(["%sudo"], [sudo_cmd("ALL", ["SETENV"])], sudo_file, 50),
]

# sudo_facts(defaults, specs) are the collector's facts for /etc/sudoers
# and Debian's README in /etc/sudoers.d.
sudo_facts(defaults, specs) := {
	"path": sudo_file,
	"exists": true,
	"files": [{"path": sudo_file, "line_count": 54}, {"path": "/etc/sudoers.d/README", "line_count": 24}],
	"skipped": [],
	"defaults": defaults,
	"user_specs": specs,
	"aliases": {"User_Alias": {}, "Runas_Alias": {}, "Host_Alias": {}, "Cmnd_Alias": {}},
}

# sudo_input(defaults, specs) is an input with those facts.
sudo_input(defaults, specs) := {"sudoers": sudo_facts(defaults, specs)}

# sudo_with(defaults) is Debian's policy plus the Defaults entries given.
sudo_with(defaults) := sudo_input(array.concat(sudo_debian12_defaults, defaults), sudo_debian12_specs)

sudo_no_sudoers := {"sudoers": {
	"path": sudo_file, "exists": false, "files": [], "skipped": [], "defaults": [], "user_specs": [],
	"aliases": {"User_Alias": {}, "Runas_Alias": {}, "Host_Alias": {}, "Cmnd_Alias": {}},
}}

debian12_facts.sudoers := sudo_facts(sudo_debian12_defaults, sudo_debian12_specs)

hardened_facts.sudoers := sudo_facts(
	array.concat(sudo_debian12_defaults, [
		sudo_default("logfile", "=", "/var/log/sudo.log", 16),
		sudo_default("timestamp_timeout", "=", "5", 17),
	]),
	sudo_debian12_specs,
)

empty_facts.sudoers := sudo_no_sudoers.sudoers

expect.debian12_host["GCL-SUDO-002"] := "fail" # no Defaults logfile
