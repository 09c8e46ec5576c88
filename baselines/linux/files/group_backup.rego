# METADATA
# title: /etc/group- is owned by root:root with mode 0644 or stricter
# description: >-
#   /etc/group- is the previous /etc/group. Whoever can write it can add
#   themselves to a privileged group for the next restore. A system without
#   the backup has nothing to protect.
# custom:
#   id: GCL-FILE-007
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["7.1.4"]
#   remediation: >-
#     Run "chown root:root /etc/group-" and "chmod u-x,go-wx /etc/group-".
#   tags: [files, accounts]
#   files: ["/etc/group-"]
package gcrun.linux.files.group_backup

import data.gcrun.linux.lib.files

path := "/etc/group-"

# The same as /etc/group: the backup is restored from.
spec := {"mode": "0644", "owners": ["root"], "groups": ["root"]}

evidence := files.evidence([path])

# A missing backup is fine: nothing to protect.
not_applicable contains reason if some reason in files.absent(path)

deny contains reason if some reason in files.check(path, spec)

# remediate clears the mode bits outside 0644 and sets the owner (root) and
# group (root) when wrong; a missing file, a symlink or another type of file
# needs a person.
remediate contains action if some action in files.fix(path, spec)
