# METADATA
# title: dnsmasq is not enabled
# description: >-
#   dnsmasq serves DNS and DHCP to the local network. Unless the host is
#   meant to be that server (a router, a virtualisation host's private
#   network), it is an unneeded network service.
#   The state is what "systemctl is-enabled" says for the scanned root.
# custom:
#   id: GCL-SVC-005
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["2.1.5"]
#   remediation: >-
#     Run "systemctl stop dnsmasq.service" and "systemctl mask
#     dnsmasq.service" (or remove the package), unless the host needs it:
#     then list it in the services_allowed parameter.
#   tags: [services, network-service]
package gcrun.linux.services.dnsmasq

import data.gcrun.linux.lib.services

units := ["dnsmasq.service"]

evidence := services.evidence(units, data.gcrun.params.services_allowed)

not_applicable contains reason if some reason in services.no_systemd

deny contains reason if some reason in services.forbidden(units, data.gcrun.params.services_allowed, "dnsmasq serves DNS and DHCP to the network")

# remediate disables each enabled unit that is not allowed (masks one
# enabled at runtime), so that it neither runs nor starts at boot.
remediate contains action if some action in services.stop(units, data.gcrun.params.services_allowed)
