package gcrun.linux.ssh.debian_banner_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.ssh.debian_banner as rule

banner(value, sources) := {"sshd": object.union(fx.sshd({}).sshd, {"debian_banner": value, "sources": sources})}

test_pass_no if {
	inp := banner("no", {"debianbanner": {"file": "/etc/ssh/sshd_config", "line": 3}})
	count(rule.deny) == 0 with input as inp
	rule.evidence == {"debianbanner": {"value": "no", "file": "/etc/ssh/sshd_config", "line": 3}} with input as inp
}

test_fail_default_yes if {
	reasons := rule.deny with input as banner("yes", {})
	fx.codes(reasons) == ["debian_banner"]
	some r in reasons
	r.phrase == `DebianBanner is "yes", expected "no"`
	r.expected == "no"
	r.actual == "yes"
	r.evidence == {"keyword": "debianbanner", "default": true}
}

test_fail_set_yes if {
	reasons := rule.deny with input as banner("yes", {"debianbanner": {"file": "/etc/ssh/sshd_config.d/10-banner.conf", "line": 1}})
	some r in reasons
	r.evidence == {"keyword": "debianbanner", "file": "/etc/ssh/sshd_config.d/10-banner.conf", "line": 1}
}

test_fail_not_collected if {
	# Facts without debian_banner (older or hand-made) say nothing: fail.
	fx.codes(rule.deny) == ["not_collected"] with input as fx.sshd({})
	rule.evidence == {"debianbanner": {"value": null, "collected": false}} with input as fx.sshd({})
}

test_match_blocks_ignored if {
	# sshd refuses DebianBanner inside a Match block, so only the global
	# value counts; a Match block never changes the verdict.
	inp := {"sshd": object.union(fx.sshd_match({"passwordauthentication": "no"}).sshd, {"debian_banner": "no"})}
	count(rule.deny) == 0 with input as inp
}

test_not_applicable_without_sshd if {
	fx.codes(rule.not_applicable) == ["sshd_config_missing"] with input as fx.no_sshd
}

test_remediate_sets_no if {
	inp := object.union(fx.sshd_input({}, {"debianbanner": {"file": fx.dropin_file, "line": 12}}, []), {"sshd": {"debian_banner": "yes"}})
	rule.remediate == {{"type": "config.set", "path": fx.dropin_file, "format": "sshd", "key": "DebianBanner", "value": "no"}} with input as inp
	rule.remediate == {{"type": "config.set", "path": "/etc/ssh/sshd_config", "format": "sshd", "key": "DebianBanner", "value": "no"}} with input as object.union(fx.sshd({}), {"sshd": {"debian_banner": "yes"}})
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as object.union(fx.sshd({}), {"sshd": {"debian_banner": "no"}})
	count(rule.remediate) == 0 with input as fx.sshd({})
	count(rule.remediate) == 0 with input as fx.no_sshd
}
