# Helpers shared by the rules of the filesystem area, which judge the lists
# of the sweep collector (docs/facts/sweep.md). A library: no custom.id and
# no deny. Only input.sweep is read here; rules pass their parameters in.
#
# A sweep that hit its entry or time budget, or could not read some
# directories, is incomplete. Its findings are real findings, but the
# absence of findings proves nothing, so every rule of the area fails with
# the reason "sweep_incomplete" rather than pass (or be not applicable,
# which dashboards tend to count as fine). Raise the budget, or exclude
# what need not be swept, and scan again.
package gcrun.linux.lib.filesystem

# incomplete is the deny reason of every filesystem rule when the sweep did
# not examine everything below the swept paths.
incomplete contains reason if {
	input.sweep.complete == false
	why := concat("; ", incomplete_causes)
	reason := {
		"code": "sweep_incomplete",
		"phrase": sprintf("the file-system sweep is incomplete (%s), expected a complete sweep: what it did not examine is unknown", [why]),
		"expected": "complete sweep",
		"actual": why,
		"evidence": {
			"budget": input.sweep.budget,
			"scanned": input.sweep.scanned,
			"unreadable": input.sweep.counts.unreadable,
		},
	}
}

# incomplete_causes say why the sweep is incomplete, sorted.
incomplete_causes contains input.sweep.budget.reason if input.sweep.budget.hit == true

incomplete_causes contains cause if {
	n := input.sweep.counts.unreadable
	n > 0
	first := input.sweep.unreadable[0]
	cause := sprintf("%d %s could not be read, first %s: %s", [n, plural(n, "entry", "entries"), first.path, first.error])
}

# A sweep marked incomplete without a budget hit or an unreadable entry
# (facts from another producer) still says so.
incomplete_causes contains "the collector marked it incomplete" if {
	input.sweep.complete == false
	not input.sweep.budget.hit == true
	not input.sweep.counts.unreadable > 0
}

plural(n, one, many) := one if n == 1

else := many

# allowed(path, patterns) holds when a pattern of the allow list matches
# path: a literal path or a glob in which * and ? do not cross "/"
# ("/usr/lib/*/utempter/utempter").
allowed(path, patterns) if {
	some p in patterns
	glob.match(p, ["/"], path)
}

# entries(kind, patterns) are the listed entries of a kind of finding
# ("suid", "world_writable_files") that no pattern allows.
entries(kind, patterns) := [e |
	some e in input.sweep[kind]
	not allowed(e.path, patterns)
]

# allowed_entries(kind, patterns) are the paths of the listed entries that a
# pattern allows, sorted.
allowed_entries(kind, patterns) := sort([e.path |
	some e in input.sweep[kind]
	allowed(e.path, patterns)
])

# entry_evidence(e) is the evidence of a reason about one entry.
entry_evidence(e) := {"path": e.path, "type": e.type, "mode": e.mode, "uid": e.uid, "gid": e.gid}

# unlisted(kind, what) is the deny reason when the sweep found more entries
# of a kind than it lists (Sweep.MaxFindings): those were not checked
# against any allow list, so they count against the host.
unlisted(kind, what) := {reason |
	total := input.sweep.counts[kind]
	listed := count(input.sweep[kind])
	total > listed
	reason := {
		"code": "unlisted_findings",
		"phrase": sprintf("%d more %s were found beyond the %d the sweep lists, expected none", [total - listed, what, listed]),
		"expected": 0,
		"actual": total - listed,
		"evidence": {"kind": kind, "count": total, "listed": listed},
	}
}

# evidence(kind, patterns) is a rule's evidence: what was swept, how much of
# it, whether completely, and the findings of its kind, allowed or not.
evidence(kind, patterns) := {
	"paths": input.sweep.paths,
	"excludes": input.sweep.excludes,
	"complete": input.sweep.complete,
	"scanned": input.sweep.scanned,
	"count": input.sweep.counts[kind],
	"found": sort([e.path | some e in input.sweep[kind]]),
	"allowed": allowed_entries(kind, patterns),
}

# unknown_ids(db) is the not_applicable reason of the ownership rules on a
# root without the account database (passwd or group): every file would be
# "unowned", which says nothing.
unknown_ids(db) := {reason |
	d := input.sweep.id_databases[db]
	d.exists == false
	reason := {
		"code": "no_id_database",
		"phrase": sprintf("%s does not exist, so no owner can be judged unknown", [d.path]),
		"evidence": {"file": d.path},
	}
}

# unread_ids(db) is the deny reason when the account database exists but
# could not be read (too large, not a regular file): ownership was not
# judged, and a broken account database is a finding in itself.
unread_ids(db) := {reason |
	d := input.sweep.id_databases[db]
	d.exists == true
	d.read == false
	reason := {
		"code": "id_database_unreadable",
		"phrase": sprintf("%s could not be read (%s), expected a readable account database to judge ownership against", [d.path, object.get(d, "error", "unknown error")]),
		"expected": "readable",
		"actual": object.get(d, "error", "unreadable"),
		"evidence": {"file": d.path},
	}
}
