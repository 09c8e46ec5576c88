# METADATA
# title: /tmp is a separate file system
# description: >-
#   A separate /tmp (usually a tmpfs) can be mounted nodev, nosuid and
#   noexec, keeps users who fill it from filling the root file system, and
#   is emptied at boot. The rule wants an /etc/fstab entry for /tmp or an
#   enabled tmp.mount unit, and on the live host /tmp mounted now.
# custom:
#   id: GCL-MOUNT-001
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["1.1.2.1.1"]
#   remediation: >-
#     Run "cp /usr/share/systemd/tmp.mount /etc/systemd/system/" and
#     "systemctl enable --now tmp.mount" (a tmpfs), or add a /tmp line to
#     /etc/fstab and mount it.
#   tags: [mounts, filesystem]
package gcrun.linux.mounts.tmp_separate

import data.gcrun.linux.lib.live
import data.gcrun.linux.lib.mounts

mount_point := "/tmp"

unit := input.mounts.units["tmp.mount"]

# unit_state says what tmp.mount does at boot.
unit_state := "absent" if {
	unit.exists == false
} else := "masked" if {
	unit.masked == true
} else := sprintf("enabled (%s)", [unit.path]) if {
	unit.enabled == true
} else := sprintf("not enabled (%s)", [unit.path])

evidence := object.union(mounts.evidence(mount_point), {"tmp_mount": unit_state})

not_applicable contains reason if {
	input.mounts.fstab.exists == false
	unit.exists == false
	not live.available(input.mounts.mounted)
	reason := {
		"code": "no_fstab",
		"phrase": "the root has neither /etc/fstab nor tmp.mount: it does not describe its own file systems (a container image?)",
		"evidence": {"file": input.mounts.fstab.path},
	}
}

deny contains reason if {
	not mounts.configured(mount_point)
	reason := {
		"code": "not_configured",
		"phrase": sprintf("/tmp is not a separate file system at boot: %s has no entry for it and tmp.mount is %s, expected one of them to mount /tmp", [input.mounts.fstab.path, unit_state]),
		"expected": "separate",
		"actual": "not separate",
		"evidence": {"file": input.mounts.fstab.path, "mount_point": mount_point, "tmp_mount": unit_state},
	}
}

deny contains reason if {
	live.available(input.mounts.mounted)
	not mounts.mounted_entry(mount_point)
	reason := {
		"code": "not_mounted",
		"phrase": "/tmp is not a mount point on the running system, expected a separate file system",
		"expected": "mounted",
		"actual": "not mounted",
		"evidence": {"file": input.mounts.mounted.source, "mount_point": mount_point},
	}
}
