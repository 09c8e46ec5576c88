# METADATA
# title: The rsync daemon is not enabled
# description: >-
#   The rsync daemon serves modules over an unencrypted protocol; file
#   copies go over SSH instead.
#   The state is what "systemctl is-enabled" says for the scanned root.
# custom:
#   id: GCL-SVC-013
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["2.1.13"]
#   remediation: >-
#     Run "systemctl stop rsync.service" and "systemctl mask
#     rsync.service" (or remove the package), unless the host needs it:
#     then list it in the services_allowed parameter.
#   tags: [services, network-service]
package gcrun.linux.services.rsync

import data.gcrun.linux.lib.services

units := ["rsync.service"]

evidence := services.evidence(units, data.gcrun.params.services_allowed)

not_applicable contains reason if some reason in services.no_systemd

deny contains reason if some reason in services.forbidden(units, data.gcrun.params.services_allowed, "the rsync daemon transfers files unencrypted")

# remediate disables each enabled unit that is not allowed (masks one
# enabled at runtime), so that it neither runs nor starts at boot.
remediate contains action if some action in services.stop(units, data.gcrun.params.services_allowed)
