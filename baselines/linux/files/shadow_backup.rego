# METADATA
# title: /etc/shadow- is owned by root:shadow (or root:root) with mode 0640 or stricter
# description: >-
#   /etc/shadow- is the previous /etc/shadow: it holds password hashes (often
#   still valid) and needs the same protection against offline cracking and
#   tampering. A system without the backup has nothing to protect.
# custom:
#   id: GCL-FILE-006
#   severity: high
#   references:
#     cis-debian-linux-12-v1.1.0: ["7.1.6"]
#   remediation: >-
#     Run "chown root:shadow /etc/shadow-" and "chmod u-x,g-wx,o-rwx /etc/shadow-".
#   tags: [files, accounts]
#   files: ["/etc/shadow-"]
package gcrun.linux.files.shadow_backup

import data.gcrun.linux.lib.files

path := "/etc/shadow-"

# The same as /etc/shadow: the backup holds the same hashes.
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
