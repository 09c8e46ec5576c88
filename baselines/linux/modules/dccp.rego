# METADATA
# title: The dccp kernel module is not available
# description: >-
#   DCCP is a transport protocol almost nothing uses; any local user can make
#   the kernel load it by opening a socket, and it has had privilege
#   escalation bugs (CVE-2017-6074). The module must be unloadable (install
#   /bin/false or /bin/true) and blacklisted, unless no kernel of the root
#   ships it; on the live host it must not be loaded.
# custom:
#   id: GCL-KMOD-009
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["3.2.1"]
#   remediation: >-
#     Add "install dccp /bin/false" and "blacklist dccp" to a file in
#     /etc/modprobe.d/ (for example /etc/modprobe.d/cis.conf), and unload the
#     module with "modprobe -r dccp" if it is loaded.
#   tags: [modules, network]
package gcrun.linux.modules.dccp

import data.gcrun.linux.lib.modules

name := "dccp"

evidence := modules.evidence(name)

not_applicable contains reason if some reason in modules.not_applicable(name, data.gcrun.params.modules_allowed)

deny contains reason if some reason in modules.deny_reasons(name)

# remediate adds "install dccp /bin/false" and "blacklist dccp" to
# /etc/modprobe.d/gcrun-dccp.conf where missing (lib/modules.rego); a
# built-in or loaded module needs a person (a new kernel, a reboot).
remediate contains action if {
	count(not_applicable) == 0
	some action in modules.fix(name)
}
