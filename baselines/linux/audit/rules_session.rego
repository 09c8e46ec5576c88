# METADATA
# title: Session records (utmp, wtmp, btmp) are watched
# description: >-
#   utmp, wtmp and btmp record who is and was logged in, and failed logins;
#   an intruder edits them to hide (CIS 6.2.3.11).
# custom:
#   id: GCL-AUDIT-015
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["6.2.3.11"]
#   remediation: >-
#     Add these rules to /etc/audit/rules.d/50-session.rules, one per line:
#     "-w /var/run/utmp -p wa -k session", "-w /var/log/wtmp -p wa -k
#     session", "-w /var/log/btmp -p wa -k session"; then run "augenrules
#     --load" (reboot instead when the audit configuration is immutable).
#   tags: [audit]
package gcrun.linux.audit.rules_session

import data.gcrun.linux.lib.audit

control := "session"

# The control filters on no uid range.
uid_min := 0

evidence := audit.evidence(control, uid_min)

deny contains reason if some reason in audit.findings(control, uid_min)

# remediate adds each missing rule line, as the finding expects it, to
# /etc/audit/rules.d/60-gcrun.rules (only while the rules in effect come
# from rules.d; lib/audit.rego).
remediate contains action if some action in audit.rules_fix(control, uid_min)
