# METADATA
# title: The NFS server is not enabled
# description: >-
#   The NFS server exports file systems to the network, with host-based
#   trust and a history of misconfigured exports. Only file servers need
#   it.
#   The state is what "systemctl is-enabled" says for the scanned root.
# custom:
#   id: GCL-SVC-009
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["2.1.9"]
#   remediation: >-
#     Run "systemctl stop nfs-server.service nfs-kernel-server.service"
#     and "systemctl mask nfs-server.service nfs-kernel-server.service"
#     (or remove the package), unless the host needs it: then list it in
#     the services_allowed parameter.
#   tags: [services, network-service]
package gcrun.linux.services.nfs_server

import data.gcrun.linux.lib.services

units := ["nfs-server.service", "nfs-kernel-server.service"]

evidence := services.evidence(units, data.gcrun.params.services_allowed)

not_applicable contains reason if some reason in services.no_systemd

deny contains reason if some reason in services.forbidden(units, data.gcrun.params.services_allowed, "the NFS server exports file systems to the network")

# remediate disables each enabled unit that is not allowed (masks one
# enabled at runtime), so that it neither runs nor starts at boot.
remediate contains action if some action in services.stop(units, data.gcrun.params.services_allowed)
