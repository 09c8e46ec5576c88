# METADATA
# title: Kernel module loading and unloading is audited
# description: >-
#   A loaded module runs with the kernel's privileges: rootkits are modules.
#   Audit init_module, finit_module and delete_module (64-bit) and the kmod
#   program by logged-in users (CIS 6.2.3.19; create_module and query_module
#   no longer exist in current kernels and are not required).
# custom:
#   id: GCL-AUDIT-023
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["6.2.3.19"]
#   remediation: >-
#     Add these rules to /etc/audit/rules.d/50-kernel_modules.rules, one per
#     line: "-a always,exit -F path=/usr/bin/kmod -F perm=x -F auid>=1000 -F
#     auid!=unset -k kernel_modules", "-a always,exit -F arch=b64 -S
#     init_module,finit_module,delete_module -F auid>=1000 -F auid!=unset -k
#     kernel_modules"; then run "augenrules --load" (reboot instead when the
#     audit configuration is immutable).
#   tags: [audit]
package gcrun.linux.audit.rules_kernel_modules

import data.gcrun.linux.lib.audit

control := "kernel_modules"

# uid_min is the first uid of interactive users (-F auid>=N).
uid_min := data.gcrun.params.audit_uid_min

evidence := audit.evidence(control, uid_min)

deny contains reason if some reason in audit.findings(control, uid_min)

# remediate adds each missing rule line, as the finding expects it, to
# /etc/audit/rules.d/60-gcrun.rules (only while the rules in effect come
# from rules.d; lib/audit.rego).
remediate contains action if some action in audit.rules_fix(control, uid_min)
