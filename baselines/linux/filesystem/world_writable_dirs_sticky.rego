# METADATA
# title: Every world-writable directory has the sticky bit set
# description: >-
#   In a directory anyone may write, anyone may also delete or rename
#   anyone else's files, unless the sticky bit restricts that to each
#   file's owner (as on /tmp and /var/tmp, mode 1777). Without it a local
#   user can replace another user's or a daemon's files there.
# custom:
#   id: GCL-FS-002
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["7.1.11"]
#   remediation: >-
#     Run "chmod a+t DIR" for each directory listed, or "chmod o-w DIR" where
#     others need not write.
#   tags: [filesystem, permissions]
package gcrun.linux.filesystem.world_writable_dirs_sticky

import data.gcrun.linux.lib.filesystem

kind := "world_writable_dirs_without_sticky"

evidence := filesystem.evidence(kind, [])

deny contains reason if some reason in filesystem.incomplete

deny contains reason if some reason in filesystem.unlisted(kind, "world-writable directories without the sticky bit")

deny contains reason if {
	some e in input.sweep[kind]
	reason := {
		"code": "no_sticky_bit",
		"phrase": sprintf("directory %s has mode %s, world-writable without the sticky bit, expected the sticky bit (like 1777)", [e.path, e.mode]),
		"expected": "sticky bit set",
		"actual": e.mode,
		"evidence": filesystem.entry_evidence(e),
	}
}
