package gcrun.linux.logging.journald_compress_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.logging.journald_compress as rule

compress(v) := fx.journald_only({"Compress": v})

test_pass_yes_size_and_default if {
	count(rule.deny) == 0 with input as compress("yes")
	count(rule.deny) == 0 with input as compress("TRUE")
	count(rule.deny) == 0 with input as compress("512K")
	count(rule.deny) == 0 with input as compress("")
	count(rule.deny) == 0 with input as fx.debian12_host
	count(rule.not_applicable) == 0 with input as fx.debian12_host
}

test_fail_no if {
	reasons := rule.deny with input as compress("off")
	fx.phrases(reasons) == ["journald Compress is \"off\" (/etc/systemd/journald.conf.d/60-cis.conf:2), expected yes"]
	[r.evidence | some r in reasons] == [{"key": "Compress", "file": "/etc/systemd/journald.conf.d/60-cis.conf", "line": 2, "value": "off"}]
}

test_fail_invalid if {
	fx.codes(rule.deny) == ["invalid"] with input as compress("maybe")
}

test_not_applicable_without_journald_conf if {
	fx.codes(rule.not_applicable) == ["no_journald_conf"] with input as fx.empty_host
}

test_evidence_default if {
	rule.evidence == {"key": "Compress", "value": "", "default": true} with input as fx.debian12_host
}

test_remediate_sets_yes if {
	rule.remediate == {{"type": "config.set", "path": fx.journald_dropin, "format": "keyvalue", "separator": "=", "key": "Compress", "value": "yes"}} with input as fx.journald_only({"Compress": "no"})
	rule.remediate == {{"type": "config.set", "path": fx.journald_dropin, "format": "keyvalue", "separator": "=", "key": "Compress", "value": "yes"}} with input as fx.journald_only({"Compress": "maybe"})
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.journald_only({})
	count(rule.remediate) == 0 with input as fx.journald_only({"Compress": "1M"})
	count(rule.remediate) == 0 with input as fx.debian12_host
	count(rule.remediate) == 0 with input as fx.empty_host
}
