# METADATA
# title: The SNMP daemon is not enabled
# description: >-
#   snmpd answers queries about the host's configuration and state; SNMP
#   v1 and v2c authenticate with cleartext community strings. Enable it
#   only where monitoring needs it, with v3.
#   The state is what "systemctl is-enabled" says for the scanned root.
# custom:
#   id: GCL-SVC-015
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["2.1.15"]
#   remediation: >-
#     Run "systemctl stop snmpd.service" and "systemctl mask
#     snmpd.service" (or remove the package), unless the host needs it:
#     then list it in the services_allowed parameter.
#   tags: [services, network-service]
package gcrun.linux.services.snmp

import data.gcrun.linux.lib.services

units := ["snmpd.service"]

evidence := services.evidence(units, data.gcrun.params.services_allowed)

not_applicable contains reason if some reason in services.no_systemd

deny contains reason if some reason in services.forbidden(units, data.gcrun.params.services_allowed, "SNMP exposes the host's state, v1/v2c with cleartext communities")

# remediate disables each enabled unit that is not allowed (masks one
# enabled at runtime), so that it neither runs nor starts at boot.
remediate contains action if some action in services.stop(units, data.gcrun.params.services_allowed)
