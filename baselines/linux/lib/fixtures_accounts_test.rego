# Facts of the users collector for the unit tests and the whole-host
# fixtures (docs/facts/users.md).
package gcrun.linux.lib.fixtures

# ---------------------------------------------------------------------------
# users: building blocks

# users_files are the files the collector reads.
users_files := ["/etc/passwd", "/etc/shadow", "/etc/group", "/etc/gshadow", "/etc/shells", "/etc/login.defs"]

debian_shells := ["/bin/sh", "/usr/bin/sh", "/bin/bash", "/usr/bin/bash", "/bin/rbash", "/usr/bin/rbash", "/bin/dash", "/usr/bin/dash"]

# cis_aging is password aging as CIS Debian 12 5.4.1 wants it.
cis_aging := {"last_change": 19700, "min_days": 1, "max_days": 365, "warn_days": 7, "inactive": 45, "expire": null}

# debian_aging is what useradd and the Debian installer write (login.defs
# PASS_* defaults, no inactivity period).
debian_aging := {"last_change": 19700, "min_days": 0, "max_days": 99999, "warn_days": 7, "inactive": null, "expire": null}

shadow_of(status, algorithm, aging) := object.union(
	{
		"exists": true, "line": 20, "status": status,
		"locked": status in {"locked", "no_password"},
		"empty": status == "empty", "algorithm": algorithm,
	},
	aging,
)

# shadow_hashed is a usable yescrypt password with CIS aging.
shadow_hashed := shadow_of("hashed", "yescrypt", cis_aging)

# shadow_locked is a password locked with "passwd -l".
shadow_locked := shadow_of("locked", "yescrypt", cis_aging)

# shadow_no_password is "*" or "!" alone.
shadow_no_password := shadow_of("no_password", "none", debian_aging)

# shadow_empty is an empty password field.
shadow_empty := shadow_of("empty", "none", debian_aging)

# no_shadow_entry is a user without an /etc/shadow entry.
no_shadow_entry := {
	"exists": false, "line": 0, "status": "", "locked": false, "empty": false, "algorithm": "",
	"last_change": null, "min_days": null, "max_days": null, "warn_days": null, "inactive": null, "expire": null,
}

# home_of(path, uid, gid, owner, group, mode, owned) is an existing home directory.
home_of(path, uid, owner, mode, owned) := {
	"path": path, "exists": true, "type": "directory",
	"uid": uid, "gid": uid, "owner": owner, "group": owner,
	"mode": mode, "owned_by_user": owned,
}

# no_home(path) is a home directory that does not exist.
no_home(path) := {"path": path, "exists": false}

# user(name, uid, overrides) is an interactive user at /etc/passwd:20 with
# a hashed password, CIS aging and a 0700 home directory; overrides are
# merged in (object.union: nested objects merge).
user(name, uid, overrides) := object.union(
	{
		"name": name, "uid": uid, "gid": uid, "gecos": "", "home": sprintf("/home/%s", [name]),
		"shell": "/bin/bash", "line": 20, "password_field": "shadowed",
		"shell_is_login": true, "shell_listed": true, "system": uid < 1000,
		"shadow": shadow_hashed,
		"home_dir": home_of(sprintf("/home/%s", [name]), uid, name, "0700", true),
	},
	overrides,
)

# system_user(name, uid, gid, home, shell, line) is a system account with
# "*" as password, as Debian's base-passwd creates them.
system_user(name, uid, gid, home, shell, line) := {
	"name": name, "uid": uid, "gid": gid, "gecos": name, "home": home, "shell": shell, "line": line,
	"password_field": "shadowed", "shell_is_login": false, "shell_listed": false, "system": uid < 1000,
	"shadow": object.union(shadow_no_password, {"line": line}),
	"home_dir": system_home(home),
}

system_home(home) := no_home(home) if {
	home == "/nonexistent"
} else := home_of(home, 0, "root", "0755", false)

# group(name, gid, members, line) is an /etc/group entry with its gshadow entry.
group(name, gid, members, line) := {
	"name": name, "gid": gid, "members": members, "line": line,
	"gshadow": {"exists": true, "line": line, "status": "no_password", "admins": [], "members": members},
}

base_groups := [
	group("root", 0, [], 1),
	group("daemon", 1, [], 2),
	group("sys", 3, [], 4),
	group("sudo", 27, [], 21),
	group("shadow", 42, [], 30),
	group("users", 100, [], 37),
	group("nogroup", 65534, [], 38),
]

# users_facts(users, groups) is the collector's facts for those entries
# with nothing duplicated or missing; tests that need duplicates set them
# with users_with.
users_facts(users, groups) := {
	"files": {f: {"exists": true} | some f in users_files},
	"uid_min": {"value": 1000, "file": "/etc/login.defs", "line": 172},
	"shells": debian_shells,
	"users": users,
	"groups": groups,
	"duplicates": {"uids": {}, "gids": {}, "user_names": [], "group_names": []},
	"uid0": [u.name | some u in users; u.uid == 0],
	"missing_groups": [],
	"nis_entries": [],
}

# users_input(users) is an input with those users and the base groups.
users_input(users) := {"users": users_facts(users, base_groups)}

# users_with(users, extra) also merges extra into the facts.
users_with(users, extra) := {"users": object.union(users_facts(users, base_groups), extra)}

# root_user(overrides) is root at /etc/passwd:1.
root_user(overrides) := user("root", 0, object.union(
	{"gecos": "root", "home": "/root", "line": 1, "home_dir": home_of("/root", 0, "root", "0700", true), "shadow": {"line": 1}},
	overrides,
))

base_system_users := [
	system_user("daemon", 1, 1, "/usr/sbin", "/usr/sbin/nologin", 2),
	system_user("bin", 2, 2, "/bin", "/usr/sbin/nologin", 3),
	system_user("sync", 4, 65534, "/bin", "/bin/sync", 5),
	system_user("_apt", 42, 65534, "/nonexistent", "/usr/sbin/nologin", 17),
	system_user("nobody", 65534, 65534, "/nonexistent", "/usr/sbin/nologin", 18),
	system_user("messagebus", 100, 100, "/nonexistent", "/usr/sbin/nologin", 19),
	system_user("sshd", 101, 65534, "/run/sshd", "/usr/sbin/nologin", 21),
]

# ---------------------------------------------------------------------------
# users: whole hosts

# hardened: CIS aging on every password, 0700 homes.
hardened_facts.users := users_facts(
	array.concat(
		[root_user({})],
		array.concat(base_system_users, [user("admin", 1000, {"line": 22, "gecos": "Admin,,,", "shadow": {"line": 22}})]),
	),
	array.concat(base_groups, [group("admin", 1000, [], 45)]),
)

# debian12: the installer's root password and first user, with the aging
# useradd gives them (99999 days, no minimum, no inactivity lock).
debian12_facts.users := users_facts(
	array.concat(
		[root_user({"shadow": debian_aging})],
		array.concat(base_system_users, [user("debian", 1000, {"line": 22, "gecos": "Debian,,,", "shadow": object.union(debian_aging, {"line": 22})})]),
	),
	array.concat(base_groups, [group("debian", 1000, [], 45)]),
)

# empty: no account files at all.
empty_facts.users := {
	"files": {f: {"exists": false} | some f in users_files},
	"uid_min": {"value": 1000, "file": "", "line": 0},
	"shells": [],
	"users": [],
	"groups": [],
	"duplicates": {"uids": {}, "gids": {}, "user_names": [], "group_names": []},
	"uid0": [],
	"missing_groups": [],
	"nis_entries": [],
}

# A stock Debian 12 gives passwords 99999 days, no minimum age and no
# inactivity lock.
expect.debian12_host["GCL-ACCT-011"] := "fail"

expect.debian12_host["GCL-ACCT-012"] := "fail"

expect.debian12_host["GCL-ACCT-014"] := "fail"
