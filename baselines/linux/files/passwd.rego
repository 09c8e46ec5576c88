# METADATA
# title: /etc/passwd is owned by root:root with mode 0644 or stricter
# description: >-
#   /etc/passwd maps user names to uids, home directories and shells. Every
#   program may read it, but whoever can write it can add a uid-0 account or
#   change root's shell and so owns the system.
# custom:
#   id: GCL-FILE-001
#   severity: high
#   references:
#     cis-debian-linux-12-v1.1.0: ["7.1.1"]
#   remediation: >-
#     Run "chown root:root /etc/passwd" and "chmod u-x,go-wx /etc/passwd".
#   tags: [files, accounts]
#   files: ["/etc/passwd"]
package gcrun.linux.files.passwd

import data.gcrun.linux.lib.files

path := "/etc/passwd"

# World-readable (name lookups need it), writable by root only: write access
# means adding a uid-0 account.
spec := {"mode": "0644", "owners": ["root"], "groups": ["root"]}

evidence := files.evidence([path])

# The file must exist: without it there are no local accounts, root included.
deny contains reason if some reason in files.required(path)

deny contains reason if some reason in files.check(path, spec)

# remediate clears the mode bits outside 0644 and sets the owner (root) and
# group (root) when wrong; a missing file, a symlink or another type of file
# needs a person.
remediate contains action if some action in files.fix(path, spec)
