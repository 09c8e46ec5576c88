# METADATA
# title: The auditd service is enabled
# description: >-
#   An installed auditd that does not start at boot records nothing; the
#   kernel's audit messages are then lost or end up in the kernel log only
#   (CIS 6.2.1.2). The state is what "systemctl is-enabled auditd" says for
#   the scanned root; whether the service is running can only be seen on
#   the live host.
# custom:
#   id: GCL-AUDIT-002
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["6.2.1.2"]
#   remediation: Run "systemctl unmask auditd" and "systemctl --now enable auditd".
#   tags: [audit, services]
package gcrun.linux.audit.auditd_enabled

unit := "auditd.service"

state := s if {
	s := input.systemd.units[unit].state
} else := "missing"

evidence := {"unit": unit, "state": state}

not_applicable contains reason if {
	input.systemd.exists == false
	reason := {
		"code": "no_systemd",
		"phrase": "the root has no systemd unit directories: services are not managed by systemd",
	}
}

deny contains reason if {
	not input.systemd.units[unit]
	reason := {
		"code": "missing",
		"phrase": sprintf("%s does not exist (auditd is not installed), expected enabled", [unit]),
		"expected": "enabled",
		"actual": "missing",
		"evidence": {"unit": unit},
	}
}

deny contains reason if {
	u := input.systemd.units[unit]
	u.state != "enabled"
	reason := {
		"code": "state",
		"phrase": sprintf("%s is %s, expected enabled", [unit, u.state]),
		"expected": "enabled",
		"actual": u.state,
		"evidence": {"unit": unit, "path": object.get(u, "path", ""), "state": u.state},
	}
}
