package gcrun.linux.mounts.tmp_nodev_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.mounts.tmp_nodev as rule

test_pass_hardened if {
	inp := {"mounts": fx.hardened_facts.mounts}
	count(rule.not_applicable) == 0 with input as inp
	count(rule.deny) == 0 with input as inp
	ev := rule.evidence with input as inp
	ev.separate == true
	count(ev.sources) > 1
}

test_fail_running_without_option if {
	mounted := [fx.mounts_entry(e.spec, e.file, e.vfstype, ["rw", "nosuid", "noexec", "relatime"], e.line) |
		some e in fx.hardened_facts.mounts.mounted.entries
		e.file == "/tmp"
	]
	others := [e | some e in fx.hardened_facts.mounts.mounted.entries; e.file != "/tmp"]
	inp := {"mounts": object.union(fx.hardened_facts.mounts, {"mounted": {"entries": array.concat(others, mounted)}})}
	reasons := rule.deny with input as inp
	fx.phrases(reasons) == ["the running system mounts /tmp without nodev (options: rw,nosuid,noexec,relatime), expected nodev"]
	fx.codes(reasons) == ["no_dev"]
}

test_pass_offline_checks_configuration_only if {
	inp := {"mounts": object.union(fx.hardened_facts.mounts, {"mounted": fx.mounts_offline})}
	count(rule.not_applicable) == 0 with input as inp
	count(rule.deny) == 0 with input as inp
	startswith(rule.evidence.running, "not checked: ") with input as inp
}

test_fail_unit_without_option if {
	unit := object.union(fx.hardened_facts.mounts.units["tmp.mount"], {"options": ["mode=1777", "strictatime"], "nodev": false, "nosuid": false, "noexec": false})
	inp := {"mounts": object.union(fx.hardened_facts.mounts, {"units": {"tmp.mount": unit}, "mounted": fx.mounts_offline})}
	reasons := rule.deny with input as inp
	fx.phrases(reasons) == ["tmp.mount (/etc/systemd/system/tmp.mount.d/50-noexec.conf) mounts /tmp without nodev (options: mode=1777,strictatime), expected nodev"]
	some r in reasons
	r.evidence == {"unit": "tmp.mount", "file": "/etc/systemd/system/tmp.mount.d/50-noexec.conf", "line": 3, "mount_point": "/tmp", "options": "mode=1777,strictatime"}
}

test_fail_fstab_without_option if {
	fstab := array.concat(fx.hardened_facts.mounts.fstab.entries, [fx.mounts_entry("tmpfs", "/tmp/", "tmpfs", [], 20)])
	inp := {"mounts": object.union(fx.hardened_facts.mounts, {"fstab": {"entries": fstab}, "mounted": fx.mounts_offline})}
	fx.phrases(rule.deny) == ["/etc/fstab:20 mounts /tmp without nodev (options: defaults), expected nodev"] with input as inp
}

test_not_applicable_not_separate if {
	reasons := rule.not_applicable with input as {"mounts": fx.debian12_facts.mounts}
	fx.phrases(reasons) == ["/tmp is not a separate file system"]
}
