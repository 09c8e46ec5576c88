# METADATA
# title: The udf kernel module is not available
# description: >-
#   udf is the file system of DVDs and some removable media; servers rarely
#   need it (Azure images do), so CIS makes this a level 2 control. The module
#   must be unloadable (install /bin/false or /bin/true) and blacklisted,
#   unless no kernel of the root ships it; on the live host it must not be
#   loaded.
# custom:
#   id: GCL-KMOD-007
#   severity: low
#   references:
#     cis-debian-linux-12-v1.1.0: ["1.1.1.8"]
#     dev-sec-linux-baseline: ["os-10"]
#   remediation: >-
#     Add "install udf /bin/false" and "blacklist udf" to a file in
#     /etc/modprobe.d/ (for example /etc/modprobe.d/cis.conf), and unload the
#     module with "modprobe -r udf" if it is loaded.
#   tags: [modules, filesystem]
package gcrun.linux.modules.udf

import data.gcrun.linux.lib.modules

name := "udf"

evidence := modules.evidence(name)

not_applicable contains reason if some reason in modules.not_applicable(name, data.gcrun.params.modules_allowed)

deny contains reason if some reason in modules.deny_reasons(name)

# remediate adds "install udf /bin/false" and "blacklist udf" to
# /etc/modprobe.d/gcrun-udf.conf where missing (lib/modules.rego); a
# built-in or loaded module needs a person (a new kernel, a reboot).
remediate contains action if {
	count(not_applicable) == 0
	some action in modules.fix(name)
}
