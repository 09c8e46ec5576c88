# METADATA
# title: The hfsplus kernel module is not available
# description: >-
#   hfsplus reads macOS HFS+ file systems; servers do not need it, and crafted
#   images have exploited it. The module must be unloadable (install
#   /bin/false or /bin/true) and blacklisted, unless no kernel of the root
#   ships it; on the live host it must not be loaded.
# custom:
#   id: GCL-KMOD-004
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["1.1.1.4"]
#     dev-sec-linux-baseline: ["os-10"]
#   remediation: >-
#     Add "install hfsplus /bin/false" and "blacklist hfsplus" to a file in
#     /etc/modprobe.d/ (for example /etc/modprobe.d/cis.conf), and unload the
#     module with "modprobe -r hfsplus" if it is loaded.
#   tags: [modules, filesystem]
package gcrun.linux.modules.hfsplus

import data.gcrun.linux.lib.modules

name := "hfsplus"

evidence := modules.evidence(name)

not_applicable contains reason if some reason in modules.not_applicable(name, data.gcrun.params.modules_allowed)

deny contains reason if some reason in modules.deny_reasons(name)

# remediate adds "install hfsplus /bin/false" and "blacklist hfsplus" to
# /etc/modprobe.d/gcrun-hfsplus.conf where missing (lib/modules.rego); a
# built-in or loaded module needs a person (a new kernel, a reboot).
remediate contains action if {
	count(not_applicable) == 0
	some action in modules.fix(name)
}
