# METADATA
# title: The Samba file server is not enabled
# description: >-
#   Samba shares files and printers with Windows clients over SMB, a large
#   attack surface that only file servers need.
#   The state is what "systemctl is-enabled" says for the scanned root.
# custom:
#   id: GCL-SVC-014
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["2.1.14"]
#   remediation: >-
#     Run "systemctl stop smbd.service nmbd.service samba-ad-dc.service"
#     and "systemctl mask smbd.service nmbd.service samba-ad-dc.service"
#     (or remove the package), unless the host needs it: then list it in
#     the services_allowed parameter.
#   tags: [services, network-service]
package gcrun.linux.services.samba

import data.gcrun.linux.lib.services

units := ["smbd.service", "nmbd.service", "samba-ad-dc.service"]

evidence := services.evidence(units, data.gcrun.params.services_allowed)

not_applicable contains reason if some reason in services.no_systemd

deny contains reason if some reason in services.forbidden(units, data.gcrun.params.services_allowed, "SMB file sharing is only needed on file servers")

# remediate disables each enabled unit that is not allowed (masks one
# enabled at runtime), so that it neither runs nor starts at boot.
remediate contains action if some action in services.stop(units, data.gcrun.params.services_allowed)
