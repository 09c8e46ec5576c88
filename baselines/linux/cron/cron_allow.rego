# METADATA
# title: crontab is restricted to the users listed in /etc/cron.allow
# description: >-
#   Without /etc/cron.allow every user may schedule jobs with crontab (on
#   Debian, when /etc/cron.deny does not name them), which keeps code running
#   after a compromised account's session ends. /etc/cron.allow must exist,
#   and it and /etc/cron.deny (if present) must be owned by root, with group
#   root or crontab, mode 0640 or stricter.
# custom:
#   id: GCL-CRON-008
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["2.4.1.9"]
#   remediation: >-
#     Create /etc/cron.allow listing the users who may use crontab ("touch
#     /etc/cron.allow"), then "chown root:root /etc/cron.allow /etc/cron.deny"
#     and "chmod 640 /etc/cron.allow /etc/cron.deny" (or remove
#     /etc/cron.deny).
#   tags: [cron, permissions]
package gcrun.linux.cron.cron_allow

import data.gcrun.linux.lib.cron

allow := "/etc/cron.allow"

deny_file := "/etc/cron.deny"

programs := ["/usr/bin/crontab", "/usr/sbin/cron"]

evidence := {
	"allow": object.union(cron.evidence(allow), {"users": [u.name | some u in input.cron.access[allow].users]}),
	"deny": cron.evidence(deny_file),
}

not_applicable contains cron.not_installed(programs, "cron")

deny contains reason if some reason in cron.allow_deny(allow, deny_file, ["root", "crontab"])

# remediate creates a missing /etc/cron.allow listing root alone, root:root
# 0640, and fixes the permissions of /etc/cron.allow and /etc/cron.deny.
remediate contains action if {
	count(not_applicable) == 0
	some action in cron.allow_deny_fix(allow, deny_file, ["root", "crontab"])
}
