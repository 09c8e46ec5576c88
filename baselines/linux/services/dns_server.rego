# METADATA
# title: No DNS server is enabled
# description: >-
#   A DNS server (BIND) is a network service with a long record of remote
#   vulnerabilities and can be abused for amplification attacks. Only name
#   servers need it.
#   The state is what "systemctl is-enabled" says for the scanned root.
# custom:
#   id: GCL-SVC-004
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["2.1.4"]
#   remediation: >-
#     Run "systemctl stop named.service bind9.service" and "systemctl mask
#     named.service bind9.service" (or remove the package), unless the
#     host needs it: then list it in the services_allowed parameter.
#   tags: [services, network-service]
package gcrun.linux.services.dns_server

import data.gcrun.linux.lib.services

units := ["named.service", "bind9.service"]

evidence := services.evidence(units, data.gcrun.params.services_allowed)

not_applicable contains reason if some reason in services.no_systemd

deny contains reason if some reason in services.forbidden(units, data.gcrun.params.services_allowed, "a DNS server is a network service only name servers need")

# remediate disables each enabled unit that is not allowed (masks one
# enabled at runtime), so that it neither runs nor starts at boot.
remediate contains action if some action in services.stop(units, data.gcrun.params.services_allowed)
