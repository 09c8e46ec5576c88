# METADATA
# title: SSH logs at level INFO or VERBOSE (parameter ssh_log_levels)
# description: >-
#   sshd's log is the record of who logged in, from where and with which key.
#   Below INFO (QUIET, FATAL, ERROR) logins and failed attempts are not
#   logged, which hides brute force and intrusions; VERBOSE adds the
#   fingerprint of the key used. The DEBUG levels log users' private data
#   and are not for production.
# custom:
#   id: GCL-SSH-009
#   severity: low
#   references:
#     cis-debian-linux-12-v1.1.0: ["5.1.14"]
#     dev-sec-ssh-baseline: ["sshd-13"]
#   remediation: >-
#     Set "LogLevel VERBOSE" (or INFO; a level of parameter ssh_log_levels) in
#     /etc/ssh/sshd_config, remove any Match block that sets another level,
#     and reload sshd.
#   tags: [ssh, logging]
package gcrun.linux.ssh.log_level

import data.gcrun.linux.lib.sshd

not_applicable contains reason if some reason in sshd.not_installed

evidence := sshd.evidence(["loglevel"])

# Parameter ssh_log_levels: INFO and VERBOSE by default, as CIS accepts;
# dev-sec wants VERBOSE (key fingerprints), INFO is the widely used
# default. Lower levels lose the login records, DEBUG levels leak private
# data.
allowed := {upper(l) | some l in data.gcrun.params.ssh_log_levels}

deny contains reason if {
	some s in sshd.settings("loglevel")
	not upper(s.value) in allowed
	reason := sshd.reason("log_level", s, sort(allowed), sprintf("LogLevel is %q%s, expected %s", [s.value, s.where, sshd.one_of(sort(allowed))]))
}

# remediate sets a global LogLevel that is not allowed to the first value of
# ssh_log_levels, where sshd takes it from.
remediate contains action if {
	some s in sshd.global_settings("loglevel")
	not upper(s.value) in allowed
	value := data.gcrun.params.ssh_log_levels[0]
	action := sshd.set("loglevel", "LogLevel", value)
}
