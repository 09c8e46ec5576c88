# METADATA
# title: All AppArmor profiles are in enforce or complain mode
# description: >-
#   A profile that is disabled (listed in /etc/apparmor.d/disable) or in
#   unconfined mode leaves its program without confinement, and one in
#   complain mode at least logs what enforce would deny (CIS 1.3.1.3).
#   Checked: every profile of the top-level files of /etc/apparmor.d, with
#   disable/ and force-complain/ applied, and on the live host every loaded
#   profile. kill mode counts as enforcing.
# custom:
#   id: GCL-MAC-003
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["1.3.1.3"]
#   remediation: >-
#     Run "aa-enforce /etc/apparmor.d/*" (or aa-complain for profiles still
#     being tuned); this also removes their links in
#     /etc/apparmor.d/disable.
#   tags: [mac, apparmor]
package gcrun.linux.mac.apparmor_profiles_loaded

import data.gcrun.linux.lib.mac

evidence := mac.profiles_evidence

not_applicable contains reason if some reason in mac.apparmor_not_applicable

not_applicable contains reason if some reason in mac.no_profiles

deny contains reason if some reason in mac.profile_findings({"enforce", "complain", "kill"}, "enforce or complain mode")
