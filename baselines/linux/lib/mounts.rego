# Helpers shared by the mount rules. A library: no custom.id and no deny.
# Only input.mounts is read here.
#
# A mount point is described by up to three sources: its /etc/fstab entry
# (the last one for the mount point; noauto entries are not mounted at
# boot), for /tmp the tmp.mount unit when it is enabled, and on the live
# host the mount in effect now (the last one on the mount point). Each
# source carries the options it mounts with and whether they end in nodev,
# nosuid and noexec.
package gcrun.linux.lib.mounts

import data.gcrun.linux.lib.live

# norm(p) is a mount point without a trailing slash.
norm(p) := p if p == "/"

norm(p) := trim_suffix(p, "/") if p != "/"

# fstab_entry(p) is the last /etc/fstab entry that mounts p at boot.
fstab_entry(p) := entries[count(entries) - 1] if {
	entries := [e |
		some e in input.mounts.fstab.entries
		norm(e.file) == p
		not "noauto" in e.options
	]
	count(entries) > 0
}

# mounted_entry(p) is the mount visible on p on the live host.
mounted_entry(p) := entries[count(entries) - 1] if {
	live.available(input.mounts.mounted)
	entries := [e | some e in input.mounts.mounted.entries; e.file == p]
	count(entries) > 0
}

# tmp_unit is tmp.mount when it mounts /tmp at boot.
tmp_unit := u if {
	u := input.mounts.units["tmp.mount"]
	u.enabled == true
	u.masked == false
}

# configured(p) holds when the root's configuration mounts p at boot.
configured(p) if fstab_entry(p)

configured(p) if {
	p == "/tmp"
	tmp_unit
}

# separate(p) holds when p is its own file system: configured so, or
# mounted so now.
separate(p) if configured(p)

separate(p) if mounted_entry(p)

is_separate(p) if separate(p)

default is_separate(_) := false

# sources(p) lists what mounts p: {"where", "options", "nodev", "nosuid",
# "noexec", "evidence"}, where names the source for phrases.
sources(p) := array.concat(array.concat(fstab_sources(p), unit_sources(p)), mounted_sources(p))

fstab_sources(p) := [{
	"where": sprintf("%s:%d", [input.mounts.fstab.path, e.line]),
	"options": e.options,
	"nodev": e.nodev,
	"nosuid": e.nosuid,
	"noexec": e.noexec,
	"evidence": {"file": input.mounts.fstab.path, "line": e.line, "mount_point": p, "options": concat(",", e.options)},
}] if {
	e := fstab_entry(p)
} else := []

unit_sources(p) := [{
	"where": sprintf("%s (%s)", [u.name, object.get(u.sources, "options", {"file": u.path}).file]),
	"options": u.options,
	"nodev": u.nodev,
	"nosuid": u.nosuid,
	"noexec": u.noexec,
	"evidence": object.union(object.get(u.sources, "options", {"file": u.path}), {"unit": u.name, "mount_point": p, "options": concat(",", u.options)}),
}] if {
	p == "/tmp"
	u := tmp_unit
} else := []

mounted_sources(p) := [{
	"where": "the running system",
	"options": e.options,
	"nodev": e.nodev,
	"nosuid": e.nosuid,
	"noexec": e.noexec,
	"evidence": {"file": input.mounts.mounted.source, "mount_point": p, "options": concat(",", e.options)},
}] if {
	e := mounted_entry(p)
} else := []

# missing_option(p, option) is one reason per source of p that mounts it
# without option ("nodev", "nosuid" or "noexec").
missing_option(p, option) := {r |
	some s in sources(p)
	s[option] == false
	r := {
		"code": sprintf("no_%s", [trim_prefix(option, "no")]),
		"phrase": sprintf("%s mounts %s without %s (options: %s), expected %s", [s.where, p, option, options_text(s.options), option]),
		"expected": option,
		"actual": options_text(s.options),
		"evidence": s.evidence,
	}
}

options_text(options) := concat(",", options) if count(options) > 0

options_text(options) := "defaults" if count(options) == 0

# not_separate(p) is the not_applicable reason of an option rule when p is
# not its own file system.
not_separate(p) := {
	"code": "not_separate",
	"phrase": sprintf("%s is not a separate file system", [p]),
	"evidence": {"mount_point": p, "file": input.mounts.fstab.path},
} if {
	not separate(p)
}

# evidence(p) is what a rule about p looked at.
evidence(p) := {
	"mount_point": p,
	"separate": is_separate(p),
	"sources": [object.union(s.evidence, {"source": s.where}) | some s in sources(p)],
	"running": running_text,
}

running_text := "checked" if {
	live.available(input.mounts.mounted)
} else := sprintf("not checked: %s", [object.get(input.mounts.mounted, "reason", "no running system")])
