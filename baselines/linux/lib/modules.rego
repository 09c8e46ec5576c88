# Helpers shared by the kernel module rules. A library: no custom.id and
# no deny. Only input.kernel_modules is read here; rules pass their
# parameters in.
#
# CIS counts a module as disabled when modprobe cannot load it (an
# "install NAME /bin/false" line, or /bin/true) and aliases do not pull it
# in ("blacklist NAME"). A module that no kernel of the root ships, and that
# no kernel has built in, needs neither. On the live host it must not be
# loaded either.
package gcrun.linux.lib.modules

import data.gcrun.linux.lib.live

# disabling_commands are the install commands that make modprobe load
# nothing.
disabling_commands := {"/bin/false", "/bin/true", "/usr/bin/false", "/usr/bin/true"}

# install(name) is the install line modprobe runs for the module: of the
# patterns matching the name, the line read first.
install(name) := first if {
	lines := [cmds[0] |
		some pattern, cmds in input.kernel_modules.install
		matches(pattern, name)
	]
	count(lines) > 0
	low := min([c.order | some c in lines])
	some first in lines
	first.order == low
}

# matches(pattern, name) is kmod's fnmatch of a configured module pattern.
matches(pattern, name) if pattern == name

matches(pattern, name) if {
	pattern != name
	regex.match(`[*?\[]`, pattern)
	glob.match(pattern, [], name)
}

# disables(line) holds for an install line whose command loads nothing.
disables(line) if regex.split(`\s+`, trim_space(line.command))[0] in disabling_commands

# blacklisted(name) is the first blacklist line of the module.
blacklisted(name) := input.kernel_modules.blacklist[name][0]

# not_applicable(name, allowed) are the reasons a module rule does not
# apply: the root holds no kernel's modules, or the site allows the
# module (parameter modules_allowed, passed in by the rule).
not_applicable(name, allowed) := {r |
	count(input.kernel_modules.kernels) == 0
	r := {
		"code": "no_modules",
		"phrase": "/lib/modules holds no kernel: the kernel that runs this root is not part of it (a container image?)",
		"evidence": {"file": "/lib/modules"},
	}
} | {r |
	name in allowed
	r := {
		"code": "allowed",
		"phrase": sprintf("module %s is allowed by parameter modules_allowed", [name]),
		"evidence": {"module": name},
	}
}

# deny_reasons(name) are the ways the module is not disabled.
deny_reasons(name) := ((({r |
	kernels := input.kernel_modules.builtin[name]
	r := {
		"code": "builtin",
		"phrase": sprintf("module %s is built into kernel %s, so modprobe.d cannot keep it out, expected a kernel without it", [name, concat(", ", kernels)]),
		"expected": "not built in",
		"actual": "built in",
		"evidence": {"module": name, "kernels": kernels},
	}
} | {r |
	paths := input.kernel_modules.available[name]
	not install(name)
	r := {
		"code": "not_disabled",
		"phrase": sprintf("module %s is available (%s) and no install line disables it, expected \"install %s /bin/false\"", [name, paths[0], name]),
		"expected": "install /bin/false",
		"evidence": {"module": name, "file": paths[0]},
	}
}) | {r |
	input.kernel_modules.available[name]
	line := install(name)
	not disables(line)
	r := {
		"code": "not_disabled",
		"phrase": sprintf("module %s is installed with %q by %s:%d, expected /bin/false or /bin/true", [name, line.command, line.file, line.line]),
		"expected": "install /bin/false",
		"actual": line.command,
		"evidence": {"module": name, "file": line.file, "line": line.line},
	}
}) | {r |
	paths := input.kernel_modules.available[name]
	not blacklisted(name)
	r := {
		"code": "not_blacklisted",
		"phrase": sprintf("module %s is available (%s) and not blacklisted, expected \"blacklist %s\"", [name, paths[0], name]),
		"expected": "blacklisted",
		"evidence": {"module": name, "file": paths[0]},
	}
}) | {r |
	live.available(input.kernel_modules.loaded)
	m := input.kernel_modules.loaded.modules[name]
	r := {
		"code": "loaded",
		"phrase": sprintf("module %s is loaded in the running kernel (%s), expected not loaded", [name, m.state]),
		"expected": "not loaded",
		"actual": "loaded",
		"evidence": {"module": name, "file": "/proc/modules"},
	}
}

# evidence(name) is what a module rule looked at.
evidence(name) := {
	"module": name,
	"available": object.get(input.kernel_modules.available, name, []),
	"builtin": object.get(input.kernel_modules.builtin, name, []),
	"install": install_evidence(name),
	"blacklist": blacklist_evidence(name),
	"loaded": loaded_evidence(name),
}

install_evidence(name) := {"command": c.command, "file": c.file, "line": c.line} if {
	c := install(name)
} else := null

blacklist_evidence(name) := {"file": b.file, "line": b.line} if {
	b := blacklisted(name)
} else := null

loaded_evidence(name) := name in object.keys(input.kernel_modules.loaded.modules) if {
	live.available(input.kernel_modules.loaded)
} else := sprintf("not checked: %s", [object.get(input.kernel_modules.loaded, "reason", "no running kernel")])

# Remediation (docs/remediation.md). fix(name) disables and blacklists an
# available module in /etc/modprobe.d/gcrun-NAME.conf. An install line that
# already matches the module (modprobe runs the first one read) is
# replaced in its own file instead, when its pattern is the module's name;
# a glob pattern, a built-in module and a loaded one need a person.
fix_file(name) := sprintf("/etc/modprobe.d/gcrun-%s.conf", [name])

fix(name) := install_fix(name) | blacklist_fix(name)

install_fix(name) := {a |
	input.kernel_modules.available[name]
	not install(name)
	a := {"type": "config.line", "path": fix_file(name), "line": sprintf("install %s /bin/false", [name]), "state": "present"}
} | {a |
	input.kernel_modules.available[name]
	line := install(name)
	not disables(line)
	input.kernel_modules.install[name][0] == line
	a := {
		"type": "config.line",
		"path": line.file,
		"line": sprintf("install %s /bin/false", [name]),
		"state": "present",
		"match": sprintf(`^\s*install\s+%s\s`, [name]),
	}
}

blacklist_fix(name) := {a |
	input.kernel_modules.available[name]
	not blacklisted(name)
	a := {"type": "config.line", "path": fix_file(name), "line": sprintf("blacklist %s", [name]), "state": "present"}
}
