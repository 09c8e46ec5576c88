# METADATA
# title: /dev/shm is mounted with nosuid
# description: >-
#   A setuid or setgid program placed in /dev/shm would run with its owner's
#   privileges; users must not be able to create privileged programs there.
#   systemd mounts /dev/shm at boot unless /etc/fstab lists it: offline, only
#   an fstab entry can be checked.
# custom:
#   id: GCL-MOUNT-006
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["1.1.2.2.3"]
#   remediation: >-
#     Add "tmpfs /dev/shm tmpfs defaults,rw,nosuid,nodev,noexec,relatime 0 0" to
#     /etc/fstab (or add nosuid to the options of its /dev/shm line) and run
#     "mount -o remount /dev/shm".
#   tags: [mounts, filesystem]
package gcrun.linux.mounts.dev_shm_nosuid

import data.gcrun.linux.lib.live
import data.gcrun.linux.lib.mounts

mount_point := "/dev/shm"

evidence := mounts.evidence(mount_point)

not_applicable contains reason if {
	not mounts.fstab_entry(mount_point)
	reason := live.unavailable(input.mounts.mounted, "the mount options of /dev/shm (systemd mounts it at boot)")
}

not_applicable contains reason if {
	live.available(input.mounts.mounted)
	reason := mounts.not_separate(mount_point)
}

deny contains reason if some reason in mounts.missing_option(mount_point, "nosuid")
