# METADATA
# title: File deletion and renaming by users are audited
# description: >-
#   unlink, unlinkat, rename and renameat (64- and 32-bit) by logged-in
#   users show who removed or replaced files (CIS 6.2.3.13).
# custom:
#   id: GCL-AUDIT-017
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["6.2.3.13"]
#   remediation: >-
#     Add these rules to /etc/audit/rules.d/50-delete.rules, one per line: "-a
#     always,exit -F arch=b64 -S unlink,unlinkat,rename,renameat -F auid>=1000
#     -F auid!=unset -k delete", "-a always,exit -F arch=b32 -S
#     unlink,unlinkat,rename,renameat -F auid>=1000 -F auid!=unset -k delete";
#     then run "augenrules --load" (reboot instead when the audit
#     configuration is immutable).
#   tags: [audit]
package gcrun.linux.audit.rules_delete

import data.gcrun.linux.lib.audit

control := "delete"

# uid_min is the first uid of interactive users (-F auid>=N).
uid_min := data.gcrun.params.audit_uid_min

evidence := audit.evidence(control, uid_min)

deny contains reason if some reason in audit.findings(control, uid_min)

# remediate adds each missing rule line, as the finding expects it, to
# /etc/audit/rules.d/60-gcrun.rules (only while the rules in effect come
# from rules.d; lib/audit.rego).
remediate contains action if some action in audit.rules_fix(control, uid_min)
