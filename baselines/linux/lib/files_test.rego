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

test_mode_string if {
	files.mode_string(420) == "0644"
	files.mode_string(2541) == "4755"
	files.mode_string(0) == "0000"
}

test_fix_clears_only_excess_bits if {
	inp := fx.files([fx.file("/etc/x", "4666", "bob", "adm")])
	files.fix("/etc/x", {"mode": "0644", "owners": ["root"], "groups": ["root", "shadow"], "fix_group": "shadow"}) == {
		{"type": "file.mode", "path": "/etc/x", "mode": "0644"},
		{"type": "file.owner", "path": "/etc/x", "owner": "root", "group": "shadow"},
	} with input as inp
	files.fix("/etc/x", {"mode": "0600", "owners": ["root", "bob"], "groups": ["adm"]}) == {{"type": "file.mode", "path": "/etc/x", "mode": "0600"}} with input as inp
	files.fix("/etc/x", {"mode": "0640", "owners": ["bob"], "groups": ["root"]}) == {
		{"type": "file.mode", "path": "/etc/x", "mode": "0640"},
		{"type": "file.owner", "path": "/etc/x", "group": "root"},
	} with input as fx.files([fx.file("/etc/x", "0751", "bob", "adm")])
}

test_fix_keeps_stricter_mode if {
	count(files.fix("/etc/x", {"mode": "0644", "owners": ["root"], "groups": ["root"]})) == 0 with input as fx.files([fx.file("/etc/x", "0400", "root", "root")])
	files.fix("/etc/x", {"mode": "0644", "owners": ["root"], "groups": ["root"]}) == {{"type": "file.mode", "path": "/etc/x", "mode": "0404"}} with input as fx.files([fx.file("/etc/x", "0416", "root", "root")])
}

test_fix_nothing_for_symlinks_missing_and_other_types if {
	spec := {"mode": "0644", "owners": ["root"], "groups": ["root"]}
	count(files.fix("/etc/x", spec)) == 0 with input as fx.files([fx.symlink("/etc/x", "/tmp/y")])
	count(files.fix("/etc/x", spec)) == 0 with input as fx.files([fx.missing_file("/etc/x")])
	count(files.fix("/etc/x", spec)) == 0 with input as fx.files([object.union(fx.file("/etc/x", "0666", "bob", "bob"), {"type": "fifo"})])
	count(files.fix("/etc/x", spec)) == 0 with input as fx.files([])
	count(files.dir_fix("/etc/x", spec)) == 0 with input as fx.files([fx.file("/etc/x", "0777", "root", "root")])
	files.dir_fix("/etc/x", spec) == {{"type": "file.mode", "path": "/etc/x", "mode": "0644"}} with input as fx.files([fx.of_type("/etc/x", "directory")])
}
