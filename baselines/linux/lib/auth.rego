# Helpers shared by the authentication rules (area auth): login.defs, the
# PAM stacks, pwquality.conf and faillock.conf. A library: no custom.id and
# no deny. Only input.login is read here (docs/facts/login.md).
#
# Each helper reproduces how the program that reads a setting finds its
# value: shadow-utils parses login.defs numbers with strtol(s, &end, 0) and
# keeps the last assignment; pam_unix reads the first; PAM module arguments
# override the configuration files of libpwquality and pam_faillock.
package gcrun.linux.lib.auth

login_defs_file := "/etc/login.defs"

# ---------------------------------------------------------------------------
# login.defs

# no_login_defs is the not_applicable reason of the login.defs rules. It
# tests `exists == false` so that a failed collector is never mistaken for
# a missing file.
no_login_defs contains reason if {
	input.login.login_defs.exists == false
	reason := {
		"code": "login_defs_missing",
		"phrase": sprintf("%s does not exist: shadow-utils is not installed", [login_defs_file]),
		"evidence": {"file": login_defs_file},
	}
}

# defs_evidence(keys) is a rule's evidence: the value in effect of each key
# and where it is set; null for a key that is not set.
defs_evidence(keys) := {k: object.get(input.login.login_defs.settings, k, null) | some k in keys}

# defs_at(key) is the evidence of key's setting in effect (shadow-utils:
# the last), {"key", "file"} when it is not set.
defs_at(key) := object.union({"key": key}, s) if {
	s := input.login.login_defs.settings[key]
} else := {"key": key, "file": login_defs_file}

# number(s) is the integer shadow-utils' getlong() reads from s:
# strtol(s, &end, 0) consuming all of s: decimal, 0x hexadecimal or
# 0-prefixed octal, with an optional sign. Undefined when s is not a
# number, which shadow-utils then ignores for its built-in default.
number(s) := n if {
	[_, sign, digits] := regex.find_all_string_submatch_n(`^([+-]?)([0-9a-fA-FxX]+)$`, s, 1)[0]
	m := magnitude(digits)
	n := m * sign_factor(sign)
}

sign_factor("-") := -1

sign_factor(s) := 1 if s != "-"

magnitude(d) := to_number(d) if regex.match(`^(0|[1-9][0-9]*)$`, d)

magnitude(d) := digits_value(substring(d, 1, -1), 3) if regex.match(`^0[0-7]+$`, d)

magnitude(d) := digits_value(lower(substring(d, 2, -1)), 4) if regex.match(`^0[xX][0-9a-fA-F]+$`, d)

digits_value(s, shift) := sum([bits.lsh(indexof("0123456789abcdef", c), shift * ((count(s) - 1) - i)) | some i, c in split(s, "")])

# octal(s) is the value of a string of octal digits ("027"); parameters
# give modes and masks that way.
octal(s) := digits_value(s, 3) if regex.match(`^[0-7]+$`, s)

# defs_number(key) is {"value": n, "set": true} for a numeric setting,
# {"set": false} when the key is not set, {"set": true, "invalid": text}
# when its value is not a number.
defs_number(key) := {"set": true, "value": n} if {
	n := number(input.login.login_defs.settings[key].value)
} else := {"set": true, "invalid": input.login.login_defs.settings[key].value} if {
	input.login.login_defs.settings[key]
} else := {"set": false}

# defs_occurrences(key) are every assignment of key, in file order, as
# {"value", "line"}; [] when it is not set.
defs_occurrences(key) := input.login.login_defs.duplicates[key] if {
	input.login.login_defs.duplicates[key]
} else := [{"value": s.value, "line": s.line}] if {
	s := input.login.login_defs.settings[key]
} else := []

# defs_reason(code, key, expected, phrase) is a deny reason about key.
defs_reason(code, key, expected, actual, phrase) := {
	"code": code,
	"phrase": phrase,
	"expected": expected,
	"actual": actual,
	"evidence": defs_at(key),
}

# defs_where(key) completes a phrase: " (/etc/login.defs:12)" or "".
defs_where(key) := sprintf(" (%s:%d)", [s.file, s.line]) if {
	s := input.login.login_defs.settings[key]
} else := ""

# ---------------------------------------------------------------------------
# PAM

# services(names) are the PAM services among names that exist, as
# {"name", "file", "entries"}.
services(names) := [object.union({"name": n}, s) |
	some n in names
	s := input.login.pam.services[n]
]

# no_services(names) is the not_applicable reason of a PAM rule when none
# of the services it checks exists. It needs the collector's facts, so a
# failed collector is never mistaken for a host without PAM.
no_services(names) := {
	"code": "pam_service_missing",
	"phrase": sprintf("no PAM service %s in %s or /usr/lib/pam.d", [concat(", ", names), input.login.pam.dir]),
	"evidence": {"services": names, "dir": input.login.pam.dir},
} if {
	is_object(input.login.pam.services)
	count(services(names)) == 0
}

# entries(names, type, module) are the entries of the given type and
# module base name ("pam_unix.so") in the services named, each with the
# service added ({"service": name, ...entry}).
entries(names, type, module) := [object.union(e, {"service": s.name}) |
	some s in services(names)
	some e in s.entries
	e.type == type
	e.module == module
]

# at(e) is where entry e is written, for evidence.
at(e) := {"service": e.service, "file": e.file, "line": e.line, "module": e.module, "via": e.via}

# where(e) completes a phrase: " (common-password, /etc/pam.d/common-password:25)".
where(e) := sprintf(" (service %s, %s:%d)", [e.service, e.file, e.line])

# describe(e) is the entry as written: "password requisite pam_pwquality.so retry=3".
describe(e) := trim_space(concat(" ", array.concat([e.type, e.control, e.module_path], e.arguments)))

# split_arg(a) is [name, value] of a module argument: "remember=24" ->
# ["remember", "24"], a flag "use_authtok" -> ["use_authtok", ""].
split_arg(a) := [substring(a, 0, i), substring(a, i + 1, -1)] if {
	i := indexof(a, "=")
	i >= 0
} else := [a, ""]

# arg(e, name) is the value of e's last argument called name (modules
# apply their arguments in order, so the last wins); undefined without one.
arg(e, name) := values[count(values) - 1] if {
	values := [v | some a in e.arguments; [n, v] := split_arg(a); n == name]
	count(values) > 0
}

# has_arg(e, name) holds when e has the flag or option called name.
has_arg(e, name) if {
	some a in e.arguments
	split_arg(a)[0] == name
}

# index(s, e) is the position of entry e in service s's stack.
index(s, e) := i if {
	some i, x in s.entries
	x.file == e.file
	x.line == e.line
	x.via == e.via
}

# fails_stack(e) holds when a failure of entry e's module fails the stack:
# required and requisite, or a bracketed control whose default is bad or
# die.
fails_stack(e) if e.control in {"required", "requisite"}

fails_stack(e) if e.control_map["default"] in {"bad", "die"}

# effective(e, name, conf, default) is the value a module uses for setting
# name: its own argument, else the configuration file's setting, else the
# built-in default, with where it comes from:
# {"value", "source": "argument" | "file" | "default", "file", "line"}.
effective(e, name, conf, fallback) := {"value": v, "source": "argument", "file": e.file, "line": e.line} if {
	v := arg(e, name)
} else := {"value": c.value, "source": "file", "file": c.file, "line": c.line} if {
	c := conf[name]
} else := {"value": fallback, "source": "default"}

# source_phrase(x) says where an effective value comes from, for phrases.
source_phrase(x) := sprintf("argument at %s:%d", [x.file, x.line]) if {
	x.source == "argument"
} else := sprintf("%s:%d", [x.file, x.line]) if {
	x.source == "file"
} else := "the module's default"

# integer(s) is s as an integer when s is a plain decimal integer.
integer(s) := to_number(s) if regex.match(`^-?[0-9]+$`, s)

# pwquality(e, name) is pam_pwquality entry e's effective setting name:
# libpwquality reads pwquality.conf.d/*.conf, then pwquality.conf, then
# applies the module's arguments (setting names are case-insensitive).
pwquality(e, name) := effective(lowered(e), name, input.login.pwquality.settings, pwquality_defaults[name])

# lowered(e) is e with argument names lowercased, as libpwquality compares
# them.
lowered(e) := object.union(e, {"arguments": [lower_name(a) | some a in e.arguments]})

lower_name(a) := concat("=", [lower(split_arg(a)[0]), split_arg(a)[1]]) if {
	indexof(a, "=") >= 0
} else := lower(a)

# pwquality_defaults are libpwquality's built-in values.
pwquality_defaults := {"minlen": "8", "enforcing": "1", "retry": "1", "difok": "1"}

# faillock(e, name) is pam_faillock entry e's effective setting name:
# faillock.conf, then the module's arguments.
faillock(e, name) := effective(e, name, input.login.faillock.settings, faillock_defaults[name])

# faillock_defaults are pam_faillock's built-in values.
faillock_defaults := {"deny": "3", "unlock_time": "600", "fail_interval": "900"}

# missing_module(names, type, module, why) are deny reasons, one per
# existing service among names whose stack of that type lacks module; why
# ends the phrase ("to check new passwords").
missing_module(names, type, module, why) := {reason |
	some s in services(names)
	count([e | some e in s.entries; e.type == type; e.module == module]) == 0
	reason := {
		"code": "module_missing",
		"phrase": sprintf("the %s stack of PAM service %s (%s) has no %s, expected it %s", [type, s.name, s.file, module, why]),
		"expected": module,
		"actual": "missing",
		"evidence": {"service": s.name, "file": s.file, "type": type, "module": module},
	}
}

# setting_reason(code, e, name, x, expected, phrase) is a deny reason about
# module entry e's effective setting x (see effective).
setting_reason(code, e, name, x, expected, phrase) := {
	"code": code,
	"phrase": phrase,
	"expected": expected,
	"actual": x.value,
	"evidence": object.union(at(e), {"setting": name, "source": x.source, "setting_file": object.get(x, "file", ""), "setting_line": object.get(x, "line", 0)}),
}

# unix_algorithms are pam_unix's hashing options in the order it matches
# them (modules/pam_unix/support.h).
unix_algorithms := ["md5", "bigcrypt", "sha256", "sha512", "blowfish", "des", "gost_yescrypt", "yescrypt"]

# unix_algorithm(e) is the hashing method pam_unix entry e uses for new
# passwords, with where it comes from: its last hashing option, else
# ENCRYPT_METHOD of login.defs (the FIRST assignment, matched by prefix and
# case-insensitively, as pam_modutil_search_key and _set_ctrl do), else
# "des" (crypt(3) with a 2-character salt).
unix_algorithm(e) := {"value": algos[count(algos) - 1], "source": "argument", "file": e.file, "line": e.line} if {
	algos := [t | some a in e.arguments; some t in unix_algorithms; startswith(a, t)]
	count(algos) > 0
} else := {"value": t, "source": "file", "file": login_defs_file, "line": first.line} if {
	first := defs_occurrences("ENCRYPT_METHOD")[0]
	some t in [u | some u in unix_algorithms; startswith(lower(first.value), u)]
} else := {"value": "des", "source": "default"}

# ---------------------------------------------------------------------------
# Remediation (docs/remediation.md). login.defs keys and the settings of
# pwquality.conf and faillock.conf are set with config.set; edits of the
# PAM stacks (adding a module, changing its arguments) need a person.

# defs_set(key, value) sets a login.defs key ("KEY<TAB>VALUE"); every
# uncommented assignment is changed, so the first (pam_unix) and the last
# (shadow-utils) agree.
defs_set(key, value) := {
	"type": "config.set",
	"path": login_defs_file,
	"format": "keyvalue",
	"separator": "\t",
	"key": key,
	"value": value,
}

pwquality_conf := "/etc/security/pwquality.conf"

faillock_conf := "/etc/security/faillock.conf"

# conf_set(x, conf, name, value) sets setting name to value in the file
# that gives the effective value x (a pwquality.conf.d drop-in, say), or
# in conf when x is the module's default. Undefined when x comes from a
# module argument, which overrides every file.
conf_set(x, conf, name, value) := {
	"type": "config.set",
	"path": conf_file(x, conf),
	"format": "keyvalue",
	"separator": " = ",
	"key": name,
	"value": value,
}

conf_file(x, _) := x.file if x.source == "file"

conf_file(x, conf) := conf if x.source == "default"
