# METADATA
# title: The CUPS print server is not enabled
# description: >-
#   CUPS listens for print jobs and browses for printers on the network; a
#   server that does not print does not need it, and CUPS has had remotely
#   exploitable flaws (cups-browsed, 2024).
#   The state is what "systemctl is-enabled" says for the scanned root.
# custom:
#   id: GCL-SVC-011
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["2.1.11"]
#   remediation: >-
#     Run "systemctl stop cups.socket cups.path cups.service cups-
#     browsed.service" and "systemctl mask cups.socket cups.path
#     cups.service cups-browsed.service" (or remove the package), unless
#     the host needs it: then list it in the services_allowed parameter.
#   tags: [services, network-service]
package gcrun.linux.services.print_server

import data.gcrun.linux.lib.services

units := ["cups.socket", "cups.path", "cups.service", "cups-browsed.service"]

evidence := services.evidence(units, data.gcrun.params.services_allowed)

not_applicable contains reason if some reason in services.no_systemd

deny contains reason if some reason in services.forbidden(units, data.gcrun.params.services_allowed, "a print server is not needed on a server that does not print")

# remediate disables each enabled unit that is not allowed (masks one
# enabled at runtime), so that it neither runs nor starts at boot.
remediate contains action if some action in services.stop(units, data.gcrun.params.services_allowed)
