# METADATA
# title: The autofs automounter is not enabled
# description: >-
#   autofs mounts file systems on demand, including removable media and
#   network shares, which lets users bring in and run files the
#   administrator never vetted. Servers rarely need it.
#   The state is what "systemctl is-enabled" says for the scanned root.
# custom:
#   id: GCL-SVC-001
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["2.1.1"]
#   remediation: >-
#     Run "systemctl stop autofs.service" and "systemctl mask
#     autofs.service" (or remove the package), unless the host needs it:
#     then list it in the services_allowed parameter.
#   tags: [services, network-service]
package gcrun.linux.services.autofs

import data.gcrun.linux.lib.services

units := ["autofs.service"]

evidence := services.evidence(units, data.gcrun.params.services_allowed)

not_applicable contains reason if some reason in services.no_systemd

deny contains reason if some reason in services.forbidden(units, data.gcrun.params.services_allowed, "automounting brings in unvetted file systems")

# remediate disables each enabled unit that is not allowed (masks one
# enabled at runtime), so that it neither runs nor starts at boot.
remediate contains action if some action in services.stop(units, data.gcrun.params.services_allowed)
