package gcrun.linux.banners.motd_test

import data.gcrun.linux.banners.motd as rule
import data.gcrun.linux.lib.fixtures as fx

motd(content, escapes) := fx.banners({"/etc/motd": fx.banner("/etc/motd", content, escapes)})

test_pass_site_message if {
	count(rule.deny) == 0 with input as fx.banners({})
	count(rule.not_applicable) == 0 with input as fx.banners({})
}

test_pass_empty_motd if {
	count(rule.deny) == 0 with input as motd("", [])
}

test_pass_words_containing_a_name if {
	# Whole words only: "linuxfan" and "gnus" are not operating system names.
	count(rule.deny) == 0 with input as motd("Welcome, linuxfan. Gnus and debianesque things.\n", [])
}

test_fail_debian_motd if {
	reasons := rule.deny with input as fx.debian12_host
	fx.codes(reasons) == ["os_name", "os_name", "os_name", "os_name", "os_name", "os_name"]
	"/etc/motd:2 names the operating system (\"Debian\"); expected no operating system information" in fx.phrases(reasons)
	"/etc/motd:6 names the operating system (\"Linux\"); expected no operating system information" in fx.phrases(reasons)
	some r in reasons
	r.actual == "GNU"
	r.evidence == {"file": "/etc/motd", "line": 2}
}

test_fail_escapes if {
	reasons := rule.deny with input as motd("Welcome to \\S\nkernel \\r on \\m\n\\n\n", [
		{"escape": "\\S", "line": 1}, {"escape": "\\r", "line": 2},
		{"escape": "\\m", "line": 2}, {"escape": "\\n", "line": 3},
	])
	fx.phrases(reasons) == [
		"/etc/motd:1 has the escape \\S, which shows the operating system's PRETTY_NAME from os-release; expected no operating system information",
		"/etc/motd:2 has the escape \\m, which shows the machine architecture; expected no operating system information",
		"/etc/motd:2 has the escape \\r, which shows the kernel release; expected no operating system information",
	]
}

test_fail_multi_word_name_any_case if {
	reasons := rule.deny with input as motd("Powered by\nRED   Hat Enterprise\n", [])
	fx.phrases(reasons) == ["/etc/motd:2 names the operating system (\"RED   Hat\"); expected no operating system information"]
}

test_fail_not_a_file if {
	dir := {"path": "/etc/motd", "exists": true, "type": "directory", "mode": "0755", "mode_bits": 493, "uid": 0, "gid": 0, "owner": "root", "group": "root"}
	fx.codes(rule.deny) == ["not_a_file"] with input as fx.banners({"/etc/motd": dir})
}

test_fail_not_collected if {
	fx.codes(rule.deny) == ["not_collected"] with input as {"banners": {"files": {}, "update_motd": {}}}
}

test_fail_escapes_parameter if {
	inp := motd("host \\n\n", [{"escape": "\\n", "line": 1}])
	count(rule.deny) == 0 with input as inp
	fx.codes(rule.deny) == ["os_escape"] with input as inp with data.gcrun.params.banners_os_info_escapes as ["\\n"]
}

test_fail_names_parameter if {
	inp := motd("Welcome to Acme OS (a.k.a. acme-os)\n", [])
	count(rule.deny) == 0 with input as inp
	reasons := rule.deny with input as inp with data.gcrun.params.banners_os_names as ["acme os", "acme-os", "c++"]
	fx.phrases(reasons) == [
		"/etc/motd:1 names the operating system (\"Acme OS\"); expected no operating system information",
		"/etc/motd:1 names the operating system (\"acme-os\"); expected no operating system information",
	]
}

test_not_applicable_missing if {
	reasons := rule.not_applicable with input as fx.banners({"/etc/motd": fx.banner_missing("/etc/motd")})
	fx.phrases(reasons) == ["/etc/motd does not exist"]
}

test_not_applicable_dangling_link if {
	link := object.union(fx.banner_missing("/etc/motd"), {"link_target": "/run/motd.dynamic"})
	reasons := rule.not_applicable with input as fx.banners({"/etc/motd": link})
	[r.evidence | some r in reasons] == [{"file": "/etc/motd", "link_target": "/run/motd.dynamic"}]
}

test_evidence_without_text if {
	ev := rule.evidence with input as fx.debian12_host
	ev.mode == "0644"
	not ev.content
	ev.escapes == []
}

test_remediate_writes_warning if {
	rule.remediate == {{"type": "file.content", "path": "/etc/motd", "content": "Authorized uses only. All activity may be monitored and reported.\n"}} with input as fx.debian12_host
	rule.remediate == {{"type": "file.content", "path": "/etc/motd", "content": "Private system.\n"}} with input as fx.debian12_host with data.gcrun.params.banners_text as " Private system. "
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.banners({})
	count(rule.remediate) == 0 with input as fx.debian12_host with data.gcrun.params.banners_text as " "
	linked := object.union(fx.banner("/etc/motd", "Debian GNU/Linux\n", []), {"link_target": "/run/banner"})
	count(rule.deny) > 0 with input as fx.banners({"/etc/motd": linked})
	count(rule.remediate) == 0 with input as fx.banners({"/etc/motd": linked})
	count(rule.remediate) == 0 with input as fx.banners({"/etc/motd": fx.banner_missing("/etc/motd")})
}
