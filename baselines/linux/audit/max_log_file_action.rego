# METADATA
# title: auditd keeps full log files instead of deleting them (keep_logs)
# description: >-
#   With the default max_log_file_action ROTATE, auditd deletes the oldest
#   log once num_logs files exist, so an attacker can flush the evidence by
#   generating events. keep_logs rotates without ever deleting (CIS
#   6.2.2.2).
# custom:
#   id: GCL-AUDIT-004
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["6.2.2.2"]
#   remediation: >-
#     Set "max_log_file_action = keep_logs" in /etc/audit/auditd.conf and run
#     "service auditd reload".
#   tags: [audit]
package gcrun.linux.audit.max_log_file_action

import data.gcrun.linux.lib.audit

evidence := audit.conf_where("max_log_file_action")

deny contains reason if some reason in audit.no_conf

deny contains reason if some reason in audit.conf_choice("max_log_file_action", {"keep_logs"})

# remediate sets max_log_file_action = keep_logs.
remediate contains action if {
	count(deny) > 0
	some action in audit.conf_fix("max_log_file_action", "keep_logs")
}
