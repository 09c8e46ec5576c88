# METADATA
# title: /etc/group is owned by root:root with mode 0644 or stricter
# description: >-
#   /etc/group defines group membership. Whoever can write it can join the
#   sudo, adm, shadow or disk group and escalate to root.
# custom:
#   id: GCL-FILE-003
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["7.1.3"]
#   remediation: >-
#     Run "chown root:root /etc/group" and "chmod u-x,go-wx /etc/group".
#   tags: [files, accounts]
#   files: ["/etc/group"]
package gcrun.linux.files.group

import data.gcrun.linux.lib.files

path := "/etc/group"

# World-readable (group lookups need it), writable by root only: write
# access means joining sudo, shadow or disk.
spec := {"mode": "0644", "owners": ["root"], "groups": ["root"]}

evidence := files.evidence([path])

# The file must exist: without it there are no local groups, root included.
deny contains reason if some reason in files.required(path)

deny contains reason if some reason in files.check(path, spec)

# remediate clears the mode bits outside 0644 and sets the owner (root) and
# group (root) when wrong; a missing file, a symlink or another type of file
# needs a person.
remediate contains action if some action in files.fix(path, spec)
