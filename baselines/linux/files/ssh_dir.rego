# METADATA
# title: /etc/ssh is a directory owned by root:root with mode 0755 or stricter
# description: >-
#   /etc/ssh holds sshd_config, its drop-in directory and the host keys.
#   Whoever can write to it (or owns it) can replace any of them, whatever
#   their own permissions: rename sshd_config away and put their own in its
#   place, or swap the host keys, and so control who logs in as whom. Only
#   root may write to it. Without /etc/ssh the rule does not apply.
# custom:
#   id: GCL-FILE-012
#   severity: high
#   references:
#     dev-sec-ssh-baseline: ["sshd-04"]
#   remediation: >-
#     Run "chown root:root /etc/ssh" and "chmod go-w /etc/ssh" (0755, as
#     Debian installs it).
#   tags: [files, ssh]
#   files: ["/etc/ssh"]
package gcrun.linux.files.ssh_dir

import data.gcrun.linux.lib.files

path := "/etc/ssh"

# Writable by root only; readable by everyone, since ssh clients read
# /etc/ssh/ssh_config and ssh_known_hosts there.
spec := {"mode": "0755", "owners": ["root"], "groups": ["root"]}

evidence := files.evidence([path])

not_applicable contains reason if some reason in files.absent(path)

deny contains reason if some reason in files.dir_check(path, spec)

# remediate clears the mode bits outside 0755 and sets root:root when
# wrong; a symlink or a file in place of the directory needs a person.
remediate contains action if some action in files.dir_fix(path, spec)
