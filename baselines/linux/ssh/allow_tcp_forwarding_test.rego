package gcrun.linux.ssh.allow_tcp_forwarding_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.ssh.allow_tcp_forwarding as rule

test_pass_no if {
	count(rule.deny) == 0 with input as fx.sshd({"allowtcpforwarding": "no"})
}

test_pass_disable_forwarding_overrides if {
	count(rule.deny) == 0 with input as fx.sshd({"allowtcpforwarding": "yes", "disableforwarding": "yes"})
}

test_fail_yes if {
	# The hardened configuration sets DisableForwarding yes, which would
	# override the keyword.
	inp := fx.sshd_input({"allowtcpforwarding": "yes", "disableforwarding": "no"}, {"allowtcpforwarding": {"file": "/etc/ssh/sshd_config", "line": 90}}, [])
	reasons := rule.deny with input as inp
	fx.codes(reasons) == ["allow_tcp_forwarding"]
	some r in reasons
	r.phrase == `AllowTcpForwarding is "yes" and DisableForwarding does not override it, expected "no"`
	r.actual == "yes"
	r.evidence == {"keyword": "allowtcpforwarding", "file": "/etc/ssh/sshd_config", "line": 90}
}

test_match_block_enables if {
	reasons := rule.deny with input as fx.sshd_input({"disableforwarding": "no"}, {}, [fx.match_block({"allowtcpforwarding": "yes"})])
	fx.codes(reasons) == ["allow_tcp_forwarding_in_match"]
	some r in reasons
	r.phrase == concat("", [`AllowTcpForwarding is "yes"`, fx.match_where, ` and DisableForwarding does not override it, expected "no"`])
	r.evidence.keyword == "allowtcpforwarding"
	r.evidence.line == 121
}

test_match_block_enables_but_disable_forwarding_global if {
	inp := fx.sshd_input({"disableforwarding": "yes"}, {}, [fx.match_block({"allowtcpforwarding": "yes"})])
	count(rule.deny) == 0 with input as inp
}

test_match_block_turns_disable_forwarding_off if {
	# Globally AllowTcpForwarding yes is overridden by DisableForwarding yes; the
	# Match block lifts the override for its connections.
	inp := fx.sshd_input({"allowtcpforwarding": "yes", "disableforwarding": "yes"}, {}, [fx.match_block({"disableforwarding": "no"})])
	reasons := rule.deny with input as inp
	fx.codes(reasons) == ["allow_tcp_forwarding_in_match"]
	some r in reasons
	r.evidence.keyword == "disableforwarding"
}

test_match_block_sets_both if {
	inp := fx.sshd_input({}, {}, [fx.match_block({"allowtcpforwarding": "yes", "disableforwarding": "yes"})])
	count(rule.deny) == 0 with input as inp
}

test_match_block_compliant if {
	count(rule.deny) == 0 with input as fx.sshd_match({"allowtcpforwarding": "no"})
}

test_not_applicable_without_sshd if {
	fx.codes(rule.not_applicable) == ["sshd_config_missing"] with input as fx.no_sshd
}

test_fail_local_and_remote if {
	fx.codes(rule.deny) == ["allow_tcp_forwarding"] with input as fx.sshd({"allowtcpforwarding": "local", "disableforwarding": "no"})
	fx.codes(rule.deny) == ["allow_tcp_forwarding"] with input as fx.sshd({"allowtcpforwarding": "remote", "disableforwarding": "no"})
	fx.codes(rule.deny) == ["allow_tcp_forwarding"] with input as fx.sshd({"allowtcpforwarding": "all", "disableforwarding": "no"})
}

test_remediate_where_set if {
	inp := fx.sshd_input({"allowtcpforwarding": "yes", "disableforwarding": "no"}, {"allowtcpforwarding": {"file": fx.dropin_file, "line": 4}}, [])
	rule.remediate == {{"type": "config.set", "path": fx.dropin_file, "format": "sshd", "key": "AllowTcpForwarding", "value": "no"}} with input as inp
}

test_remediate_match_block_reenables_global_value if {
	# Global DisableForwarding yes hides the global "yes", a Match block
	# with DisableForwarding no lets it through: turning the global value
	# off fixes both.
	inp := fx.sshd_input({"allowtcpforwarding": "yes", "disableforwarding": "yes"}, {}, [fx.match_block({"disableforwarding": "no"})])
	count(rule.deny) == 1 with input as inp
	rule.remediate == {{"type": "config.set", "path": "/etc/ssh/sshd_config", "format": "sshd", "key": "AllowTcpForwarding", "value": "no"}} with input as inp
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.sshd({"allowtcpforwarding": "yes", "disableforwarding": "yes"})
	count(rule.remediate) == 0 with input as fx.sshd({"allowtcpforwarding": "no", "disableforwarding": "no"})
	count(rule.remediate) == 0 with input as fx.no_sshd
}

test_remediate_match_block_is_manual if {
	inp := fx.sshd_input({"allowtcpforwarding": "no", "disableforwarding": "no"}, {}, [fx.match_block({"allowtcpforwarding": "yes"})])
	count(rule.deny) == 1 with input as inp
	count(rule.remediate) == 0 with input as inp
}
