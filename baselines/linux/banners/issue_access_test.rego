package gcrun.linux.banners.issue_access_test

import data.gcrun.linux.banners.issue_access as rule
import data.gcrun.linux.lib.fixtures as fx

path := "/etc/issue"

owned(mode, bits, uid, gid) := fx.banners({path: fx.banner_owned(path, fx.banner_warning, [], mode, bits, uid, gid)})

test_pass_0644_root if {
	count(rule.deny) == 0 with input as fx.banners({})
	count(rule.not_applicable) == 0 with input as fx.banners({})
}

test_pass_stricter if {
	count(rule.deny) == 0 with input as owned("0444", 292, 0, 0)
	count(rule.deny) == 0 with input as owned("0600", 384, 0, 0)
}

test_fail_group_writable_other_owner if {
	reasons := rule.deny with input as owned("0664", 436, 1000, 4)
	fx.phrases(reasons) == sort([
		sprintf("%s has mode 0664, expected 0644 or stricter (group write not allowed)", [path]),
		sprintf("%s is owned by alice (1000), expected root", [path]),
		sprintf("%s belongs to group adm (4), expected root", [path]),
	])
}

test_fail_setuid_executable_unnamed_ids if {
	reasons := rule.deny with input as owned("4755", 2541, 1234, 0)
	fx.phrases(reasons) == sort([
		sprintf("%s has mode 4755, expected 0644 or stricter (setuid, owner execute, group execute, other execute not allowed)", [path]),
		sprintf("%s is owned by 1234, expected root", [path]),
	])
}

test_not_applicable_missing if {
	fx.codes(rule.not_applicable) == ["missing"] with input as fx.banners({path: fx.banner_missing(path)})
}

test_fail_not_collected if {
	fx.codes(rule.deny) == ["not_collected"] with input as {"banners": {"files": {}}}
}

test_remediate_mode_and_owner if {
	inp := fx.banners({"/etc/issue": fx.banner_owned("/etc/issue", fx.banner_warning, [], "0664", 436, 1000, 4)})
	rule.remediate == {
		{"type": "file.mode", "path": "/etc/issue", "mode": "0644"},
		{"type": "file.owner", "path": "/etc/issue", "owner": "root", "group": "root"},
	} with input as inp
	rule.remediate == {{"type": "file.owner", "path": "/etc/issue", "group": "root"}} with input as fx.banners({"/etc/issue": fx.banner_owned("/etc/issue", fx.banner_warning, [], "0600", 384, 0, 4)})
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.banners({})
	count(rule.remediate) == 0 with input as fx.banners({"/etc/issue": fx.banner_missing("/etc/issue")})
}
