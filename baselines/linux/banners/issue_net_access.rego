# METADATA
# title: /etc/issue.net is owned by root:root with mode 0644 or stricter
# description: >-
#   Whoever can write /etc/issue.net can put false instructions in front of every
#   user (a phishing address, a command to run). Only root may change it;
#   everyone may read it.
# custom:
#   id: GCL-BANNER-006
#   severity: low
#   references:
#     cis-debian-linux-12-v1.1.0: ["1.6.6"]
#   remediation: >-
#     Run "chown root:root /etc/issue.net" and "chmod u-x,go-wx /etc/issue.net".
#   tags: [banners]
package gcrun.linux.banners.issue_net_access

import data.gcrun.linux.lib.banners

path := "/etc/issue.net"

evidence := banners.evidence(path)

not_applicable contains reason if some reason in banners.absent(path)

deny contains reason if some reason in banners.not_collected(path)

deny contains reason if some reason in banners.access(path)

# remediate clears the mode bits outside 0644 and makes the banner
# root:root.
remediate contains action if some action in banners.access_fix(path)
