# METADATA
# title: The NIS server is not enabled
# description: >-
#   NIS (ypserv) distributes account databases, password hashes included,
#   without encryption or real authentication. LDAP with TLS or Kerberos
#   replaces it.
#   The state is what "systemctl is-enabled" says for the scanned root.
# custom:
#   id: GCL-SVC-010
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["2.1.10"]
#   remediation: >-
#     Run "systemctl stop ypserv.service" and "systemctl mask
#     ypserv.service" (or remove the package), unless the host needs it:
#     then list it in the services_allowed parameter.
#   tags: [services, network-service]
package gcrun.linux.services.nis_server

import data.gcrun.linux.lib.services

units := ["ypserv.service"]

evidence := services.evidence(units, data.gcrun.params.services_allowed)

not_applicable contains reason if some reason in services.no_systemd

deny contains reason if some reason in services.forbidden(units, data.gcrun.params.services_allowed, "NIS serves password hashes without encryption")

# remediate disables each enabled unit that is not allowed (masks one
# enabled at runtime), so that it neither runs nor starts at boot.
remediate contains action if some action in services.stop(units, data.gcrun.params.services_allowed)
