# METADATA
# title: Changes to the system time are audited
# description: >-
#   An intruder who moves the clock can make log timestamps lie. Audit
#   adjtimex, settimeofday and clock_settime (64- and 32-bit) and writes to
#   /etc/localtime (CIS 6.2.3.4).
# custom:
#   id: GCL-AUDIT-009
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["6.2.3.4"]
#   remediation: >-
#     Add these rules to /etc/audit/rules.d/50-time-change.rules, one per
#     line: "-a always,exit -F arch=b64 -S adjtimex,settimeofday,clock_settime
#     -k time-change", "-a always,exit -F arch=b32 -S
#     adjtimex,settimeofday,clock_settime -k time-change", "-w /etc/localtime
#     -p wa -k time-change"; then run "augenrules --load" (reboot instead when
#     the audit configuration is immutable).
#   tags: [audit]
package gcrun.linux.audit.rules_time_change

import data.gcrun.linux.lib.audit

control := "time_change"

# The control filters on no uid range.
uid_min := 0

evidence := audit.evidence(control, uid_min)

deny contains reason if some reason in audit.findings(control, uid_min)

# remediate adds each missing rule line, as the finding expects it, to
# /etc/audit/rules.d/60-gcrun.rules (only while the rules in effect come
# from rules.d; lib/audit.rego).
remediate contains action if some action in audit.rules_fix(control, uid_min)
