# METADATA
# title: No TFTP server is enabled
# description: >-
#   TFTP has no authentication at all; it serves boot images to network
#   installs and belongs on boot servers only.
#   The state is what "systemctl is-enabled" says for the scanned root.
# custom:
#   id: GCL-SVC-016
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["2.1.16"]
#   remediation: >-
#     Run "systemctl stop tftpd-hpa.service atftpd.service" and "systemctl
#     mask tftpd-hpa.service atftpd.service" (or remove the package),
#     unless the host needs it: then list it in the services_allowed
#     parameter.
#   tags: [services, network-service]
package gcrun.linux.services.tftp_server

import data.gcrun.linux.lib.services

units := ["tftpd-hpa.service", "atftpd.service"]

evidence := services.evidence(units, data.gcrun.params.services_allowed)

not_applicable contains reason if some reason in services.no_systemd

deny contains reason if some reason in services.forbidden(units, data.gcrun.params.services_allowed, "TFTP has no authentication")

# remediate disables each enabled unit that is not allowed (masks one
# enabled at runtime), so that it neither runs nor starts at boot.
remediate contains action if some action in services.stop(units, data.gcrun.params.services_allowed)
