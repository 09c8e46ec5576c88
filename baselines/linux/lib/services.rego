# Helpers shared by the service rules. A library: no custom.id and no
# deny. Only input.systemd is read here (docs/facts/systemd.md); rules pass
# their parameters in.
#
# A unit is in use when it starts at boot: its state is "enabled" (a link
# in /etc/systemd/system) or "enabled-runtime" (in /run). Static, disabled,
# indirect, linked and masked units do not start by themselves: a static
# service started by an enabled socket is caught through the socket, which
# each rule lists beside the service.
package gcrun.linux.lib.services

# in_use_states are the unit states that start a unit at boot.
in_use_states := {"enabled", "enabled-runtime"}

# no_systemd is the not_applicable reason of every service rule on a root
# without systemd unit directories. It tests `exists == false` so that a
# failed collector is never mistaken for "no systemd".
no_systemd contains reason if {
	input.systemd.exists == false
	reason := {
		"code": "no_systemd",
		"phrase": "the root has no systemd unit directories: services are not managed by systemd",
	}
}

# unit(name) is the unit's facts, undefined when the root has no such unit.
unit(name) := input.systemd.units[name]

# in_use(name) holds when the unit starts at boot.
in_use(name) if unit(name).state in in_use_states

# checked(names) are the units named plus those that names which are
# aliases resolve to (bind9.service is an alias of named.service).
checked(names) := {n | some n in names} | {a |
	some n in names
	unit(n).state == "alias"
	a := unit(n).alias_of
}

# allowed(name, list) holds when the list names the unit, with or without
# its type suffix ("cups" allows cups.service and cups.socket).
allowed(name, list) if name in list

allowed(name, list) if {
	some entry in list
	parts := split(name, ".")
	entry == concat(".", array.slice(parts, 0, count(parts) - 1))
}

# where(u) says what enables the unit, for phrases.
where(u) := sprintf(" (wanted by %s)", [concat(", ", array.concat(u.wanted_by, u.required_by))]) if {
	count(u.wanted_by) + count(u.required_by) > 0
} else := ""

# forbidden(names, allowed_list, why) is one reason per unit of names (or
# unit an alias among them resolves to) that is in use and not allowed.
forbidden(names, allowed_list, why) := {reason |
	some n in checked(names)
	u := unit(n)
	u.state in in_use_states
	not allowed(n, allowed_list)
	reason := {
		"code": "in_use",
		"phrase": sprintf("%s is %s%s, expected not enabled: %s", [n, u.state, where(u), why]),
		"expected": "not enabled",
		"actual": u.state,
		"evidence": {"unit": n, "state": u.state, "file": u.fragment_path, "links": u.links},
	}
}

# evidence(names, allowed_list) is a rule's evidence: the state of each
# unit it looked at that exists, and which are allowed.
evidence(names, allowed_list) := {
	"checked": sort([n | some n in checked(names)]),
	"units": {n: unit(n).state | some n in checked(names); unit(n)},
	"allowed": sort([n | some n in checked(names); allowed(n, allowed_list)]),
}

# Remediation (docs/remediation.md). stop(names, allowed_list) turns off
# each unit that forbidden reports: service.disable for a unit enabled in
# /etc (systemctl disable --now removes its links), service.mask for one
# enabled at runtime from /run, which disable does not reach (a masked unit
# passes too).
stop_action := {"enabled": "service.disable", "enabled-runtime": "service.mask"}

stop(names, allowed_list) := {a |
	count(no_systemd) == 0
	some n in checked(names)
	u := unit(n)
	u.state in in_use_states
	not allowed(n, allowed_list)
	a := {"type": stop_action[u.state], "unit": n}
}
