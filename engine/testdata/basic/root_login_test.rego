package test.root_login_test

test_ignored if true
