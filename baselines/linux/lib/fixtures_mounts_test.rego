# Mount facts for the fixture hosts and the mount rule tests (a _test.rego
# file, so the engine never loads it). Inputs follow docs/facts/mounts.md.
package gcrun.linux.lib.fixtures

# mounts_entry(spec, file, vfstype, options, line) is an fstab or
# /proc/self/mounts entry.
mounts_entry(spec, file, vfstype, options, line) := {
	"spec": spec,
	"file": file,
	"vfstype": vfstype,
	"options": options,
	"freq": 0,
	"passno": 0,
	"line": line,
	"nodev": "nodev" in options,
	"nosuid": "nosuid" in options,
	"noexec": "noexec" in options,
}

# mounts_without(options, option) is options without option.
mounts_without(options, option) := [o | some o in options; o != option]

# mounts_offline is the mounted section of an offline root.
mounts_offline := {
	"available": false,
	"reason": "/mnt/image is an offline root, so /proc/self/mounts describes the scanning machine, not it",
	"entries": [],
}

# mounts_fstab_line(p) is the line of p in the hardened host's fstab.
mounts_fstab_line(p) := e.line if {
	some e in hardened_facts.mounts.fstab.entries
	e.file == p
}

mounts_no_tmp_unit := {"tmp.mount": {
	"name": "tmp.mount", "path": "", "exists": false, "masked": false,
	"what": "", "where": "/tmp", "type": "", "options": [],
	"nodev": false, "nosuid": false, "noexec": false,
	"dropins": [], "wanted_by": [], "enabled": false, "sources": {},
}}

# hardened_facts.mounts: separate /home, /var and /var/tmp, /dev/shm in
# fstab, /tmp a tmpfs from an enabled tmp.mount with a noexec drop-in
# (checks/testdata/mounts/hardened), all mounted as configured.
hardened_facts.mounts := {
	"fstab": {"path": "/etc/fstab", "exists": true, "entries": [
		mounts_entry("UUID=3f1c2a9e-8d47-4b1e-9a53-2c6f0e7d4b21", "/", "ext4", ["errors=remount-ro"], 2),
		mounts_entry("UUID=0c4e7b1a-2d3f-4e5a-9b6c-7d8e9f0a1b2c", "/home", "ext4", ["defaults", "nodev", "nosuid"], 3),
		mounts_entry("UUID=5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d", "/var", "ext4", ["defaults", "nodev", "nosuid"], 4),
		mounts_entry("UUID=9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a", "/var/tmp", "ext4", ["defaults", "nodev", "nosuid", "noexec"], 5),
		mounts_entry("tmpfs", "/dev/shm", "tmpfs", ["defaults", "nodev", "nosuid", "noexec"], 6),
		mounts_entry("UUID=b7e04d2c-51a9-4f3e-8c6d-9e2a1f0b3c47", "none", "swap", ["sw"], 7),
	]},
	"units": {"tmp.mount": {
		"name": "tmp.mount",
		"path": "/etc/systemd/system/tmp.mount",
		"exists": true,
		"masked": false,
		"what": "tmpfs",
		"where": "/tmp",
		"type": "tmpfs",
		"options": ["mode=1777", "strictatime", "nosuid", "nodev", "noexec", "size=50%", "nr_inodes=1m"],
		"nodev": true,
		"nosuid": true,
		"noexec": true,
		"dropins": ["/etc/systemd/system/tmp.mount.d/50-noexec.conf"],
		"wanted_by": ["/etc/systemd/system/local-fs.target.wants/tmp.mount"],
		"enabled": true,
		"sources": {
			"what": {"file": "/etc/systemd/system/tmp.mount", "line": 22},
			"where": {"file": "/etc/systemd/system/tmp.mount", "line": 23},
			"type": {"file": "/etc/systemd/system/tmp.mount", "line": 24},
			"options": {"file": "/etc/systemd/system/tmp.mount.d/50-noexec.conf", "line": 3},
		},
	}},
	"mounted": {"available": true, "source": "/proc/self/mounts", "entries": [
		mounts_entry("sysfs", "/sys", "sysfs", ["rw", "nosuid", "nodev", "noexec", "relatime"], 1),
		mounts_entry("proc", "/proc", "proc", ["rw", "nosuid", "nodev", "noexec", "relatime"], 2),
		mounts_entry("udev", "/dev", "devtmpfs", ["rw", "nosuid", "relatime", "size=1967012k", "nr_inodes=491753", "mode=755", "inode64"], 3),
		mounts_entry("/dev/vda1", "/", "ext4", ["rw", "relatime", "errors=remount-ro"], 4),
		mounts_entry("tmpfs", "/dev/shm", "tmpfs", ["rw", "nosuid", "nodev", "noexec", "relatime", "inode64"], 5),
		mounts_entry("/dev/vda2", "/home", "ext4", ["rw", "nosuid", "nodev", "relatime"], 6),
		mounts_entry("/dev/vda3", "/var", "ext4", ["rw", "nosuid", "nodev", "relatime"], 7),
		mounts_entry("/dev/vda4", "/var/tmp", "ext4", ["rw", "nosuid", "nodev", "noexec", "relatime"], 8),
		mounts_entry("tmpfs", "/tmp", "tmpfs", ["rw", "nosuid", "nodev", "noexec", "relatime", "size=2013440k", "nr_inodes=1048576", "inode64"], 9),
	]},
}

# debian12_facts.mounts: the installer's fstab (checks/testdata/mounts/
# debian12), no tmp.mount, and what systemd mounts on a running server.
debian12_facts.mounts := {
	"fstab": {"path": "/etc/fstab", "exists": true, "entries": [
		mounts_entry("UUID=3f1c2a9e-8d47-4b1e-9a53-2c6f0e7d4b21", "/", "ext4", ["errors=remount-ro"], 12),
		mounts_entry("UUID=b7e04d2c-51a9-4f3e-8c6d-9e2a1f0b3c47", "none", "swap", ["sw"], 14),
		mounts_entry("/dev/sr0", "/media/cdrom0", "udf,iso9660", ["user", "noauto"], 15),
	]},
	"units": mounts_no_tmp_unit,
	"mounted": {"available": true, "source": "/proc/self/mounts", "entries": [
		mounts_entry("sysfs", "/sys", "sysfs", ["rw", "nosuid", "nodev", "noexec", "relatime"], 1),
		mounts_entry("proc", "/proc", "proc", ["rw", "nosuid", "nodev", "noexec", "relatime"], 2),
		mounts_entry("udev", "/dev", "devtmpfs", ["rw", "nosuid", "relatime", "size=1967012k", "nr_inodes=491753", "mode=755", "inode64"], 3),
		mounts_entry("tmpfs", "/run", "tmpfs", ["rw", "nosuid", "nodev", "noexec", "relatime", "size=401504k", "mode=755", "inode64"], 4),
		mounts_entry("/dev/vda1", "/", "ext4", ["rw", "relatime", "errors=remount-ro"], 5),
		mounts_entry("tmpfs", "/dev/shm", "tmpfs", ["rw", "nosuid", "nodev", "inode64"], 6),
		mounts_entry("tmpfs", "/run/lock", "tmpfs", ["rw", "nosuid", "nodev", "noexec", "relatime", "size=5120k", "inode64"], 7),
	]},
}

empty_facts.mounts := {
	"fstab": {"path": "/etc/fstab", "exists": false, "entries": []},
	"units": mounts_no_tmp_unit,
	"mounted": mounts_offline,
}

# Stock Debian 12: /tmp is a directory of the root file system, /dev/shm
# lacks noexec, nothing else is separate.
expect.debian12_host["GCL-MOUNT-001"] := "fail"

expect.debian12_host[id] := "not_applicable" if some id in ["GCL-MOUNT-002", "GCL-MOUNT-003", "GCL-MOUNT-004"]

expect.debian12_host["GCL-MOUNT-007"] := "fail"

expect.debian12_host[id] := "not_applicable" if some id in [sprintf("GCL-MOUNT-%03d", [n]) | some n in numbers.range(8, 12)]
