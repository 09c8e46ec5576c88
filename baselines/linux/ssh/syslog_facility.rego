# METADATA
# title: SSH logs to the AUTH or AUTHPRIV syslog facility (parameter ssh_syslog_facilities)
# description: >-
#   Logins, failed attempts and key fingerprints belong with the other
#   authentication records (/var/log/auth.log on Debian), where log
#   forwarding, retention and intrusion detection look for them. Logged to
#   another facility they end up in a general log, or nowhere.
# custom:
#   id: GCL-SSH-038
#   severity: low
#   references:
#     dev-sec-ssh-baseline: ["sshd-12"]
#   remediation: >-
#     Set "SyslogFacility AUTH" (or a facility of parameter
#     ssh_syslog_facilities) in /etc/ssh/sshd_config and reload sshd.
#   tags: [ssh, logging]
package gcrun.linux.ssh.syslog_facility

import data.gcrun.linux.lib.sshd

not_applicable contains reason if some reason in sshd.not_installed

evidence := sshd.evidence(["syslogfacility"])

# Parameter ssh_syslog_facilities: AUTH (dev-sec) and AUTHPRIV (its private
# variant, the RHEL default) by default.
allowed := {upper(f) | some f in data.gcrun.params.ssh_syslog_facilities}

deny contains reason if {
	some s in sshd.settings("syslogfacility")
	not upper(s.value) in allowed
	reason := sshd.reason("syslog_facility", s, sort(allowed), sprintf("SyslogFacility is %q%s, expected %s", [s.value, s.where, sshd.one_of(sort(allowed))]))
}

# remediate sets a global SyslogFacility that is not allowed to the first value of
# ssh_syslog_facilities, where sshd takes it from.
remediate contains action if {
	some s in sshd.global_settings("syslogfacility")
	not upper(s.value) in allowed
	value := data.gcrun.params.ssh_syslog_facilities[0]
	action := sshd.set("syslogfacility", "SyslogFacility", value)
}
