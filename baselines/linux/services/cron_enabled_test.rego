package gcrun.linux.services.cron_enabled_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.services.cron_enabled as rule

test_pass_enabled if {
	inp := fx.svc_units({"cron.service": "enabled"})
	count(rule.deny) == 0 with input as inp
	count(rule.not_applicable) == 0 with input as inp
	rule.evidence == {"units": {"cron.service": "enabled"}} with input as inp
}

test_pass_cronie_through_alias if {
	units := object.union(fx.svc_units({"cronie.service": "enabled"}).systemd.units, {"crond.service": fx.svc_alias("crond.service", "cronie.service")})
	inp := {"systemd": object.union(fx.svc_units({}).systemd, {"units": units})}
	count(rule.deny) == 0 with input as inp
	rule.evidence == {"units": {"cronie.service": "enabled"}} with input as inp
}

test_fail_disabled if {
	reasons := rule.deny with input as fx.svc_units({"cron.service": "disabled"})
	fx.codes(reasons) == ["not_enabled"]
	fx.phrases(reasons) == ["cron.service is disabled, expected enabled"]
	some r in reasons
	r.evidence == {"unit": "cron.service", "state": "disabled", "file": "/lib/systemd/system/cron.service"}
}

test_fail_masked if {
	fx.phrases(rule.deny) == ["cron.service is masked, expected enabled"] with input as fx.svc_units({"cron.service": "masked"})
}

test_not_applicable_not_installed if {
	reasons := rule.not_applicable with input as fx.svc_units({"ssh.service": "enabled"})
	fx.codes(reasons) == ["not_installed"]
	fx.phrases(reasons) == ["none of cron.service, crond.service, cronie.service exists: cron is not installed"]
}

test_not_applicable_without_systemd if {
	fx.codes(rule.not_applicable) == ["no_systemd"] with input as fx.svc_no_systemd
}
