# METADATA
# title: Use of chacl is audited
# description: >-
#   chacl changes access control lists; its use by logged-in users must be
#   recorded (CIS 6.2.3.17).
# custom:
#   id: GCL-AUDIT-021
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["6.2.3.17"]
#   remediation: >-
#     Add these rules to /etc/audit/rules.d/50-chacl.rules, one per line: "-a
#     always,exit -F path=/usr/bin/chacl -F perm=x -F auid>=1000 -F
#     auid!=unset -k perm_chng"; then run "augenrules --load" (reboot instead
#     when the audit configuration is immutable).
#   tags: [audit]
package gcrun.linux.audit.rules_chacl

import data.gcrun.linux.lib.audit

control := "chacl"

# uid_min is the first uid of interactive users (-F auid>=N).
uid_min := data.gcrun.params.audit_uid_min

evidence := audit.evidence(control, uid_min)

deny contains reason if some reason in audit.findings(control, uid_min)

# remediate adds each missing rule line, as the finding expects it, to
# /etc/audit/rules.d/60-gcrun.rules (only while the rules in effect come
# from rules.d; lib/audit.rego).
remediate contains action if some action in audit.rules_fix(control, uid_min)
