package gcrun.linux.mounts.var_tmp_nosuid_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.mounts.var_tmp_nosuid as rule

test_pass_hardened if {
	inp := {"mounts": fx.hardened_facts.mounts}
	count(rule.not_applicable) == 0 with input as inp
	count(rule.deny) == 0 with input as inp
	ev := rule.evidence with input as inp
	ev.separate == true
	count(ev.sources) > 1
}

test_fail_running_without_option if {
	mounted := [fx.mounts_entry(e.spec, e.file, e.vfstype, ["rw", "nodev", "noexec", "relatime"], e.line) |
		some e in fx.hardened_facts.mounts.mounted.entries
		e.file == "/var/tmp"
	]
	others := [e | some e in fx.hardened_facts.mounts.mounted.entries; e.file != "/var/tmp"]
	inp := {"mounts": object.union(fx.hardened_facts.mounts, {"mounted": {"entries": array.concat(others, mounted)}})}
	reasons := rule.deny with input as inp
	fx.phrases(reasons) == ["the running system mounts /var/tmp without nosuid (options: rw,nodev,noexec,relatime), expected nosuid"]
	fx.codes(reasons) == ["no_suid"]
}

test_pass_offline_checks_configuration_only if {
	inp := {"mounts": object.union(fx.hardened_facts.mounts, {"mounted": fx.mounts_offline})}
	count(rule.not_applicable) == 0 with input as inp
	count(rule.deny) == 0 with input as inp
	startswith(rule.evidence.running, "not checked: ") with input as inp
}

test_fail_fstab_without_option if {
	fstab := [fx.mounts_entry(e.spec, e.file, e.vfstype, fx.mounts_without(e.options, "nosuid"), e.line) | some e in fx.hardened_facts.mounts.fstab.entries]
	inp := {"mounts": object.union(fx.hardened_facts.mounts, {"fstab": {"entries": fstab}, "mounted": fx.mounts_offline})}
	reasons := rule.deny with input as inp
	fx.codes(reasons) == ["no_suid"]
	some r in reasons
	r.evidence.file == "/etc/fstab"
	r.evidence.line == fx.mounts_fstab_line("/var/tmp")
	startswith(r.phrase, sprintf("/etc/fstab:%d mounts /var/tmp without nosuid (options: ", [fx.mounts_fstab_line("/var/tmp")]))
}

test_not_applicable_not_separate if {
	reasons := rule.not_applicable with input as {"mounts": fx.debian12_facts.mounts}
	fx.phrases(reasons) == ["/var/tmp is not a separate file system"]
}

test_pass_noauto_entry_is_not_separate if {
	fstab := [object.union(e, {"options": array.concat(e.options, ["noauto"])}) | some e in fx.hardened_facts.mounts.fstab.entries]
	inp := {"mounts": object.union(fx.hardened_facts.mounts, {"fstab": {"entries": fstab}, "mounted": fx.mounts_offline})}
	fx.codes(rule.not_applicable) == ["not_separate"] with input as inp
}
