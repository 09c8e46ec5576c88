# METADATA
# title: auditd's log files are large enough (max_log_file)
# description: >-
#   max_log_file is the size in MB at which auditd acts on its log (rotate,
#   keep, suspend). Files too small fill and rotate away the history an
#   investigation needs (CIS 6.2.2.1). The parameter audit_max_log_file is
#   the smallest size allowed; unset, auditd uses 8.
# custom:
#   id: GCL-AUDIT-003
#   severity: low
#   references:
#     cis-debian-linux-12-v1.1.0: ["6.2.2.1"]
#   remediation: >-
#     Set "max_log_file = <MB>" in /etc/audit/auditd.conf to at least the
#     site's size and run "service auditd reload".
#   tags: [audit]
package gcrun.linux.audit.max_log_file

import data.gcrun.linux.lib.audit

key := "max_log_file"

minimum := data.gcrun.params.audit_max_log_file

evidence := object.union(audit.conf_where(key), {"minimum": minimum})

deny contains reason if some reason in audit.no_conf

deny contains reason if {
	input.audit.auditd_conf.exists == true
	v := audit.conf_value(key)
	regex.match(`^[0-9]+$`, v)
	to_number(v) < minimum
	reason := {
		"code": "max_log_file",
		"phrase": sprintf("%s MB, expected at least %d MB", [audit.conf_phrase(key), minimum]),
		"expected": sprintf(">= %d", [minimum]),
		"actual": v,
		"evidence": audit.conf_where(key),
	}
}

deny contains reason if {
	input.audit.auditd_conf.exists == true
	v := audit.conf_value(key)
	not regex.match(`^[0-9]+$`, v)
	reason := {
		"code": "invalid",
		"phrase": sprintf("%s, which is not a number of MB; expected at least %d", [audit.conf_phrase(key), minimum]),
		"expected": sprintf(">= %d", [minimum]),
		"actual": v,
		"evidence": audit.conf_where(key),
	}
}

# remediate raises max_log_file to the minimum (whole MB, rounded up).
remediate contains action if {
	count(deny) > 0
	some action in audit.conf_fix(key, format_int(ceil(minimum), 10))
}
