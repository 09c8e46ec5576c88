package gcrun.linux.filesystem.suid_test

import data.gcrun.linux.filesystem.suid as rule
import data.gcrun.linux.lib.fixtures as fx

test_pass_debian12_defaults if {
	count(rule.deny) == 0 with input as fx.fs_found("suid", fx.fs_debian12_suid)
}

test_pass_allowed_by_parameter if {
	inp := fx.fs_found("suid", [fx.fs_entry("/opt/vendor/bin/helper", "4755", 0, 0, "file")])
	count(rule.deny) == 0 with input as inp with data.gcrun.params.filesystem_suid_allowed as ["/opt/vendor/bin/*"]
}

test_fail_unknown_suid if {
	reasons := rule.deny with input as fx.fs_found("suid", array.concat(fx.fs_debian12_suid, [fx.fs_entry("/tmp/.x/sh", "4755", 0, 0, "file")]))
	fx.codes(reasons) == ["suid_not_allowed"]
	fx.phrases(reasons) == ["/tmp/.x/sh (file, mode 4755, uid 0) is set-user-ID, expected only the programs of filesystem_suid_allowed"]
}

test_fail_parameter_narrows if {
	inp := fx.fs_found("suid", fx.fs_debian12_suid)
	reasons := rule.deny with input as inp with data.gcrun.params.filesystem_suid_allowed as ["/usr/bin/su", "/usr/bin/sudo"]
	count(reasons) == count(fx.fs_debian12_suid) - 2
	not "/usr/bin/su" in {r.evidence.path | some r in reasons}
}

test_fail_incomplete_sweep if {
	fx.codes(rule.deny) == ["sweep_incomplete"] with input as fx.fs_sweep(fx.fs_budget_hit)
}

test_evidence_found_and_allowed if {
	inp := fx.fs_found("suid", [fx.fs_entry("/usr/bin/su", "4755", 0, 0, "file"), fx.fs_entry("/usr/local/bin/x", "4755", 0, 0, "file")])
	ev := rule.evidence with input as inp
	ev.found == ["/usr/bin/su", "/usr/local/bin/x"]
	ev.allowed == ["/usr/bin/su"]
}
