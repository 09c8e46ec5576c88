# METADATA
# title: No web server is enabled
# description: >-
#   A web server (Apache, nginx, lighttpd) is a network service with a
#   large attack surface; only hosts that serve web content need one. List
#   it in services_allowed where it is the host's purpose.
#   The state is what "systemctl is-enabled" says for the scanned root.
# custom:
#   id: GCL-SVC-018
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["2.1.18"]
#   remediation: >-
#     Run "systemctl stop apache2.service nginx.service lighttpd.service"
#     and "systemctl mask apache2.service nginx.service lighttpd.service"
#     (or remove the package), unless the host needs it: then list it in
#     the services_allowed parameter.
#   tags: [services, network-service]
package gcrun.linux.services.web_server

import data.gcrun.linux.lib.services

units := ["apache2.service", "nginx.service", "lighttpd.service"]

evidence := services.evidence(units, data.gcrun.params.services_allowed)

not_applicable contains reason if some reason in services.no_systemd

deny contains reason if some reason in services.forbidden(units, data.gcrun.params.services_allowed, "a web server is only needed where the host serves web content")

# remediate disables each enabled unit that is not allowed (masks one
# enabled at runtime), so that it neither runs nor starts at boot.
remediate contains action if some action in services.stop(units, data.gcrun.params.services_allowed)
