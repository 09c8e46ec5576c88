# METADATA
# title: The tipc kernel module is not available
# description: >-
#   TIPC is a cluster communication protocol almost nothing uses; it is loaded
#   on demand by opening a socket and has had remotely exploitable bugs
#   (CVE-2021-43267). The module must be unloadable (install /bin/false or
#   /bin/true) and blacklisted, unless no kernel of the root ships it; on the
#   live host it must not be loaded.
# custom:
#   id: GCL-KMOD-010
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["3.2.2"]
#   remediation: >-
#     Add "install tipc /bin/false" and "blacklist tipc" to a file in
#     /etc/modprobe.d/ (for example /etc/modprobe.d/cis.conf), and unload the
#     module with "modprobe -r tipc" if it is loaded.
#   tags: [modules, network]
package gcrun.linux.modules.tipc

import data.gcrun.linux.lib.modules

name := "tipc"

evidence := modules.evidence(name)

not_applicable contains reason if some reason in modules.not_applicable(name, data.gcrun.params.modules_allowed)

deny contains reason if some reason in modules.deny_reasons(name)

# remediate adds "install tipc /bin/false" and "blacklist tipc" to
# /etc/modprobe.d/gcrun-tipc.conf where missing (lib/modules.rego); a
# built-in or loaded module needs a person (a new kernel, a reboot).
remediate contains action if {
	count(not_applicable) == 0
	some action in modules.fix(name)
}
