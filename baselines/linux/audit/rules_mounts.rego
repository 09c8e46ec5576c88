# METADATA
# title: File system mounts by users are audited
# description: >-
#   A mount by a logged-in user can bring in setuid programs or take data
#   away on removable media (CIS 6.2.3.10).
# custom:
#   id: GCL-AUDIT-014
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["6.2.3.10"]
#   remediation: >-
#     Add these rules to /etc/audit/rules.d/50-mounts.rules, one per line: "-a
#     always,exit -F arch=b64 -S mount -F auid>=1000 -F auid!=unset -k
#     mounts", "-a always,exit -F arch=b32 -S mount -F auid>=1000 -F
#     auid!=unset -k mounts"; then run "augenrules --load" (reboot instead
#     when the audit configuration is immutable).
#   tags: [audit]
package gcrun.linux.audit.rules_mounts

import data.gcrun.linux.lib.audit

control := "mounts"

# uid_min is the first uid of interactive users (-F auid>=N).
uid_min := data.gcrun.params.audit_uid_min

evidence := audit.evidence(control, uid_min)

deny contains reason if some reason in audit.findings(control, uid_min)

# remediate adds each missing rule line, as the finding expects it, to
# /etc/audit/rules.d/60-gcrun.rules (only while the rules in effect come
# from rules.d; lib/audit.rego).
remediate contains action if some action in audit.rules_fix(control, uid_min)
