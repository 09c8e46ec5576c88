package gcrun.linux.banners.issue_test

import data.gcrun.linux.banners.issue as rule
import data.gcrun.linux.lib.fixtures as fx

path := "/etc/issue"

with_text(content, escapes) := fx.banners({path: fx.banner(path, content, escapes)})

test_pass_warning if {
	count(rule.deny) == 0 with input as fx.banners({})
}

test_fail_debian12 if {
	reasons := rule.deny with input as fx.debian12_host
	fx.codes(reasons) == ["os_name", "os_name", "os_name"]
}

test_fail_missing if {
	reasons := rule.deny with input as fx.banners({path: fx.banner_missing(path)})
	fx.phrases(reasons) == [sprintf("%s does not exist, expected a warning banner", [path])]
	some r in reasons
	r.expected == "a warning banner"
	r.actual == "missing"
}

test_fail_empty if {
	fx.codes(rule.deny) == ["empty"] with input as with_text(" \n\t\n", [])
}

test_fail_escapes if {
	reasons := rule.deny with input as with_text("Authorized uses only\n\\s \\v\n", [{"escape": "\\s", "line": 2}, {"escape": "\\v", "line": 2}])
	fx.codes(reasons) == ["os_escape", "os_escape"]
	{r.evidence.line | some r in reasons} == {2}
}

test_fail_escapes_parameter if {
	inp := with_text("Authorized uses only on \\n\n", [{"escape": "\\n", "line": 1}])
	count(rule.deny) == 0 with input as inp
	fx.codes(rule.deny) == ["os_escape"] with input as inp with data.gcrun.params.banners_os_info_escapes as ["\\n", "\\l"]
}

test_fail_names_parameter if {
	inp := with_text("Authorized uses only. Ubuntu 24.04\n", [])
	fx.codes(rule.deny) == ["os_name"] with input as inp
	count(rule.deny) == 0 with input as inp with data.gcrun.params.banners_os_names as ["debian"]
}

test_evidence_escapes if {
	ev := rule.evidence with input as fx.debian12_host
	ev.exists == true
	not ev.content
}

test_remediate_writes_warning if {
	rule.remediate == {{"type": "file.content", "path": "/etc/issue", "content": "Authorized uses only. All activity may be monitored and reported.\n"}} with input as fx.debian12_host
	rule.remediate == {{"type": "file.content", "path": "/etc/issue", "content": "Private system.\n"}} with input as fx.debian12_host with data.gcrun.params.banners_text as " Private system. "
	rule.remediate == {{"type": "file.content", "path": "/etc/issue", "content": "Authorized uses only. All activity may be monitored and reported.\n"}} with input as fx.banners({"/etc/issue": fx.banner_missing("/etc/issue")})
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.banners({})
	count(rule.remediate) == 0 with input as fx.debian12_host with data.gcrun.params.banners_text as " "
	linked := object.union(fx.banner("/etc/issue", "Debian GNU/Linux\n", []), {"link_target": "/run/banner"})
	count(rule.deny) > 0 with input as fx.banners({"/etc/issue": linked})
	count(rule.remediate) == 0 with input as fx.banners({"/etc/issue": linked})
}
