# METADATA
# title: /etc/issue holds a warning banner without operating system information
# description: >-
#   /etc/issue is shown before a local login prompt (getty). It should warn that
#   the system is for authorized use only and is monitored, which helps
#   prosecute intruders, and must not tell an unauthenticated visitor the
#   operating system and kernel release (CIS 1.6.2: no \m, \r, \s, \v or OS name).
# custom:
#   id: GCL-BANNER-002
#   severity: low
#   references:
#     cis-debian-linux-12-v1.1.0: ["1.6.2"]
#   remediation: >-
#     Write your site's legal warning into /etc/issue (for example "Authorized
#     uses only. All activity may be monitored and reported.") without
#     \m, \r, \s, \v or the operating system's name.
#   tags: [banners]
package gcrun.linux.banners.issue

import data.gcrun.linux.lib.banners

path := "/etc/issue"

evidence := banners.evidence(path)

deny contains reason if some reason in banners.not_collected(path)

deny contains reason if some reason in banners.required(path)

deny contains reason if some reason in banners.not_text(path)

deny contains reason if some reason in banners.empty(path)

deny contains reason if some reason in banners.os_escapes(path, data.gcrun.params.banners_os_info_escapes)

deny contains reason if some reason in banners.os_names(path, data.gcrun.params.banners_os_names)

# remediate replaces a banner that shows operating system information, is empty or is missing
# with the text of parameter banners_text.
remediate contains action if {
	some r in deny
	r.code in banners.text_codes
	action := banners.content(path, data.gcrun.params.banners_text)
}
