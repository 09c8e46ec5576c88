# METADATA
# title: The boot loader does not switch AppArmor off
# description: >-
#   A kernel parameter can disable AppArmor for the whole boot (apparmor=0,
#   security= naming another module, or an lsm= list without apparmor), and
#   with it every profile. Every kernel command line GRUB is configured to
#   pass (/etc/default/grub and grub.cfg) is checked, and on the live host
#   whether the running kernel has AppArmor enabled. The parameter
#   mac_apparmor_boot_params_required makes "apparmor=1 security=apparmor"
#   mandatory, as CIS 1.3.1.2's audit checks.
# custom:
#   id: GCL-MAC-002
#   severity: high
#   references:
#     cis-debian-linux-12-v1.1.0: ["1.3.1.2"]
#   remediation: >-
#     Remove apparmor=0 (and any security= or lsm= that leaves AppArmor out)
#     from GRUB_CMDLINE_LINUX and GRUB_CMDLINE_LINUX_DEFAULT in
#     /etc/default/grub and /etc/default/grub.d/*.cfg; to be explicit add
#     "apparmor=1 security=apparmor" to GRUB_CMDLINE_LINUX. Run update-grub
#     and reboot.
#   tags: [mac, apparmor, boot]
package gcrun.linux.mac.apparmor_bootloader

import data.gcrun.linux.lib.live
import data.gcrun.linux.lib.mac

required := data.gcrun.params.mac_apparmor_boot_params_required

evidence := {
	"cmdlines": sort([sprintf("%s: %s", [c.source, concat(" ", c.parameters)]) | some c in mac.cmdlines]),
	"live_enabled": live_enabled,
}

live_enabled := input.mac.apparmor.live.enabled if live.available(input.mac.apparmor.live)

else := "unknown (not the live host)"

not_applicable contains reason if some reason in mac.apparmor_not_applicable

not_applicable contains reason if {
	mac.no_bootloader
	r := live.unavailable(input.mac.apparmor.live, "whether the running kernel has AppArmor enabled")
	reason := {
		"code": "no_bootloader",
		"phrase": sprintf("neither /etc/default/grub nor grub.cfg exists, and %s", [r.phrase]),
	}
}

deny contains reason if {
	some c in mac.cmdlines
	some how in mac.apparmor_off(c.parameters)
	reason := {
		"code": "disabled",
		"phrase": sprintf("%s (%s) disable AppArmor: %s; expected AppArmor enabled", [c.source, concat(", ", c.where), how]),
		"expected": "AppArmor enabled",
		"actual": how,
		"evidence": {"where": c.where, "parameters": c.parameters},
	}
}

deny contains reason if {
	required == true
	some c in mac.cmdlines
	not mac.apparmor_explicit(c.parameters)
	reason := {
		"code": "not_explicit",
		"phrase": sprintf("%s (%s) do not set apparmor=1 and security=apparmor, expected both (mac_apparmor_boot_params_required)", [c.source, concat(", ", c.where)]),
		"expected": "apparmor=1 security=apparmor",
		"actual": concat(" ", c.parameters),
		"evidence": {"where": c.where, "parameters": c.parameters},
	}
}

deny contains reason if {
	required == true
	mac.no_bootloader
	reason := {
		"code": "no_bootloader",
		"phrase": "neither /etc/default/grub nor grub.cfg exists, expected apparmor=1 security=apparmor on the kernel command line (mac_apparmor_boot_params_required)",
		"expected": "apparmor=1 security=apparmor",
		"actual": "no boot loader configuration",
	}
}

deny contains reason if {
	live.available(input.mac.apparmor.live)
	input.mac.apparmor.live.enabled == false
	reason := {
		"code": "live_disabled",
		"phrase": "the running kernel has AppArmor disabled (/sys/module/apparmor/parameters/enabled is not Y), expected enabled",
		"expected": "Y",
		"actual": "N",
		"evidence": {"file": "/sys/module/apparmor/parameters/enabled"},
	}
}
