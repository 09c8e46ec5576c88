package gcrun.linux.mounts.dev_shm_nodev_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.mounts.dev_shm_nodev as rule

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
		e.file == "/dev/shm"
	]
	others := [e | some e in fx.hardened_facts.mounts.mounted.entries; e.file != "/dev/shm"]
	inp := {"mounts": object.union(fx.hardened_facts.mounts, {"mounted": {"entries": array.concat(others, mounted)}})}
	reasons := rule.deny with input as inp
	fx.phrases(reasons) == ["the running system mounts /dev/shm without nodev (options: rw,nosuid,noexec,relatime), expected nodev"]
	fx.codes(reasons) == ["no_dev"]
}

test_pass_offline_checks_configuration_only if {
	inp := {"mounts": object.union(fx.hardened_facts.mounts, {"mounted": fx.mounts_offline})}
	count(rule.not_applicable) == 0 with input as inp
	count(rule.deny) == 0 with input as inp
	startswith(rule.evidence.running, "not checked: ") with input as inp
}

test_fail_fstab_without_option if {
	fstab := [fx.mounts_entry(e.spec, e.file, e.vfstype, fx.mounts_without(e.options, "nodev"), e.line) | some e in fx.hardened_facts.mounts.fstab.entries]
	inp := {"mounts": object.union(fx.hardened_facts.mounts, {"fstab": {"entries": fstab}, "mounted": fx.mounts_offline})}
	reasons := rule.deny with input as inp
	fx.codes(reasons) == ["no_dev"]
	some r in reasons
	r.evidence.file == "/etc/fstab"
	r.evidence.line == fx.mounts_fstab_line("/dev/shm")
	startswith(r.phrase, sprintf("/etc/fstab:%d mounts /dev/shm without nodev (options: ", [fx.mounts_fstab_line("/dev/shm")]))
}

test_not_applicable_offline_without_fstab_entry if {
	reasons := rule.not_applicable with input as {"mounts": fx.empty_facts.mounts}
	fx.codes(reasons) == ["live_only"]
}

test_not_applicable_not_mounted if {
	mounted := [e | some e in fx.hardened_facts.mounts.mounted.entries; e.file != "/dev/shm"]
	fstab := [e | some e in fx.hardened_facts.mounts.fstab.entries; e.file != "/dev/shm"]
	inp := {"mounts": object.union(fx.hardened_facts.mounts, {"fstab": {"entries": fstab}, "mounted": {"entries": mounted}})}
	fx.phrases(rule.not_applicable) == ["/dev/shm is not a separate file system"] with input as inp
}

test_pass_stock_debian12 if {
	count(rule.deny) == 0 with input as {"mounts": fx.debian12_facts.mounts}
}
