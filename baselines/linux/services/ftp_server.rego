# METADATA
# title: No FTP server is enabled
# description: >-
#   FTP sends credentials and data in cleartext. SFTP (part of OpenSSH)
#   replaces it.
#   The state is what "systemctl is-enabled" says for the scanned root.
# custom:
#   id: GCL-SVC-006
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["2.1.6"]
#   remediation: >-
#     Run "systemctl stop vsftpd.service proftpd.service pure-
#     ftpd.service" and "systemctl mask vsftpd.service proftpd.service
#     pure-ftpd.service" (or remove the package), unless the host needs
#     it: then list it in the services_allowed parameter.
#   tags: [services, network-service]
package gcrun.linux.services.ftp_server

import data.gcrun.linux.lib.services

units := ["vsftpd.service", "proftpd.service", "pure-ftpd.service"]

evidence := services.evidence(units, data.gcrun.params.services_allowed)

not_applicable contains reason if some reason in services.no_systemd

deny contains reason if some reason in services.forbidden(units, data.gcrun.params.services_allowed, "FTP sends passwords in cleartext")

# remediate disables each enabled unit that is not allowed (masks one
# enabled at runtime), so that it neither runs nor starts at boot.
remediate contains action if some action in services.stop(units, data.gcrun.params.services_allowed)
