package gcrun.linux.accounts.shadowed_passwords_test

import data.gcrun.linux.accounts.shadowed_passwords as rule
import data.gcrun.linux.lib.fixtures as fx

test_pass_all_shadowed if {
	count(rule.deny) == 0 with input as fx.hardened_host
}

test_fail_hash_in_passwd if {
	reasons := rule.deny with input as fx.users_input([fx.root_user({}), fx.user("legacy", 1001, {"password_field": "hash", "line": 8})])
	fx.codes(reasons) == ["not_shadowed"]
	fx.phrases(reasons) == ["user legacy (/etc/passwd:8) has a password hash in /etc/passwd, expected \"x\" (shadowed)"]
	some r in reasons
	r.actual == "hash"
}

test_fail_empty_and_locked if {
	inp := fx.users_input([
		fx.root_user({"password_field": "empty"}),
		fx.user("old", 1001, {"password_field": "locked", "line": 3}),
	])
	fx.phrases(rule.deny) == [
		"user old (/etc/passwd:3) has a locked password in /etc/passwd instead of \"x\", expected \"x\" (shadowed)",
		"user root (/etc/passwd:1) has an empty password field (no password), expected \"x\" (shadowed)",
	] with input as inp
}

test_not_applicable_without_passwd if {
	fx.codes(rule.not_applicable) == ["file_missing"] with input as fx.empty_host
}
