# METADATA
# title: No world-writable files exist outside the allow list
# description: >-
#   A file anyone may write lets any local user, or any compromised
#   service, change what it holds: a script someone else runs, a
#   configuration a daemon trusts, a log an auditor reads. CIS asks for
#   every world-writable file to be reviewed and the write bit for others
#   removed. FIFOs and device nodes writable by all are listed too (sockets
#   are not: their write bit is the permission to connect). Files the site
#   has accepted go in the parameter filesystem_world_writable_allowed.
# custom:
#   id: GCL-FS-001
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["7.1.11"]
#   remediation: >-
#     Run "chmod o-w FILE" for each file listed, or add the paths (or globs)
#     that must stay world-writable to filesystem_world_writable_allowed.
#   tags: [filesystem, permissions]
package gcrun.linux.filesystem.world_writable_files

import data.gcrun.linux.lib.filesystem

kind := "world_writable_files"

patterns := data.gcrun.params.filesystem_world_writable_allowed

evidence := filesystem.evidence(kind, patterns)

deny contains reason if some reason in filesystem.incomplete

deny contains reason if some reason in filesystem.unlisted(kind, "world-writable files")

deny contains reason if {
	some e in filesystem.entries(kind, patterns)
	reason := {
		"code": "world_writable",
		"phrase": sprintf("%s (%s) has mode %s, writable by others, expected no write permission for others", [e.path, e.type, e.mode]),
		"expected": "no write permission for others",
		"actual": e.mode,
		"evidence": filesystem.entry_evidence(e),
	}
}
