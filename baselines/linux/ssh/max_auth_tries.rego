# METADATA
# title: SSH allows at most 4 authentication attempts per connection (parameter ssh_max_auth_tries)
# description: >-
#   MaxAuthTries bounds the passwords or keys a client may try on one
#   connection. A low limit slows down online guessing and makes it visible:
#   once half the limit is reached, further failures are logged.
# custom:
#   id: GCL-SSH-005
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["5.1.16"]
#     dev-sec-ssh-baseline: ["sshd-19"]
#   remediation: >-
#     Set "MaxAuthTries 4" (or lower: at most parameter ssh_max_auth_tries) in
#     /etc/ssh/sshd_config, remove any Match block that raises it, and reload
#     sshd.
#   tags: [ssh, authentication]
package gcrun.linux.ssh.max_auth_tries

import data.gcrun.linux.lib.sshd

not_applicable contains reason if some reason in sshd.not_installed

evidence := sshd.evidence(["maxauthtries"])

# Parameter ssh_max_auth_tries: 4 or fewer by default, as CIS wants (dev-sec:
# 2). More attempts per connection mean cheaper brute force (OpenSSH's
# default is 6).
limit := data.gcrun.params.ssh_max_auth_tries

deny contains reason if {
	some s in sshd.settings("maxauthtries")
	sshd.number(s) > limit
	reason := sshd.reason("max_auth_tries", s, sprintf("<= %v", [limit]), sprintf("MaxAuthTries is %s%s, expected %v or fewer", [s.value, s.where, limit]))
}

# remediate sets a global MaxAuthTries above the limit to the limit (whole
# number, rounded down), where sshd takes it from.
remediate contains action if {
	some s in sshd.global_settings("maxauthtries")
	n := sshd.number(s)
	n > limit
	value := format_int(limit, 10)
	to_number(value) >= 1
	action := sshd.set("maxauthtries", "MaxAuthTries", value)
}
