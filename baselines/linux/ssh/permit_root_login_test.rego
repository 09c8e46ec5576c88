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
		"match_criteria": fx.match_criteria,
		"match_file": "/etc/ssh/sshd_config",
		"match_line": 120,
	}]
}

test_match_block_reopens_root_login_any_way if {
	# Every value but "no" re-opens root login for the block's connections.
	every value in ["yes", "without-password", "forced-commands-only"] {
		reopened(value)
	}
}

criteria := [{"type": "address", "patterns": ["192.168.1.0/24"]}, {"type": "user", "patterns": ["root"]}]

reopened(value) if {
	inp := fx.sshd_input({"permitrootlogin": "no"}, {}, [fx.block(criteria, fx.sshd_config_file, 140, {"permitrootlogin": value})])
	reasons := rule.deny with input as inp
	fx.phrases(reasons) == [sprintf(`PermitRootLogin is %q in Match Address 192.168.1.0/24 User root (/etc/ssh/sshd_config:140), expected "no"`, [value])]
	some r in reasons
	r.code == "permit_root_login_in_match"
	r.actual == value
	r.evidence == {
		"keyword": "permitrootlogin",
		"file": "/etc/ssh/sshd_config",
		"line": 141,
		"match": "Address 192.168.1.0/24 User root",
		"match_criteria": criteria,
		"match_file": "/etc/ssh/sshd_config",
		"match_line": 140,
	}
}

test_match_all_block if {
	# sshd -T applies "Match All" to the global configuration, and the facts
	# still list the block: both are reported, each with its own code.
	inp := fx.sshd_input({"permitrootlogin": "yes"}, {"permitrootlogin": {"file": fx.dropin_file, "line": 21}}, [fx.block([{"type": "all", "patterns": []}], fx.dropin_file, 20, {"permitrootlogin": "yes"})])
	reasons := rule.deny with input as inp
	fx.phrases(reasons) == [
		`PermitRootLogin is "yes" in Match All (/etc/ssh/sshd_config.d/50-admins.conf:20), expected "no"`,
		`PermitRootLogin is "yes", expected "no"`,
	]
}
