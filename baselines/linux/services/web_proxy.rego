# METADATA
# title: The Squid web proxy is not enabled
# description: >-
#   A web proxy relays other machines' traffic; an unneeded one can be
#   abused to reach internal services or hide the origin of attacks.
#   The state is what "systemctl is-enabled" says for the scanned root.
# custom:
#   id: GCL-SVC-017
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["2.1.17"]
#   remediation: >-
#     Run "systemctl stop squid.service" and "systemctl mask
#     squid.service" (or remove the package), unless the host needs it:
#     then list it in the services_allowed parameter.
#   tags: [services, network-service]
package gcrun.linux.services.web_proxy

import data.gcrun.linux.lib.services

units := ["squid.service"]

evidence := services.evidence(units, data.gcrun.params.services_allowed)

not_applicable contains reason if some reason in services.no_systemd

deny contains reason if some reason in services.forbidden(units, data.gcrun.params.services_allowed, "a web proxy relays other machines' traffic")

# remediate disables each enabled unit that is not allowed (masks one
# enabled at runtime), so that it neither runs nor starts at boot.
remediate contains action if some action in services.stop(units, data.gcrun.params.services_allowed)
