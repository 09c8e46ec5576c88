# METADATA
# title: /etc/motd shows no operating system information
# description: >-
#   The message of the day is shown to every user after login. Operating
#   system names, releases and kernel versions in it tell an attacker which
#   exploits to try; users who need them can run uname. CIS 1.6.1 forbids
#   the agetty escapes \m, \r, \s and \v and the OS name.
# custom:
#   id: GCL-BANNER-001
#   severity: low
#   references:
#     cis-debian-linux-12-v1.1.0: ["1.6.1"]
#   remediation: >-
#     Edit /etc/motd to hold only your site's message, without \m, \r, \s,
#     \v or the operating system's name, or remove it if it is not used.
#   tags: [banners]
package gcrun.linux.banners.motd

import data.gcrun.linux.lib.banners

path := "/etc/motd"

evidence := banners.evidence(path)

# An absent motd shows nothing: CIS allows removing it.
not_applicable contains reason if some reason in banners.absent(path)

deny contains reason if some reason in banners.not_collected(path)

deny contains reason if some reason in banners.not_text(path)

deny contains reason if some reason in banners.os_escapes(path, data.gcrun.params.banners_os_info_escapes)

deny contains reason if some reason in banners.os_names(path, data.gcrun.params.banners_os_names)

# remediate replaces a banner that shows operating system information
# with the text of parameter banners_text.
remediate contains action if {
	count(not_applicable) == 0
	some r in deny
	r.code in banners.text_codes
	action := banners.content(path, data.gcrun.params.banners_text)
}
