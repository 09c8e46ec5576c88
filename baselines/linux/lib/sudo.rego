# Helpers shared by the sudo rules. A library: no custom.id and no deny.
# Only input.sudoers is read here (docs/facts/sudoers.md); rules pass
# their parameters in.
package gcrun.linux.lib.sudo

# no_sudoers is the not_applicable reason of every sudo rule on a root
# without /etc/sudoers. It tests `exists == false` so that a failed
# collector is never mistaken for "no sudo".
no_sudoers contains reason if {
	input.sudoers.exists == false
	reason := {
		"code": "no_sudoers",
		"phrase": sprintf("%s does not exist: sudo is not installed", [object.get(input.sudoers, "path", "/etc/sudoers")]),
		"evidence": {"file": object.get(input.sudoers, "path", "/etc/sudoers")},
	}
}

# settings(name) are the Defaults entries that set name, in file order,
# whatever their binding.
settings(name) := [d | some d in input.sudoers.defaults; d.name == name]

# global(name) is the last plain "Defaults" entry for name, the one in
# effect for everybody; undefined when there is none.
global(name) := d if {
	entries := [e | some e in settings(name); e.binding == ""]
	count(entries) > 0
	d := entries[count(entries) - 1]
}

# set_globally(name) holds when the last plain Defaults entry for name
# sets it (it is not "!name").
set_globally(name) if global(name).operator != "!"

# location(d) is "file:line" of an entry.
location(d) := sprintf("%s:%d", [d.file, d.line])

# binding(d) describes an entry's binding for phrases ("" for a plain
# Defaults).
binding(d) := "" if d.binding == ""

else := sprintf(" for %s %s", [d.binding, concat(",", d.targets)])

# shown(d) is the entry as written.
shown(d) := sprintf("!%s", [d.name]) if d.operator == "!"

else := d.name if d.operator == ""

else := sprintf("%s%s%v", [d.name, d.operator, d.value])

# entry_evidence(d) is an entry's evidence.
entry_evidence(d) := {"file": d.file, "line": d.line, "setting": shown(d), "binding": d.binding, "targets": d.targets}

# evidence(name) lists where name is set, as written.
evidence(name) := {name: [sprintf("%s%s (%s)", [shown(d), binding(d), location(d)]) | some d in settings(name)]}

# negated(name, why) is one reason per "!name" entry, whatever its binding.
negated(name, why) := {reason |
	some d in settings(name)
	d.operator == "!"
	reason := {
		"code": "negated",
		"phrase": sprintf("Defaults%s !%s in %s, expected %s not negated: %s", [binding(d), name, location(d), name, why]),
		"expected": name,
		"actual": sprintf("!%s", [name]),
		"evidence": entry_evidence(d),
	}
}
