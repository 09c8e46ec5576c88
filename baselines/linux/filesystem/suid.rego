# METADATA
# title: Only the allowed programs have the set-user-ID bit
# description: >-
#   A set-user-ID program runs with its owner's privileges, usually root's,
#   whoever starts it: every one is a way to root if it has a bug, and a
#   SUID file that no package installed is a classic backdoor. CIS asks for
#   the SUID programs to be reviewed; this rule compares them with an allow
#   list (filesystem_suid_allowed, by default the SUID programs of a stock
#   Debian 12 server).
# custom:
#   id: GCL-FS-005
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["7.1.13"]
#     dev-sec-linux-baseline: ["os-06"]
#   remediation: >-
#     Remove the bit from programs that need not have it ("chmod u-s FILE"),
#     remove the packages or files that are not wanted, and add the ones the
#     site has reviewed and accepts to filesystem_suid_allowed.
#   tags: [filesystem, permissions, privilege]
package gcrun.linux.filesystem.suid

import data.gcrun.linux.lib.filesystem

kind := "suid"

patterns := data.gcrun.params.filesystem_suid_allowed

evidence := filesystem.evidence(kind, patterns)

deny contains reason if some reason in filesystem.incomplete

deny contains reason if some reason in filesystem.unlisted(kind, "SUID files")

deny contains reason if {
	some e in filesystem.entries(kind, patterns)
	reason := {
		"code": "suid_not_allowed",
		"phrase": sprintf("%s (%s, mode %s, uid %d) is set-user-ID, expected only the programs of filesystem_suid_allowed", [e.path, e.type, e.mode, e.uid]),
		"expected": "in filesystem_suid_allowed",
		"actual": e.path,
		"evidence": filesystem.entry_evidence(e),
	}
}
