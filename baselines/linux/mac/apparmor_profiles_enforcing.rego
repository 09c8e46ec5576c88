# METADATA
# title: All AppArmor profiles are enforcing
# description: >-
#   A profile in complain mode only logs what it would deny: the program
#   runs unconfined. Level 2 of CIS (1.3.1.4) wants every profile
#   enforcing, with none disabled and none forced into complain mode.
# custom:
#   id: GCL-MAC-004
#   severity: low
#   references:
#     cis-debian-linux-12-v1.1.0: ["1.3.1.4"]
#   remediation: >-
#     Run "aa-enforce /etc/apparmor.d/*" and remove the links in
#     /etc/apparmor.d/force-complain.
#   tags: [mac, apparmor]
package gcrun.linux.mac.apparmor_profiles_enforcing

import data.gcrun.linux.lib.mac

evidence := mac.profiles_evidence

not_applicable contains reason if some reason in mac.apparmor_not_applicable

not_applicable contains reason if some reason in mac.no_profiles

deny contains reason if some reason in mac.profile_findings({"enforce", "kill"}, "enforce mode")
