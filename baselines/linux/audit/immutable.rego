# METADATA
# title: The audit configuration is immutable (-e 2)
# description: >-
#   With "-e 2" as the last rule, the kernel refuses any change to the audit
#   rules until the next reboot, so an intruder who becomes root cannot
#   quietly switch auditing off; the reboot it takes is itself noticed
#   (CIS 6.2.3.20). augenrules keeps only the last -e of rules.d and moves
#   it to the end.
# custom:
#   id: GCL-AUDIT-024
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["6.2.3.20"]
#   remediation: >-
#     Put "-e 2" in /etc/audit/rules.d/99-finalize.rules (and no later -e),
#     run "augenrules --load" and reboot.
#   tags: [audit]
package gcrun.linux.audit.immutable

import data.gcrun.linux.lib.audit

# enables are the -e rules in effect, in order.
enables := [r | some r in audit.rules; r.op == "-e"]

last := enables[count(enables) - 1]

evidence := {"source": audit.source, "enable": [sprintf("%s:%d: %s", [r.file, r.line, r.raw]) | some r in enables]}

deny contains reason if {
	count(enables) == 0
	reason := {
		"code": "no_enable",
		"phrase": sprintf("no -e rule in %s, expected -e 2 as the last one", [audit.source]),
		"expected": "-e 2",
		"actual": "none",
		"evidence": {"source": audit.source},
	}
}

deny contains reason if {
	audit.immutable == false
	count(enables) > 0
	reason := {
		"code": "enable",
		"phrase": sprintf("the last -e rule of %s is -e %s (%s:%d), expected -e 2", [audit.source, last.value, last.file, last.line]),
		"expected": "-e 2",
		"actual": sprintf("-e %s", [last.value]),
		"evidence": {"file": last.file, "line": last.line},
	}
}
