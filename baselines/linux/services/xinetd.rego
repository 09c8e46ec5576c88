# METADATA
# title: xinetd is not enabled
# description: >-
#   xinetd starts legacy network services (many of them cleartext) on
#   demand. systemd socket activation replaces it.
#   The state is what "systemctl is-enabled" says for the scanned root.
# custom:
#   id: GCL-SVC-019
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["2.1.19"]
#   remediation: >-
#     Run "systemctl stop xinetd.service" and "systemctl mask
#     xinetd.service" (or remove the package), unless the host needs it:
#     then list it in the services_allowed parameter.
#   tags: [services, network-service]
package gcrun.linux.services.xinetd

import data.gcrun.linux.lib.services

units := ["xinetd.service"]

evidence := services.evidence(units, data.gcrun.params.services_allowed)

not_applicable contains reason if some reason in services.no_systemd

deny contains reason if some reason in services.forbidden(units, data.gcrun.params.services_allowed, "xinetd starts legacy network services")

# remediate disables each enabled unit that is not allowed (masks one
# enabled at runtime), so that it neither runs nor starts at boot.
remediate contains action if some action in services.stop(units, data.gcrun.params.services_allowed)
