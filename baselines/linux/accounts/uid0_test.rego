package gcrun.linux.accounts.uid0_test

import data.gcrun.linux.accounts.uid0 as rule
import data.gcrun.linux.lib.fixtures as fx

test_pass_root_only if {
	count(rule.deny) == 0 with input as fx.users_input([fx.root_user({}), fx.user("alice", 1000, {})])
}

test_fail_second_uid0 if {
	inp := fx.users_input([fx.root_user({}), fx.user("toor", 0, {"line": 2})])
	reasons := rule.deny with input as inp
	fx.codes(reasons) == ["uid0"]
	fx.phrases(reasons) == ["user toor (/etc/passwd:2) has UID 0, expected only root"]
	some r in reasons
	r.evidence == {"file": "/etc/passwd", "line": 2, "user": "toor"}
	r.actual == "toor"
}

test_fail_renamed_root if {
	# Without a root at all, the UID 0 account still must be called root.
	fx.codes(rule.deny) == ["uid0"] with input as fx.users_input([fx.user("admin", 0, {})])
}

test_not_applicable_without_passwd if {
	fx.codes(rule.not_applicable) == ["file_missing"] with input as fx.empty_host
}

test_evidence_lists_uid0 if {
	rule.evidence == {"uid0": ["root", "toor"]} with input as fx.users_input([fx.root_user({}), fx.user("toor", 0, {})])
}
