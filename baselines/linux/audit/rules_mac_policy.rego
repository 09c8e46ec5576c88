# METADATA
# title: Changes to the AppArmor policy are audited
# description: >-
#   Writes to /etc/apparmor and /etc/apparmor.d change what the mandatory
#   access control allows (CIS 6.2.3.14).
# custom:
#   id: GCL-AUDIT-018
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["6.2.3.14"]
#   remediation: >-
#     Add these rules to /etc/audit/rules.d/50-MAC-policy.rules, one per line:
#     "-w /etc/apparmor/ -p wa -k MAC-policy", "-w /etc/apparmor.d/ -p wa -k
#     MAC-policy"; then run "augenrules --load" (reboot instead when the audit
#     configuration is immutable).
#   tags: [audit]
package gcrun.linux.audit.rules_mac_policy

import data.gcrun.linux.lib.audit

control := "mac_policy"

# The control filters on no uid range.
uid_min := 0

evidence := audit.evidence(control, uid_min)

deny contains reason if some reason in audit.findings(control, uid_min)

# remediate adds each missing rule line, as the finding expects it, to
# /etc/audit/rules.d/60-gcrun.rules (only while the rules in effect come
# from rules.d; lib/audit.rego).
remediate contains action if some action in audit.rules_fix(control, uid_min)
