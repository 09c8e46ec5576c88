# Mandatory access control facts for the fixture hosts and the mac rule
# tests (a _test.rego file, so the engine never loads it). Inputs follow
# docs/facts/mac.md.
package gcrun.linux.lib.fixtures

offline_section(iface) := {"available": false, "reason": sprintf("/srv/image is an offline root, so %s describes the scanning machine, not it", [iface])}

# apparmor_profile(name, attachment, flags, file, line) is an enforcing
# profile unless its flags say otherwise.
apparmor_profile(name, attachment, flags, file, line) := {
	"name": name,
	"attachment": attachment,
	"mode": apparmor_flags_mode(flags),
	"flags": flags,
	"file": concat("/", ["/etc/apparmor.d", file]),
	"line": line,
	"disabled": false,
	"force_complain": false,
}

apparmor_flags_mode(flags) := m if {
	m := [f | some f in flags; f in {"complain", "kill", "unconfined", "prompt"}][0]
} else := "enforce"

# apparmor_debian12_profiles are the profiles of Debian 12's apparmor and
# man-db packages (checks/testdata/mac/debian12).
apparmor_debian12_profiles := [
	apparmor_profile("lsb_release", "/usr/bin/lsb_release", [], "lsb_release", 5),
	apparmor_profile("nvidia_modprobe", "/usr/bin/nvidia-modprobe", ["attach_disconnected"], "nvidia_modprobe", 5),
	apparmor_profile("nvidia_modprobe//kmod", "", ["attach_disconnected"], "nvidia_modprobe", 11),
	apparmor_profile("/usr/bin/man", "", [], "usr.bin.man", 6),
	apparmor_profile("man_groff", "", [], "usr.bin.man", 19),
	apparmor_profile("man_filter", "", [], "usr.bin.man", 26),
]

# apparmor(profiles, disabled, force_complain, live) is the apparmor
# section with those profiles and directory listings.
apparmor(profiles, disabled, force_complain, live) := {
	"dir": "/etc/apparmor.d",
	"exists": true,
	"files": sort({p.file | some p in profiles}),
	"profiles": profiles,
	"disabled": disabled,
	"force_complain": force_complain,
	"live": live,
}

apparmor_offline := object.union(offline_section("/sys/kernel/security/apparmor"), {"enabled": false, "profiles_available": false, "profiles": []})

# grub_setting(value, line) is a GRUB_CMDLINE_* assignment in
# /etc/default/grub.
grub_setting(value, line) := {"value": value, "file": "/etc/default/grub", "line": line, "parameters": [p | some p in split(value, " "); p != ""]}

# bootloader(linux, linux_default) is a GRUB configuration with those
# command line variables and the grub.cfg update-grub writes from them (a
# normal and a recovery entry).
bootloader(linux, linux_default) := {
	"default_grub": {"files": ["/etc/default/grub"], "settings": {
		"GRUB_CMDLINE_LINUX": grub_setting(linux, 10),
		"GRUB_CMDLINE_LINUX_DEFAULT": grub_setting(linux_default, 9),
	}},
	"grub_cfg": {"path": "/boot/grub/grub.cfg", "exists": true, "truncated": false, "entries": [
		{"line": 12, "kernel": "/boot/vmlinuz-6.1.0-18-amd64", "parameters": array.concat(["root=UUID=0b6b5d6c", "ro"], grub_setting(concat(" ", [linux, linux_default]), 0).parameters)},
		{"line": 18, "kernel": "/boot/vmlinuz-6.1.0-18-amd64", "parameters": array.concat(["root=UUID=0b6b5d6c", "ro", "single"], grub_setting(linux, 0).parameters)},
	]},
}

no_bootloader := {
	"default_grub": {"files": [], "settings": {}},
	"grub_cfg": {"path": "/boot/grub/grub.cfg", "exists": false, "truncated": false, "entries": []},
}

selinux_offline := object.union(offline_section("/sys/fs/selinux"), {"enabled": false, "enforcing": false})

no_selinux := {
	"config": {"path": "/etc/selinux/config", "exists": false, "settings": {}},
	"live": selinux_offline,
}

# selinux_config(settings) is an /etc/selinux/config with those settings
# (key -> value) on consecutive lines.
selinux_config(settings) := {
	"config": {"path": "/etc/selinux/config", "exists": true, "settings": {k: {"value": settings[k], "file": "/etc/selinux/config", "line": i + 2} |
		some i, k in sort([k | some k, _ in settings])
	}},
	"live": selinux_offline,
}

hardened_cmdline := "apparmor=1 security=apparmor audit=1 audit_backlog_limit=8192"

# mac(apparmor, bootloader, selinux) is an input with those sections.
mac(aa, boot, selinux) := {"mac": {"apparmor": aa, "bootloader": boot, "selinux": selinux}}

mac_hardened := mac(apparmor(apparmor_debian12_profiles, [], [], apparmor_offline), bootloader(hardened_cmdline, "quiet"), no_selinux)

hardened_facts.mac := mac_hardened.mac

hardened_facts.packages.installed.apparmor := [dpkg_entry("apparmor")]

hardened_facts.packages.installed["apparmor-utils"] := [dpkg_entry("apparmor-utils")]

debian12_facts.mac := mac(apparmor(apparmor_debian12_profiles, [], [], apparmor_offline), bootloader("", "quiet"), no_selinux).mac

empty_facts.mac := {
	"apparmor": {
		"dir": "/etc/apparmor.d", "exists": false, "files": [], "profiles": [], "disabled": [], "force_complain": [],
		"live": apparmor_offline,
	},
	"bootloader": no_bootloader,
	"selinux": no_selinux,
}

# No SELinux on Debian: the SELinux rule never applies here.
expect.hardened_host["GCL-MAC-005"] := "not_applicable"

expect.debian12_host["GCL-MAC-005"] := "not_applicable"

# Debian 12 installs apparmor (recommended by the kernel) but not
# apparmor-utils; the fixture's package list has neither.
expect.debian12_host["GCL-MAC-001"] := "fail"
