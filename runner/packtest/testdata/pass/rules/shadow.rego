# METADATA
# title: /etc/shadow is owned by root with mode 0640 or stricter
# description: >-
#   /etc/shadow holds the password hashes; anyone who reads it can crack
#   them offline.
# custom:
#   id: ACME-001
#   severity: high
#   remediation: Run "chown root /etc/shadow" and "chmod 0640 /etc/shadow".
#   tags: [files]
#   files: ["/etc/shadow"]
package acme.rules.shadow

import data.acme.lib.modes

file := input.files.paths["/etc/shadow"]

not_applicable contains {"code": "shadow_missing", "phrase": "/etc/shadow does not exist"} if file.exists == false

evidence := {"mode": file.mode, "uid": file.uid}

deny contains reason if {
	max := data.gcrun.params.acme_shadow_max_mode
	not modes.within(file.mode, max)
	reason := {
		"code": "shadow_mode",
		"phrase": sprintf("/etc/shadow has mode %s, expected %s or stricter", [file.mode, max]),
		"expected": max,
		"actual": file.mode,
	}
}

deny contains reason if {
	file.uid != 0
	reason := {
		"code": "shadow_owner",
		"phrase": sprintf("/etc/shadow is owned by uid %d, expected 0", [file.uid]),
		"expected": 0,
		"actual": file.uid,
	}
}
