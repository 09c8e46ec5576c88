# METADATA
# title: SELinux is enforcing with a targeted or MLS policy
# description: >-
#   On hosts that use SELinux (the RHEL family), permissive or disabled
#   SELinux confines nothing. /etc/selinux/config must select enforcing and
#   the targeted or mls policy, no kernel command line may pass selinux=0
#   or enforcing=0, and on the live host the kernel must be enforcing. The
#   rule does not apply without /etc/selinux/config (AppArmor hosts such
#   as Debian).
# custom:
#   id: GCL-MAC-005
#   severity: high
#   remediation: >-
#     Set "SELINUX=enforcing" and "SELINUXTYPE=targeted" in
#     /etc/selinux/config, remove selinux=0 and enforcing=0 from the kernel
#     command line (grubby --update-kernel ALL --remove-args "selinux
#     enforcing"), relabel if SELinux was disabled (touch /.autorelabel)
#     and reboot.
#   tags: [mac, selinux]
package gcrun.linux.mac.selinux_enforcing

import data.gcrun.linux.lib.live
import data.gcrun.linux.lib.mac

evidence := {
	"SELINUX": mac.selinux_value("SELINUX"),
	"SELINUXTYPE": mac.selinux_value("SELINUXTYPE"),
	"cmdlines": sort([sprintf("%s: %s", [c.source, concat(" ", c.parameters)]) | some c in mac.cmdlines]),
}

not_applicable contains reason if some reason in mac.selinux_not_applicable

deny contains reason if {
	input.mac.selinux.config.exists == true
	not lower(mac.selinux_value("SELINUX")) == "enforcing"
	reason := {
		"code": "selinux",
		"phrase": sprintf("%s, expected SELINUX=enforcing", [setting_phrase("SELINUX")]),
		"expected": "enforcing",
		"actual": mac.selinux_value("SELINUX"),
		"evidence": where("SELINUX"),
	}
}

deny contains reason if {
	input.mac.selinux.config.exists == true
	not lower(mac.selinux_value("SELINUXTYPE")) in {"targeted", "mls"}
	reason := {
		"code": "selinuxtype",
		"phrase": sprintf("%s, expected SELINUXTYPE=targeted or mls", [setting_phrase("SELINUXTYPE")]),
		"expected": "targeted or mls",
		"actual": mac.selinux_value("SELINUXTYPE"),
		"evidence": where("SELINUXTYPE"),
	}
}

deny contains reason if {
	input.mac.selinux.config.exists == true
	some c in mac.cmdlines
	some how in mac.selinux_off(c.parameters)
	reason := {
		"code": "cmdline",
		"phrase": sprintf("%s (%s) pass %s, expected SELinux enforcing", [c.source, concat(", ", c.where), how]),
		"expected": "no selinux=0 or enforcing=0",
		"actual": how,
		"evidence": {"where": c.where, "parameters": c.parameters},
	}
}

deny contains reason if {
	input.mac.selinux.config.exists == true
	live.available(input.mac.selinux.live)
	not input.mac.selinux.live.enforcing == true
	reason := {
		"code": "live",
		"phrase": sprintf("the running kernel's SELinux is %s, expected enforcing", [live_state]),
		"expected": "enforcing",
		"actual": live_state,
		"evidence": {"file": "/sys/fs/selinux/enforce"},
	}
}

live_state := "disabled" if {
	input.mac.selinux.live.enabled == false
} else := "permissive"

setting_phrase(key) := sprintf("%s is %q (%s:%d)", [key, s.value, s.file, s.line]) if {
	s := mac.selinux_setting(key)
} else := sprintf("%s is not set in %s", [key, input.mac.selinux.config.path])

where(key) := {"file": s.file, "line": s.line} if {
	s := mac.selinux_setting(key)
} else := {"file": input.mac.selinux.config.path}
