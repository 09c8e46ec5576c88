# METADATA
# title: /etc/shadow is owned by root:shadow (or root:root) with mode 0640 or stricter
# description: >-
#   /etc/shadow holds the password hashes. Read access lets an attacker crack
#   them offline; write access lets them set any account's password. Group
#   shadow may read it (unix_chkpwd, which screen lockers use, runs setgid
#   shadow), nobody else.
# custom:
#   id: GCL-FILE-002
#   severity: high
#   references:
#     cis-debian-linux-12-v1.1.0: ["7.1.5"]
#   remediation: >-
#     Run "chown root:shadow /etc/shadow" and "chmod u-x,g-wx,o-rwx /etc/shadow".
#   tags: [files, accounts]
#   files: ["/etc/shadow"]
package gcrun.linux.files.shadow

import data.gcrun.linux.lib.files

path := "/etc/shadow"

# Readable by root and group shadow only (offline cracking of the hashes),
# writable by root only (setting any password).
# A wrong group becomes shadow, Debian's: unix_chkpwd (setgid shadow) must
# read the file for screen lockers to unlock.
spec := {"mode": "0640", "owners": ["root"], "groups": ["root", "shadow"], "fix_group": "shadow"}

evidence := files.evidence([path])

# The file must exist: without it the password hashes sit in the world-readable
# /etc/passwd (or accounts have no passwords at all).
deny contains reason if some reason in files.required(path)

deny contains reason if some reason in files.check(path, spec)

# remediate clears the mode bits outside 0640 and sets the owner (root) and
# group (shadow) when wrong; a missing file, a symlink or another type of file
# needs a person.
remediate contains action if some action in files.fix(path, spec)
