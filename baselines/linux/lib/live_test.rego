package gcrun.linux.lib.live_test

import data.gcrun.linux.lib.live

test_unavailable_names_the_reason if {
	r := live.unavailable({"available": false, "reason": "offline root /mnt"}, "the running kernel parameters")
	r.code == "live_only"
	r.phrase == "the running kernel parameters can only be read on the live host: offline root /mnt"
}

test_available_section_has_no_reason if {
	not live.unavailable({"available": true}, "x")
	live.available({"available": true})
	not live.available({"available": false, "reason": "r"})
}
