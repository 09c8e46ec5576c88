# METADATA
# title: Unsuccessful file access attempts are audited
# description: >-
#   Repeated EACCES or EPERM failures of open, openat, creat, truncate and
#   ftruncate by logged-in users show someone probing for files they may not
#   read (CIS 6.2.3.7).
# custom:
#   id: GCL-AUDIT-011
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["6.2.3.7"]
#   remediation: >-
#     Add these rules to /etc/audit/rules.d/50-access.rules, one per line: "-a
#     always,exit -F arch=b64 -S creat,open,openat,truncate,ftruncate -F
#     exit=-EACCES -F auid>=1000 -F auid!=unset -k access", "-a always,exit -F
#     arch=b64 -S creat,open,openat,truncate,ftruncate -F exit=-EPERM -F
#     auid>=1000 -F auid!=unset -k access", "-a always,exit -F arch=b32 -S
#     creat,open,openat,truncate,ftruncate -F exit=-EACCES -F auid>=1000 -F
#     auid!=unset -k access", "-a always,exit -F arch=b32 -S
#     creat,open,openat,truncate,ftruncate -F exit=-EPERM -F auid>=1000 -F
#     auid!=unset -k access"; then run "augenrules --load" (reboot instead
#     when the audit configuration is immutable).
#   tags: [audit]
package gcrun.linux.audit.rules_access

import data.gcrun.linux.lib.audit

control := "access"

# uid_min is the first uid of interactive users (-F auid>=N).
uid_min := data.gcrun.params.audit_uid_min

evidence := audit.evidence(control, uid_min)

deny contains reason if some reason in audit.findings(control, uid_min)

# remediate adds each missing rule line, as the finding expects it, to
# /etc/audit/rules.d/60-gcrun.rules (only while the rules in effect come
# from rules.d; lib/audit.rego).
remediate contains action if some action in audit.rules_fix(control, uid_min)
