# METADATA
# title: The rds kernel module is not available
# description: >-
#   RDS (Reliable Datagram Sockets) is an Oracle cluster protocol; it is
#   loaded on demand by opening a socket and has had privilege escalation bugs
#   (CVE-2010-3904, CVE-2019-11815). The module must be unloadable (install
#   /bin/false or /bin/true) and blacklisted, unless no kernel of the root
#   ships it; on the live host it must not be loaded.
# custom:
#   id: GCL-KMOD-011
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["3.2.3"]
#   remediation: >-
#     Add "install rds /bin/false" and "blacklist rds" to a file in
#     /etc/modprobe.d/ (for example /etc/modprobe.d/cis.conf), and unload the
#     module with "modprobe -r rds" if it is loaded.
#   tags: [modules, network]
package gcrun.linux.modules.rds

import data.gcrun.linux.lib.modules

name := "rds"

evidence := modules.evidence(name)

not_applicable contains reason if some reason in modules.not_applicable(name, data.gcrun.params.modules_allowed)

deny contains reason if some reason in modules.deny_reasons(name)

# remediate adds "install rds /bin/false" and "blacklist rds" to
# /etc/modprobe.d/gcrun-rds.conf where missing (lib/modules.rego); a
# built-in or loaded module needs a person (a new kernel, a reboot).
remediate contains action if {
	count(not_applicable) == 0
	some action in modules.fix(name)
}
