# METADATA
# title: rpcbind is not enabled
# description: >-
#   rpcbind maps RPC programs to ports for NFS and NIS; exposed, it
#   reveals services and can be used for amplification attacks. Hosts that
#   are neither NFS servers nor NFS v3 clients do not need it.
#   The state is what "systemctl is-enabled" says for the scanned root.
# custom:
#   id: GCL-SVC-012
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["2.1.12"]
#   remediation: >-
#     Run "systemctl stop rpcbind.socket rpcbind.service" and "systemctl
#     mask rpcbind.socket rpcbind.service" (or remove the package), unless
#     the host needs it: then list it in the services_allowed parameter.
#   tags: [services, network-service]
package gcrun.linux.services.rpcbind

import data.gcrun.linux.lib.services

units := ["rpcbind.socket", "rpcbind.service"]

evidence := services.evidence(units, data.gcrun.params.services_allowed)

not_applicable contains reason if some reason in services.no_systemd

deny contains reason if some reason in services.forbidden(units, data.gcrun.params.services_allowed, "rpcbind is only needed by NFS and NIS")

# remediate disables each enabled unit that is not allowed (masks one
# enabled at runtime), so that it neither runs nor starts at boot.
remediate contains action if some action in services.stop(units, data.gcrun.params.services_allowed)
