package gcrun.linux.filesystem.sgid_test

import data.gcrun.linux.filesystem.sgid as rule
import data.gcrun.linux.lib.fixtures as fx

test_pass_debian12_defaults if {
	count(rule.deny) == 0 with input as fx.fs_found("sgid", fx.fs_debian12_sgid)
}

test_pass_multiarch_glob if {
	inp := fx.fs_found("sgid", [fx.fs_entry("/usr/lib/aarch64-linux-gnu/utempter/utempter", "2755", 0, 22, "file")])
	count(rule.deny) == 0 with input as inp
}

test_fail_unknown_sgid if {
	reasons := rule.deny with input as fx.fs_found("sgid", [fx.fs_entry("/usr/local/bin/mailer", "2755", 0, 8, "file")])
	fx.codes(reasons) == ["sgid_not_allowed"]
	fx.phrases(reasons) == ["/usr/local/bin/mailer (file, mode 2755, gid 8) is set-group-ID, expected only the programs of filesystem_sgid_allowed"]
}

test_fail_parameter_empty if {
	inp := fx.fs_found("sgid", fx.fs_debian12_sgid)
	reasons := rule.deny with input as inp with data.gcrun.params.filesystem_sgid_allowed as []
	count(reasons) == count(fx.fs_debian12_sgid)
}

test_fail_incomplete_sweep if {
	fx.codes(rule.deny) == ["sweep_incomplete"] with input as fx.fs_sweep(fx.fs_unreadable)
}
