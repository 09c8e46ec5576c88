package gcrun.linux.lib.accounts_test

import data.gcrun.linux.lib.accounts
import data.gcrun.linux.lib.fixtures as fx

test_octal if {
	accounts.octal("0750") == 488
	accounts.octal("2775") == 1533
	accounts.octal("0") == 0
	not accounts.octal("0789")
	not accounts.octal("")
}

test_excess_mode if {
	accounts.excess_mode("0750", "0750") == 0
	accounts.excess_mode("0700", "0750") == 0
	accounts.excess_mode("0755", "0750") == 5
	accounts.excess_mode("0770", "0750") == 16

	# setuid, setgid and sticky are not permissions to others.
	accounts.excess_mode("2750", "0750") == 0
	accounts.excess_mode("1777", "0700") == 63
}

test_missing_only_when_known if {
	count(accounts.no_passwd) == 0 with input as fx.users_input([])
	fx.codes(accounts.no_passwd) == ["file_missing"] with input as fx.empty_host

	# A failed collector leaves input.users absent: no reason, so the
	# engine's error is not hidden behind not_applicable.
	count(accounts.no_passwd) == 0 with input as {}
}

test_password_users if {
	inp := fx.users_input([
		fx.user("alice", 1000, {}),
		fx.user("bob", 1001, {"shadow": fx.shadow_locked}),
		fx.user("carol", 1002, {"shadow": fx.shadow_no_password}),
	])
	[u.name | some u in accounts.password_users] == ["alice"] with input as inp
}
