# METADATA
# title: The Avahi mDNS/DNS-SD daemon is not enabled
# description: >-
#   Avahi announces the host and its services on the local network (zero-
#   configuration networking) and answers multicast queries: an open port
#   and an inventory for anyone on the segment. Servers are found through
#   DNS instead.
#   The state is what "systemctl is-enabled" says for the scanned root.
# custom:
#   id: GCL-SVC-002
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["2.1.2"]
#   remediation: >-
#     Run "systemctl stop avahi-daemon.socket avahi-daemon.service" and
#     "systemctl mask avahi-daemon.socket avahi-daemon.service" (or remove
#     the package), unless the host needs it: then list it in the
#     services_allowed parameter.
#   tags: [services, network-service]
package gcrun.linux.services.avahi

import data.gcrun.linux.lib.services

units := ["avahi-daemon.socket", "avahi-daemon.service"]

evidence := services.evidence(units, data.gcrun.params.services_allowed)

not_applicable contains reason if some reason in services.no_systemd

deny contains reason if some reason in services.forbidden(units, data.gcrun.params.services_allowed, "mDNS advertises the host and its services on the local network")

# remediate disables each enabled unit that is not allowed (masks one
# enabled at runtime), so that it neither runs nor starts at boot.
remediate contains action if some action in services.stop(units, data.gcrun.params.services_allowed)
