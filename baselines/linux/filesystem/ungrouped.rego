# METADATA
# title: Every file belongs to a group /etc/group defines
# description: >-
#   A file whose gid no group has is left over from a deleted group or
#   unpacked from an archive. The next group created with that gid silently
#   gains its group permissions. Groups are judged against the scanned
#   root's own /etc/group (groups only a directory service knows count as
#   unknown).
# custom:
#   id: GCL-FS-004
#   severity: low
#   references:
#     cis-debian-linux-12-v1.1.0: ["7.1.12"]
#   remediation: >-
#     Give each file listed to an existing group ("chgrp GROUP FILE"), or
#     remove it.
#   tags: [filesystem, ownership]
package gcrun.linux.filesystem.ungrouped

import data.gcrun.linux.lib.filesystem

kind := "ungrouped"

evidence := object.union(filesystem.evidence(kind, []), {"database": input.sweep.id_databases.group})

not_applicable contains reason if some reason in filesystem.unknown_ids("group")

deny contains reason if some reason in filesystem.unread_ids("group")

deny contains reason if some reason in filesystem.incomplete

deny contains reason if some reason in filesystem.unlisted(kind, "files without a known group")

deny contains reason if {
	some e in input.sweep[kind]
	reason := {
		"code": "ungrouped",
		"phrase": sprintf("%s (%s) has gid %d, which /etc/group does not define, expected an existing group", [e.path, e.type, e.gid]),
		"expected": "a group defined in /etc/group",
		"actual": e.gid,
		"evidence": filesystem.entry_evidence(e),
	}
}
