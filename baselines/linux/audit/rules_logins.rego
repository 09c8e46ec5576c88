# METADATA
# title: Login and logout records are watched
# description: >-
#   lastlog and the faillock directory record logins and failures (CIS
#   6.2.3.12). /var/run and /run are the same directory.
# custom:
#   id: GCL-AUDIT-016
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["6.2.3.12"]
#   remediation: >-
#     Add these rules to /etc/audit/rules.d/50-logins.rules, one per line: "-w
#     /var/log/lastlog -p wa -k logins", "-w /run/faillock -p wa -k logins";
#     then run "augenrules --load" (reboot instead when the audit
#     configuration is immutable).
#   tags: [audit]
package gcrun.linux.audit.rules_logins

import data.gcrun.linux.lib.audit

control := "logins"

# The control filters on no uid range.
uid_min := 0

evidence := audit.evidence(control, uid_min)

deny contains reason if some reason in audit.findings(control, uid_min)

# remediate adds each missing rule line, as the finding expects it, to
# /etc/audit/rules.d/60-gcrun.rules (only while the rules in effect come
# from rules.d; lib/audit.rego).
remediate contains action if some action in audit.rules_fix(control, uid_min)
