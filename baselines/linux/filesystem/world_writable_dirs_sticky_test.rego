package gcrun.linux.filesystem.world_writable_dirs_sticky_test

import data.gcrun.linux.filesystem.world_writable_dirs_sticky as rule
import data.gcrun.linux.lib.fixtures as fx

test_pass_nothing_found if {
	count(rule.deny) == 0 with input as fx.fs_sweep({})
}

test_fail_without_sticky if {
	reasons := rule.deny with input as fx.fs_found("world_writable_dirs_without_sticky", [fx.fs_entry("/srv/upload", "0777", 0, 0, "directory")])
	fx.codes(reasons) == ["no_sticky_bit"]
	fx.phrases(reasons) == ["directory /srv/upload has mode 0777, world-writable without the sticky bit, expected the sticky bit (like 1777)"]
	some r in reasons
	r.evidence.path == "/srv/upload"
}

test_fail_incomplete_unreadable if {
	reasons := rule.deny with input as fx.fs_sweep(fx.fs_unreadable)
	fx.phrases(reasons) == ["the file-system sweep is incomplete (2 entries could not be read, first /home/alice/private: permission denied), expected a complete sweep: what it did not examine is unknown"]
}

test_fail_unlisted_findings if {
	inp := fx.fs_sweep({"counts": {"world_writable_dirs_without_sticky": 3}})
	fx.codes(rule.deny) == ["unlisted_findings"] with input as inp
}
