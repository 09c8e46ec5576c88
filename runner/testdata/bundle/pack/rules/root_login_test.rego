package gcrun.bundled.root_login_test

import data.gcrun.bundled.root_login

test_fail_yes if {
	count(root_login.deny) == 1 with input as {"sshd": {"exists": true, "config": {"permitrootlogin": "yes"}}}
}

test_pass_no if {
	count(root_login.deny) == 0 with input as {"sshd": {"exists": true, "config": {"permitrootlogin": "no"}}}
}
