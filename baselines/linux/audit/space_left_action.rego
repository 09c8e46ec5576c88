# METADATA
# title: auditd warns and then stops when the audit disk runs low
# description: >-
#   Before the log partition fills, auditd should alert an administrator
#   (space_left_action email, exec, single or halt) and, at the
#   admin_space_left threshold, stop the system from running unaudited
#   (admin_space_left_action single or halt), CIS 6.2.2.4. auditd's
#   defaults, SYSLOG and SUSPEND, alert no one and suspend auditing.
# custom:
#   id: GCL-AUDIT-006
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["6.2.2.4"]
#   remediation: >-
#     Set "space_left_action = email" (with action_mail_acct = root) and
#     "admin_space_left_action = single" (or halt) in /etc/audit/auditd.conf
#     and run "service auditd reload".
#   tags: [audit]
package gcrun.linux.audit.space_left_action

import data.gcrun.linux.lib.audit

evidence := {
	"space_left_action": audit.conf_where("space_left_action"),
	"admin_space_left_action": audit.conf_where("admin_space_left_action"),
}

deny contains reason if some reason in audit.no_conf

deny contains reason if some reason in audit.conf_choice("space_left_action", {"email", "exec", "single", "halt"})

deny contains reason if some reason in audit.conf_choice("admin_space_left_action", {"single", "halt"})

# remediate sets space_left_action = email when it fails (a warning to
# the administrator). admin_space_left_action needs a person: its allowed
# values (single, halt) take the host off the network or down.
remediate contains action if {
	count(audit.conf_choice("space_left_action", {"email", "exec", "single", "halt"})) > 0
	some action in audit.conf_fix("space_left_action", "email")
}
