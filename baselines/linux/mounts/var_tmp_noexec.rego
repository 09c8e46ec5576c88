# METADATA
# title: /var/tmp is mounted with noexec
# description: >-
#   Attackers drop their tools into world-writable directories such as
#   /var/tmp and run them from there; noexec stops programs there from being
#   executed directly. It applies when /var/tmp is a separate file system (a
#   level 2 recommendation of CIS).
# custom:
#   id: GCL-MOUNT-010
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["1.1.2.5.4"]
#   remediation: >-
#     Add noexec to the options of the /var/tmp line in /etc/fstab and run
#     "mount -o remount,noexec /var/tmp".
#   tags: [mounts, filesystem]
package gcrun.linux.mounts.var_tmp_noexec

import data.gcrun.linux.lib.mounts

mount_point := "/var/tmp"

evidence := mounts.evidence(mount_point)

not_applicable contains reason if {
	reason := mounts.not_separate(mount_point)
}

deny contains reason if some reason in mounts.missing_option(mount_point, "noexec")
