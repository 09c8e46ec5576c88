# Helpers shared by the cron and at rules. A library: no custom.id and no
# deny. Only input.cron is read here (docs/facts/cron.md).
#
# Permissions are judged on what a path resolves to (stat -L, as CIS
# audits): for a symlink, its target inside the root.
package gcrun.linux.lib.cron

# entry(path) is the collector's description of one of its paths.
entry(path) := e if {
	e := input.cron.paths[path]
} else := e if {
	e := input.cron.access[path]
} else := input.cron.programs[path]

# effective(e) is what e resolves to.
effective(e) := e.target if e.type == "symlink"

else := e

# installed(paths) holds when one of the programs exists.
installed(paths) if {
	some p in paths
	input.cron.programs[p].exists == true
}

# not_installed(paths, what) is a not_applicable reason when none of the
# programs exists.
not_installed(paths, what) := {
	"code": "not_installed",
	"phrase": sprintf("none of %s exists: %s is not installed", [concat(", ", paths), what]),
} if {
	every p in paths {
		input.cron.programs[p].exists == false
	}
}

# absent(path) is the not_applicable reason of a rule about a path that
# does not exist.
absent(path) := {
	"code": "absent",
	"phrase": sprintf("%s does not exist", [path]),
} if {
	entry(path).exists == false
}

# name(id, uid) is a user or group name for phrases, the id when the root
# has no name for it.
name(n, id) := n if n != ""

else := sprintf("%d", [id])

# permissions(path, max_mode, owners, groups) are the reasons an existing
# path fails: it does not resolve, its mode has bits beyond max_mode, or
# its owner or group is not one of those allowed (names).
permissions(path, max_mode, owners, groups) := reasons if {
	e := entry(path)
	e.exists == true
	reasons := resolved_permissions(path, effective(e), max_mode, owners, groups)
}

resolved_permissions(path, s, _, _, _) := {{
	"code": "dangling",
	"phrase": sprintf("%s is a symlink that does not resolve, expected an existing file", [path]),
	"evidence": {"file": path},
}} if {
	s.exists == false
}

resolved_permissions(path, s, max_mode, owners, groups) := reasons if {
	s.exists == true
	reasons := {r |
		some r in checks(path, s, max_mode, owners, groups)
	}
}

checks(path, s, max_mode, owners, groups) := ({r |
	extra := bits.and(s.mode_bits, bits.negate(max_mode))
	extra != 0
	want := sprintf("%04o", [max_mode])
	r := {
		"code": "mode",
		"phrase": sprintf("%s is mode %s, expected %s or stricter", [path, s.mode, want]),
		"expected": sprintf("%s or stricter", [want]),
		"actual": s.mode,
		"evidence": {"file": path, "mode": s.mode},
	}
} | {r |
	not name(s.owner, s.uid) in owners
	r := {
		"code": "owner",
		"phrase": sprintf("%s is owned by %s, expected %s", [path, name(s.owner, s.uid), concat(" or ", owners)]),
		"expected": concat(" or ", owners),
		"actual": name(s.owner, s.uid),
		"evidence": {"file": path, "owner": s.owner, "uid": s.uid},
	}
}) | {r |
	not name(s.group, s.gid) in groups
	r := {
		"code": "group",
		"phrase": sprintf("%s has group %s, expected %s", [path, name(s.group, s.gid), concat(" or ", groups)]),
		"expected": concat(" or ", groups),
		"actual": name(s.group, s.gid),
		"evidence": {"file": path, "group": s.group, "gid": s.gid},
	}
}

# evidence(path) is what a rule reports about a path: existence, and for
# an existing one the mode and owner of what it resolves to.
evidence(path) := {"path": path, "exists": false} if {
	entry(path).exists == false
} else := ev if {
	e := entry(path)
	s := effective(e)
	ev := {
		"path": path,
		"exists": true,
		"type": e.type,
		"mode": object.get(s, "mode", ""),
		"owner": object.get(s, "owner", ""),
		"group": object.get(s, "group", ""),
	}
}

# allow_deny(allow, deny, groups) are the reasons of the "restricted to
# authorised users" rules: the allow file must exist, and it and the deny
# file (when present) must be 0640 or stricter, owned by root, with one of
# groups.
allow_deny(allow, deny, groups) := {r |
	entry(allow).exists == false
	r := {
		"code": "allow_missing",
		"phrase": sprintf("%s does not exist, expected it to list the users allowed", [allow]),
		"expected": "exists",
		"actual": "missing",
		"evidence": {"file": allow},
	}
} | {r |
	some p in [allow, deny]
	some r in permissions(p, 416, ["root"], groups)
}

# Remediation (docs/remediation.md). fix(path, max_mode, owners, groups)
# are the actions that make an existing path (what a symlink resolves to)
# meet permissions: a file.mode that clears only the bits outside max_mode,
# a file.owner naming the first owner and group allowed. Nothing for a
# missing path or a dangling symlink.
fix(path, max_mode, owners, groups) := {a |
	e := entry(path)
	e.exists == true
	s := effective(e)
	s.exists == true
	bits.and(s.mode_bits, bits.negate(max_mode)) != 0
	a := {"type": "file.mode", "path": path, "mode": sprintf("%04o", [bits.and(s.mode_bits, max_mode)])}
} | {a |
	e := entry(path)
	e.exists == true
	s := effective(e)
	s.exists == true
	change := object.union(
		{"owner": owners[0] | not name(s.owner, s.uid) in owners},
		{"group": groups[0] | not name(s.group, s.gid) in groups},
	)
	count(change) > 0
	a := object.union({"type": "file.owner", "path": path}, change)
}

# allow_deny_fix(allow, deny, groups) creates a missing allow file listing
# root alone (whether cron and at let root in without being listed differs
# between implementations), root:root 0640, and fixes the
# permissions of both files as allow_deny checks them.
allow_deny_fix(allow, deny, groups) := {a |
	entry(allow).exists == false
	a := {"type": "file.content", "path": allow, "content": "root\n", "mode": "0640", "owner": "root", "group": "root"}
} | {a |
	some p in [allow, deny]
	some a in fix(p, 416, ["root"], groups)
}
