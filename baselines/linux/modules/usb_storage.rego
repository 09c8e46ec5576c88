# METADATA
# title: The usb-storage kernel module is not available
# description: >-
#   usb-storage makes USB mass storage devices usable; disabling it stops data
#   from leaving, and malware from arriving, on USB sticks. The module must be
#   unloadable (install /bin/false or /bin/true) and blacklisted, unless no
#   kernel of the root ships it; on the live host it must not be loaded.
# custom:
#   id: GCL-KMOD-008
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["1.1.1.9"]
#   remediation: >-
#     Add "install usb-storage /bin/false" and "blacklist usb-storage" to a file
#     in /etc/modprobe.d/ (for example /etc/modprobe.d/cis.conf), and unload the
#     module with "modprobe -r usb-storage" if it is loaded.
#   tags: [modules, usb]
package gcrun.linux.modules.usb_storage

import data.gcrun.linux.lib.modules

name := "usb_storage"

evidence := modules.evidence(name)

not_applicable contains reason if some reason in modules.not_applicable(name, data.gcrun.params.modules_allowed)

deny contains reason if some reason in modules.deny_reasons(name)

# remediate adds "install usb_storage /bin/false" and "blacklist usb_storage" to
# /etc/modprobe.d/gcrun-usb_storage.conf where missing (lib/modules.rego); a
# built-in or loaded module needs a person (a new kernel, a reboot).
remediate contains action if {
	count(not_applicable) == 0
	some action in modules.fix(name)
}
