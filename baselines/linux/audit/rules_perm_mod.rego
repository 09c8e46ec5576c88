# METADATA
# title: Changes to file permissions, owners and attributes are audited
# description: >-
#   chmod, chown and the extended attribute calls (64- and 32-bit) by
#   logged-in users change who may read or run a file (CIS 6.2.3.9).
# custom:
#   id: GCL-AUDIT-013
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["6.2.3.9"]
#   remediation: >-
#     Add these rules to /etc/audit/rules.d/50-perm_mod.rules, one per line:
#     "-a always,exit -F arch=b64 -S chmod,fchmod,fchmodat -F auid>=1000 -F
#     auid!=unset -k perm_mod", "-a always,exit -F arch=b64 -S
#     chown,fchown,lchown,fchownat -F auid>=1000 -F auid!=unset -k perm_mod",
#     "-a always,exit -F arch=b64 -S
#     setxattr,lsetxattr,fsetxattr,removexattr,lremovexattr,fremovexattr -F
#     auid>=1000 -F auid!=unset -k perm_mod", "-a always,exit -F arch=b32 -S
#     chmod,fchmod,fchmodat -F auid>=1000 -F auid!=unset -k perm_mod", "-a
#     always,exit -F arch=b32 -S chown,fchown,lchown,fchownat -F auid>=1000 -F
#     auid!=unset -k perm_mod", "-a always,exit -F arch=b32 -S
#     setxattr,lsetxattr,fsetxattr,removexattr,lremovexattr,fremovexattr -F
#     auid>=1000 -F auid!=unset -k perm_mod"; then run "augenrules --load"
#     (reboot instead when the audit configuration is immutable).
#   tags: [audit]
package gcrun.linux.audit.rules_perm_mod

import data.gcrun.linux.lib.audit

control := "perm_mod"

# uid_min is the first uid of interactive users (-F auid>=N).
uid_min := data.gcrun.params.audit_uid_min

evidence := audit.evidence(control, uid_min)

deny contains reason if some reason in audit.findings(control, uid_min)

# remediate adds each missing rule line, as the finding expects it, to
# /etc/audit/rules.d/60-gcrun.rules (only while the rules in effect come
# from rules.d; lib/audit.rego).
remediate contains action if some action in audit.rules_fix(control, uid_min)
