package gcrun.linux.mounts.tmp_separate_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.mounts.tmp_separate as rule

test_pass_hardened if {
	inp := {"mounts": fx.hardened_facts.mounts}
	count(rule.deny) == 0 with input as inp
	rule.evidence.tmp_mount == "enabled (/etc/systemd/system/tmp.mount)" with input as inp
}

test_pass_fstab_entry_offline if {
	fstab := array.concat(fx.debian12_facts.mounts.fstab.entries, [fx.mounts_entry("tmpfs", "/tmp", "tmpfs", ["nodev"], 16)])
	inp := {"mounts": object.union(fx.debian12_facts.mounts, {"fstab": {"entries": fstab}, "mounted": fx.mounts_offline})}
	count(rule.deny) == 0 with input as inp
	count(rule.not_applicable) == 0 with input as inp
}

test_fail_stock_debian12 if {
	reasons := rule.deny with input as {"mounts": fx.debian12_facts.mounts}
	fx.codes(reasons) == ["not_configured", "not_mounted"]
	fx.phrases(reasons) == [
		"/tmp is not a mount point on the running system, expected a separate file system",
		"/tmp is not a separate file system at boot: /etc/fstab has no entry for it and tmp.mount is absent, expected one of them to mount /tmp",
	]
}

test_fail_unit_not_enabled if {
	unit := object.union(fx.hardened_facts.mounts.units["tmp.mount"], {"enabled": false, "wanted_by": []})
	inp := {"mounts": object.union(fx.hardened_facts.mounts, {"units": {"tmp.mount": unit}, "mounted": fx.mounts_offline})}
	fx.phrases(rule.deny) == ["/tmp is not a separate file system at boot: /etc/fstab has no entry for it and tmp.mount is not enabled (/etc/systemd/system/tmp.mount), expected one of them to mount /tmp"] with input as inp
}

test_fail_unit_masked if {
	unit := object.union(fx.hardened_facts.mounts.units["tmp.mount"], {"masked": true, "enabled": false})
	inp := {"mounts": object.union(fx.hardened_facts.mounts, {"units": {"tmp.mount": unit}})}
	reasons := rule.deny with input as inp
	fx.codes(reasons) == ["not_configured"]
	some r in reasons
	r.evidence.tmp_mount == "masked"
}

test_fail_noauto_entry if {
	fstab := array.concat(fx.debian12_facts.mounts.fstab.entries, [fx.mounts_entry("tmpfs", "/tmp", "tmpfs", ["noauto"], 16)])
	inp := {"mounts": object.union(fx.debian12_facts.mounts, {"fstab": {"entries": fstab}, "mounted": fx.mounts_offline})}
	fx.codes(rule.deny) == ["not_configured"] with input as inp
}

test_not_applicable_empty_root if {
	fx.codes(rule.not_applicable) == ["no_fstab"] with input as {"mounts": fx.empty_facts.mounts}
}
