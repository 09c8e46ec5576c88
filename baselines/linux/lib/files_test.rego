package gcrun.linux.lib.files_test

import data.gcrun.linux.lib.files
import data.gcrun.linux.lib.fixtures as fx

test_octal if {
	files.octal("0644") == 420
	files.octal("0640") == 416
	files.octal("0600") == 384
	files.octal("4755") == 2541
	files.octal("0000") == 0
}

test_excess_bits if {
	files.excess(files.octal("0644"), "0644") == 0
	files.excess(files.octal("0600"), "0644") == 0
	files.excess(files.octal("0664"), "0644") == 16
	files.permission_names(files.excess(files.octal("6777"), "0640")) == [
		"setuid", "setgid", "owner execute", "group write", "group execute",
		"other read", "other write", "other execute",
	]
}

test_check_outcomes if {
	spec := {"mode": "0644", "owners": ["root"], "groups": ["root"]}
	count(files.check("/etc/passwd", spec)) == 0 with input as fx.files([fx.file("/etc/passwd", "0644", "root", "root")])
	count(files.check("/etc/passwd", spec)) == 0 with input as fx.files([fx.missing_file("/etc/passwd")])
	fx.codes(files.check("/etc/passwd", spec)) == ["not_collected"] with input as fx.files([])

	# No files collector at all: the engine reports an error, no reason here.
	count(files.check("/etc/passwd", spec)) == 0 with input as {}
}

test_symlink_gets_one_reason_only if {
	spec := {"mode": "0600", "owners": ["root"], "groups": ["root"]}
	fx.codes(files.check("/etc/x", spec)) == ["symlink"] with input as fx.files([fx.symlink("/etc/x", "/y")])
}

test_evidence_shapes if {
	inp := fx.files([fx.file("/a", "0644", "root", "root"), fx.symlink("/b", "/a"), fx.missing_file("/c"), fx.of_type("/d", "fifo")])
	ev := files.evidence(["/a", "/b", "/c", "/d", "/e"]) with input as inp
	ev == {
		"/a": {"file": "/a", "mode": "0644", "owner": "root", "group": "root", "uid": 0, "gid": 0},
		"/b": {"file": "/b", "type": "symlink", "link_target": "/a"},
		"/c": {"file": "/c", "exists": false},
		"/d": {"file": "/d", "type": "fifo"},
	}
}

test_dir_check if {
	d := object.union(fx.file("/etc/ssh", "0755", "root", "root"), {"type": "directory"})
	count(files.dir_check("/etc/ssh", {"mode": "0755", "owners": ["root"], "groups": ["root"]})) == 0 with input as fx.files([d])
	fx.codes(files.dir_check("/etc/ssh", {"mode": "0700", "owners": ["root"], "groups": ["root"]})) == ["mode"] with input as fx.files([d])
	fx.codes(files.dir_check("/etc/ssh", {"mode": "0755", "owners": ["root"], "groups": ["root"]})) == ["not_directory"] with input as fx.files([fx.file("/etc/ssh", "0755", "root", "root")])
	count(files.dir_check("/etc/ssh", {"mode": "0755", "owners": ["root"], "groups": ["root"]})) == 0 with input as fx.files([fx.missing_file("/etc/ssh")])
}
