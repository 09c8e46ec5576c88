# METADATA
# title: /tmp is mounted with nodev
# description: >-
#   Device files in /tmp would give whoever creates them (a user of a
#   removable or network file system, or of an image mounted there) direct
#   access to disks or kernel memory; nothing there needs device files. The
#   rule checks the /etc/fstab entry or the tmp.mount unit, and on the live
#   host the mount in effect; it does not apply when /tmp is not a separate
#   file system (GCL-MOUNT-001 covers that).
# custom:
#   id: GCL-MOUNT-002
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["1.1.2.1.2"]
#   remediation: >-
#     Add nodev to the options of the /tmp line in /etc/fstab, or to Options= of
#     tmp.mount (in a drop-in such as /etc/systemd/system/tmp.mount.d/cis.conf),
#     then run "mount -o remount,nodev /tmp".
#   tags: [mounts, filesystem]
package gcrun.linux.mounts.tmp_nodev

import data.gcrun.linux.lib.mounts

mount_point := "/tmp"

evidence := mounts.evidence(mount_point)

not_applicable contains reason if {
	reason := mounts.not_separate(mount_point)
}

deny contains reason if some reason in mounts.missing_option(mount_point, "nodev")
