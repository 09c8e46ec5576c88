# METADATA
# title: /home is mounted with nosuid
# description: >-
#   A setuid or setgid program placed in /home would run with its owner's
#   privileges; users must not be able to create privileged programs there. It
#   applies when /home is a separate file system (a level 2 recommendation of
#   CIS).
# custom:
#   id: GCL-MOUNT-012
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["1.1.2.3.3"]
#   remediation: >-
#     Add nosuid to the options of the /home line in /etc/fstab and run "mount
#     -o remount,nosuid /home".
#   tags: [mounts, filesystem]
package gcrun.linux.mounts.home_nosuid

import data.gcrun.linux.lib.mounts

mount_point := "/home"

evidence := mounts.evidence(mount_point)

not_applicable contains reason if {
	reason := mounts.not_separate(mount_point)
}

deny contains reason if some reason in mounts.missing_option(mount_point, "nosuid")
