# METADATA
# title: SSH host public keys are owned by root:root with mode 0644 or stricter
# description: >-
#   Host public keys are published to clients (ssh-keyscan, known_hosts
#   distribution, SSHFP records). Whoever can replace them can make clients
#   trust a key of their choosing, setting up a man-in-the-middle. They may
#   be world-readable, never writable by anyone but root. Without host keys
#   the rule does not apply.
# custom:
#   id: GCL-FILE-011
#   severity: low
#   references:
#     cis-debian-linux-12-v1.1.0: ["5.1.3"]
#   remediation: >-
#     Run "chown root:root /etc/ssh/ssh_host_*_key.pub" and
#     "chmod u-x,go-wx /etc/ssh/ssh_host_*_key.pub".
#   tags: [files, ssh, crypto]
#   files: ["/etc/ssh/ssh_host_*_key.pub"]
package gcrun.linux.files.ssh_host_public_keys

import data.gcrun.linux.lib.files

pattern := "/etc/ssh/ssh_host_*_key.pub"

# World-readable (they are public), writable by root only (replacing one
# misleads the clients that fetch it).
spec := {"mode": "0644", "owners": ["root"], "groups": ["root"]}

evidence := files.evidence(files.matches(pattern))

not_applicable contains reason if some reason in files.no_matches(pattern, "SSH host public keys")

deny contains reason if some reason in files.glob_check(pattern, spec)

# remediate clears the mode bits outside 0644 and sets root:root on each
# public key that needs it.
remediate contains action if some action in files.glob_fix(pattern, spec)
