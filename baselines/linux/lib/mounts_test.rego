package gcrun.linux.lib.mounts_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.lib.mounts

test_norm if {
	mounts.norm("/") == "/"
	mounts.norm("/tmp/") == "/tmp"
	mounts.norm("/tmp") == "/tmp"
}

test_last_fstab_entry_wins if {
	entries := [fx.mounts_entry("a", "/srv", "ext4", ["nodev"], 1), fx.mounts_entry("b", "/srv/", "ext4", [], 2)]
	e := mounts.fstab_entry("/srv") with input as {"mounts": {"fstab": {"entries": entries}}}
	e.spec == "b"
}

test_last_mount_wins if {
	inp := {"mounts": object.union(fx.empty_facts.mounts, {"mounted": {"available": true, "source": "/proc/self/mounts", "entries": [
		fx.mounts_entry("tmpfs", "/tmp", "tmpfs", ["nodev"], 1),
		fx.mounts_entry("/dev/sdb1", "/tmp", "ext4", [], 2),
	]}})}
	mounts.mounted_entry("/tmp").spec == "/dev/sdb1" with input as inp
	fx.codes(mounts.missing_option("/tmp", "nodev")) == ["no_dev"] with input as inp
}

test_no_mounted_entry_offline if {
	not mounts.mounted_entry("/") with input as {"mounts": fx.empty_facts.mounts}
}

test_sources_of_tmp if {
	s := mounts.sources("/tmp") with input as {"mounts": fx.hardened_facts.mounts}
	[x.where | some x in s] == ["tmp.mount (/etc/systemd/system/tmp.mount.d/50-noexec.conf)", "the running system"]
}

test_evidence_not_separate if {
	ev := mounts.evidence("/var/tmp") with input as {"mounts": fx.debian12_facts.mounts}
	ev.separate == false
	ev.sources == []
	ev.running == "checked"
}
