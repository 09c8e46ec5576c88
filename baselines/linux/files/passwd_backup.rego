# METADATA
# title: /etc/passwd- is owned by root:root with mode 0644 or stricter
# description: >-
#   /etc/passwd- is the previous /etc/passwd, kept by the shadow tools. It
#   deserves the same protection: tools restore from it, so whoever can write
#   it can plant an account for the next restore. A system without the backup
#   has nothing to protect.
# custom:
#   id: GCL-FILE-005
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["7.1.2"]
#   remediation: >-
#     Run "chown root:root /etc/passwd-" and "chmod u-x,go-wx /etc/passwd-".
#   tags: [files, accounts]
#   files: ["/etc/passwd-"]
package gcrun.linux.files.passwd_backup

import data.gcrun.linux.lib.files

path := "/etc/passwd-"

# The same as /etc/passwd: the backup is restored from.
spec := {"mode": "0644", "owners": ["root"], "groups": ["root"]}

evidence := files.evidence([path])

# A missing backup is fine: nothing to protect.
not_applicable contains reason if some reason in files.absent(path)

deny contains reason if some reason in files.check(path, spec)

# remediate clears the mode bits outside 0644 and sets the owner (root) and
# group (root) when wrong; a missing file, a symlink or another type of file
# needs a person.
remediate contains action if some action in files.fix(path, spec)
