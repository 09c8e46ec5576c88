# METADATA
# title: The freevxfs kernel module is not available
# description: >-
#   freevxfs reads Veritas VxFS file systems, which no Debian server needs; an
#   unused file system driver is attack surface that mounting a crafted image
#   reaches. The module must be unloadable (install /bin/false or /bin/true)
#   and blacklisted, unless no kernel of the root ships it; on the live host
#   it must not be loaded.
# custom:
#   id: GCL-KMOD-002
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["1.1.1.2"]
#     dev-sec-linux-baseline: ["os-10"]
#   remediation: >-
#     Add "install freevxfs /bin/false" and "blacklist freevxfs" to a file in
#     /etc/modprobe.d/ (for example /etc/modprobe.d/cis.conf), and unload the
#     module with "modprobe -r freevxfs" if it is loaded.
#   tags: [modules, filesystem]
package gcrun.linux.modules.freevxfs

import data.gcrun.linux.lib.modules

name := "freevxfs"

evidence := modules.evidence(name)

not_applicable contains reason if some reason in modules.not_applicable(name, data.gcrun.params.modules_allowed)

deny contains reason if some reason in modules.deny_reasons(name)

# remediate adds "install freevxfs /bin/false" and "blacklist freevxfs" to
# /etc/modprobe.d/gcrun-freevxfs.conf where missing (lib/modules.rego); a
# built-in or loaded module needs a person (a new kernel, a reboot).
remediate contains action if {
	count(not_applicable) == 0
	some action in modules.fix(name)
}
