package gcrun.linux.filesystem.world_writable_files_test

import data.gcrun.linux.filesystem.world_writable_files as rule
import data.gcrun.linux.lib.fixtures as fx

test_pass_nothing_found if {
	count(rule.deny) == 0 with input as fx.fs_sweep({})
}

test_pass_allowed_by_parameter if {
	inp := fx.fs_found("world_writable_files", [fx.fs_entry("/srv/drop/inbox", "0666", 1000, 1000, "file")])
	count(rule.deny) == 0 with input as inp with data.gcrun.params.filesystem_world_writable_allowed as ["/srv/drop/*"]
	count(rule.deny) == 1 with input as inp
}

test_fail_world_writable_file if {
	reasons := rule.deny with input as fx.fs_found("world_writable_files", [fx.fs_entry("/etc/cron.daily/backup", "0777", 0, 0, "file")])
	fx.codes(reasons) == ["world_writable"]
	fx.phrases(reasons) == ["/etc/cron.daily/backup (file) has mode 0777, writable by others, expected no write permission for others"]
	some r in reasons
	r.actual == "0777"
	r.evidence == {"path": "/etc/cron.daily/backup", "type": "file", "mode": "0777", "uid": 0, "gid": 0}
}

test_fail_fifo_and_device if {
	inp := fx.fs_found("world_writable_files", [
		fx.fs_entry("/opt/app/ctl", "0666", 0, 0, "fifo"),
		fx.fs_entry("/opt/app/disk", "0666", 0, 6, "block_device"),
	])
	fx.phrases(rule.deny) == [
		"/opt/app/ctl (fifo) has mode 0666, writable by others, expected no write permission for others",
		"/opt/app/disk (block_device) has mode 0666, writable by others, expected no write permission for others",
	] with input as inp
}

test_fail_glob_stops_at_slash if {
	inp := fx.fs_found("world_writable_files", [fx.fs_entry("/srv/drop/sub/x", "0666", 0, 0, "file")])
	fx.codes(rule.deny) == ["world_writable"] with input as inp with data.gcrun.params.filesystem_world_writable_allowed as ["/srv/drop/*"]
}

test_fail_incomplete_sweep if {
	reasons := rule.deny with input as fx.fs_sweep(fx.fs_budget_hit)
	fx.codes(reasons) == ["sweep_incomplete"]
	fx.phrases(reasons) == ["the file-system sweep is incomplete (entry budget of 2000000 reached at /usr/share/doc/libc6), expected a complete sweep: what it did not examine is unknown"]
}

test_fail_incomplete_keeps_findings if {
	inp := fx.fs_sweep(object.union(fx.fs_budget_hit, {
		"world_writable_files": [fx.fs_entry("/tmp/x", "0666", 0, 0, "file")],
		"counts": {"world_writable_files": 1},
	}))
	fx.codes(rule.deny) == ["sweep_incomplete", "world_writable"] with input as inp
}

test_fail_unlisted_findings if {
	inp := fx.fs_sweep({
		"world_writable_files": [fx.fs_entry("/tmp/a", "0666", 0, 0, "file")],
		"counts": {"world_writable_files": 1001},
	})
	reasons := rule.deny with input as inp with data.gcrun.params.filesystem_world_writable_allowed as ["/tmp/a"]
	fx.codes(reasons) == ["unlisted_findings"]
	fx.phrases(reasons) == ["1000 more world-writable files were found beyond the 1 the sweep lists, expected none"]
}

test_evidence_lists_found_and_allowed if {
	inp := fx.fs_found("world_writable_files", [fx.fs_entry("/srv/drop/inbox", "0666", 0, 0, "file"), fx.fs_entry("/tmp/x", "0666", 0, 0, "file")])
	ev := rule.evidence with input as inp with data.gcrun.params.filesystem_world_writable_allowed as ["/srv/drop/*"]
	ev.found == ["/srv/drop/inbox", "/tmp/x"]
	ev.allowed == ["/srv/drop/inbox"]
	ev.count == 2
	ev.complete == true
}
