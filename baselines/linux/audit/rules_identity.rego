# METADATA
# title: Changes to users, groups and authentication are audited
# description: >-
#   Writes to /etc/passwd, /etc/shadow, /etc/group, /etc/gshadow,
#   /etc/security/opasswd, /etc/nsswitch.conf, /etc/pam.conf and /etc/pam.d
#   create accounts or change how they authenticate (CIS 6.2.3.8).
# custom:
#   id: GCL-AUDIT-012
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["6.2.3.8"]
#   remediation: >-
#     Add these rules to /etc/audit/rules.d/50-identity.rules, one per line:
#     "-w /etc/group -p wa -k identity", "-w /etc/passwd -p wa -k identity",
#     "-w /etc/gshadow -p wa -k identity", "-w /etc/shadow -p wa -k identity",
#     "-w /etc/security/opasswd -p wa -k identity", "-w /etc/nsswitch.conf -p
#     wa -k identity", "-w /etc/pam.conf -p wa -k identity", "-w /etc/pam.d -p
#     wa -k identity"; then run "augenrules --load" (reboot instead when the
#     audit configuration is immutable).
#   tags: [audit]
package gcrun.linux.audit.rules_identity

import data.gcrun.linux.lib.audit

control := "identity"

# The control filters on no uid range.
uid_min := 0

evidence := audit.evidence(control, uid_min)

deny contains reason if some reason in audit.findings(control, uid_min)

# remediate adds each missing rule line, as the finding expects it, to
# /etc/audit/rules.d/60-gcrun.rules (only while the rules in effect come
# from rules.d; lib/audit.rego).
remediate contains action if some action in audit.rules_fix(control, uid_min)
