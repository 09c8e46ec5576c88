# METADATA
# title: SSH logins are limited to listed users or groups (AllowUsers, AllowGroups, DenyUsers or DenyGroups)
# description: >-
#   Without AllowUsers, AllowGroups, DenyUsers or DenyGroups every account
#   with a shell and a credential may log in over SSH, service accounts and
#   forgotten ones included. Naming who may log in (usually AllowGroups with
#   a dedicated group) confines a guessed or leaked credential to those
#   accounts. An allow list that admits everyone ("*") restricts nothing, in
#   the global section or in a Match block, where it replaces the global
#   list for the block's connections.
# custom:
#   id: GCL-SSH-023
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["5.1.4"]
#   remediation: >-
#     Create a group for the accounts that may log in over SSH, set
#     "AllowGroups <that group>" (or AllowUsers, DenyUsers, DenyGroups) in
#     /etc/ssh/sshd_config, remove any "*" from AllowUsers and AllowGroups in
#     Match blocks, and reload sshd.
#   tags: [ssh, access]
package gcrun.linux.ssh.access

import data.gcrun.linux.lib.sshd

not_applicable contains reason if some reason in sshd.not_installed

keywords := ["allowusers", "allowgroups", "denyusers", "denygroups"]

evidence := sshd.evidence(keywords)

# The allow lists, their spelling and what they list.
allow_lists := {
	"allowusers": {"name": "AllowUsers", "what": "users"},
	"allowgroups": {"name": "AllowGroups", "what": "groups"},
}

# Patterns that match every user (AllowUsers also takes USER@HOST) or group.
everyone := {"*", "*@*"}

# restricted holds when the global section sets one of the four lists.
restricted if {
	some kw in keywords
	count(object.get(input.sshd.config, kw, [])) > 0
}

deny contains reason if {
	not restricted
	reason := {
		"code": "access_not_restricted",
		"phrase": "none of AllowUsers, AllowGroups, DenyUsers and DenyGroups is set, so every account may log in, expected at least one of them (for example AllowGroups with a group of SSH users)",
		"expected": "AllowUsers, AllowGroups, DenyUsers or DenyGroups",
		"actual": "none",
		"evidence": {"keywords": keywords, "default": true},
	}
}

# "AllowUsers *" admits everyone; in a Match block it replaces the global
# list, and so lifts the restriction for the block's connections.
deny contains reason if {
	some kw, list in allow_lists
	some s in sshd.settings(kw)
	some pattern in s.value
	pattern in everyone
	reason := sshd.reason(
		"access_everyone", s, sprintf("a list of the %s allowed to log in", [list.what]),
		sprintf("%s is %q%s, which admits every %s, expected a list of the %s allowed to log in", [list.name, concat(" ", s.value), s.where, trim_suffix(list.what, "s"), list.what]),
	)
}
