# METADATA
# title: SSH host private keys are owned by root with mode 0600 (0640 for an ssh key group) or stricter
# description: >-
#   A host private key is the server's identity. Anyone who reads it can
#   impersonate the server and intercept the sessions (and passwords) of
#   users who trust it. Only root may read it; as CIS allows, a dedicated key
#   group (ssh_keys, _ssh or ssh) may read it when the key belongs to that
#   group. Without host keys the rule does not apply.
# custom:
#   id: GCL-FILE-010
#   severity: high
#   references:
#     cis-debian-linux-12-v1.1.0: ["5.1.2"]
#   remediation: >-
#     Run "chown root:root /etc/ssh/ssh_host_*_key" and
#     "chmod u-x,go-rwx /etc/ssh/ssh_host_*_key" (or, for keys of the ssh key
#     group, "chmod u-x,g-wx,o-rwx").
#   tags: [files, ssh, crypto]
#   files: ["/etc/ssh/ssh_host_*_key"]
package gcrun.linux.files.ssh_host_private_keys

import data.gcrun.linux.lib.files

pattern := "/etc/ssh/ssh_host_*_key"

# CIS (5.1.2): a key whose group is the system's ssh key group (ssh_keys on
# RHEL-like systems, _ssh or ssh on Debian-like ones) may be group-readable;
# any other key is for root's eyes only.
key_groups := ["ssh_keys", "_ssh", "ssh"]

spec(path) := {"mode": "0640", "owners": ["root"], "groups": array.concat(["root"], key_groups)} if {
	input.files.paths[path].group in key_groups
} else := {"mode": "0600", "owners": ["root"], "groups": array.concat(["root"], key_groups)}

evidence := files.evidence(files.matches(pattern))

not_applicable contains reason if some reason in files.no_matches(pattern, "SSH host private keys")

deny contains reason if {
	some path in files.matches(pattern)
	some reason in files.check(path, spec(path))
}

deny contains reason if some reason in files.glob_not_collected(pattern)

# remediate clears the mode bits outside 0600 (0640 for a key of the ssh
# key group) and sets the owner root, and the group root when it is neither
# root nor a key group.
remediate contains action if {
	some path in files.matches(pattern)
	some action in files.fix(path, spec(path))
}
