# METADATA
# title: /tmp is mounted with nosuid
# description: >-
#   A setuid or setgid program placed in /tmp would run with its owner's
#   privileges; users must not be able to create privileged programs there.
#   The rule checks the /etc/fstab entry or the tmp.mount unit, and on the
#   live host the mount in effect; it does not apply when /tmp is not a
#   separate file system (GCL-MOUNT-001 covers that).
# custom:
#   id: GCL-MOUNT-003
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["1.1.2.1.3"]
#   remediation: >-
#     Add nosuid to the options of the /tmp line in /etc/fstab, or to Options=
#     of tmp.mount (in a drop-in such as
#     /etc/systemd/system/tmp.mount.d/cis.conf), then run "mount -o
#     remount,nosuid /tmp".
#   tags: [mounts, filesystem]
package gcrun.linux.mounts.tmp_nosuid

import data.gcrun.linux.lib.mounts

mount_point := "/tmp"

evidence := mounts.evidence(mount_point)

not_applicable contains reason if {
	reason := mounts.not_separate(mount_point)
}

deny contains reason if some reason in mounts.missing_option(mount_point, "nosuid")
