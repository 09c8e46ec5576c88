# METADATA
# title: Logs are sent to a remote log host (when site policy requires it)
# description: >-
#   Logs kept only on the host are lost with it, and an intruder who gains
#   root can edit them. Sending a copy to a log server keeps the evidence
#   (CIS 6.1.3.6 for rsyslog, 6.1.2.1.x for systemd-journal-upload). Where
#   logs go is site policy: the rule applies only when the parameter
#   logging_remote_required is true, and then passes when rsyslog has a
#   forwarding action (omfwd, omrelp) or systemd-journal-upload has a URL.
# custom:
#   id: GCL-LOG-006
#   severity: info
#   references:
#     cis-debian-linux-12-v1.1.0: ["6.1.3.6", "6.1.2.1.2"]
#   remediation: >-
#     Add a forwarding action to rsyslog, for example
#     '*.* action(type="omfwd" target="loghost.example.com" port="514"
#     protocol="tcp")' in /etc/rsyslog.d/60-remote.conf, or install
#     systemd-journal-remote and set URL= in
#     /etc/systemd/journal-upload.conf.
#   tags: [logging, rsyslog, journald, network]
package gcrun.linux.logging.remote_logging

import data.gcrun.linux.lib.logging

evidence := {
	"rsyslog_forwarding": sort([sprintf("%s %s:%s (%s:%d)", [a.type, a.target, object.get(a, "port", ""), a.file, a.line]) | some a in logging.forwarding_actions]),
	"journal_upload_url": upload_url,
}

upload_url := u.value if {
	u := logging.journal_upload_url
} else := ""

not_applicable contains reason if {
	data.gcrun.params.logging_remote_required == false
	reason := {
		"code": "not_required",
		"phrase": "sending logs off the host is not required (logging_remote_required is false)",
	}
}

deny contains reason if {
	count(logging.forwarding_actions) == 0
	not logging.journal_upload_url
	reason := {
		"code": "no_remote_logging",
		"phrase": "no rsyslog action forwards logs (omfwd, omrelp) and systemd-journal-upload has no URL; expected logs sent to a remote log host",
		"expected": "a remote log host",
		"actual": "none",
	}
}
