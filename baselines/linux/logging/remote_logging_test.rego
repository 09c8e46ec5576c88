package gcrun.linux.logging.remote_logging_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.logging.remote_logging as rule

upload(url, pkgs) := object.union(fx.journald_only({}), object.union(fx.packages(pkgs), {"logging": {"journal_upload": fx.systemd_conf(["/etc/systemd/journal-upload.conf"], {"URL": url})}}))

test_pass_rsyslog_forwarding if {
	count(rule.deny) == 0 with input as fx.hardened_host with data.gcrun.params.logging_remote_required as true
	ev := rule.evidence with input as fx.hardened_host
	ev.rsyslog_forwarding == ["omfwd loghost.example.com:6514 (/etc/rsyslog.d/60-remote.conf:1)"]
}

test_pass_journal_upload if {
	inp := upload("https://logs.example.com:19532", ["systemd-journal-remote"])
	count(rule.deny) == 0 with input as inp with data.gcrun.params.logging_remote_required as true
}

test_fail_nothing_forwards if {
	reasons := rule.deny with input as fx.debian12_host with data.gcrun.params.logging_remote_required as true
	fx.codes(reasons) == ["no_remote_logging"]
}

test_fail_upload_package_removed if {
	inp := upload("https://logs.example.com:19532", [])
	fx.codes(rule.deny) == ["no_remote_logging"] with input as inp with data.gcrun.params.logging_remote_required as true
}

test_fail_forwarding_by_removed_rsyslog if {
	inp := object.union(object.remove(fx.hardened_host, ["packages"]), fx.packages([]))
	fx.codes(rule.deny) == ["no_remote_logging"] with input as inp with data.gcrun.params.logging_remote_required as true
}

test_not_applicable_by_default if {
	fx.codes(rule.not_applicable) == ["not_required"] with input as fx.hardened_host
}
