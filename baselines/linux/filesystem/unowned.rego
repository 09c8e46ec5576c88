# METADATA
# title: Every file is owned by a user /etc/passwd defines
# description: >-
#   A file whose owner uid no account has is left over from a deleted user
#   or unpacked from an archive. The next account created with that uid
#   silently owns it, with whatever it holds. Ownership is judged against
#   the scanned root's own /etc/passwd (users only a directory service
#   knows, such as LDAP through sssd, count as unknown).
# custom:
#   id: GCL-FS-003
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["7.1.12"]
#   remediation: >-
#     Give each file listed to an existing user ("chown USER FILE"), or
#     remove it.
#   tags: [filesystem, ownership]
package gcrun.linux.filesystem.unowned

import data.gcrun.linux.lib.filesystem

kind := "unowned"

evidence := object.union(filesystem.evidence(kind, []), {"database": input.sweep.id_databases.passwd})

not_applicable contains reason if some reason in filesystem.unknown_ids("passwd")

deny contains reason if some reason in filesystem.unread_ids("passwd")

deny contains reason if some reason in filesystem.incomplete

deny contains reason if some reason in filesystem.unlisted(kind, "files without a known owner")

deny contains reason if {
	some e in input.sweep[kind]
	reason := {
		"code": "unowned",
		"phrase": sprintf("%s (%s) is owned by uid %d, which /etc/passwd does not define, expected an existing user", [e.path, e.type, e.uid]),
		"expected": "an owner defined in /etc/passwd",
		"actual": e.uid,
		"evidence": filesystem.entry_evidence(e),
	}
}
