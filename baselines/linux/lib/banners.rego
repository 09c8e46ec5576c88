# Helpers shared by the login banner rules. A library: no custom.id and no
# deny. Only input.banners is read here (docs/facts/banners.md); the rules
# pass their parameters in.
package gcrun.linux.lib.banners

# escape_shows names what each agetty escape prints (agetty(8)).
escape_shows := {
	"\\m": "the machine architecture",
	"\\r": "the kernel release",
	"\\s": "the operating system name",
	"\\v": "the kernel version",
	"\\S": "the operating system's PRETTY_NAME from os-release",
	"\\n": "the host name",
	"\\o": "the NIS domain name",
	"\\O": "the DNS domain name",
	"\\l": "the terminal name",
	"\\4": "an IPv4 address",
	"\\6": "an IPv6 address",
	"\\b": "the line speed",
	"\\d": "the date",
	"\\t": "the time",
	"\\u": "the number of users logged in",
	"\\U": "the number of users logged in",
	"\\e": "an escape sequence",
	"\\a": "the network addresses",
	"\\A": "the network addresses",
}

# at(path, line) is the evidence of a finding in path at line.
at(path, line) := {"file": path, "line": line}

# not_collected(path) is the deny reason when the collector reported
# nothing about path: a rule must not pass on facts it does not have.
not_collected(path) := {reason |
	_ = input.banners.files
	not input.banners.files[path]
	reason := {
		"code": "not_collected",
		"phrase": sprintf("the banners facts say nothing about %s", [path]),
		"evidence": {"file": path},
	}
}

# absent(path) is the not_applicable reason of a rule about a file that
# need not exist.
absent(path) := {reason |
	input.banners.files[path].exists == false
	reason := {
		"code": "missing",
		"phrase": sprintf("%s does not exist", [path]),
		"evidence": object.union({"file": path}, link_of(path)),
	}
}

# required(path) is the deny reason of a banner that must exist.
required(path) := {reason |
	input.banners.files[path].exists == false
	reason := {
		"code": "missing",
		"phrase": sprintf("%s does not exist, expected a warning banner", [path]),
		"expected": "a warning banner",
		"actual": "missing",
		"evidence": object.union({"file": path}, link_of(path)),
	}
}

link_of(path) := {"link_target": input.banners.files[path].link_target} if {
	input.banners.files[path].link_target
} else := {}

# not_text(path) is the deny reason of a banner that exists but is not a
# regular file (a directory, a FIFO): nothing would be shown.
not_text(path) := {reason |
	f := input.banners.files[path]
	f.exists == true
	f.type != "file"
	reason := {
		"code": "not_a_file",
		"phrase": sprintf("%s is a %s, expected a regular file", [path, f.type]),
		"expected": "file",
		"actual": f.type,
		"evidence": {"file": path},
	}
}

# empty(path) is the deny reason of a banner without text.
empty(path) := {reason |
	f := input.banners.files[path]
	f.type == "file"
	trim_space(f.content) == ""
	reason := {
		"code": "empty",
		"phrase": sprintf("%s is empty, expected a warning that the system is for authorized use only", [path]),
		"expected": "a warning banner",
		"actual": "empty",
		"evidence": {"file": path},
	}
}

# os_escapes(path, escapes) are the findings for the agetty escapes of
# path that are in escapes (the parameter listing the escapes that show
# operating system information).
os_escapes(path, escapes) := {reason |
	some e in input.banners.files[path].escapes
	e.escape in escapes
	reason := {
		"code": "os_escape",
		"phrase": sprintf("%s:%d has the escape %s, which shows %s; expected no operating system information", [path, e.line, e.escape, object.get(escape_shows, e.escape, "system information")]),
		"expected": "no operating system information",
		"actual": e.escape,
		"evidence": at(path, e.line),
	}
}

# os_names(path, names) are the findings for the operating system names
# of names (matched as whole words, case-insensitively) in path's text: one
# per name and line.
os_names(path, names) := {reason |
	f := input.banners.files[path]
	f.type == "file"
	some i, text in split(f.content, "\n")
	some name in names
	some match in regex.find_all_string_submatch_n(word_pattern(name), text, -1)
	reason := {
		"code": "os_name",
		"phrase": sprintf("%s:%d names the operating system (%q); expected no operating system information", [path, i + 1, match[1]]),
		"expected": "no operating system information",
		"actual": match[1],
		"evidence": at(path, i + 1),
	}
}

# word_pattern(name) matches name as a whole word (not inside a longer
# word), any case, with any white space between its words; the first
# submatch is the name as written.
word_pattern(name) := sprintf("(?i)(?:^|[^\\pL\\pN_])(%s)(?:[^\\pL\\pN_]|$)", [concat("\\s+", [quote(w) | some w in split(trim_space(name), " "); w != ""])])

# quote(s) escapes the regular expression metacharacters of s.
quote(s) := concat("", [q |
	some c in split(s, "")
	q := escaped(c)
])

escaped(c) := concat("", ["\\", c]) if {
	contains(".^$*+?()[]{}|\\", c)
} else := c

# access(path) are the findings of a banner's ownership and mode: owned by
# root:root with mode 0644 or stricter (no bit outside 0644).
access(path) := (mode(path) | owner(path)) | group(path)

mode(path) := {reason |
	f := input.banners.files[path]
	f.exists == true
	excess := bits.and(f.mode_bits, bits.negate(420))
	excess != 0
	reason := {
		"code": "mode",
		"phrase": sprintf("%s has mode %s, expected 0644 or stricter (%s not allowed)", [path, f.mode, concat(", ", permission_names(excess))]),
		"expected": "0644",
		"actual": f.mode,
		"evidence": {"file": path, "mode": f.mode},
	}
}

owner(path) := {reason |
	f := input.banners.files[path]
	f.exists == true
	f.uid != 0
	reason := {
		"code": "owner",
		"phrase": sprintf("%s is owned by %s, expected root", [path, id_name(f.owner, f.uid)]),
		"expected": "root",
		"actual": id_name(f.owner, f.uid),
		"evidence": {"file": path, "uid": f.uid, "owner": f.owner},
	}
}

group(path) := {reason |
	f := input.banners.files[path]
	f.exists == true
	f.gid != 0
	reason := {
		"code": "group",
		"phrase": sprintf("%s belongs to group %s, expected root", [path, id_name(f.group, f.gid)]),
		"expected": "root",
		"actual": id_name(f.group, f.gid),
		"evidence": {"file": path, "gid": f.gid, "group": f.group},
	}
}

# id_name(name, id) is "name (id)", or the bare id when the root has no
# name for it.
id_name(name, id) := sprintf("%s (%d)", [name, id]) if name != ""

else := sprintf("%d", [id])

# The permission bits, highest first, with the names phrases use.
permission_bits := [
	[2048, "setuid"], [1024, "setgid"], [512, "sticky"],
	[256, "owner read"], [128, "owner write"], [64, "owner execute"],
	[32, "group read"], [16, "group write"], [8, "group execute"],
	[4, "other read"], [2, "other write"], [1, "other execute"],
]

permission_names(mask) := [name | some [b, name] in permission_bits; bits.and(mask, b) != 0]

# evidence(path) is what a rule looked at: the file's facts without its
# text, and the escapes found.
evidence(path) := {k: v |
	some k, v in input.banners.files[path]
	not k in {"content", "mtime", "permissions", "target"}
}

# Remediation (docs/remediation.md).

# content(path, text) writes the warning text (one line) as the banner's
# whole content; undefined for an empty text, which would not pass, and
# for a banner reached through a symlink, whose target (often generated,
# as /run/motd.dynamic) a person should look at.
content(path, text) := {"type": "file.content", "path": path, "content": concat("", [trim_space(text), "\n"])} if {
	trim_space(text) != ""
	not input.banners.files[path].link_target
}

# text_codes are the findings that content fixes.
text_codes := {"missing", "empty", "os_escape", "os_name"}

# access_fix(path) clears the mode bits outside 0644 and makes the banner
# root:root, as access wants.
access_fix(path) := {a |
	f := input.banners.files[path]
	f.exists == true
	bits.and(f.mode_bits, bits.negate(420)) != 0
	a := {"type": "file.mode", "path": path, "mode": sprintf("%04o", [bits.and(f.mode_bits, 420)])}
} | {a |
	f := input.banners.files[path]
	f.exists == true
	change := object.union(
		{"owner": "root" | f.uid != 0},
		{"group": "root" | f.gid != 0},
	)
	count(change) > 0
	a := object.union({"type": "file.owner", "path": path}, change)
}
