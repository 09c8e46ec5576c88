# METADATA
# title: Changes to the network environment are audited
# description: >-
#   Changing the host or domain name, /etc/hosts, /etc/networks, the network
#   configuration or the login banners can redirect traffic or mislead users.
#   Audit sethostname and setdomainname (64- and 32-bit) and writes to those
#   files (CIS 6.2.3.5).
# custom:
#   id: GCL-AUDIT-010
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["6.2.3.5"]
#   remediation: >-
#     Add these rules to /etc/audit/rules.d/50-system-locale.rules, one per
#     line: "-a always,exit -F arch=b64 -S sethostname,setdomainname -k
#     system-locale", "-a always,exit -F arch=b32 -S sethostname,setdomainname
#     -k system-locale", "-w /etc/issue -p wa -k system-locale", "-w
#     /etc/issue.net -p wa -k system-locale", "-w /etc/hosts -p wa -k
#     system-locale", "-w /etc/networks -p wa -k system-locale", "-w
#     /etc/network/ -p wa -k system-locale"; then run "augenrules --load"
#     (reboot instead when the audit configuration is immutable).
#   tags: [audit]
package gcrun.linux.audit.rules_system_locale

import data.gcrun.linux.lib.audit

control := "system_locale"

# The control filters on no uid range.
uid_min := 0

evidence := audit.evidence(control, uid_min)

deny contains reason if some reason in audit.findings(control, uid_min)

# remediate adds each missing rule line, as the finding expects it, to
# /etc/audit/rules.d/60-gcrun.rules (only while the rules in effect come
# from rules.d; lib/audit.rego).
remediate contains action if some action in audit.rules_fix(control, uid_min)
