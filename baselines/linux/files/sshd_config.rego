# METADATA
# title: sshd_config and its drop-in files are owned by root:root with mode 0600 or stricter
# description: >-
#   sshd_config decides who may log in and how. Whoever can write it (or a
#   drop-in file under /etc/ssh/sshd_config.d) can enable root or password
#   logins, add an AuthorizedKeysCommand or point AuthorizedKeysFile at a
#   file they control. Read access reveals the access policy (allowed users,
#   forwarding exceptions, Match blocks) to an attacker planning a way in.
#   Without sshd_config (no OpenSSH server) the rule does not apply.
# custom:
#   id: GCL-FILE-009
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["5.1.1"]
#     dev-sec-ssh-baseline: ["sshd-05"]
#   remediation: >-
#     Run "chown root:root /etc/ssh/sshd_config /etc/ssh/sshd_config.d/*.conf"
#     and "chmod 0600 /etc/ssh/sshd_config /etc/ssh/sshd_config.d/*.conf".
#   tags: [files, ssh]
#   files: ["/etc/ssh/sshd_config", "/etc/ssh/sshd_config.d/*.conf"]
package gcrun.linux.files.sshd_config

import data.gcrun.linux.lib.files

path := "/etc/ssh/sshd_config"

# Debian's sshd_config includes these first (Include /etc/ssh/sshd_config.d/*.conf).
dropins := "/etc/ssh/sshd_config.d/*.conf"

# Readable and writable by root only: writing it means controlling who logs
# in; reading it maps out the access policy.
spec := {"mode": "0600", "owners": ["root"], "groups": ["root"]}

evidence := files.evidence(array.concat([path], files.matches(dropins)))

not_applicable contains reason if some reason in files.absent(path)

deny contains reason if some reason in files.check(path, spec)

deny contains reason if some reason in files.glob_check(dropins, spec)

# remediate clears the mode bits outside 0600 and sets root:root on
# sshd_config and on each drop-in that needs it; nothing while sshd_config
# is missing (the rule does not apply).
remediate contains action if {
	count(not_applicable) == 0
	some action in (files.fix(path, spec) | files.glob_fix(dropins, spec))
}
