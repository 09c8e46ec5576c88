# Checks of every rule's remediate (docs/remediation.md) against the
# fixture hosts: each action is well formed, a host that passes gets none,
# and no two rules undo each other (one key of one file set to two values,
# one file written with two contents).
package gcrun.linux.lib.remediate_test

import data.gcrun.linux.lib.fixtures as fx

# actions(host) are [rule package, action] for every action of every rule
# on host. Each area is named (a variable area would make the test its
# own dependency).
actions(host) := sort(found) if {
	found := all_actions with input as host
}

all_actions contains [sprintf("ssh.%s", [name]), a] if some a in data.gcrun.linux.ssh[name].remediate

all_actions contains [sprintf("files.%s", [name]), a] if some a in data.gcrun.linux.files[name].remediate

all_actions contains [sprintf("packages.%s", [name]), a] if some a in data.gcrun.linux.packages[name].remediate

all_actions contains [sprintf("accounts.%s", [name]), a] if some a in data.gcrun.linux.accounts[name].remediate

all_actions contains [sprintf("auth.%s", [name]), a] if some a in data.gcrun.linux.auth[name].remediate

all_actions contains [sprintf("sysctl.%s", [name]), a] if some a in data.gcrun.linux.sysctl[name].remediate

all_actions contains [sprintf("modules.%s", [name]), a] if some a in data.gcrun.linux.modules[name].remediate

all_actions contains [sprintf("mounts.%s", [name]), a] if some a in data.gcrun.linux.mounts[name].remediate

all_actions contains [sprintf("services.%s", [name]), a] if some a in data.gcrun.linux.services[name].remediate

all_actions contains [sprintf("cron.%s", [name]), a] if some a in data.gcrun.linux.cron[name].remediate

all_actions contains [sprintf("sudo.%s", [name]), a] if some a in data.gcrun.linux.sudo[name].remediate

all_actions contains [sprintf("banners.%s", [name]), a] if some a in data.gcrun.linux.banners[name].remediate

all_actions contains [sprintf("logging.%s", [name]), a] if some a in data.gcrun.linux.logging[name].remediate

all_actions contains [sprintf("audit.%s", [name]), a] if some a in data.gcrun.linux.audit[name].remediate

all_actions contains [sprintf("mac.%s", [name]), a] if some a in data.gcrun.linux.mac[name].remediate

all_actions contains [sprintf("filesystem.%s", [name]), a] if some a in data.gcrun.linux.filesystem[name].remediate

fields := {
	"file.mode": {"path", "mode"},
	"file.owner": {"path", "owner", "group"},
	"file.absent": {"path"},
	"file.content": {"path", "content", "mode", "owner", "group"},
	"config.set": {"path", "key", "value", "format", "separator", "mode"},
	"config.line": {"path", "line", "state", "match"},
	"package.remove": {"name"},
	"package.install": {"name"},
	"service.disable": {"unit"},
	"service.mask": {"unit"},
	"sysctl.apply": {"key", "value"},
}

required := {
	"file.mode": {"path", "mode"},
	"file.owner": {"path"},
	"file.absent": {"path"},
	"file.content": {"path", "content"},
	"config.set": {"path", "key", "value", "format"},
	"config.line": {"path", "line", "state"},
	"package.remove": {"name"},
	"package.install": {"name"},
	"service.disable": {"unit"},
	"service.mask": {"unit"},
	"sysctl.apply": {"key", "value"},
}

# malformed(a) are the problems of one action.
malformed(a) := ((((((((({p |
	not fields[a.type]
	p := sprintf("unknown type %v", [a.type])
} | {p |
	some k, _ in a
	k != "type"
	not k in object.get(fields, a.type, set())
	p := sprintf("field %s not allowed", [k])
}) | {p |
	some k in object.get(required, a.type, set())
	not a[k]
	p := sprintf("field %s missing", [k])
}) | {p |
	some k, v in a
	not is_string(v)
	p := sprintf("field %s is not a string", [k])
}) | {p |
	some k, v in a
	k != "content"
	is_string(v)
	regex.match(`[\n\x00]`, v)
	p := sprintf("field %s holds a newline or NUL", [k])
}) | {p |
	some k in {"mode"}
	v := a[k]
	not regex.match(`^[0-7]{4}$`, v)
	p := sprintf("mode %v is not four octal digits", [v])
}) | {p |
	a.type == "file.owner"
	not a.owner
	not a.group
	p := "file.owner without owner or group"
}) | {p |
	a.type == "config.set"
	not a.format in {"sshd", "keyvalue"}
	p := sprintf("format %v", [a.format])
}) | {p |
	a.type == "config.line"
	not a.state in {"present", "absent"}
	p := sprintf("state %v", [a.state])
}) | {p |
	some k in {"path"}
	v := a[k]
	not startswith(v, "/")
	p := sprintf("path %v is not absolute", [v])
}) | {p |
	a.type == "file.absent"
	p := "file.absent is not used on system files"
}

problems(host) := {sprintf("%s: %v: %s", [pkg, a, p]) |
	some [pkg, a] in actions(host)
	some p in malformed(a)
}

# conflicts(host) are two rules setting one key of one file to different
# values, or writing one file with different contents.
conflicts(host) := {sprintf("%s and %s: %v / %v", [p1, p2, a1, a2]) |
	all := actions(host)
	some [p1, a1] in all
	some [p2, a2] in all
	a1 != a2
	a1.type == a2.type
	clash(a1, a2)
}

clash(a1, a2) if {
	a1.type == "config.set"
	a1.path == a2.path
	lower(a1.key) == lower(a2.key)
	a1.value != a2.value
}

clash(a1, a2) if {
	a1.type == "file.content"
	a1.path == a2.path
}

clash(a1, a2) if {
	a1.type == "file.mode"
	a1.path == a2.path
}

clash(a1, a2) if {
	a1.type == "sysctl.apply"
	a1.key == a2.key
}

test_actions_well_formed if {
	every host in [fx.debian12_host, fx.empty_host, fx.hardened_host] {
		problems(host) == set()
	}
}

test_no_conflicts if {
	every host in [fx.debian12_host, fx.empty_host, fx.hardened_host] {
		conflicts(host) == set()
	}
}

test_hardened_host_needs_nothing if {
	actions(fx.hardened_host) == []
}

test_debian12_host_gets_fixes if {
	all := actions(fx.debian12_host)
	types := {a.type | some [_, a] in all}
	every t in ["config.set", "file.mode", "config.line", "file.content"] {
		t in types
	}
	pkgs := {p | some [p, _] in all}
	every p in ["ssh.max_auth_tries", "files.sshd_config", "sysctl.ip_forward", "modules.cramfs", "cron.crontab", "banners.issue"] {
		p in pkgs
	}
}

test_debian12_host_ssh_fixes if {
	ssh := {a | some [p, a] in actions(fx.debian12_host); startswith(p, "ssh.")}

	# PermitRootLogin is manual: hosts reached only as root would be locked out.
	count({a | some a in ssh; a.key == "PermitRootLogin"}) == 0
	{"type": "config.set", "path": "/etc/ssh/sshd_config", "format": "sshd", "key": "MaxAuthTries", "value": "4"} in ssh

	# PasswordAuthentication is manual: turning it off can lock people out.
	count({a | some a in ssh; a.key == "PasswordAuthentication"}) == 0
}
