# METADATA
# title: No kernel module that modprobe.d disables is loaded
# description: >-
#   An install or blacklist line only stops future loads: a module loaded
#   before the line was written, loaded with insmod, or pulled in as a
#   dependency keeps running until it is removed or the host reboots. The
#   rule reads the running kernel's module list, so it applies to the live
#   host only.
# custom:
#   id: GCL-KMOD-013
#   severity: medium
#   remediation: >-
#     Unload each module listed with "modprobe -r NAME" (or reboot), after
#     checking that nothing uses it.
#   tags: [modules, live]
package gcrun.linux.modules.disabled_loaded

import data.gcrun.linux.lib.live
import data.gcrun.linux.lib.modules

not_applicable contains reason if {
	reason := live.unavailable(input.kernel_modules.loaded, "the loaded kernel modules")
}

evidence := {
	"kernel_supports_modules": input.kernel_modules.loaded.supported,
	"loaded": sort(object.keys(input.kernel_modules.loaded.modules)),
}

deny contains reason if {
	some name, m in input.kernel_modules.loaded.modules
	line := modules.install(name)
	modules.disables(line)
	reason := {
		"code": "loaded_disabled",
		"phrase": sprintf("module %s is loaded (%s) although %s:%d disables it with %q, expected not loaded", [name, m.state, line.file, line.line, line.command]),
		"expected": "not loaded",
		"actual": "loaded",
		"evidence": {"module": name, "file": line.file, "line": line.line},
	}
}

deny contains reason if {
	some name, m in input.kernel_modules.loaded.modules
	not disabled(name)
	b := modules.blacklisted(name)
	reason := {
		"code": "loaded_blacklisted",
		"phrase": sprintf("module %s is loaded (%s) although %s:%d blacklists it, expected not loaded", [name, m.state, b.file, b.line]),
		"expected": "not loaded",
		"actual": "loaded",
		"evidence": {"module": name, "file": b.file, "line": b.line},
	}
}

disabled(name) if modules.disables(modules.install(name))
