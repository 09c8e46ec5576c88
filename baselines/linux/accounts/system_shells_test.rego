package gcrun.linux.accounts.system_shells_test

import data.gcrun.linux.accounts.system_shells as rule
import data.gcrun.linux.lib.fixtures as fx

test_pass_nologin if {
	count(rule.deny) == 0 with input as fx.debian12_host
}

test_fail_postgres_bash if {
	inp := fx.users_input([fx.root_user({}), fx.user("postgres", 104, {"line": 24, "home": "/var/lib/postgresql"})])
	reasons := rule.deny with input as inp
	fx.codes(reasons) == ["system_login_shell"]
	fx.phrases(reasons) == ["system account postgres (UID 104, /etc/passwd:24) has login shell \"/bin/bash\", expected nologin"]
	some r in reasons
	r.actual == "/bin/bash"
	r.evidence == {"file": "/etc/passwd", "line": 24, "user": "postgres", "uid": 104, "shell": "/bin/bash"}
}

test_fail_nobody_and_empty_shell if {
	inp := fx.users_input([fx.user("nobody", 65534, {"shell": "", "line": 18})])
	fx.phrases(rule.deny) == ["system account nobody (UID 65534, /etc/passwd:18) has login shell \"/bin/sh (empty shell field)\", expected nologin"] with input as inp
}

test_pass_regular_users if {
	count(rule.deny) == 0 with input as fx.users_input([fx.root_user({}), fx.user("alice", 1000, {})])
}

test_pass_parameter_allows_postgres if {
	inp := fx.users_input([fx.user("postgres", 104, {})])
	count(rule.deny) == 1 with input as inp
	count(rule.deny) == 0 with input as inp with data.gcrun.params.accounts_system_login_shell_allowed as ["root", "postgres"]
}

test_fail_parameter_root_not_allowed if {
	fx.codes(rule.deny) == ["system_login_shell"] with input as fx.users_input([fx.root_user({})]) with data.gcrun.params.accounts_system_login_shell_allowed as []
}

test_not_applicable_without_passwd if {
	fx.codes(rule.not_applicable) == ["file_missing"] with input as fx.empty_host
}
