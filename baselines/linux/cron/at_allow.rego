# METADATA
# title: at is restricted to the users listed in /etc/at.allow
# description: >-
#   Without /etc/at.allow every user not named in /etc/at.deny may schedule
#   one-off jobs with at, which run after the user's session ends.
#   /etc/at.allow must exist, and it and /etc/at.deny (if present) must be
#   owned by root, with group root or daemon (Debian's at group), mode 0640
#   or stricter. Hosts without at do not apply.
# custom:
#   id: GCL-CRON-009
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["2.4.2.1"]
#   remediation: >-
#     Create /etc/at.allow listing the users who may use at ("touch
#     /etc/at.allow"), then "chown root:root /etc/at.allow /etc/at.deny" and
#     "chmod 640 /etc/at.allow /etc/at.deny" (or remove /etc/at.deny); or
#     "apt purge at".
#   tags: [cron, permissions]
package gcrun.linux.cron.at_allow

import data.gcrun.linux.lib.cron

allow := "/etc/at.allow"

deny_file := "/etc/at.deny"

programs := ["/usr/bin/at", "/usr/sbin/atd"]

evidence := {
	"allow": object.union(cron.evidence(allow), {"users": [u.name | some u in input.cron.access[allow].users]}),
	"deny": cron.evidence(deny_file),
}

not_applicable contains cron.not_installed(programs, "at")

deny contains reason if some reason in cron.allow_deny(allow, deny_file, ["root", "daemon"])

# remediate creates a missing /etc/at.allow listing root alone, root:root
# 0640, and fixes the permissions of /etc/at.allow and /etc/at.deny.
remediate contains action if {
	count(not_applicable) == 0
	some action in cron.allow_deny_fix(allow, deny_file, ["root", "daemon"])
}
