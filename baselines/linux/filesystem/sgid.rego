# METADATA
# title: Only the allowed programs have the set-group-ID bit
# description: >-
#   A set-group-ID program runs with its group's privileges (shadow, utmp,
#   crontab, mail), whoever starts it: a bug in one gives that group's
#   access to everyone. CIS asks for the SGID programs to be reviewed; this
#   rule compares them with an allow list (filesystem_sgid_allowed, by
#   default the SGID programs of a stock Debian 12 server). Directories are
#   not judged: there the bit only makes new files inherit the group.
# custom:
#   id: GCL-FS-006
#   severity: low
#   references:
#     cis-debian-linux-12-v1.1.0: ["7.1.13"]
#     dev-sec-linux-baseline: ["os-06"]
#   remediation: >-
#     Remove the bit from programs that need not have it ("chmod g-s FILE"),
#     remove the packages or files that are not wanted, and add the ones the
#     site has reviewed and accepts to filesystem_sgid_allowed.
#   tags: [filesystem, permissions, privilege]
package gcrun.linux.filesystem.sgid

import data.gcrun.linux.lib.filesystem

kind := "sgid"

patterns := data.gcrun.params.filesystem_sgid_allowed

evidence := filesystem.evidence(kind, patterns)

deny contains reason if some reason in filesystem.incomplete

deny contains reason if some reason in filesystem.unlisted(kind, "SGID files")

deny contains reason if {
	some e in filesystem.entries(kind, patterns)
	reason := {
		"code": "sgid_not_allowed",
		"phrase": sprintf("%s (%s, mode %s, gid %d) is set-group-ID, expected only the programs of filesystem_sgid_allowed", [e.path, e.type, e.mode, e.gid]),
		"expected": "in filesystem_sgid_allowed",
		"actual": e.path,
		"evidence": filesystem.entry_evidence(e),
	}
}
