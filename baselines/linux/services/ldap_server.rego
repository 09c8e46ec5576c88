# METADATA
# title: No LDAP server is enabled
# description: >-
#   An LDAP server (slapd) holds a directory that other systems trust for
#   accounts and groups; it belongs on dedicated directory servers only.
#   The state is what "systemctl is-enabled" says for the scanned root.
# custom:
#   id: GCL-SVC-007
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["2.1.7"]
#   remediation: >-
#     Run "systemctl stop slapd.service" and "systemctl mask
#     slapd.service" (or remove the package), unless the host needs it:
#     then list it in the services_allowed parameter.
#   tags: [services, network-service]
package gcrun.linux.services.ldap_server

import data.gcrun.linux.lib.services

units := ["slapd.service"]

evidence := services.evidence(units, data.gcrun.params.services_allowed)

not_applicable contains reason if some reason in services.no_systemd

deny contains reason if some reason in services.forbidden(units, data.gcrun.params.services_allowed, "an LDAP server belongs on dedicated directory servers")

# remediate disables each enabled unit that is not allowed (masks one
# enabled at runtime), so that it neither runs nor starts at boot.
remediate contains action if some action in services.stop(units, data.gcrun.params.services_allowed)
