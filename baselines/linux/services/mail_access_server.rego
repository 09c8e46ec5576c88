# METADATA
# title: No IMAP or POP3 server is enabled
# description: >-
#   Mail access servers (Dovecot, Cyrus) expose mailboxes and their
#   credentials to the network; only mail servers need them.
#   The state is what "systemctl is-enabled" says for the scanned root.
# custom:
#   id: GCL-SVC-008
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["2.1.8"]
#   remediation: >-
#     Run "systemctl stop dovecot.socket dovecot.service cyrus-
#     imapd.service" and "systemctl mask dovecot.socket dovecot.service
#     cyrus-imapd.service" (or remove the package), unless the host needs
#     it: then list it in the services_allowed parameter.
#   tags: [services, network-service]
package gcrun.linux.services.mail_access_server

import data.gcrun.linux.lib.services

units := ["dovecot.socket", "dovecot.service", "cyrus-imapd.service"]

evidence := services.evidence(units, data.gcrun.params.services_allowed)

not_applicable contains reason if some reason in services.no_systemd

deny contains reason if some reason in services.forbidden(units, data.gcrun.params.services_allowed, "an IMAP/POP3 server exposes mailboxes to the network")

# remediate disables each enabled unit that is not allowed (masks one
# enabled at runtime), so that it neither runs nor starts at boot.
remediate contains action if some action in services.stop(units, data.gcrun.params.services_allowed)
