# METADATA
# title: No DHCP server is enabled
# description: >-
#   A DHCP server hands out addresses, gateways and DNS servers to the
#   whole segment; one that is not meant to run can misroute every client.
#   Only dedicated DHCP servers need it.
#   The state is what "systemctl is-enabled" says for the scanned root.
# custom:
#   id: GCL-SVC-003
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["2.1.3"]
#   remediation: >-
#     Run "systemctl stop isc-dhcp-server.service isc-dhcp-server6.service
#     kea-dhcp4-server.service kea-dhcp6-server.service" and "systemctl
#     mask isc-dhcp-server.service isc-dhcp-server6.service kea-
#     dhcp4-server.service kea-dhcp6-server.service" (or remove the
#     package), unless the host needs it: then list it in the
#     services_allowed parameter.
#   tags: [services, network-service]
package gcrun.linux.services.dhcp_server

import data.gcrun.linux.lib.services

units := ["isc-dhcp-server.service", "isc-dhcp-server6.service", "kea-dhcp4-server.service", "kea-dhcp6-server.service"]

evidence := services.evidence(units, data.gcrun.params.services_allowed)

not_applicable contains reason if some reason in services.no_systemd

deny contains reason if some reason in services.forbidden(units, data.gcrun.params.services_allowed, "a DHCP server configures every client on the segment")

# remediate disables each enabled unit that is not allowed (masks one
# enabled at runtime), so that it neither runs nor starts at boot.
remediate contains action if some action in services.stop(units, data.gcrun.params.services_allowed)
