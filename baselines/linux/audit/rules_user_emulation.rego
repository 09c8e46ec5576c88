# METADATA
# title: Commands run as another user are audited
# description: >-
#   sudo and su run programs under a uid other than the caller's. Auditing
#   execve where euid differs from uid, for logged-in users, records every
#   action taken as another user, on 64- and 32-bit system calls (CIS 6.2.3.2).
# custom:
#   id: GCL-AUDIT-008
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["6.2.3.2"]
#   remediation: >-
#     Add these rules to /etc/audit/rules.d/50-user_emulation.rules, one per
#     line: "-a always,exit -F arch=b64 -C euid!=uid -F auid!=unset -S execve
#     -k user_emulation", "-a always,exit -F arch=b32 -C euid!=uid -F
#     auid!=unset -S execve -k user_emulation"; then run "augenrules --load"
#     (reboot instead when the audit configuration is immutable).
#   tags: [audit]
package gcrun.linux.audit.rules_user_emulation

import data.gcrun.linux.lib.audit

control := "user_emulation"

# The control filters on no uid range.
uid_min := 0

evidence := audit.evidence(control, uid_min)

deny contains reason if some reason in audit.findings(control, uid_min)

# remediate adds each missing rule line, as the finding expects it, to
# /etc/audit/rules.d/60-gcrun.rules (only while the rules in effect come
# from rules.d; lib/audit.rego).
remediate contains action if some action in audit.rules_fix(control, uid_min)
