# METADATA
# title: The hfs kernel module is not available
# description: >-
#   hfs reads old Mac OS file systems; the driver is rarely used, rarely
#   reviewed, and reachable by mounting a crafted image. The module must be
#   unloadable (install /bin/false or /bin/true) and blacklisted, unless no
#   kernel of the root ships it; on the live host it must not be loaded.
# custom:
#   id: GCL-KMOD-003
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["1.1.1.3"]
#     dev-sec-linux-baseline: ["os-10"]
#   remediation: >-
#     Add "install hfs /bin/false" and "blacklist hfs" to a file in
#     /etc/modprobe.d/ (for example /etc/modprobe.d/cis.conf), and unload the
#     module with "modprobe -r hfs" if it is loaded.
#   tags: [modules, filesystem]
package gcrun.linux.modules.hfs

import data.gcrun.linux.lib.modules

name := "hfs"

evidence := modules.evidence(name)

not_applicable contains reason if some reason in modules.not_applicable(name, data.gcrun.params.modules_allowed)

deny contains reason if some reason in modules.deny_reasons(name)

# remediate adds "install hfs /bin/false" and "blacklist hfs" to
# /etc/modprobe.d/gcrun-hfs.conf where missing (lib/modules.rego); a
# built-in or loaded module needs a person (a new kernel, a reboot).
remediate contains action if {
	count(not_applicable) == 0
	some action in modules.fix(name)
}
