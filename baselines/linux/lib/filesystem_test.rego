package gcrun.linux.lib.filesystem_test

import data.gcrun.linux.lib.filesystem
import data.gcrun.linux.lib.fixtures as fx

test_allowed_literal_and_glob if {
	filesystem.allowed("/usr/bin/su", ["/usr/bin/su"])
	filesystem.allowed("/usr/lib/x86_64-linux-gnu/utempter/utempter", ["/usr/lib/*/utempter/utempter"])
	not filesystem.allowed("/usr/lib/a/b/utempter/utempter", ["/usr/lib/*/utempter/utempter"])
	not filesystem.allowed("/usr/bin/sudo", [])
}

test_complete_sweep_has_no_incomplete_reason if {
	count(filesystem.incomplete) == 0 with input as fx.fs_sweep({})
}

test_incomplete_names_every_cause if {
	inp := fx.fs_sweep(object.union(fx.fs_budget_hit, fx.fs_unreadable))
	reasons := filesystem.incomplete with input as inp
	some r in reasons
	r.actual == "2 entries could not be read, first /home/alice/private: permission denied; entry budget of 2000000 reached at /usr/share/doc/libc6"
	r.evidence.unreadable == 2
}

test_incomplete_one_unreadable if {
	inp := fx.fs_sweep({"complete": false, "unreadable": [{"path": "/root", "error": "permission denied"}], "counts": {"unreadable": 1}})
	some r in filesystem.incomplete with input as inp
	r.actual == "1 entry could not be read, first /root: permission denied"
}

test_incomplete_without_cause if {
	some r in filesystem.incomplete with input as fx.fs_sweep({"complete": false})
	r.actual == "the collector marked it incomplete"
}

test_unlisted_only_beyond_the_list if {
	count(filesystem.unlisted("suid", "SUID files")) == 0 with input as fx.fs_found("suid", [fx.fs_entry("/usr/bin/su", "4755", 0, 0, "file")])
	some r in filesystem.unlisted("suid", "SUID files") with input as fx.fs_sweep({"counts": {"suid": 5}})
	r.actual == 5
}

test_unknown_ids_needs_exists_false if {
	# A sweep without id_databases (another producer) is no reason to skip.
	count(filesystem.unknown_ids("passwd")) == 0 with input as {"sweep": object.remove(fx.fs_clean_sweep, ["id_databases"])}
	count(filesystem.unread_ids("passwd")) == 0 with input as fx.fs_sweep({})
}
