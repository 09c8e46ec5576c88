package gcrun.linux.services.web_server_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.services.web_server as rule

test_pass_not_installed if {
	count(rule.deny) == 0 with input as fx.svc_units({"cron.service": "enabled"})
	count(rule.not_applicable) == 0 with input as fx.svc_units({"cron.service": "enabled"})
}

test_pass_masked_or_disabled if {
	inp := fx.svc_units({"apache2.service": "masked", "nginx.service": "disabled", "lighttpd.service": "masked"})
	count(rule.deny) == 0 with input as inp
	ev := rule.evidence with input as inp
	ev.units == {"apache2.service": "masked", "lighttpd.service": "masked", "nginx.service": "disabled"}
	ev.allowed == []
}

test_fail_enabled if {
	reasons := rule.deny with input as fx.svc_units({"apache2.service": "enabled", "nginx.service": "enabled-runtime", "lighttpd.service": "enabled"})
	fx.codes(reasons) == ["in_use", "in_use", "in_use"]
	fx.phrases(reasons) == [
		"apache2.service is enabled (wanted by multi-user.target), expected not enabled: a web server is only needed where the host serves web content",
		"lighttpd.service is enabled (wanted by multi-user.target), expected not enabled: a web server is only needed where the host serves web content",
		"nginx.service is enabled-runtime (wanted by multi-user.target), expected not enabled: a web server is only needed where the host serves web content",
	]
	some r in reasons
	r.evidence.unit == "apache2.service"
	r.evidence.links == ["/etc/systemd/system/multi-user.target.wants/apache2.service"]
}

test_pass_allowed if {
	inp := fx.svc_units({"apache2.service": "enabled"})
	count(rule.deny) == 0 with input as inp with data.gcrun.params.services_allowed as ["apache2"]
	ev := rule.evidence with input as inp with data.gcrun.params.services_allowed as ["apache2.service"]
	ev.allowed == ["apache2.service"]
}

test_fail_other_unit_allowed if {
	inp := fx.svc_units({"apache2.service": "enabled"})
	fx.codes(rule.deny) == ["in_use"] with input as inp with data.gcrun.params.services_allowed as ["sshd", "ssh.service"]
}

test_not_applicable_without_systemd if {
	reasons := rule.not_applicable with input as fx.svc_no_systemd
	fx.codes(reasons) == ["no_systemd"]
}

test_remediate_disables_each_enabled_unit if {
	rule.remediate == {
		{"type": "service.disable", "unit": "apache2.service"},
		{"type": "service.disable", "unit": "nginx.service"},
		{"type": "service.disable", "unit": "lighttpd.service"},
	} with input as fx.svc_units({"apache2.service": "enabled", "nginx.service": "enabled", "lighttpd.service": "enabled"})
	rule.remediate == {{"type": "service.mask", "unit": "lighttpd.service"}} with input as fx.svc_units({"lighttpd.service": "enabled-runtime"})
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.svc_units({"apache2.service": "disabled", "cron.service": "enabled"})
	count(rule.remediate) == 0 with input as fx.svc_units({"apache2.service": "masked"})
	count(rule.remediate) == 0 with input as fx.svc_units({"apache2.service": "enabled"}) with data.gcrun.params.services_allowed as ["apache2.service"]
	count(rule.remediate) == 0 with input as fx.svc_no_systemd
}
