# METADATA
# title: The system stops when the audit disk is full or fails
# description: >-
#   When the partition of the audit logs is full or has errors, auditd can
#   no longer record; a system that keeps running then acts unaudited. CIS
#   6.2.2.3 wants disk_full_action halt or single, and disk_error_action
#   syslog, single or halt (auditd's defaults are SUSPEND and SYSLOG).
# custom:
#   id: GCL-AUDIT-005
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["6.2.2.3"]
#   remediation: >-
#     Set "disk_full_action = halt" (or single) and "disk_error_action =
#     halt" (or single, or syslog) in /etc/audit/auditd.conf and run
#     "service auditd reload".
#   tags: [audit]
package gcrun.linux.audit.disk_full_action

import data.gcrun.linux.lib.audit

evidence := {
	"disk_full_action": audit.conf_where("disk_full_action"),
	"disk_error_action": audit.conf_where("disk_error_action"),
}

deny contains reason if some reason in audit.no_conf

deny contains reason if some reason in audit.conf_choice("disk_full_action", {"halt", "single"})

deny contains reason if some reason in audit.conf_choice("disk_error_action", {"syslog", "single", "halt"})

# remediate sets disk_error_action = syslog when it fails. disk_full_action
# needs a person: both values allowed (halt, single) take the host down or
# off the network, which the site must choose.
remediate contains action if {
	count(audit.conf_choice("disk_error_action", {"syslog", "single", "halt"})) > 0
	some action in audit.conf_fix("disk_error_action", "syslog")
}
