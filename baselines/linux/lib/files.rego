# Helpers shared by the file permission rules. A library: no custom.id and
# no deny. Only input.files is read here.
#
# A spec says what a file may look like:
#   {"mode": "0644", "owners": ["root"], "groups": ["root"]}
# "mode" is the loosest mode allowed: "0644 or stricter" means no permission
# bit outside 0644 may be set (mode_bits & ~0644 == 0), so 0600 and 0444 pass
# and 0664, 0645 or 4644 (setuid) fail.
package gcrun.linux.lib.files

# octal(s) is the value of an octal string: octal("0644") == 420.
octal(s) := sum([bits.lsh(to_number(d), 3 * ((count(s) - 1) - i)) | some i, d in split(s, "")])

# The permission bits, highest first, with the names phrases use.
permission_bits := [
	[2048, "setuid"],
	[1024, "setgid"],
	[512, "sticky"],
	[256, "owner read"],
	[128, "owner write"],
	[64, "owner execute"],
	[32, "group read"],
	[16, "group write"],
	[8, "group execute"],
	[4, "other read"],
	[2, "other write"],
	[1, "other execute"],
]

# permission_names(mask) names the bits set in mask: ["group write", "other read"].
permission_names(mask) := [name | some [bit, name] in permission_bits; bits.and(mask, bit) != 0]

# excess(mode_bits, mode) are the bits of mode_bits outside the octal mode string.
excess(mode_bits, mode) := bits.and(mode_bits, bits.negate(octal(mode)))

# collected(path) holds when the files collector reported on path.
collected(path) if input.files.paths[path]

# missing(path) holds when the collector found no file at path.
missing(path) if input.files.paths[path].exists == false

# absent(path) is the not_applicable reason of a rule about a file that need
# not exist (a backup file, sshd_config without openssh-server).
absent(path) := {reason |
	missing(path)
	reason := {
		"code": "missing",
		"phrase": sprintf("%s does not exist", [path]),
		"evidence": {"file": path},
	}
}

# required(path) is the deny reason of a rule about a file that must exist.
required(path) := {reason |
	missing(path)
	reason := {
		"code": "missing",
		"phrase": sprintf("%s does not exist, expected a regular file", [path]),
		"expected": "file",
		"actual": "missing",
		"evidence": {"file": path},
	}
}

# check(path, spec) is the set of reasons why the file at path does not meet
# spec. A missing file gives none (see required and absent). A path the
# collector did not report on at all is a reason too: a rule must never pass
# because its facts were not gathered (is the path in custom.files?).
check(path, spec) := problems(input.files.paths[path], spec) if {
	input.files.paths[path].exists == true
} else := {not_collected(path)} if {
	_ = input.files.paths
	not collected(path)
} else := set()

# dir_check(path, spec) is check for a path that must be a directory, such
# as /etc/ssh: spec.mode is the loosest mode allowed, as for files.
dir_check(path, spec) := dir_problems(input.files.paths[path], spec) if {
	input.files.paths[path].exists == true
} else := {not_collected(path)} if {
	_ = input.files.paths
	not collected(path)
} else := set()

# matches(pattern) are the paths a glob of custom.files matched (each also
# has its entry under input.files.paths); [] when there are none.
matches(pattern) := object.get(input.files.globs, pattern, [])

# glob_check(pattern, spec) checks every match of pattern against spec.
glob_check(pattern, spec) := {reason |
	some path in matches(pattern)
	some reason in check(path, spec)
} | glob_not_collected(pattern)

# glob_not_collected(pattern) is a reason when the collector did not report
# on the glob at all: like a path, a glob must never pass for lack of facts.
glob_not_collected(pattern) := {not_collected(pattern)} if {
	_ = input.files.globs
	not input.files.globs[pattern]
} else := set()

# no_matches(pattern, what) is the not_applicable reason of a rule about the
# files matching a glob when there are none; what names them for people.
no_matches(pattern, what) := {reason |
	count(input.files.globs[pattern]) == 0
	reason := {
		"code": "no_match",
		"phrase": sprintf("no %s: nothing matches %s", [what, pattern]),
		"evidence": {"glob": pattern},
	}
}

not_collected(path) := {
	"code": "not_collected",
	"phrase": sprintf("the files collector reported nothing about %s (is it listed in the rule's custom.files?)", [path]),
	"evidence": {"file": path},
}

# problems(f, spec) are the reasons for an existing entry f. A symlink or a
# non-regular file gets one reason and no others: its mode and owner say
# nothing about the data a reader of the path gets.
problems(f, spec) := {symlink(f)} if {
	f.type == "symlink"
} else := {not_regular(f)} if {
	f.type != "file"
} else := (mode_problems(f, spec) | owner_problems(f, spec)) | group_problems(f, spec)

# A symlink where a credentials or configuration file should be lets
# whoever controls the target (or the link, if its directory is writable)
# substitute the content; CIS expects the regular file.
symlink(f) := {
	"code": "symlink",
	"phrase": sprintf("%s is a symlink to %q, expected a regular file", [f.path, object.get(f, "link_target", "")]),
	"expected": "file",
	"actual": "symlink",
	"evidence": {"file": f.path, "type": "symlink", "link_target": object.get(f, "link_target", "")},
}

# dir_problems(f, spec) are the reasons for an existing entry f that should
# be a directory. A symlink gets one reason and no others: whoever controls
# it (or its target) decides what sshd reads through the path.
dir_problems(f, spec) := {dir_symlink(f)} if {
	f.type == "symlink"
} else := {not_directory(f)} if {
	f.type != "directory"
} else := (mode_problems(f, spec) | owner_problems(f, spec)) | group_problems(f, spec)

dir_symlink(f) := {
	"code": "symlink",
	"phrase": sprintf("%s is a symlink to %q, expected a directory", [f.path, object.get(f, "link_target", "")]),
	"expected": "directory",
	"actual": "symlink",
	"evidence": {"file": f.path, "type": "symlink", "link_target": object.get(f, "link_target", "")},
}

not_directory(f) := {
	"code": "not_directory",
	"phrase": sprintf("%s is a %s, expected a directory", [f.path, f.type]),
	"expected": "directory",
	"actual": f.type,
	"evidence": {"file": f.path, "type": f.type},
}

not_regular(f) := {
	"code": "not_regular_file",
	"phrase": sprintf("%s is a %s, expected a regular file", [f.path, f.type]),
	"expected": "file",
	"actual": f.type,
	"evidence": {"file": f.path, "type": f.type},
}

mode_problems(f, spec) := {reason |
	extra := excess(f.mode_bits, spec.mode)
	extra != 0
	reason := {
		"code": "mode",
		"phrase": sprintf("%s has mode %s, expected %s or stricter (%s not allowed)", [f.path, f.mode, spec.mode, concat(", ", permission_names(extra))]),
		"expected": spec.mode,
		"actual": f.mode,
		"evidence": stat(f),
	}
}

owner_problems(f, spec) := {reason |
	not f.owner in spec.owners
	reason := {
		"code": "owner",
		"phrase": sprintf("%s is owned by %s, expected %s", [f.path, who(f.owner, f.uid), concat(" or ", spec.owners)]),
		"expected": spec.owners,
		"actual": f.owner,
		"evidence": stat(f),
	}
}

group_problems(f, spec) := {reason |
	not f.group in spec.groups
	reason := {
		"code": "group",
		"phrase": sprintf("%s has group %s, expected %s", [f.path, who(f.group, f.gid), concat(" or ", spec.groups)]),
		"expected": spec.groups,
		"actual": f.group,
		"evidence": stat(f),
	}
}

# who(name, id) names a user or group for a phrase: `"bob" (1000)`, or
# `id 1000 (no name)` when the scanned root's passwd/group lacks the id.
who(name, id) := sprintf("id %d (no name)", [id]) if name == ""

who(name, id) := sprintf("%q (%d)", [name, id]) if name != ""

# stat(f) is the evidence about an entry.
stat(f) := {"file": f.path, "mode": f.mode, "owner": f.owner, "group": f.group, "uid": f.uid, "gid": f.gid}

# evidence(paths) is a rule's evidence: what the collector saw at each path.
evidence(paths) := {path: seen(input.files.paths[path]) | some path in paths; collected(path)}

seen(f) := stat(f) if {
	f.exists == true
	f.type == "file"
} else := object.union(stat(f), {"type": "directory"}) if {
	f.exists == true
	f.type == "directory"
} else := {"file": f.path, "type": f.type, "link_target": object.get(f, "link_target", "")} if {
	f.exists == true
	f.type == "symlink"
} else := {"file": f.path, "type": f.type} if {
	f.exists == true
} else := {"file": f.path, "exists": false}

# Remediation (docs/remediation.md). fix(path, spec) are the actions that
# make the regular file at path meet spec: a file.mode that clears only the
# bits spec does not allow (0664 against 0644 becomes 0644, 0600 stays) and
# a file.owner naming spec's first owner and, for a wrong group,
# spec.fix_group (default: spec's first group). Nothing for a missing path,
# a symlink or another type of file: those need a person.
fix(path, spec) := entry_fix(input.files.paths[path], spec) if {
	input.files.paths[path].exists == true
	input.files.paths[path].type == "file"
} else := set()

# dir_fix(path, spec) is fix for a path that must be a directory.
dir_fix(path, spec) := entry_fix(input.files.paths[path], spec) if {
	input.files.paths[path].exists == true
	input.files.paths[path].type == "directory"
} else := set()

# glob_fix(pattern, spec) is fix for every match of pattern.
glob_fix(pattern, spec) := {a |
	some path in matches(pattern)
	some a in fix(path, spec)
}

entry_fix(f, spec) := mode_fix(f, spec) | owner_fix(f, spec)

# mode_string(n) is a mode as a four-digit octal string: 420 is "0644".
mode_string(n) := sprintf("%04o", [n])

mode_fix(f, spec) := {a |
	excess(f.mode_bits, spec.mode) != 0
	a := {"type": "file.mode", "path": f.path, "mode": mode_string(bits.and(f.mode_bits, octal(spec.mode)))}
}

owner_fix(f, spec) := {a |
	change := object.union(owner_change(f, spec), group_change(f, spec))
	count(change) > 0
	a := object.union({"type": "file.owner", "path": f.path}, change)
}

owner_change(f, spec) := {"owner": spec.owners[0]} if {
	not f.owner in spec.owners
} else := {}

group_change(f, spec) := {"group": object.get(spec, "fix_group", spec.groups[0])} if {
	not f.group in spec.groups
} else := {}
