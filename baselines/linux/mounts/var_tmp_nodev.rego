# METADATA
# title: /var/tmp is mounted with nodev
# description: >-
#   Device files in /var/tmp would give whoever creates them (a user of a
#   removable or network file system, or of an image mounted there) direct
#   access to disks or kernel memory; nothing there needs device files. It
#   applies when /var/tmp is a separate file system (a level 2 recommendation
#   of CIS).
# custom:
#   id: GCL-MOUNT-008
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["1.1.2.5.2"]
#   remediation: >-
#     Add nodev to the options of the /var/tmp line in /etc/fstab and run "mount
#     -o remount,nodev /var/tmp".
#   tags: [mounts, filesystem]
package gcrun.linux.mounts.var_tmp_nodev

import data.gcrun.linux.lib.mounts

mount_point := "/var/tmp"

evidence := mounts.evidence(mount_point)

not_applicable contains reason if {
	reason := mounts.not_separate(mount_point)
}

deny contains reason if some reason in mounts.missing_option(mount_point, "nodev")
