# METADATA
# title: Changes to sudoers are audited
# description: >-
#   Whoever can edit /etc/sudoers or /etc/sudoers.d can make any user root.
#   A write to them must leave an audit record (CIS 6.2.3.1).
# custom:
#   id: GCL-AUDIT-007
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["6.2.3.1"]
#   remediation: >-
#     Add these rules to /etc/audit/rules.d/50-scope.rules, one per line: "-w
#     /etc/sudoers -p wa -k scope", "-w /etc/sudoers.d -p wa -k scope"; then
#     run "augenrules --load" (reboot instead when the audit configuration is
#     immutable).
#   tags: [audit]
package gcrun.linux.audit.rules_scope

import data.gcrun.linux.lib.audit

control := "scope"

# The control filters on no uid range.
uid_min := 0

evidence := audit.evidence(control, uid_min)

deny contains reason if some reason in audit.findings(control, uid_min)

# remediate adds each missing rule line, as the finding expects it, to
# /etc/audit/rules.d/60-gcrun.rules (only while the rules in effect come
# from rules.d; lib/audit.rego).
remediate contains action if some action in audit.rules_fix(control, uid_min)
