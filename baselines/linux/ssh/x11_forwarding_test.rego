package gcrun.linux.ssh.x11_forwarding_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.ssh.x11_forwarding as rule

test_pass_no if {
	count(rule.deny) == 0 with input as fx.sshd({"x11forwarding": "no"})
}

test_pass_disable_forwarding_overrides if {
	count(rule.deny) == 0 with input as fx.sshd({"x11forwarding": "yes", "disableforwarding": "yes"})
}

test_fail_yes if {
	# The hardened configuration sets DisableForwarding yes, which would
	# override the keyword.
	inp := fx.sshd_input({"x11forwarding": "yes", "disableforwarding": "no"}, {"x11forwarding": {"file": "/etc/ssh/sshd_config", "line": 90}}, [])
	reasons := rule.deny with input as inp
	fx.codes(reasons) == ["x11_forwarding"]
	some r in reasons
	r.phrase == `X11Forwarding is "yes" and DisableForwarding does not override it, expected "no"`
	r.actual == "yes"
	r.evidence == {"keyword": "x11forwarding", "file": "/etc/ssh/sshd_config", "line": 90}
}

test_match_block_enables if {
	reasons := rule.deny with input as fx.sshd_input({"disableforwarding": "no"}, {}, [fx.match_block({"x11forwarding": "yes"})])
	fx.codes(reasons) == ["x11_forwarding_in_match"]
	some r in reasons
	r.phrase == concat("", [`X11Forwarding is "yes"`, fx.match_where, ` and DisableForwarding does not override it, expected "no"`])
	r.evidence.keyword == "x11forwarding"
	r.evidence.line == 121
}

test_match_block_enables_but_disable_forwarding_global if {
	inp := fx.sshd_input({"disableforwarding": "yes"}, {}, [fx.match_block({"x11forwarding": "yes"})])
	count(rule.deny) == 0 with input as inp
}

test_match_block_turns_disable_forwarding_off if {
	# Globally X11Forwarding yes is overridden by DisableForwarding yes; the
	# Match block lifts the override for its connections.
	inp := fx.sshd_input({"x11forwarding": "yes", "disableforwarding": "yes"}, {}, [fx.match_block({"disableforwarding": "no"})])
	reasons := rule.deny with input as inp
	fx.codes(reasons) == ["x11_forwarding_in_match"]
	some r in reasons
	r.evidence.keyword == "disableforwarding"
}

test_match_block_sets_both if {
	inp := fx.sshd_input({}, {}, [fx.match_block({"x11forwarding": "yes", "disableforwarding": "yes"})])
	count(rule.deny) == 0 with input as inp
}

test_match_block_compliant if {
	count(rule.deny) == 0 with input as fx.sshd_match({"x11forwarding": "no"})
}

test_not_applicable_without_sshd if {
	fx.codes(rule.not_applicable) == ["sshd_config_missing"] with input as fx.no_sshd
}

test_remediate_where_set if {
	inp := fx.sshd_input({"x11forwarding": "yes", "disableforwarding": "no"}, {"x11forwarding": {"file": fx.dropin_file, "line": 4}}, [])
	rule.remediate == {{"type": "config.set", "path": fx.dropin_file, "format": "sshd", "key": "X11Forwarding", "value": "no"}} with input as inp
}

test_remediate_match_block_reenables_global_value if {
	# Global DisableForwarding yes hides the global "yes", a Match block
	# with DisableForwarding no lets it through: turning the global value
	# off fixes both.
	inp := fx.sshd_input({"x11forwarding": "yes", "disableforwarding": "yes"}, {}, [fx.match_block({"disableforwarding": "no"})])
	count(rule.deny) == 1 with input as inp
	rule.remediate == {{"type": "config.set", "path": "/etc/ssh/sshd_config", "format": "sshd", "key": "X11Forwarding", "value": "no"}} with input as inp
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.sshd({"x11forwarding": "yes", "disableforwarding": "yes"})
	count(rule.remediate) == 0 with input as fx.sshd({"x11forwarding": "no", "disableforwarding": "no"})
	count(rule.remediate) == 0 with input as fx.no_sshd
}

test_remediate_match_block_is_manual if {
	inp := fx.sshd_input({"x11forwarding": "no", "disableforwarding": "no"}, {}, [fx.match_block({"x11forwarding": "yes"})])
	count(rule.deny) == 1 with input as inp
	count(rule.remediate) == 0 with input as inp
}
