package gcrun.linux.audit.auditd_enabled_test

import data.gcrun.linux.audit.auditd_enabled as rule
import data.gcrun.linux.lib.fixtures as fx

systemd(units) := {"systemd": {"exists": true, "search_path": ["/lib/systemd/system"], "default_target": "multi-user.target", "units": units}}

unit(state) := {"auditd.service": {"name": "auditd.service", "path": "/lib/systemd/system/auditd.service", "fragment_path": "/lib/systemd/system/auditd.service", "state": state}}

test_pass_enabled if {
	count(rule.deny) == 0 with input as systemd(unit("enabled"))
	rule.evidence == {"unit": "auditd.service", "state": "enabled"} with input as systemd(unit("enabled"))
}

test_fail_disabled_or_masked if {
	fx.phrases(rule.deny) == ["auditd.service is disabled, expected enabled"] with input as systemd(unit("disabled"))
	fx.phrases(rule.deny) == ["auditd.service is masked, expected enabled"] with input as systemd(unit("masked"))
}

test_fail_missing if {
	reasons := rule.deny with input as systemd({})
	fx.phrases(reasons) == ["auditd.service does not exist (auditd is not installed), expected enabled"]
	rule.evidence.state == "missing" with input as systemd({})
}

test_not_applicable_without_systemd if {
	fx.codes(rule.not_applicable) == ["no_systemd"] with input as {"systemd": {"exists": false, "search_path": [], "default_target": "", "units": {}}}
}
