# METADATA
# title: Use of setfacl is audited
# description: >-
#   setfacl grants access beyond the permission bits; its use by logged-in
#   users must be recorded (CIS 6.2.3.16).
# custom:
#   id: GCL-AUDIT-020
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["6.2.3.16"]
#   remediation: >-
#     Add these rules to /etc/audit/rules.d/50-setfacl.rules, one per line:
#     "-a always,exit -F path=/usr/bin/setfacl -F perm=x -F auid>=1000 -F
#     auid!=unset -k perm_chng"; then run "augenrules --load" (reboot instead
#     when the audit configuration is immutable).
#   tags: [audit]
package gcrun.linux.audit.rules_setfacl

import data.gcrun.linux.lib.audit

control := "setfacl"

# uid_min is the first uid of interactive users (-F auid>=N).
uid_min := data.gcrun.params.audit_uid_min

evidence := audit.evidence(control, uid_min)

deny contains reason if some reason in audit.findings(control, uid_min)

# remediate adds each missing rule line, as the finding expects it, to
# /etc/audit/rules.d/60-gcrun.rules (only while the rules in effect come
# from rules.d; lib/audit.rego).
remediate contains action if some action in audit.rules_fix(control, uid_min)
