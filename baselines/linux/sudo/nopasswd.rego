# METADATA
# title: sudo asks users for their password (no NOPASSWD)
# description: >-
#   A NOPASSWD tag lets anyone who gets hold of the account's session run the
#   command as root without knowing the password: a stolen SSH key, an
#   unlocked terminal or a compromised user process becomes root. Accounts
#   that must run commands unattended (automation) can be listed in the
#   sudo_nopasswd_allowed parameter: a user specification passes when every
#   one of its users (as written: names, %groups, aliases) is listed there.
# custom:
#   id: GCL-SUDO-003
#   severity: high
#   references:
#     cis-debian-linux-12-v1.1.0: ["5.2.4"]
#   remediation: >-
#     Remove the NOPASSWD tags from /etc/sudoers and /etc/sudoers.d/ with
#     visudo, or list the automation accounts in sudo_nopasswd_allowed.
#   tags: [sudo, authentication]
package gcrun.linux.sudo.nopasswd

import data.gcrun.linux.lib.sudo

allowed := {u | some u in data.gcrun.params.sudo_nopasswd_allowed}

# grants are the commands that run without a password, with their spec.
grants contains [spec, cmd] if {
	some spec in input.sudoers.user_specs
	some cmd in spec.commands
	"NOPASSWD" in cmd.tags
	cmd.negated == false
}

exempt(spec) if {
	every u in spec.users {
		u in allowed
	}
}

evidence := {
	"nopasswd": sort([sprintf("%s: %s (%s:%d)", [concat(",", spec.users), cmd.command, spec.file, spec.line]) | some [spec, cmd] in grants]),
	"allowed": sort(allowed),
}

not_applicable contains reason if some reason in sudo.no_sudoers

deny contains reason if {
	some [spec, cmd] in grants
	not exempt(spec)
	reason := {
		"code": "nopasswd",
		"phrase": sprintf("%s may run %s without a password (NOPASSWD in %s:%d), expected a password", [concat(",", spec.users), cmd.command, spec.file, spec.line]),
		"expected": "PASSWD",
		"actual": "NOPASSWD",
		"evidence": {"file": spec.file, "line": spec.line, "users": spec.users, "command": cmd.command},
	}
}
