# METADATA
# title: The sctp kernel module is not available
# description: >-
#   SCTP is a message-oriented transport used by telephony; elsewhere it is
#   unused kernel code that any user can load by opening a socket, with a
#   history of remote bugs. The module must be unloadable (install /bin/false
#   or /bin/true) and blacklisted, unless no kernel of the root ships it; on
#   the live host it must not be loaded.
# custom:
#   id: GCL-KMOD-012
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["3.2.4"]
#   remediation: >-
#     Add "install sctp /bin/false" and "blacklist sctp" to a file in
#     /etc/modprobe.d/ (for example /etc/modprobe.d/cis.conf), and unload the
#     module with "modprobe -r sctp" if it is loaded.
#   tags: [modules, network]
package gcrun.linux.modules.sctp

import data.gcrun.linux.lib.modules

name := "sctp"

evidence := modules.evidence(name)

not_applicable contains reason if some reason in modules.not_applicable(name, data.gcrun.params.modules_allowed)

deny contains reason if some reason in modules.deny_reasons(name)

# remediate adds "install sctp /bin/false" and "blacklist sctp" to
# /etc/modprobe.d/gcrun-sctp.conf where missing (lib/modules.rego); a
# built-in or loaded module needs a person (a new kernel, a reboot).
remediate contains action if {
	count(not_applicable) == 0
	some action in modules.fix(name)
}
