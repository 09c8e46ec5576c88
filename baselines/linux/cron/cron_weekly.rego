# METADATA
# title: /etc/cron.weekly is owned by root and mode 0700 or stricter
# description: >-
#   cron runs every script in /etc/cron.weekly as root (weekly). Whoever
#   can write the directory runs code as root; whoever can read it learns
#   the schedule.
#   A missing path does not apply (cron is not installed, or not this
#   schedule).
# custom:
#   id: GCL-CRON-004
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["2.4.1.5"]
#   remediation: Run "chown root:root /etc/cron.weekly" and "chmod og-rwx /etc/cron.weekly".
#   tags: [cron, permissions]
package gcrun.linux.cron.cron_weekly

import data.gcrun.linux.lib.cron

path := "/etc/cron.weekly"

evidence := cron.evidence(path)

not_applicable contains cron.absent(path)

# 448 is 0700.
deny contains reason if some reason in cron.permissions(path, 448, ["root"], ["root"])

# remediate clears the mode bits outside 0700 and sets root:root where
# wrong (on a symlink's target).
remediate contains action if some action in cron.fix(path, 448, ["root"], ["root"])
