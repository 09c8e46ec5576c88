# METADATA
# title: The cramfs kernel module is not available
# description: >-
#   cramfs is a compressed read-only file system for small embedded systems;
#   servers never need it, and every file system driver a user can make the
#   kernel load (by plugging in or mounting an image) is attack surface. The
#   module must be unloadable (install /bin/false or /bin/true) and
#   blacklisted, unless no kernel of the root ships it; on the live host it
#   must not be loaded.
# custom:
#   id: GCL-KMOD-001
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["1.1.1.1"]
#     dev-sec-linux-baseline: ["os-10"]
#   remediation: >-
#     Add "install cramfs /bin/false" and "blacklist cramfs" to a file in
#     /etc/modprobe.d/ (for example /etc/modprobe.d/cis.conf), and unload the
#     module with "modprobe -r cramfs" if it is loaded.
#   tags: [modules, filesystem]
package gcrun.linux.modules.cramfs

import data.gcrun.linux.lib.modules

name := "cramfs"

evidence := modules.evidence(name)

not_applicable contains reason if some reason in modules.not_applicable(name, data.gcrun.params.modules_allowed)

deny contains reason if some reason in modules.deny_reasons(name)

# remediate adds "install cramfs /bin/false" and "blacklist cramfs" to
# /etc/modprobe.d/gcrun-cramfs.conf where missing (lib/modules.rego); a
# built-in or loaded module needs a person (a new kernel, a reboot).
remediate contains action if {
	count(not_applicable) == 0
	some action in modules.fix(name)
}
