package gcrun.linux.ssh.banner_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.ssh.banner as rule

test_pass_issue_net if {
	count(rule.deny) == 0 with input as fx.sshd({"banner": "/etc/issue.net"})
}

test_fail_none if {
	reasons := rule.deny with input as fx.sshd({"banner": "none"})
	fx.codes(reasons) == ["banner"]
	fx.phrases(reasons) == [`Banner is "none", expected a banner file such as /etc/issue.net`]
	some r in reasons
	r.evidence == {"keyword": "banner", "default": true}
}

test_fail_empty if {
	fx.codes(rule.deny) == ["banner"] with input as fx.sshd_set({"banner": ""}, 3)
}

test_match_block_removes_banner if {
	reasons := rule.deny with input as fx.sshd_match({"banner": "none"})
	fx.codes(reasons) == ["banner_in_match"]
	fx.phrases(reasons) == [concat("", [`Banner is "none"`, fx.match_where, `, expected a banner file such as /etc/issue.net`])]
}

test_match_block_compliant if {
	count(rule.deny) == 0 with input as fx.sshd_match({"banner": "/etc/issue.contractors"})
}

test_not_applicable_without_sshd if {
	fx.codes(rule.not_applicable) == ["sshd_config_missing"] with input as fx.no_sshd
}

test_remediate_sets_issue_net if {
	inp := fx.sshd_input({"banner": "none"}, {"banner": {"file": fx.dropin_file, "line": 2}}, [])
	rule.remediate == {{"type": "config.set", "path": fx.dropin_file, "format": "sshd", "key": "Banner", "value": "/etc/issue.net"}} with input as inp
	rule.remediate == {{"type": "config.set", "path": "/etc/ssh/sshd_config", "format": "sshd", "key": "Banner", "value": "/etc/issue.net"}} with input as fx.sshd({"banner": "none"})
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.sshd({})
	count(rule.remediate) == 0 with input as fx.no_sshd
	count(rule.remediate) == 0 with input as fx.sshd_match({"banner": "none"})
}
