# METADATA
# title: /etc/gshadow- is owned by root:shadow (or root:root) with mode 0640 or stricter
# description: >-
#   /etc/gshadow- is the previous /etc/gshadow: it holds group password hashes
#   and group administrators and needs the same protection. A system without
#   the backup has nothing to protect.
# custom:
#   id: GCL-FILE-008
#   severity: high
#   references:
#     cis-debian-linux-12-v1.1.0: ["7.1.8"]
#   remediation: >-
#     Run "chown root:shadow /etc/gshadow-" and "chmod u-x,g-wx,o-rwx /etc/gshadow-".
#   tags: [files, accounts]
#   files: ["/etc/gshadow-"]
package gcrun.linux.files.gshadow_backup

import data.gcrun.linux.lib.files

path := "/etc/gshadow-"

# The same as /etc/gshadow: the backup holds the same hashes.
# A wrong group becomes shadow, Debian's: unix_chkpwd (setgid shadow) must
# read the file for screen lockers to unlock.
spec := {"mode": "0640", "owners": ["root"], "groups": ["root", "shadow"], "fix_group": "shadow"}

evidence := files.evidence([path])

# A missing backup is fine: nothing to protect.
not_applicable contains reason if some reason in files.absent(path)

deny contains reason if some reason in files.check(path, spec)

# remediate clears the mode bits outside 0640 and sets the owner (root) and
# group (shadow) when wrong; a missing file, a symlink or another type of file
# needs a person.
remediate contains action if some action in files.fix(path, spec)
