package gcrun.linux.logging.journald_storage_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.logging.journald_storage as rule

test_pass_persistent if {
	count(rule.deny) == 0 with input as fx.journald_only({"Storage": "persistent"})
}

test_fail_default if {
	reasons := rule.deny with input as fx.debian12_host
	fx.phrases(reasons) == ["journald Storage is not set, expected persistent (the default, auto, keeps the journal only while /var/log/journal exists)"]
	[r.actual | some r in reasons] == ["auto (default)"]
}

test_fail_volatile if {
	reasons := rule.deny with input as fx.journald_only({"Storage": "volatile"})
	fx.phrases(reasons) == ["journald Storage is \"volatile\" (/etc/systemd/journald.conf.d/60-cis.conf:4), expected persistent"]
}

test_not_applicable_without_journald_conf if {
	fx.codes(rule.not_applicable) == ["no_journald_conf"] with input as fx.empty_host
}

test_remediate_sets_persistent if {
	rule.remediate == {{"type": "config.set", "path": fx.journald_dropin, "format": "keyvalue", "separator": "=", "key": "Storage", "value": "persistent"}} with input as fx.journald_only({"Storage": "volatile"})
	rule.remediate == {{"type": "file.content", "path": "/etc/systemd/journald.conf.d/60-gcrun-storage.conf", "content": "[Journal]\nStorage=persistent\n"}} with input as fx.debian12_host
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.journald_only({})
	count(rule.remediate) == 0 with input as fx.empty_host
}
