# Helpers shared by the mandatory access control rules. A library: no
# custom.id and no deny. It reads input.mac only (docs/facts/mac.md); the
# rules pass their parameters in.
#
# A host runs AppArmor (the Debian family) or SELinux (the RHEL family):
# the AppArmor rules do not apply where /etc/selinux/config selects
# enforcing, and the SELinux rule does not apply without that file.
package gcrun.linux.lib.mac

selinux_setting(key) := input.mac.selinux.config.settings[key]

selinux_value(key) := object.get(input.mac.selinux.config.settings, [key, "value"], "")

# selinux_host holds when SELinux's configuration selects enforcing.
selinux_host if {
	input.mac.selinux.config.exists == true
	lower(selinux_value("SELINUX")) == "enforcing"
}

# apparmor_not_applicable is the not_applicable reason of the AppArmor
# rules on an SELinux host.
apparmor_not_applicable contains reason if {
	selinux_host
	s := selinux_setting("SELINUX")
	reason := {
		"code": "selinux",
		"phrase": sprintf("%s:%d selects SELinux enforcing: the host uses SELinux, not AppArmor", [s.file, s.line]),
		"evidence": {"file": s.file, "line": s.line},
	}
}

# selinux_not_applicable is the not_applicable reason of the SELinux rules
# on a host without SELinux configuration.
selinux_not_applicable contains reason if {
	input.mac.selinux.config.exists == false
	reason := {
		"code": "no_selinux_config",
		"phrase": sprintf("%s does not exist: SELinux is not configured on this host", [input.mac.selinux.config.path]),
		"evidence": {"file": input.mac.selinux.config.path},
	}
}

# cmdlines are the kernel command lines the boot loader is configured to
# pass: GRUB_CMDLINE_LINUX followed by GRUB_CMDLINE_LINUX_DEFAULT from
# /etc/default/grub (what update-grub writes into normal entries), and
# every linux line of grub.cfg.
cmdlines contains c if {
	count(input.mac.bootloader.default_grub.files) > 0
	settings := input.mac.bootloader.default_grub.settings
	c := {
		"source": "GRUB_CMDLINE_LINUX and GRUB_CMDLINE_LINUX_DEFAULT",
		"where": sort([sprintf("%s (%s:%d)", [k, s.file, s.line]) | some k in ["GRUB_CMDLINE_LINUX", "GRUB_CMDLINE_LINUX_DEFAULT"]; s := settings[k]]),
		"parameters": array.concat(
			object.get(settings, ["GRUB_CMDLINE_LINUX", "parameters"], []),
			object.get(settings, ["GRUB_CMDLINE_LINUX_DEFAULT", "parameters"], []),
		),
	}
}

cmdlines contains c if {
	some e in input.mac.bootloader.grub_cfg.entries
	where := sprintf("%s:%d", [input.mac.bootloader.grub_cfg.path, e.line])
	c := {"source": sprintf("the linux line at %s", [where]), "where": [where], "parameters": e.parameters}
}

# no_bootloader holds when neither /etc/default/grub nor grub.cfg exists.
no_bootloader if {
	count(input.mac.bootloader.default_grub.files) == 0
	input.mac.bootloader.grub_cfg.exists == false
}

# param(params, name) is the last value of name= on a command line (the
# kernel applies them in order); undefined when absent.
param(params, name) := values[count(values) - 1] if {
	values := [substring(p, count(name) + 1, -1) | some p in params; startswith(p, concat("", [name, "="]))]
	count(values) > 0
}

# lsm_list(params) is the lsm= list, undefined without lsm=.
lsm_list(params) := split(param(params, "lsm"), ",")

# apparmor_off(params) are the phrases saying how params switch AppArmor
# off: apparmor=0, an lsm= list without apparmor, or (without lsm=) a
# security= naming another module.
apparmor_off(params) := ({"apparmor=0" | param(params, "apparmor") == "0"} | lsm_without_apparmor(params)) | other_security(params)

lsm_without_apparmor(params) := {sprintf("lsm=%s does not include apparmor", [param(params, "lsm")]) |
	param(params, "lsm")
	not "apparmor" in lsm_list(params)
}

other_security(params) := {sprintf("security=%s selects another security module", [v]) |
	not param(params, "lsm")
	v := param(params, "security")
	not v in {"", "apparmor"}
}

# apparmor_explicit(params) holds when params enable AppArmor explicitly,
# as CIS 1.3.1.2's audit wants: apparmor=1 and security=apparmor (or an
# lsm= list with apparmor).
apparmor_explicit(params) if {
	param(params, "apparmor") == "1"
	param(params, "security") == "apparmor"
}

apparmor_explicit(params) if {
	param(params, "apparmor") == "1"
	"apparmor" in lsm_list(params)
}

# selinux_off(params) are the phrases saying how params switch SELinux off
# or to permissive.
selinux_off(params) := {"selinux=0" | param(params, "selinux") == "0"} | {"enforcing=0" | param(params, "enforcing") == "0"}

# Profiles.

# profile_mode(p) is the mode a profile file's profile is loaded in:
# "disabled" when disable/ lists its file, "complain" when force-complain/
# does, else the mode of its flags.
profile_mode(p) := "disabled" if {
	p.disabled == true
} else := "complain" if {
	p.force_complain == true
} else := p.mode

# no_profiles is the not_applicable reason of the profile rules when there
# is nothing to judge: no /etc/apparmor.d and no loaded profiles.
no_profiles contains reason if {
	input.mac.apparmor.exists == false
	count(live_profiles) == 0
	reason := {
		"code": "no_apparmor_profiles",
		"phrase": sprintf("%s does not exist and no AppArmor profile is loaded", [input.mac.apparmor.dir]),
		"evidence": {"dir": input.mac.apparmor.dir},
	}
}

live_profiles := input.mac.apparmor.live.profiles if {
	input.mac.apparmor.live.available == true
	input.mac.apparmor.live.profiles_available == true
} else := []

# profile_findings(allowed, expected) are the deny reasons for profiles
# whose mode is not in allowed: profile files (with disable/ and
# force-complain/ applied) and, on the live host, loaded profiles.
profile_findings(allowed, expected) := file_findings(allowed, expected) | loaded_findings(allowed, expected)

file_findings(allowed, expected) := {reason |
	some p in input.mac.apparmor.profiles
	mode := profile_mode(p)
	not mode in allowed
	reason := {
		"code": mode_code(mode),
		"phrase": sprintf("AppArmor profile %s (%s:%d) is %s, expected %s", [p.name, p.file, p.line, mode_phrase(mode, p.file), expected]),
		"expected": expected,
		"actual": mode,
		"evidence": {"file": p.file, "line": p.line, "profile": p.name, "flags": p.flags},
	}
}

loaded_findings(allowed, expected) := {reason |
	some p in live_profiles
	not p.mode in allowed
	reason := {
		"code": "loaded_mode",
		"phrase": sprintf("the loaded AppArmor profile %s is in %s mode, expected %s", [p.name, p.mode, expected]),
		"expected": expected,
		"actual": p.mode,
		"evidence": {"profile": p.name, "file": "/sys/kernel/security/apparmor/profiles"},
	}
}

mode_code("disabled") := "disabled"

mode_code(m) := "mode" if m != "disabled"

mode_phrase("disabled", _) := sprintf("disabled (listed in %s/disable/, so not loaded)", [input.mac.apparmor.dir])

mode_phrase(m, _) := sprintf("in %s mode", [m]) if m != "disabled"

# profiles_evidence is the profile rules' evidence: profiles per mode.
profiles_evidence := {
	"profiles": {mode: sort(names) |
		some mode in {profile_mode(p) | some p in input.mac.apparmor.profiles}
		names := [p.name | some p in input.mac.apparmor.profiles; profile_mode(p) == mode]
	},
	"loaded": {mode: sort(names) |
		some mode in {p.mode | some p in live_profiles}
		names := [p.name | some p in live_profiles; p.mode == mode]
	},
	"live": input.mac.apparmor.live.available,
}
