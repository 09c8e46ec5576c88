package acme.rules.shadow_test

import data.acme.rules.shadow

facts(mode, uid) := {"paths": {"/etc/shadow": {"path": "/etc/shadow", "exists": true, "mode": mode, "uid": uid}}}

codes(reasons) := sort([r.code | some r in reasons])

test_default_parameter if data.gcrun.params.acme_shadow_max_mode == "0640"

test_pass if count(shadow.deny) == 0 with input.files as facts("0640", 0)

test_fail_mode if codes(shadow.deny) == ["shadow_mode"] with input.files as facts("0644", 0)

test_fail_both if codes(shadow.deny) == ["shadow_mode", "shadow_owner"] with input.files as facts("0666", 1000)

test_parameter_override if {
	count(shadow.deny) == 0 with input.files as facts("0644", 0) with data.gcrun.params.acme_shadow_max_mode as "0644"
}

test_not_applicable if {
	count(shadow.not_applicable) == 1 with input.files as {"paths": {"/etc/shadow": {"path": "/etc/shadow", "exists": false}}}
}
