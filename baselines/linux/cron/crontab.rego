# METADATA
# title: /etc/crontab is owned by root and mode 0600 or stricter
# description: >-
#   The system crontab runs commands as any user it names. If others can
#   write it they run code as root; if they can read it they learn what
#   runs when, and where to plant files.
#   A missing path does not apply (cron is not installed, or not this
#   schedule).
# custom:
#   id: GCL-CRON-001
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["2.4.1.2"]
#   remediation: Run "chown root:root /etc/crontab" and "chmod og-rwx /etc/crontab".
#   tags: [cron, permissions]
package gcrun.linux.cron.crontab

import data.gcrun.linux.lib.cron

path := "/etc/crontab"

evidence := cron.evidence(path)

not_applicable contains cron.absent(path)

# 384 is 0600.
deny contains reason if some reason in cron.permissions(path, 384, ["root"], ["root"])

# remediate clears the mode bits outside 0600 and sets root:root where
# wrong (on a symlink's target).
remediate contains action if some action in cron.fix(path, 384, ["root"], ["root"])
