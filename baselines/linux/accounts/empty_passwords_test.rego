package gcrun.linux.accounts.empty_passwords_test

import data.gcrun.linux.accounts.empty_passwords as rule
import data.gcrun.linux.lib.fixtures as fx

test_pass_passwords_and_locked if {
	inp := fx.users_input([fx.root_user({"shadow": fx.shadow_no_password}), fx.user("alice", 1000, {}), fx.user("bob", 1001, {"shadow": fx.shadow_locked})])
	count(rule.deny) == 0 with input as inp
}

test_fail_empty if {
	inp := fx.users_input([fx.root_user({}), fx.user("guest", 1001, {"shadow": object.union(fx.shadow_empty, {"line": 31})})])
	reasons := rule.deny with input as inp
	fx.codes(reasons) == ["empty_password"]
	fx.phrases(reasons) == ["user guest (/etc/shadow:31) has an empty password, expected a password or a locked account"]
	some r in reasons
	r.evidence == {"file": "/etc/shadow", "line": 31, "user": "guest"}
}

test_not_applicable_without_shadow if {
	inp := fx.users_with([fx.root_user({})], {"files": {"/etc/shadow": {"exists": false}}})
	fx.phrases(rule.not_applicable) == ["/etc/shadow does not exist"] with input as inp
}
