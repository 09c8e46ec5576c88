package gcrun.linux.auth.umask_test

import data.gcrun.linux.auth.umask as rule
import data.gcrun.linux.lib.fixtures as fx

test_pass_027_and_077 if {
	count(rule.deny) == 0 with input as fx.login_defs({"UMASK": "027"})
	count(rule.deny) == 0 with input as fx.login_defs({"UMASK": "077"})
	count(rule.deny) == 0 with input as fx.login_defs({"UMASK": "0027"})
}

test_fail_debian_022 if {
	reasons := rule.deny with input as fx.login_defs({"UMASK": "022"})
	fx.phrases(reasons) == ["UMASK is 022 (/etc/login.defs:10), expected 027 or stricter"]
	some r in reasons
	r.actual == "022"
	r.expected == "027 or stricter"
}

test_fail_decimal_27 if {
	# strtol base 0: "27" is decimal 27, octal 033: others keep read access.
	fx.codes(rule.deny) == ["umask"] with input as fx.login_defs({"UMASK": "27"})
}

test_fail_unset if {
	fx.phrases(rule.deny) == ["UMASK is not set (so 022 is used), expected 027 or stricter"] with input as fx.login_defs({})
}

test_fail_parameter_077 if {
	fx.phrases(rule.deny) == ["UMASK is 027 (/etc/login.defs:10), expected 077 or stricter"] with input as fx.login_defs({"UMASK": "027"}) with data.gcrun.params.auth_umask as "077"
}

test_not_applicable_without_login_defs if {
	fx.codes(rule.not_applicable) == ["login_defs_missing"] with input as fx.empty_host
}

test_remediate_adds_required_bits if {
	rule.remediate == {{"type": "config.set", "path": "/etc/login.defs", "format": "keyvalue", "separator": "\t", "key": "UMASK", "value": "027"}} with input as fx.login_defs({"UMASK": "022"})
	rule.remediate == {{"type": "config.set", "path": "/etc/login.defs", "format": "keyvalue", "separator": "\t", "key": "UMASK", "value": "077"}} with input as fx.login_defs({"UMASK": "070"})
	rule.remediate == {{"type": "config.set", "path": "/etc/login.defs", "format": "keyvalue", "separator": "\t", "key": "UMASK", "value": "027"}} with input as fx.login_defs({})
	rule.remediate == {{"type": "config.set", "path": "/etc/login.defs", "format": "keyvalue", "separator": "\t", "key": "UMASK", "value": "077"}} with input as fx.login_defs({"UMASK": "027"}) with data.gcrun.params.auth_umask as "077"
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.login_defs({"UMASK": "027"})
	count(rule.remediate) == 0 with input as fx.login_defs({"UMASK": "077"})
}
