# Helpers shared by the sshd rules. A library: no custom.id and no deny.
#
# Naive checkers read only the global section of sshd_config, but a Match
# block can quietly switch a setting back on for some users or addresses
# ("Match Address 10.0.0.0/8" + "PermitRootLogin yes"). So the rules do not
# read input.sshd.config directly: settings(kw) yields every place where a
# keyword takes a value, the global one and one per Match block that sets it,
# and each bad setting becomes its own reason, with its file:line and, for a
# Match block, its criteria.
#
# Only input.sshd is read here, so that the rules calling this library
# depend on the sshd collector alone.
package gcrun.linux.lib.sshd

# config_path is the sshd_config the facts describe.
config_path := object.get(input.sshd, "config_path", "/etc/ssh/sshd_config")

# not_installed is the not_applicable reason of every sshd rule: without an
# sshd_config there is no OpenSSH server to harden. It tests
# `exists == false` rather than `not exists` so that a failed collector
# (input.sshd absent) is never mistaken for "no OpenSSH server".
not_installed contains reason if {
	input.sshd.exists == false
	reason := {
		"code": "sshd_config_missing",
		"phrase": sprintf("%s does not exist: no OpenSSH server is configured (openssh-server is not installed)", [config_path]),
		"evidence": {"file": config_path},
	}
}

# source(kw) is the evidence for the global value of keyword kw: the file and
# line that set it, or default: true when sshd uses its built-in default.
source(kw) := object.union({"keyword": kw}, object.get(input.sshd.sources, kw, {"default": true}))

# Match criteria types as written in sshd_config.
criterion_names := {
	"all": "All",
	"user": "User",
	"group": "Group",
	"host": "Host",
	"localaddress": "LocalAddress",
	"localport": "LocalPort",
	"address": "Address",
	"rdomain": "RDomain",
}

criterion(c) := sprintf("%s %s", [object.get(criterion_names, c.type, c.type), concat(",", c.patterns)]) if {
	count(object.get(c, "patterns", [])) > 0
} else := object.get(criterion_names, c.type, c.type)

# criteria(block) is a Match block's criteria as written: "User alice,!bob Address 10.0.0.0/8".
criteria(block) := concat(" ", [criterion(c) | some c in block.criteria])

# where(block) completes a phrase: ` in Match User alice (/etc/ssh/sshd_config:120)`.
where(block) := sprintf(" in Match %s (%s:%d)", [criteria(block), block.file, block.line])

# match_source(block, kw) is the evidence for keyword kw set inside a Match
# block: the line that sets it (the block's own line when the facts do not
# say), the block's criteria (as written, in "match", and as the facts give
# them, type and patterns, in "match_criteria") and where the block starts.
match_source(block, kw) := object.union(
	object.union({"keyword": kw, "file": block.file, "line": block.line}, object.get(object.get(block, "sources", {}), kw, {})),
	{"match": criteria(block), "match_criteria": block.criteria, "match_file": block.file, "match_line": block.line},
)

# settings(kw) is every place where keyword kw takes a value:
#   {"value": "yes", "scope": "global" | "match", "where": "" | " in Match ...", "evidence": {...}}
# There is one for the global configuration (which sshd -T always prints, so
# it is there whenever sshd_config exists) and one per Match block that sets kw.
settings(kw) := global_settings(kw) | match_settings(kw)

global_settings(kw) := {s |
	value := input.sshd.config[kw]
	s := {"value": value, "scope": "global", "where": "", "evidence": source(kw)}
}

match_settings(kw) := {s |
	some block in input.sshd.match
	value := block.config[kw]
	s := {"value": value, "scope": "match", "where": where(block), "evidence": match_source(block, kw)}
}

# code(base, s) keeps the codes of the global section and of Match blocks
# apart, so that a waiver for one does not silently cover the other.
code(base, s) := base if s.scope == "global"

code(base, s) := sprintf("%s_in_match", [base]) if s.scope == "match"

# reason(base, s, expected, phrase) is the reason for a bad setting s.
reason(base, s, expected, phrase) := {
	"code": code(base, s),
	"phrase": phrase,
	"expected": expected,
	"actual": s.value,
	"evidence": s.evidence,
}

# mismatch(base, name, s, want) is the reason for a setting s that should be
# exactly want: `PermitRootLogin is "yes", expected "no"`.
mismatch(base, name, s, want) := reason(base, s, want, sprintf("%s is %q%s, expected %q", [name, s.value, s.where, want]))

# unequal(kw, want) are the settings of kw whose value is not want.
unequal(kw, want) := {s | some s in settings(kw); s.value != want}

# enabled(kw) holds when keyword kw is on somewhere: its global value or
# its value in some Match block is not "no".
enabled(kw) if {
	some s in settings(kw)
	s.value != "no"
}

# unused(base, kw, name, why) is the not_applicable reason (code
# base_off) of a rule about a keyword that only matters while keyword kw
# (spelt name) is on, for example KerberosOrLocalPasswd without
# KerberosAuthentication: kw is "no" in the global section and in every
# Match block. why completes the phrase.
unused(base, kw, name, why) := {reason |
	input.sshd.exists == true
	not enabled(kw)
	reason := {
		"code": sprintf("%s_off", [base]),
		"phrase": sprintf("%s is \"no\" in the global section and in every Match block: %s", [name, why]),
		"evidence": source(kw),
	}
}

# one_of(values) lists the values for a phrase: `"INFO" or "VERBOSE"`,
# `"A", "B" or "C"`, or just `"A"`. It is defined for an empty list too (a
# parameter set to []), so that the phrase, and the reason, still exist.
one_of(values) := "nothing (the list is empty)" if {
	count(values) == 0
} else := sprintf("%q", [values[0]]) if {
	count(values) == 1
} else := sprintf("%s or %q", [concat(", ", [sprintf("%q", [v]) | some v in array.slice(values, 0, count(values) - 1)]), values[count(values) - 1]]) if {
	count(values) > 1
}

# listener(entry) splits an entry of listenaddress, as sshd -T prints it
# ("0.0.0.0:22", "[::]:22", "10.0.0.1:2202 rdomain vrf1"), into the address
# (brackets removed) and the port (a number).
listener(entry) := {"entry": entry, "address": trim(substring(hostport, 0, last), "[]"), "port": to_number(substring(hostport, last + 1, -1))} if {
	hostport := split(entry, " ")[0]
	last := max(indexof_n(hostport, ":"))
}

# listeners are the addresses and ports sshd listens on.
listeners := [listener(entry) | some entry in object.get(input.sshd.config, "listenaddress", [])]

# listen_source is the evidence for where the listeners come from: the
# ListenAddress lines, or the Port lines when ListenAddress is not set.
listen_source := source("listenaddress") if {
	_ = input.sshd.sources.listenaddress
} else := source("port")

# number(s) is a setting's value as a number. sshd -T prints numbers and
# times (in seconds) as strings; a value that is not a number is a
# collector bug and makes the rule an error (strict builtins).
number(s) := to_number(s.value)

# algorithms(value) splits an algorithm list (comma-joined, as sshd -T prints
# it). A Match block's value is "as written", so a leading "+" (append) or
# "^" (prepend) is dropped, and a "-" list (which only removes algorithms)
# adds none.
algorithms(value) := [] if startswith(value, "-")

algorithms(value) := [a | some raw in split(trim_left(value, "+^"), ","); a := trim_space(raw); a != ""] if {
	not startswith(value, "-")
}

# disallowed_algorithms(base, name, kw, allowed) is one reason per algorithm of
# keyword kw, in any setting, that is not in the set allowed.
disallowed_algorithms(base, name, kw, allowed) := {r |
	some s in settings(kw)
	some alg in algorithms(s.value)
	not alg in allowed
	r := {
		"code": code(base, s),
		"phrase": sprintf("%s allows %q%s, which is not an approved algorithm (approved: %s)", [name, alg, s.where, concat(",", sort(allowed))]),
		"expected": sort(allowed),
		"actual": alg,
		"evidence": object.union(s.evidence, {"algorithm": alg, "value": s.value}),
	}
}

# DisableForwarding yes overrides every forwarding keyword (X11, agent, TCP,
# StreamLocal), in the global section or in the Match block that sets it.
global_disable_forwarding := object.get(input.sshd.config, "disableforwarding", "no")

# forwarding(kw) are the settings where the forwarding keyword kw
# (x11forwarding, allowagentforwarding, allowtcpforwarding) is left on: its
# value is not "no" and DisableForwarding is not "yes" in the same scope. A
# Match block counts when it sets kw, or sets DisableForwarding no and so
# lets the global value of kw through for its connections.
forwarding(kw) := global_forwarding(kw) | match_forwarding(kw)

global_forwarding(kw) := {s |
	some s in global_settings(kw)
	s.value != "no"
	global_disable_forwarding != "yes"
}

match_forwarding(kw) := {s |
	some block in input.sshd.match
	set_kw := forwarding_keyword(block, kw)
	value := object.get(block.config, kw, object.get(input.sshd.config, kw, "no"))
	value != "no"
	object.get(block.config, "disableforwarding", global_disable_forwarding) != "yes"
	s := {"value": value, "scope": "match", "where": where(block), "evidence": match_source(block, set_kw)}
}

# forwarding_keyword(block, kw) is the keyword a forwarding reason about a
# Match block points at: kw when the block sets it, else the block's
# DisableForwarding; undefined when the block sets neither.
forwarding_keyword(block, kw) := kw if {
	_ = block.config[kw]
} else := "disableforwarding" if {
	_ = block.config.disableforwarding
}

# evidence(kws) is a rule's evidence: for each keyword its global value and
# where it comes from, and the Match blocks that set it.
evidence(kws) := {kw: summary(kw) |
	some kw in kws
	_ = input.sshd.config[kw]
}

summary(kw) := object.union(
	object.union({"value": input.sshd.config[kw]}, object.remove(source(kw), ["keyword"])),
	match_summary(kw),
)

match_summary(kw) := {"match": ms} if {
	ms := [m |
		some block in input.sshd.match
		value := block.config[kw]
		m := object.union(object.remove(match_source(block, kw), ["keyword"]), {"value": value})
	]
	count(ms) > 0
} else := {}

# Remediation (docs/remediation.md). sshd uses the first value it reads for
# a keyword, so a global value is changed where that first value is set;
# a keyword at its default is inserted into the main sshd_config (before
# its first Match block, where config.set puts it). config.set changes the
# global section only: bad values inside Match blocks stay manual.

# setting_file(kw) is the file that sets the global value of keyword kw,
# or config_path when sshd uses its built-in default.
setting_file(kw) := input.sshd.sources[kw].file if {
	input.sshd.sources[kw].file != ""
} else := config_path

# set_in_match(kw) holds when the global value of kw comes from a line
# inside a Match block (a "Match all" that sshd -T applies globally): a
# global config.set would not change it.
set_in_match(kw) if {
	src := input.sshd.sources[kw]
	some block in input.sshd.match
	object.get(object.get(block, "sources", {}), kw, null) == src
}

# set(kw, name, value) is the action that gives keyword kw (spelt name, as
# sshd_config writes it) the global value value; undefined when the global
# value comes from a Match block.
set(kw, name, value) := {
	"type": "config.set",
	"path": setting_file(kw),
	"format": "sshd",
	"key": name,
	"value": value,
} if {
	input.sshd.exists == true
	not set_in_match(kw)
}

# fix_unequal(kw, name, want) is, when the global value of kw is not want,
# the action that sets it to want (a set of at most one action).
fix_unequal(kw, name, want) := {a |
	some s in unequal(kw, want)
	s.scope == "global"
	a := set(kw, name, want)
}

# fix_forwarding(kw, name) is the action that turns the forwarding keyword
# kw off globally when its global value lets forwarding through somewhere
# (globally, or in a Match block that re-enables it with DisableForwarding
# no without setting kw itself).
fix_forwarding(kw, name) := {a |
	some s in forwarding(kw)
	from_global(s, kw)
	a := set(kw, name, "no")
}

from_global(s, _) if s.scope == "global"

from_global(s, kw) if {
	s.scope == "match"
	s.evidence.keyword != kw
}

# fix_algorithms(kw, name, allowed) sets an algorithm list to its global
# value without the algorithms outside allowed, in the order sshd had them:
# every name left is one this sshd already accepted, so the result never
# names an algorithm it does not know. Undefined-safe: no action when
# nothing would be left (a person must choose).
fix_algorithms(kw, name, allowed) := {a |
	value := input.sshd.config[kw]
	current := algorithms(value)
	some alg in current
	not alg in allowed
	kept := [x | some x in current; x in allowed]
	count(kept) > 0
	a := set(kw, name, concat(",", kept))
}

# out_of_range(n, limit) holds for a time or count that is 0 (off) or above
# limit.
out_of_range(n, _) if n == 0

out_of_range(n, limit) if n > limit
