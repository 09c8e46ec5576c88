# METADATA
# title: The squashfs kernel module is not available
# description: >-
#   squashfs is a compressed read-only file system. Snap packages and live
#   images need it, so CIS makes this a level 2 control: disable it where
#   nothing uses it. The module must be unloadable (install /bin/false or
#   /bin/true) and blacklisted, unless no kernel of the root ships it; on the
#   live host it must not be loaded.
# custom:
#   id: GCL-KMOD-006
#   severity: info
#   references:
#     cis-debian-linux-12-v1.1.0: ["1.1.1.7"]
#     dev-sec-linux-baseline: ["os-10"]
#   remediation: >-
#     Add "install squashfs /bin/false" and "blacklist squashfs" to a file in
#     /etc/modprobe.d/ (for example /etc/modprobe.d/cis.conf), and unload the
#     module with "modprobe -r squashfs" if it is loaded.
#   tags: [modules, filesystem]
package gcrun.linux.modules.squashfs

import data.gcrun.linux.lib.modules

name := "squashfs"

evidence := modules.evidence(name)

not_applicable contains reason if some reason in modules.not_applicable(name, data.gcrun.params.modules_allowed)

deny contains reason if some reason in modules.deny_reasons(name)

# remediate adds "install squashfs /bin/false" and "blacklist squashfs" to
# /etc/modprobe.d/gcrun-squashfs.conf where missing (lib/modules.rego); a
# built-in or loaded module needs a person (a new kernel, a reboot).
remediate contains action if {
	count(not_applicable) == 0
	some action in modules.fix(name)
}
