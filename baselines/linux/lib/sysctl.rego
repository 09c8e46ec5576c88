# Helpers shared by the kernel parameter rules. A library: no custom.id and
# no deny. Only input.sysctl is read here; rules pass their parameters in.
#
# A rule names the keys it requires and the values each may have
# ({"net.ipv4.ip_forward": ["0"]}). A key fails when the configuration
# applied at boot (input.sysctl.configured, explicit keys first, then
# globs) does not set it or sets another value, and, on the live host, when
# the running kernel's value differs or cannot be read. Offline, the
# running part is skipped and the evidence says why.
package gcrun.linux.lib.sysctl

import data.gcrun.linux.lib.live

# setting(key) is the assignment that sets key at boot: its own line, or
# else the last applied glob matching it (unless a "-key" line excludes
# it). Undefined when nothing sets the key.
setting(key) := s if {
	s := input.sysctl.configured[key]
	s.glob == false
} else := s if {
	not input.sysctl.excluded[key]
	matches := [g |
		some pattern, g in input.sysctl.configured
		g.glob == true
		glob.match(pattern, ["."], key)
	]
	count(matches) > 0
	last := max([g.order | some g in matches])
	some s in matches
	s.order == last
}

# normalize(value) is value with white space runs as one space, as the
# collector reports running values.
normalize(value) := regex.replace(trim_space(value), `\s+`, " ")

# value_ok(value, allowed) holds when value is one of allowed, numbers
# compared as numbers ("01" is 1).
value_ok(value, allowed) if value in allowed

value_ok(value, allowed) if {
	regex.match(`^-?[0-9]+$`, value)
	some a in allowed
	regex.match(`^-?[0-9]+$`, a)
	to_number(value) == to_number(a)
}

# expected_text(allowed) says what is expected: "0", or "one of 1, 2".
expected_text(allowed) := allowed[0] if count(allowed) == 1

expected_text(allowed) := sprintf("one of %s", [concat(", ", allowed)]) if count(allowed) > 1

# ipv6_off holds on a live host whose kernel has no IPv6 stack (booted with
# ipv6.disable=1): the net.ipv6 keys do not exist and do not apply.
ipv6_off if {
	live.available(input.sysctl.runtime)
	input.sysctl.runtime.values["net.ipv6.conf.all.disable_ipv6"].exists == false
}

# applies(key) holds unless key is an IPv6 key on a host without IPv6.
applies(key) if not startswith(key, "net.ipv6.")

applies(key) if {
	startswith(key, "net.ipv6.")
	not ipv6_off
}

# deny_reasons(required) is one reason per required key that fails.
deny_reasons(required) := configured_reasons(required) | runtime_reasons(required)

configured_reasons(required) := {r |
	some key, allowed in required
	applies(key)
	not setting(key)
	r := {
		"code": "not_configured",
		"phrase": sprintf("%s is not set in any sysctl configuration file, expected %s", [key, expected_text(allowed)]),
		"expected": expected_text(allowed),
		"evidence": {"key": key},
	}
} | {r |
	some key, allowed in required
	applies(key)
	s := setting(key)
	value := normalize(s.value)
	not value_ok(value, allowed)
	r := {
		"code": "configured",
		"phrase": sprintf("%s is set to %q in %s:%d, expected %s", [key, value, s.file, s.line, expected_text(allowed)]),
		"expected": expected_text(allowed),
		"actual": value,
		"evidence": {"key": key, "file": s.file, "line": s.line},
	}
}

runtime_reasons(required) := {r |
	live.available(input.sysctl.runtime)
	some key, allowed in required
	applies(key)
	v := object.get(input.sysctl.runtime.values, key, {"exists": false, "error": "not read by the collector"})
	some r in runtime_reason(key, allowed, v)
}

runtime_reason(key, allowed, v) := ({r |
	v.exists == false
	object.get(v, "error", "") == ""
	r := {
		"code": "runtime_absent",
		"phrase": sprintf("the running kernel has no %s, expected %s", [key, expected_text(allowed)]),
		"expected": expected_text(allowed),
		"evidence": {"key": key, "file": sprintf("/proc/sys/%s", [replace(key, ".", "/")])},
	}
} | {r |
	object.get(v, "error", "") != ""
	r := {
		"code": "runtime_unreadable",
		"phrase": sprintf("the running value of %s cannot be read (%s), expected %s", [key, v.error, expected_text(allowed)]),
		"expected": expected_text(allowed),
		"evidence": {"key": key},
	}
}) | {r |
	v.exists == true
	object.get(v, "error", "") == ""
	not value_ok(v.value, allowed)
	r := {
		"code": "runtime",
		"phrase": sprintf("the running value of %s is %q, expected %s", [key, v.value, expected_text(allowed)]),
		"expected": expected_text(allowed),
		"actual": v.value,
		"evidence": {"key": key, "file": sprintf("/proc/sys/%s", [replace(key, ".", "/")])},
	}
}

# evidence(required) is what a rule looked at: for each key the expected
# values, the assignment in effect at boot (null when none) and the running
# value (or why it was not checked).
evidence(required) := {key: {
	"expected": allowed,
	"applies": applies_text(key),
	"configured": configured_evidence(key),
	"running": running_evidence(key),
} |
	some key, allowed in required
}

applies_text(key) := "yes" if applies(key)

applies_text(key) := "no: the running kernel has no IPv6 stack" if not applies(key)

configured_evidence(key) := {"value": s.value, "file": s.file, "line": s.line, "glob": s.glob} if {
	s := setting(key)
} else := null

running_evidence(key) := object.get(input.sysctl.runtime.values, key, "not read") if {
	live.available(input.sysctl.runtime)
} else := sprintf("not checked: %s", [object.get(input.sysctl.runtime, "reason", "no running kernel")])

# Remediation (docs/remediation.md). fix(required) persists each failing key
# with a config.set in the file whose line sets it at boot (an explicit
# line, changed in place), or, when nothing sets it or only a glob does (an
# explicit key beats every glob), in default_file; and, on the live host,
# a sysctl.apply for each running value that is wrong. The value is the one
# configured when that is allowed, else the first allowed value. Nothing
# for a key the running kernel lacks or that does not apply.
default_file := "/etc/sysctl.d/60-gcrun.conf"

fix(required) := {a |
	some key, allowed in required
	applies(key)
	some a in (config_fix(key, allowed) | runtime_fix(key, allowed))
}

config_fix(key, allowed) := {a |
	not configured_ok(key, allowed)
	a := {
		"type": "config.set",
		"path": fix_file(key),
		"format": "keyvalue",
		"separator": " = ",
		"key": key,
		"value": target(key, allowed),
	}
}

configured_ok(key, allowed) if value_ok(normalize(setting(key).value), allowed)

fix_file(key) := s.file if {
	s := setting(key)
	s.glob == false
} else := default_file

target(key, allowed) := v if {
	v := normalize(setting(key).value)
	value_ok(v, allowed)
} else := allowed[0]

runtime_fix(key, allowed) := {a |
	live.available(input.sysctl.runtime)
	v := input.sysctl.runtime.values[key]
	v.exists == true
	object.get(v, "error", "") == ""
	not value_ok(v.value, allowed)
	a := {"type": "sysctl.apply", "key": key, "value": target(key, allowed)}
}
