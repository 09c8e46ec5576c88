package gcrun.linux.services.time_sync_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.services.time_sync as rule

test_pass_timesyncd if {
	inp := fx.svc_units({"systemd-timesyncd.service": "enabled", "cron.service": "enabled"})
	count(rule.deny) == 0 with input as inp
	ev := rule.evidence with input as inp
	ev.enabled == ["systemd-timesyncd.service"]
	ev.units == {"systemd-timesyncd.service": "enabled"}
}

test_pass_chrony_with_timesyncd_masked if {
	inp := fx.svc_units({"chrony.service": "enabled", "systemd-timesyncd.service": "masked"})
	count(rule.deny) == 0 with input as inp
}

test_fail_none if {
	reasons := rule.deny with input as fx.svc_units({"systemd-timesyncd.service": "disabled"})
	fx.codes(reasons) == ["none_enabled"]
	fx.phrases(reasons) == ["no accepted time synchronization daemon is enabled (enabled: none), expected exactly one of chrony.service, systemd-timesyncd.service"]
}

test_fail_only_unaccepted_daemon if {
	reasons := rule.deny with input as fx.svc_units({"ntpsec.service": "enabled"})
	fx.phrases(reasons) == ["no accepted time synchronization daemon is enabled (enabled: ntpsec.service), expected exactly one of chrony.service, systemd-timesyncd.service"]
}

test_pass_ntpsec_accepted if {
	inp := fx.svc_units({"ntpsec.service": "enabled"})
	count(rule.deny) == 0 with input as inp with data.gcrun.params.services_time_sync_daemons as ["ntpsec.service"]
}

test_fail_two if {
	reasons := rule.deny with input as fx.svc_units({"chrony.service": "enabled", "systemd-timesyncd.service": "enabled-runtime"})
	fx.codes(reasons) == ["several_enabled"]
	fx.phrases(reasons) == ["2 time synchronization daemons are enabled (chrony.service, systemd-timesyncd.service), expected exactly one"]
	some r in reasons
	r.actual == "chrony.service, systemd-timesyncd.service"
}

test_fail_accepted_and_other if {
	inp := fx.svc_units({"chrony.service": "enabled", "openntpd.service": "enabled"})
	fx.codes(rule.deny) == ["several_enabled"] with input as inp
}

test_fail_two_unaccepted if {
	inp := fx.svc_units({"ntpsec.service": "enabled", "openntpd.service": "enabled"})
	fx.codes(rule.deny) == ["none_enabled", "several_enabled"] with input as inp
}

test_not_applicable_without_systemd if {
	fx.codes(rule.not_applicable) == ["no_systemd"] with input as fx.svc_no_systemd
}

test_remediate_disables_the_unaccepted_daemon if {
	inp := fx.svc_units({"chrony.service": "enabled", "ntpsec.service": "enabled", "openntpd.service": "disabled"})
	rule.remediate == {{"type": "service.disable", "unit": "ntpsec.service"}} with input as inp
}

test_remediate_none_when_the_choice_is_a_persons if {
	count(rule.remediate) == 0 with input as fx.svc_units({"chrony.service": "enabled", "systemd-timesyncd.service": "enabled"})
	count(rule.remediate) == 0 with input as fx.svc_units({"ntpsec.service": "enabled"})
	count(rule.remediate) == 0 with input as fx.svc_units({"ntpsec.service": "enabled", "ntp.service": "enabled"})
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.svc_units({"chrony.service": "enabled", "ntpsec.service": "disabled"})
	count(rule.remediate) == 0 with input as fx.svc_no_systemd
}
