# METADATA
# title: The jffs2 kernel module is not available
# description: >-
#   jffs2 is a flash file system for embedded devices; a server never mounts
#   one, so the driver is only attack surface. The module must be unloadable
#   (install /bin/false or /bin/true) and blacklisted, unless no kernel of the
#   root ships it; on the live host it must not be loaded.
# custom:
#   id: GCL-KMOD-005
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["1.1.1.5"]
#     dev-sec-linux-baseline: ["os-10"]
#   remediation: >-
#     Add "install jffs2 /bin/false" and "blacklist jffs2" to a file in
#     /etc/modprobe.d/ (for example /etc/modprobe.d/cis.conf), and unload the
#     module with "modprobe -r jffs2" if it is loaded.
#   tags: [modules, filesystem]
package gcrun.linux.modules.jffs2

import data.gcrun.linux.lib.modules

name := "jffs2"

evidence := modules.evidence(name)

not_applicable contains reason if some reason in modules.not_applicable(name, data.gcrun.params.modules_allowed)

deny contains reason if some reason in modules.deny_reasons(name)

# remediate adds "install jffs2 /bin/false" and "blacklist jffs2" to
# /etc/modprobe.d/gcrun-jffs2.conf where missing (lib/modules.rego); a
# built-in or loaded module needs a person (a new kernel, a reboot).
remediate contains action if {
	count(not_applicable) == 0
	some action in modules.fix(name)
}
