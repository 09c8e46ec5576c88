package gcrun.linux.accounts.duplicate_gids_test

import data.gcrun.linux.accounts.duplicate_gids as rule
import data.gcrun.linux.lib.fixtures as fx

test_pass_unique if {
	count(rule.deny) == 0 with input as fx.users_input([fx.root_user({})])
}

test_fail_shared_gid if {
	inp := {"users": object.union(
		fx.users_facts([fx.root_user({})], [fx.group("root", 0, [], 1), fx.group("wheel", 0, ["root"], 9)]),
		{"duplicates": {"gids": {"0": ["root", "wheel"]}}},
	)}
	reasons := rule.deny with input as inp
	fx.phrases(reasons) == ["GID 0 is shared by groups root, wheel (/etc/group:1, /etc/group:9), expected one group per GID"]
	some r in reasons
	r.evidence == {"gid": "0", "groups": [{"file": "/etc/group", "line": 1, "group": "root"}, {"file": "/etc/group", "line": 9, "group": "wheel"}]}
}

test_not_applicable_without_group if {
	inp := fx.users_with([fx.root_user({})], {"files": {"/etc/group": {"exists": false}}})
	fx.codes(rule.not_applicable) == ["file_missing"] with input as inp
	fx.phrases(rule.not_applicable) == ["/etc/group does not exist"] with input as inp
}
