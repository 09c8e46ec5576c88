# METADATA
# title: NIS is not installed
# description: >-
#   NIS (yellow pages) serves the password and group maps, hashes included,
#   unauthenticated and unencrypted to anyone who knows the domain name.
#   Directory services such as LDAP over TLS or Kerberos replace it. The rule
#   covers the server (ypserv) and the nis package, which carries the client
#   (and, on older releases, the server too).
# custom:
#   id: GCL-PKG-003
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["2.1.10", "2.2.1"]
#   remediation: Run "apt purge nis ypserv" (whichever are installed).
#   tags: [packages, network-service]
package gcrun.linux.packages.nis

import data.gcrun.linux.lib.packages

# ypserv is the NIS server (CIS 2.1.10); nis is the NIS client and, on older
# releases, the server too (CIS 2.2.1).
names := ["nis", "ypserv"]

evidence := packages.evidence(names)

not_applicable contains reason if some reason in packages.not_dpkg

deny contains reason if some reason in packages.forbidden(names, "NIS hands out account maps, password hashes included, without authentication")

# remediate removes each installed package named (one action per package).
remediate contains action if some action in packages.remove(names)
