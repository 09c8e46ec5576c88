package gcrun.linux.ssh.access_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.ssh.access as rule

test_pass_allow_groups if {
	count(rule.deny) == 0 with input as fx.sshd({"allowgroups": ["sshusers"]})
}

test_pass_any_one_list if {
	none := {"allowusers": [], "allowgroups": [], "denyusers": [], "denygroups": []}
	count(rule.deny) == 0 with input as fx.sshd(object.union(none, {"allowusers": ["alice", "bob@10.0.0.*"]}))
	count(rule.deny) == 0 with input as fx.sshd(object.union(none, {"denyusers": ["guest"]}))
	count(rule.deny) == 0 with input as fx.sshd(object.union(none, {"denygroups": ["nossh"]}))
}

test_fail_nothing_set if {
	# Stock Debian: sshd -T prints no Allow/Deny lines.
	reasons := rule.deny with input as fx.sshd({"allowgroups": []})
	fx.codes(reasons) == ["access_not_restricted"]
	fx.phrases(reasons) == ["none of AllowUsers, AllowGroups, DenyUsers and DenyGroups is set, so every account may log in, expected at least one of them (for example AllowGroups with a group of SSH users)"]
	some r in reasons
	r.actual == "none"
	r.evidence == {"keywords": ["allowusers", "allowgroups", "denyusers", "denygroups"], "default": true}
}

test_fail_allow_everyone if {
	inp := fx.sshd_input({"allowgroups": [], "allowusers": ["*"]}, {"allowusers": {"file": "/etc/ssh/sshd_config", "line": 12}}, [])
	reasons := rule.deny with input as inp
	fx.codes(reasons) == ["access_everyone"]
	fx.phrases(reasons) == [`AllowUsers is "*", which admits every user, expected a list of the users allowed to log in`]
	some r in reasons
	r.actual == ["*"]
	r.evidence == {"keyword": "allowusers", "file": "/etc/ssh/sshd_config", "line": 12}
}

test_fail_allow_every_group_next_to_others if {
	reasons := rule.deny with input as fx.sshd({"allowgroups": ["sshusers", "*"]})
	fx.phrases(reasons) == [`AllowGroups is "sshusers *", which admits every group, expected a list of the groups allowed to log in`]
	fx.codes(rule.deny) == ["access_everyone"] with input as fx.sshd({"allowusers": ["*@*"]})
}

test_match_block_admits_everyone if {
	# The block's AllowUsers replaces the global AllowGroups restriction for
	# its connections.
	reasons := rule.deny with input as fx.sshd_match({"allowusers": ["*"]})
	fx.codes(reasons) == ["access_everyone_in_match"]
	some r in reasons
	r.phrase == concat("", [`AllowUsers is "*"`, fx.match_where, `, which admits every user, expected a list of the users allowed to log in`])
	r.evidence.match == "User alice,!bob Address 10.0.0.0/8"
	r.evidence.match_criteria == fx.match_criteria
	r.evidence.line == 121
}

test_match_block_restricts_only_is_not_enough if {
	# Lists in Match blocks cover only the block's connections: the global
	# section must restrict everyone else.
	inp := fx.sshd_input({"allowgroups": []}, {}, [fx.match_block({"allowusers": ["alice"]})])
	fx.codes(rule.deny) == ["access_not_restricted"] with input as inp
}

test_match_block_compliant if {
	count(rule.deny) == 0 with input as fx.sshd_match({"allowusers": ["alice"], "denygroups": ["contractors"]})
}

test_not_applicable_without_sshd if {
	fx.codes(rule.not_applicable) == ["sshd_config_missing"] with input as fx.no_sshd
}

test_evidence_lists if {
	ev := rule.evidence with input as fx.sshd({})
	ev.allowgroups.value == ["sshusers"]
	ev.allowusers.value == []
}
