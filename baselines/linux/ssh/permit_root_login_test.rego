package gcrun.linux.ssh.permit_root_login_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.ssh.permit_root_login as rule

test_pass_no if {
	count(rule.deny) == 0 with input as fx.sshd({"permitrootlogin": "no"})
}

test_fail_yes if {
	reasons := rule.deny with input as fx.sshd_set({"permitrootlogin": "yes"}, 33)
	fx.codes(reasons) == ["permit_root_login"]
	some r in reasons
	r.phrase == `PermitRootLogin is "yes", expected "no"`
	r.expected == "no"
	r.actual == "yes"
	r.evidence == {"keyword": "permitrootlogin", "file": "/etc/ssh/sshd_config", "line": 33}
}

test_fail_prohibit_password if {
	# sshd -T prints prohibit-password as without-password.
	fx.codes(rule.deny) == ["permit_root_login"] with input as fx.sshd({"permitrootlogin": "without-password"})
	fx.codes(rule.deny) == ["permit_root_login"] with input as fx.sshd({"permitrootlogin": "prohibit-password"})
	fx.codes(rule.deny) == ["permit_root_login"] with input as fx.sshd({"permitrootlogin": "forced-commands-only"})
}

test_fail_default_has_no_source if {
	some r in rule.deny with input as fx.sshd({"permitrootlogin": "without-password"})
	r.evidence == {"keyword": "permitrootlogin", "default": true}
}

test_match_block_enables_root_login if {
	reasons := rule.deny with input as fx.sshd_match({"permitrootlogin": "yes"})
	fx.codes(reasons) == ["permit_root_login_in_match"]
	some r in reasons
	r.phrase == concat("", [`PermitRootLogin is "yes"`, fx.match_where, `, expected "no"`])
	r.evidence.file == "/etc/ssh/sshd_config"
	r.evidence.line == 121
	r.evidence.match == "User alice,!bob Address 10.0.0.0/8"
	r.evidence.match_line == 120
}

test_match_block_and_global_both_reported if {
	inp := fx.sshd_input({"permitrootlogin": "yes"}, {}, [fx.match_block({"permitrootlogin": "without-password"})])
	fx.codes(rule.deny) == ["permit_root_login", "permit_root_login_in_match"] with input as inp
}

test_match_block_compliant if {
	count(rule.deny) == 0 with input as fx.sshd_match({"permitrootlogin": "no"})
}

test_not_applicable_without_sshd if {
	fx.codes(rule.not_applicable) == ["sshd_config_missing"] with input as fx.no_sshd
	count(rule.not_applicable) == 0 with input as fx.sshd({})
}

test_evidence_global_and_match if {
	inp := fx.sshd_input({}, {"permitrootlogin": {"file": "/etc/ssh/sshd_config", "line": 33}}, [fx.match_block({"permitrootlogin": "no"})])
	ev := rule.evidence with input as inp
	ev.permitrootlogin.value == "no"
	ev.permitrootlogin.line == 33
	ev.permitrootlogin.match == [{
		"value": "no",
		"file": "/etc/ssh/sshd_config",
		"line": 121,
		"match": "User alice,!bob Address 10.0.0.0/8",
		"match_file": "/etc/ssh/sshd_config",
		"match_line": 120,
	}]
}
