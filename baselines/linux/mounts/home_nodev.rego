# METADATA
# title: /home is mounted with nodev
# description: >-
#   Device files in /home would give whoever creates them (a user of a
#   removable or network file system, or of an image mounted there) direct
#   access to disks or kernel memory; nothing there needs device files. It
#   applies when /home is a separate file system (a level 2 recommendation of
#   CIS).
# custom:
#   id: GCL-MOUNT-011
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["1.1.2.3.2"]
#   remediation: >-
#     Add nodev to the options of the /home line in /etc/fstab and run "mount -o
#     remount,nodev /home".
#   tags: [mounts, filesystem]
package gcrun.linux.mounts.home_nodev

import data.gcrun.linux.lib.mounts

mount_point := "/home"

evidence := mounts.evidence(mount_point)

not_applicable contains reason if {
	reason := mounts.not_separate(mount_point)
}

deny contains reason if some reason in mounts.missing_option(mount_point, "nodev")
